#include "pg/tuples.hpp"

#include <string>
#include <unordered_map>

#include "pg/relcache_events.hpp"

namespace pgcpp::pg {

namespace {

// relid -> column name -> attribute number (0: no such column)
std::unordered_map<Oid, std::unordered_map<std::string, AttrNumber>> g_attnums;

void forget_attnums(void*, Oid relid) {
    if (relid == InvalidOid) {
        g_attnums.clear();
    } else {
        g_attnums.erase(relid);
    }
}

}  // namespace

AttrNumber cached_attnum(Oid relid, TupleDesc desc, const char* name) {
    static const bool listening = (listen_to_relcache(forget_attnums), true);
    (void)listening;
    auto& columns = g_attnums[relid];
    if (const auto it = columns.find(name); it != columns.end()) return it->second;
    const int att = call([&] { return SPI_fnumber(desc, name); });
    const AttrNumber found = att > 0 ? static_cast<AttrNumber>(att) : 0;  // not a system column
    columns.emplace(name, found);
    return found;
}

Columns::Columns(Oid relid, TupleDesc desc, std::initializer_list<const char*> names) {
    attnums_.reserve(names.size());
    for (const char* name : names) {
        const AttrNumber att = cached_attnum(relid, desc, name);
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

}  // namespace pgcpp::pg
