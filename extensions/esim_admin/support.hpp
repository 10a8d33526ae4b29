// What every trigger and API function of esim_admin uses: the extension's
// schema, the caller's panel role, typed access to trigger rows, and SPI
// statements whose arguments and results travel as text (every value keeps
// its exact form: numeric, uuid, enum labels, timestamps).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

namespace esim_admin {

namespace pg = pgcpp::pg;
namespace core = pgcpp::core;
using Text = std::optional<std::string>;

// The schema esim_admin was created in.
Oid app_schema();

// Who is calling, for the guards. Service: a superuser or a role with
// BYPASSRLS (service_role, migrations, the retention job), and the
// extension's own SECURITY DEFINER steps. The others come from the users row
// of auth.uid() (an active, not deleted user); None: no such user (anon).
enum class Caller { None, Customer, Support, Admin, SuperAdmin, Service };
Caller current_caller();
// The same for the role that made the request (SET ROLE's role), whatever
// SECURITY DEFINER function runs: what the API's privileged steps check.
Caller requesting_caller();
bool is_staff(Caller c);        // support, admin, super_admin, service
bool is_admin(Caller c);        // admin, super_admin, service
Text current_user_id();         // auth.uid() as text, or nullopt

// Raised when the caller may not make a change (42501).
[[noreturn]] void not_authorized(const std::string& message, const std::string& hint = {});

// A statement whose arguments are all text ($n::type casts in the SQL).
class Query {
public:
    Query(std::string sql, int nargs);
    // Runs it; returns the number of rows (results readable with value()).
    uint64 run(const std::vector<Text>& args, bool read_only = false);
    // Column col (1-based) of result row `row` as text, nullopt for NULL.
    static Text value(uint64 row, int col);

private:
    std::unique_ptr<pg::Statement> statement_;
    int nargs_;
};

// Writes made by the extension itself (a refund marking its transaction,
// documents setting kyc_status, retention removing rows): the guards let them
// through while one is in progress in this backend.
class SystemWrite {
public:
    SystemWrite();
    ~SystemWrite();
    SystemWrite(const SystemWrite&) = delete;
    SystemWrite& operator=(const SystemWrite&) = delete;
    static bool active();
};

// Runs the scope as the owner of the extension's objects (the role that ran
// its install script): the system's own writes (a counter, a status that
// follows other rows, the audit trail) pass no API privilege or policy. The
// caller is identified before entering (current_caller()).
class AsOwner {
public:
    AsOwner();
    ~AsOwner();
    AsOwner(const AsOwner&) = delete;
    AsOwner& operator=(const AsOwner&) = delete;

private:
    Oid saved_user_;
    int saved_context_;
};

const char* caller_label(Caller c);

// Retention's real deletes and moves: soft delete and the counters step aside.
class Purge {
public:
    Purge();
    ~Purge();
    Purge(const Purge&) = delete;
    Purge& operator=(const Purge&) = delete;
    static bool active();
};

// A restore session's INSERT (platform/restore_mode.hpp, esim_admin.restore_mode):
// the trigger's result that lets the row through as dumped (the row for a
// BEFORE row trigger, NULL otherwise); nullopt when the trigger must run.
std::optional<Datum> rows_as_dumped(TriggerData* data);

// A row of a row-level trigger: reads of the tuple's columns by name, as
// text through the column type's output function (or as a raw Datum), and
// staged writes applied by result().
class Row {
public:
    Row(TriggerData* data, HeapTuple tuple);
    bool has(const char* column) const;
    bool is_null(const char* column) const;
    Text get(const char* column) const;
    // The column's value as text; a NULL raises 23502 as the column's NOT NULL
    // constraint would (BEFORE row triggers run before constraints are checked).
    std::string required(const char* column) const;
    Datum datum(const char* column, bool* is_null) const;
    void set(const char* column, const Text& value);
    void set_datum(const char* column, Datum value, bool is_null);
    // The tuple with the staged writes (the original when none).
    HeapTuple result();

private:
    int attnum(const char* column) const;

    TriggerData* data_;
    HeapTuple tuple_;
    TupleDesc desc_;
    std::vector<int> changed_cols_;
    std::vector<Datum> changed_values_;
    std::vector<bool> changed_nulls_;
};

// The trigger's OLD / NEW rows for a row-level trigger.
HeapTuple old_tuple(TriggerData* data);
HeapTuple new_tuple(TriggerData* data);

// now() of the transaction as timestamptz text; timestamps as text compare
// through SQL, so rules that need instants take them as TimestampTz.
TimestampTz transaction_now();

// NULL return of a row trigger (skip the row).
inline Datum skip_row() { return PointerGetDatum(nullptr); }
inline Datum keep_row(HeapTuple tuple) { return PointerGetDatum(tuple); }

// JSON string literal of s.
std::string json_quote(const std::string& s);

// Records one audit_log row: action, table, row id, before / after (jsonb
// text or nullopt). Actor and role are the caller's: current_caller(), or
// `role` when given (a SECURITY DEFINER step names requesting_caller()).
void audit(const std::string& action, const std::string& table, const Text& row_id,
           const Text& before_json, const Text& after_json, std::optional<Caller> role = std::nullopt);

// TimestampTz <-> microseconds since 2000-01-01 (the domain's Micros).
inline std::int64_t micros(TimestampTz t) { return static_cast<std::int64_t>(t); }

}  // namespace esim_admin
