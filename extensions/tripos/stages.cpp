#include <algorithm>

#include "tripos/stages.hpp"

#include "platform/restore_mode.hpp"

#include "core/errors.hpp"
#include "pg/guard.hpp"
#include "pg/trigger.hpp"
extern "C" {
#include "storage/lmgr.h"
#include "storage/lock.h"
}

namespace tripos {

const platform::Extension& core_extension() {
    static const platform::Extension ext("tripos_core");
    return ext;
}
const platform::Extension& collab_extension() {
    static const platform::Extension ext("tripos_collab");
    return ext;
}
const platform::Extension& ai_extension() {
    static const platform::Extension ext("tripos_ai");
    return ext;
}
const platform::Extension& payments_extension() {
    static const platform::Extension ext("tripos_payments");
    return ext;
}
const platform::Extension& whatsapp_extension() {
    static const platform::Extension ext("tripos_whatsapp");
    return ext;
}

namespace {
int internal_depth = 0;
}

bool restoring() { return pgcpp::platform::restore_session(); }

bool internal_write_active() { return internal_depth > 0; }
InternalWrite::InternalWrite() { ++internal_depth; }
InternalWrite::~InternalWrite() { --internal_depth; }

std::optional<pg::Uuid> tuple_uuid(HeapTuple tuple, TupleDesc desc, int attnum) {
    bool is_null = false;
    const Datum value = heap_getattr(tuple, attnum, desc, &is_null);
    if (is_null) return std::nullopt;
    return pg::uuid_from_datum(value);
}

std::optional<int> tuple_int(HeapTuple tuple, TupleDesc desc, int attnum) {
    bool is_null = false;
    const Datum value = heap_getattr(tuple, attnum, desc, &is_null);
    if (is_null) return std::nullopt;
    return DatumGetInt32(value);
}

std::optional<DateADT> tuple_date(HeapTuple tuple, TupleDesc desc, int attnum) {
    bool is_null = false;
    const Datum value = heap_getattr(tuple, attnum, desc, &is_null);
    if (is_null) return std::nullopt;
    return DatumGetDateADT(value);
}

HeapTuple with_int_columns(HeapTuple tuple, TupleDesc desc, std::initializer_list<std::pair<int, int>> values) {
    int columns[4];
    Datum datums[4];
    bool nulls[4] = {false, false, false, false};
    int n = 0;
    for (const auto& [attnum, value] : values) {
        columns[n] = attnum;
        datums[n] = Int32GetDatum(value);
        ++n;
    }
    return pg::call([&] { return heap_modify_tuple_by_cols(tuple, desc, n, columns, datums, nulls); });
}

namespace {

// FNV-1a over the trip's bytes and the day (0: the whole trip), tagged so the
// keys stay apart from other users of the bigint advisory key space.
uint64 itinerary_key(const pg::Uuid& trip, int day) {
    uint64 h = 0xcbf29ce484222325ULL ^ 0x7472697065735f31ULL;  // "tripos_1"
    auto mix = [&h](unsigned char b) { h = (h ^ b) * 0x100000001b3ULL; };
    for (unsigned char b : trip) mix(b);
    for (int i = 0; i < 4; ++i) mix(static_cast<unsigned char>(static_cast<uint32>(day) >> (8 * i)));
    return h;
}

// As pg_advisory_xact_lock(bigint) / pg_advisory_xact_lock_shared(bigint);
// released one hold at a time (a lock taken twice stays until both go).
void advisory_xact_lock(uint64 key, LOCKMODE mode, bool release) {
    pg::call([&] {
        LOCKTAG tag;
        SET_LOCKTAG_ADVISORY(tag, MyDatabaseId, static_cast<uint32>(key >> 32), static_cast<uint32>(key), 1);
        if (release) {
            (void)LockRelease(&tag, mode, false);
        } else {
            (void)LockAcquire(&tag, mode, false, false);
        }
    });
}

std::vector<int> ascending(std::vector<int> days) {
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    return days;
}

}  // namespace

void lock_itinerary_days(const pg::Uuid& trip, std::vector<int> days) {
    advisory_xact_lock(itinerary_key(trip, 0), ShareLock, false);
    for (int day : ascending(std::move(days))) advisory_xact_lock(itinerary_key(trip, day), ExclusiveLock, false);
}

void unlock_itinerary_days(const pg::Uuid& trip, std::vector<int> days) {
    for (int day : ascending(std::move(days))) advisory_xact_lock(itinerary_key(trip, day), ExclusiveLock, true);
    advisory_xact_lock(itinerary_key(trip, 0), ShareLock, true);
}

void lock_whole_itinerary(const pg::Uuid& trip) { advisory_xact_lock(itinerary_key(trip, 0), ExclusiveLock, false); }

}  // namespace tripos

// tripos_internal.require_core_schema(stage, schema): the install script of a
// later stage passes its @extschema@.
PG_CPP_FUNCTION(tripos_require_core_schema) {
    using namespace tripos;
    const std::string stage = pg::string_from_text(pg::required_arg(fcinfo, 0, "stage"));
    const std::string schema = pg::string_from_text(pg::required_arg(fcinfo, 1, "schema_name"));
    const Oid core_schema = core_extension().schema();
    const std::string core_name(pg::call([&] { return get_namespace_name(core_schema); }));
    if (core_name != schema) {
        pg::raise_error(ERRCODE_FEATURE_NOT_SUPPORTED,
                        fmt::format("{} must be created in tripos_core's schema \"{}\", not \"{}\"", stage, core_name,
                                    schema),
                        {}, fmt::format("CREATE EXTENSION {} SCHEMA {} CASCADE", stage, core_name));
    }
    PG_RETURN_VOID();
}
