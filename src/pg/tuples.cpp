#include "pg/tuples.hpp"

#include "core/errors.hpp"

namespace onesim::pg {

Columns::Columns(TupleDesc desc, std::initializer_list<const char*> names) {
    attnums_.reserve(names.size());
    for (const char* name : names) {
        const int att = call([&] { return SPI_fnumber(desc, name); });
        if (att <= 0) {
            throw std::runtime_error(fmt::format("column \"{}\" not found: schema and library disagree", name));
        }
        attnums_.push_back(static_cast<AttrNumber>(att));
    }
}

namespace {
Datum slot_value(TupleTableSlot* slot, AttrNumber att, bool* isnull) {
    return call([&] { return slot_getattr(slot, att, isnull); });
}
}  // namespace

std::optional<Uuid> slot_uuid(TupleTableSlot* slot, AttrNumber att) {
    bool isnull;
    const Datum d = slot_value(slot, att, &isnull);
    if (isnull) return std::nullopt;
    return uuid_from_datum(d);
}

std::optional<core::Decimal> slot_decimal(TupleTableSlot* slot, AttrNumber att, const char* what) {
    bool isnull;
    const Datum d = slot_value(slot, att, &isnull);
    if (isnull) return std::nullopt;
    return decimal_from_numeric(d, what);
}

std::optional<std::string> slot_text(TupleTableSlot* slot, AttrNumber att) {
    bool isnull;
    const Datum d = slot_value(slot, att, &isnull);
    if (isnull) return std::nullopt;
    return string_from_text(d);
}

std::optional<TimestampTz> slot_timestamptz(TupleTableSlot* slot, AttrNumber att) {
    bool isnull;
    const Datum d = slot_value(slot, att, &isnull);
    if (isnull) return std::nullopt;
    return DatumGetTimestampTz(d);
}

std::optional<bool> slot_bool(TupleTableSlot* slot, AttrNumber att) {
    bool isnull;
    const Datum d = slot_value(slot, att, &isnull);
    if (isnull) return std::nullopt;
    return DatumGetBool(d);
}

void scan_transition_table_raw(Tuplestorestate* table, TupleDesc desc,
                               void (*row)(TupleTableSlot*, void*), void* arg) {
    if (table == nullptr) throw std::runtime_error("transition table missing: declare REFERENCING");
    TupleTableSlot* slot = call([&] { return MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple); });
    const int pointer = call([&] {
        const int ptr = tuplestore_alloc_read_pointer(table, EXEC_FLAG_REWIND);
        tuplestore_select_read_pointer(table, ptr);
        tuplestore_rescan(table);
        return ptr;
    });
    (void)pointer;
    for (;;) {
        const bool got = call([&] { return tuplestore_gettupleslot(table, true, false, slot); });
        if (!got) break;
        row(slot, arg);
    }
    call([&] { ExecDropSingleTupleTableSlot(slot); });
}

TriggerData* trigger_data(FunctionCallInfo fcinfo, const char* name, bool row_level) {
    if (!CALLED_AS_TRIGGER(fcinfo)) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                fmt::format("{} must be called as a trigger", name));
    }
    auto* data = reinterpret_cast<TriggerData*>(fcinfo->context);
    if ((TRIGGER_FIRED_FOR_ROW(data->tg_event) != 0) != row_level) {
        throw core::DomainError(core::ErrorKind::InvalidParameter,
                                fmt::format("{} must be a {} trigger", name,
                                            row_level ? "FOR EACH ROW" : "FOR EACH STATEMENT"));
    }
    return data;
}

}  // namespace onesim::pg
