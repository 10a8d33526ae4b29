// Shared plumbing of the SQL functions apps call through Supabase RPC
// (sql/onesim/60_api.sql): who is calling, argument reading, SPI row access
// and turning SPI rows into the function's declared result.
//
// The API functions are SECURITY DEFINER: inside them the current user is the
// extension's owner (a superuser), so onesim::auth::is_service() would always
// answer true. Caller::service() asks the same question for the role the
// caller acts as (GetOuterUserId(): the session user or its SET ROLE).
#pragma once

#include "onesim/layers.hpp"
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "core/errors.hpp"
#include "onesim/auth_context.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"

namespace onesim::api {

using core::Decimal;
using core::DomainError;
using core::ErrorKind;
using pg::Uuid;

std::string uuid_text(const Uuid& id);

// The caller of an API function; each answer is looked up once, on demand.
class Caller {
public:
    explicit Caller(Oid app) : app_(app) {}
    Oid app() const { return app_; }
    const std::optional<Uuid>& user();
    bool service();
    bool admin();
    bool admin_or_service() { return service() || admin(); }
    const std::optional<Uuid>& partner();
    const std::optional<std::string>& partner_status();
    bool active_partner() { return partner().has_value() && partner_status() == std::optional<std::string>("active"); }

    // 42501 unless the caller is an active partner; returns its id.
    Uuid require_active_partner(const char* what);

private:
    // The anon role is anonymous whatever its claims say: a sub in anon's
    // claims names nobody (no partner rate, no admin, no user).
    bool anonymous();

    Oid app_;
    std::optional<bool> anonymous_;
    std::optional<std::optional<Uuid>> user_, partner_;
    std::optional<std::optional<std::string>> partner_status_;
    std::optional<bool> service_, admin_;
};

[[noreturn]] void deny(const std::string& message, const std::string& hint = {});
[[noreturn]] void not_found(const std::string& message);

// Arguments.
std::optional<std::string> opt_text(FunctionCallInfo fcinfo, int n);
std::optional<Uuid> opt_uuid(FunctionCallInfo fcinfo, int n);
std::string required_text(FunctionCallInfo fcinfo, int n, const char* name);  // 22004 NULL, 22023 blank
Uuid required_uuid(FunctionCallInfo fcinfo, int n, const char* name);

// Positional SPI arguments with their null flags.
class Args {
public:
    Args& add(std::optional<Datum> value) {
        values_.push_back(value.value_or(Datum(0)));
        nulls_.push_back(value ? ' ' : 'n');
        return *this;
    }
    Args& uuid(const std::optional<Uuid>& id) {
        return add(id ? std::optional<Datum>(pg::datum_from_uuid(*id)) : std::nullopt);
    }
    Args& text(const std::optional<std::string>& s) {
        return add(s ? std::optional<Datum>(pg::text_from_string(*s)) : std::nullopt);
    }
    Args& numeric(const std::optional<Decimal>& d) {
        return add(d ? std::optional<Datum>(pg::numeric_from_decimal(*d)) : std::nullopt);
    }
    uint64 run(pg::Statement& stmt, Oid app, bool read_only = false, long max_rows = 0) {
        nulls_.push_back('\0');
        const uint64 n = stmt.execute(app, values_.data(), nulls_.data(), read_only, max_rows);
        nulls_.pop_back();
        return n;
    }

private:
    std::vector<Datum> values_;
    std::string nulls_;
};

// Column `col` (1-based) of row `row` of the last SPI result.
std::optional<std::string> spi_text(uint64 row, int col);
std::optional<Uuid> spi_uuid(uint64 row, int col);
std::optional<Decimal> spi_decimal(uint64 row, int col, const char* what);
std::optional<bool> spi_bool(uint64 row, int col);
int64 spi_int(uint64 row, int col);

// Row `row` of the last SPI result as the function's declared composite
// result, columns matched by name, allocated in `result_context` (the memory
// context current when the function was entered, outliving SPI).
Datum spi_row_as_result(FunctionCallInfo fcinfo, MemoryContext result_context, uint64 row = 0);

// For SETOF functions: materialize mode; every row of the last SPI result
// appended to the result set (columns matched by name).
void init_materialized(FunctionCallInfo fcinfo);
void spi_rows_to_result_set(FunctionCallInfo fcinfo);

// The JSON object's text fields a caller passed (->> semantics); 22023 when
// `value` is not an object.
struct JsonFields {
    std::vector<std::optional<std::string>> values;
};
JsonFields json_object_fields(Oid app, Datum jsonb, const char* what,
                              std::initializer_list<const char*> keys);

}  // namespace onesim::api
