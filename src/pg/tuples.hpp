// Reading rows: named columns of a tuple descriptor, typed getters, and the
// transition tables of statement-level triggers.
#pragma once

#include <initializer_list>
#include <optional>

#include "core/decimal.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"

namespace onesim::pg {

// Attribute numbers of columns looked up by name once per use; a missing
// column is an internal error naming it (the schema and the C++ disagree).
class Columns {
public:
    Columns(TupleDesc desc, std::initializer_list<const char*> names);
    AttrNumber operator[](std::size_t i) const { return attnums_[i]; }

private:
    std::vector<AttrNumber> attnums_;
};

// Typed reads from a slot; nullopt for SQL NULL.
std::optional<Uuid> slot_uuid(TupleTableSlot* slot, AttrNumber att);
std::optional<core::Decimal> slot_decimal(TupleTableSlot* slot, AttrNumber att, const char* what);
std::optional<std::string> slot_text(TupleTableSlot* slot, AttrNumber att);
std::optional<TimestampTz> slot_timestamptz(TupleTableSlot* slot, AttrNumber att);
std::optional<bool> slot_bool(TupleTableSlot* slot, AttrNumber att);

// Calls row(slot) for every row of a transition table, through a read
// pointer of its own so other triggers reading the same table are undisturbed.
void scan_transition_table_raw(Tuplestorestate* table, TupleDesc desc,
                               void (*row)(TupleTableSlot*, void*), void* arg);

template <typename F>
void scan_transition_table(Tuplestorestate* table, TupleDesc desc, F&& row) {
    scan_transition_table_raw(
        table, desc,
        [](TupleTableSlot* slot, void* p) { (*static_cast<std::remove_reference_t<F>*>(p))(slot); },
        &row);
}

// Checks that a C function was called as the trigger it is declared for.
TriggerData* trigger_data(FunctionCallInfo fcinfo, const char* name, bool row_level);

}  // namespace onesim::pg
