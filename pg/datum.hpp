// Conversions between Datums and C++ values. Each may raise a Postgres error
// internally; they run it through pg::call, so callers may hold C++ objects.
#pragma once

#include <array>
#include <cstring>
#include <optional>
#include <vector>

#include "core/decimal.hpp"
#include "pg/postgres.hpp"

namespace pgcpp::pg {

using Uuid = std::array<unsigned char, UUID_LEN>;
// For hash maps keyed on ids: the first bytes of a random (v4) or time-based
// id spread well enough.
struct UuidHash {
    std::size_t operator()(const Uuid& u) const noexcept {
        std::size_t h = 0;
        std::memcpy(&h, u.data(), sizeof h);
        return h;
    }
};

// numeric <-> Decimal, exactly. NaN and infinities are rejected with 22023,
// values beyond 38 digits with 22003. `what` names the value in messages.
core::Decimal decimal_from_numeric(Datum numeric, const char* what);
// A numeric Datum coerced to `typmod` (as a column of that type would be), or
// unconstrained with -1; out of range raises 22003 like an INSERT would.
Datum numeric_from_decimal(const core::Decimal& value, int32 typmod = -1);
// The typmod of NUMERIC(precision, scale).
constexpr int32 numeric_typmod(int precision, int scale) {
    return ((precision << 16) | scale) + VARHDRSZ;
}

Uuid uuid_from_datum(Datum value);
Datum datum_from_uuid(const Uuid& value);
// A uuid[] of `ids`, palloc'd in the current memory context.
Datum uuid_array(const std::vector<Uuid>& ids);

std::string string_from_text(Datum value);
// A value of any type as its text form (the type's output function; text,
// varchar and bpchar read directly): an enum's label, a uuid's digits, ...
std::string string_from_datum(Datum value, Oid type);
Datum text_from_string(std::string_view value);

// Argument n of a function call, or a 22004 error naming it when NULL.
Datum required_arg(FunctionCallInfo fcinfo, int n, const char* name);

}  // namespace pgcpp::pg
