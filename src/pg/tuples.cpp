#include "pg/tuples.hpp"

namespace onesim::pg {

Columns::Columns(TupleDesc desc, std::initializer_list<const char*> names) {
    attnums_.reserve(names.size());
    for (const char* name : names) {
        const int att = call([&] { return SPI_fnumber(desc, name); });
        if (att <= 0) {
            throw std::runtime_error(
                fmt::format("column \"{}\" not found: schema and library disagree", name));
        }
        attnums_.push_back(static_cast<AttrNumber>(att));
    }
}

std::optional<Uuid> row_uuid(TransitionTable& row, AttrNumber att) {
    bool isnull;
    const Datum d = row.value(att, &isnull);
    if (isnull) return std::nullopt;
    return uuid_from_datum(d);
}

std::optional<core::Decimal> row_decimal(TransitionTable& row, AttrNumber att, const char* what) {
    bool isnull;
    const Datum d = row.value(att, &isnull);
    if (isnull) return std::nullopt;
    return decimal_from_numeric(d, what);
}

std::optional<std::string> row_text(TransitionTable& row, AttrNumber att) {
    bool isnull;
    const Datum d = row.value(att, &isnull);
    if (isnull) return std::nullopt;
    return string_from_text(d);
}

std::optional<TimestampTz> row_timestamptz(TransitionTable& row, AttrNumber att) {
    bool isnull;
    const Datum d = row.value(att, &isnull);
    if (isnull) return std::nullopt;
    return DatumGetTimestampTz(d);
}

std::optional<bool> row_bool(TransitionTable& row, AttrNumber att) {
    bool isnull;
    const Datum d = row.value(att, &isnull);
    if (isnull) return std::nullopt;
    return DatumGetBool(d);
}

}  // namespace onesim::pg
