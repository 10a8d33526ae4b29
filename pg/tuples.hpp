// Typed reads of named columns, for rows of transition tables.
#pragma once

#include <initializer_list>
#include <optional>

#include "core/decimal.hpp"
#include "core/errors.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/trigger.hpp"

namespace pgcpp::pg {

// The attribute number of a relation's column, by name: 0 when it has none.
// `desc` is the relation's descriptor (or a transition table's, which is the
// same). Remembered per backend until the relation's relcache entry is
// invalidated (a column added, dropped or renamed invalidates it): a scan of
// the descriptor's names costs as much as several rows' worth of work, and
// the triggers look columns up for every statement.
AttrNumber cached_attnum(Oid relid, TupleDesc desc, const char* name);

// Attribute numbers of columns looked up by name (cached_attnum); a missing
// column is an internal error naming it (schema and library disagree).
class Columns {
public:
    Columns(Oid relid, TupleDesc desc, std::initializer_list<const char*> names);
    AttrNumber operator[](std::size_t i) const { return attnums_[i]; }

private:
    std::vector<AttrNumber> attnums_;
};

// Typed reads from the current row of a transition table; nullopt for NULL.
std::optional<Uuid> row_uuid(TransitionTable& row, AttrNumber att);
std::optional<core::Decimal> row_decimal(TransitionTable& row, AttrNumber att, const char* what);
std::optional<std::string> row_text(TransitionTable& row, AttrNumber att);
std::optional<TimestampTz> row_timestamptz(TransitionTable& row, AttrNumber att);
std::optional<bool> row_bool(TransitionTable& row, AttrNumber att);

// The value of a column the code needs to be set: only a NOT NULL
// constraint, which the table's owner can drop, keeps it so. A NULL is a
// clear 23502 naming the column, never an empty optional dereferenced.
template <typename T>
T required_value(std::optional<T> value, const char* column) {
    if (!value) {
        throw core::DomainError(core::ErrorKind::NotNull, std::string(column) + " must not be null");
    }
    return std::move(*value);
}

}  // namespace pgcpp::pg
