#include "callai/store_settings.hpp"

#include <vector>

#include "pg/relcache_events.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_am.h"
#include "executor/tuptable.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
}

namespace callai {
namespace {

constexpr int kKeys = 3;  // store_id, category, key

// The settings table of one schema and its unique index on the key, until
// a relcache invalidation of either.
struct Resolved {
    Oid schema = InvalidOid;
    Oid table = InvalidOid;
    Oid index = InvalidOid;  // InvalidOid: no usable index, read through SQL
    Oid category_type = InvalidOid;
    AttrNumber value = InvalidAttrNumber;
    RegProcedure equality[kKeys] = {};
    Oid collation[kKeys] = {};
};

std::vector<Resolved> g_resolved;

void forget(void*, Oid relid) {
    std::vector<Resolved> keep;
    for (const Resolved& r : g_resolved) {
        if (relid != InvalidOid && r.table != relid && r.index != relid) keep.push_back(r);
    }
    g_resolved.swap(keep);
}

// Finds the index whose key columns are exactly (store_id, category, key),
// in that order: a valid unique btree index without predicate or
// expressions (the UNIQUE constraint's). Runs inside pg::call.
void resolve_index(Relation heap, Resolved& r) {
    const AttrNumber columns[kKeys] = {get_attnum(r.table, "store_id"), get_attnum(r.table, "category"),
                                       get_attnum(r.table, "key")};
    r.value = get_attnum(r.table, "value");
    if (r.value == InvalidAttrNumber) return;
    for (const AttrNumber c : columns) {
        if (c == InvalidAttrNumber) return;
    }
    r.category_type = get_atttype(r.table, columns[1]);
    List* indexes = RelationGetIndexList(heap);
    ListCell* lc;
    foreach (lc, indexes) {
        Relation index = index_open(lfirst_oid(lc), AccessShareLock);
        const Form_pg_index form = index->rd_index;
        bool usable = form->indisvalid && form->indisunique && form->indnkeyatts == kKeys &&
                      index->rd_rel->relam == BTREE_AM_OID &&
                      heap_attisnull(index->rd_indextuple, Anum_pg_index_indpred, nullptr) &&
                      heap_attisnull(index->rd_indextuple, Anum_pg_index_indexprs, nullptr);
        for (int i = 0; usable && i < kKeys; ++i) usable = form->indkey.values[i] == columns[i];
        if (usable) {
            for (int i = 0; i < kKeys; ++i) {
                const Oid type = index->rd_opcintype[i];
                const Oid op = get_opfamily_member(index->rd_opfamily[i], type, type, BTEqualStrategyNumber);
                r.equality[i] = get_opcode(op);
                r.collation[i] = index->rd_indcollation[i];
                usable = usable && OidIsValid(r.equality[i]);
            }
        }
        if (usable) r.index = RelationGetRelid(index);
        index_close(index, AccessShareLock);
        if (OidIsValid(r.index)) break;
    }
    list_free(indexes);
}

Resolved resolve(Oid app) {
    for (const Resolved& r : g_resolved) {
        if (r.schema == app) return r;
    }
    pg::listen_to_relcache(forget);
    Resolved r;
    r.schema = app;
    pg::call([&] {
        r.table = get_relname_relid("settings", app);
        if (!OidIsValid(r.table)) return;
        Relation heap = table_open(r.table, AccessShareLock);
        resolve_index(heap, r);
        table_close(heap, NoLock);
    });
    g_resolved.push_back(r);
    return r;
}

}  // namespace

SettingRead read_store_setting(Oid app, Datum store_id, const char* category, const char* key) {
    const Resolved r = resolve(app);  // a copy: an invalidation while reading may drop the entry
    if (!OidIsValid(r.index)) return {};
    const Datum category_value = enum_value(r.category_type, category);
    return pg::call([&] {
        SettingRead read;
        read.answered = true;
        Relation heap = table_open(r.table, AccessShareLock);
        Relation index = index_open(r.index, AccessShareLock);
        const bool pushed = !ActiveSnapshotSet();
        if (pushed) PushActiveSnapshot(GetTransactionSnapshot());
        ScanKeyData keys[kKeys];
        const Datum values[kKeys] = {store_id, category_value, CStringGetTextDatum(key)};
        for (int i = 0; i < kKeys; ++i) {
            ScanKeyEntryInitialize(&keys[i], 0, static_cast<AttrNumber>(i + 1), BTEqualStrategyNumber, InvalidOid,
                                   r.collation[i], r.equality[i], values[i]);
        }
        IndexScanDesc scan = index_beginscan(heap, index, GetActiveSnapshot(), kKeys, 0);
        index_rescan(scan, keys, kKeys, nullptr, 0);
        TupleTableSlot* slot = table_slot_create(heap, nullptr);
        if (index_getnext_slot(scan, ForwardScanDirection, slot)) {
            bool isnull = false;
            const Datum value = slot_getattr(slot, r.value, &isnull);
            // Copied out: the slot's buffer pin goes with the scan.
            if (!isnull) read.value = PointerGetDatum(PG_DETOAST_DATUM_COPY(value));
        }
        ExecDropSingleTupleTableSlot(slot);
        index_endscan(scan);
        if (pushed) PopActiveSnapshot();
        // The locks stay until the end of the transaction, as a query's would.
        index_close(index, NoLock);
        table_close(heap, NoLock);
        return read;
    });
}

std::optional<core::Decimal> jsonb_number(Datum jsonb, const char* what) {
    const std::optional<Datum> number = pg::call([&]() -> std::optional<Datum> {
        Jsonb* value = DatumGetJsonbP(jsonb);
        JsonbValue scalar;
        if (!JB_ROOT_IS_SCALAR(value) || !JsonbExtractScalar(&value->root, &scalar) || scalar.type != jbvNumeric) {
            return std::nullopt;
        }
        return NumericGetDatum(scalar.val.numeric);
    });
    if (!number) return std::nullopt;
    return pg::decimal_from_numeric(*number, what);
}

}  // namespace callai
