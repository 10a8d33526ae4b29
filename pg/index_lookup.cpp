#include "pg/index_lookup.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "pg/guard.hpp"
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
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
}

namespace pgcpp::pg {

IndexLookup::IndexLookup(std::string table, std::string key, std::vector<std::string> columns)
    : table_(std::move(table)), key_(std::move(key)), columns_(std::move(columns)) {}

void IndexLookup::forget(void* self, Oid relid) {
    auto* lookup = static_cast<IndexLookup*>(self);
    auto& r = lookup->resolved_;
    r.erase(std::remove_if(r.begin(), r.end(),
                           [&](const Resolved& x) {
                               return relid == InvalidOid || x.table == relid || x.index == relid;
                           }),
            r.end());
}

const IndexLookup::Resolved& IndexLookup::resolve(Oid schema) {
    for (const Resolved& r : resolved_) {
        if (r.schema == schema) return r;
    }
    listen_to_relcache(forget, this);
    Resolved r;
    r.schema = schema;
    call([&] {
        r.table = get_relname_relid(table_.c_str(), schema);
        if (!OidIsValid(r.table)) {
            ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                            errmsg("relation \"%s\" does not exist in schema \"%s\"", table_.c_str(),
                                   get_namespace_name(schema))));
        }
        Relation heap = table_open(r.table, AccessShareLock);
        const AttrNumber key = get_attnum(r.table, key_.c_str());
        List* indexes = RelationGetIndexList(heap);
        ListCell* lc;
        foreach (lc, indexes) {
            Relation index = index_open(lfirst_oid(lc), AccessShareLock);
            const Form_pg_index form = index->rd_index;
            const bool usable = form->indisvalid && form->indnkeyatts == 1 && form->indkey.values[0] == key &&
                                index->rd_rel->relam == BTREE_AM_OID &&
                                heap_attisnull(index->rd_indextuple, Anum_pg_index_indpred, nullptr);
            if (usable) {
                r.index = RelationGetRelid(index);
                // The index's own equality operator for its key type (its opfamily).
                const Oid opfamily = index->rd_opfamily[0];
                const Oid type = index->rd_opcintype[0];
                const Oid op = get_opfamily_member(opfamily, type, type, BTEqualStrategyNumber);
                r.equality = get_opcode(op);
            }
            index_close(index, AccessShareLock);
            if (OidIsValid(r.index)) break;
        }
        list_free(indexes);
        if (!OidIsValid(r.index)) {
            ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                            errmsg("table \"%s\" has no btree index on its column \"%s\" alone", table_.c_str(),
                                   key_.c_str())));
        }
        for (const std::string& column : columns_) {
            const AttrNumber att = get_attnum(r.table, column.c_str());
            if (att == InvalidAttrNumber) {
                ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                                errmsg("column \"%s\" of relation \"%s\" does not exist", column.c_str(),
                                       table_.c_str())));
            }
            r.columns.push_back(att);
        }
        table_close(heap, AccessShareLock);
    });
    resolved_.push_back(std::move(r));
    return resolved_.back();
}

bool IndexLookup::find(Oid schema, Datum key_value, Datum* values, bool* nulls) {
    const Resolved r = resolve(schema);  // a copy: an invalidation while reading may drop the entry
    return call([&] {
        Relation heap = table_open(r.table, AccessShareLock);
        Relation index = index_open(r.index, AccessShareLock);
        const bool pushed = !ActiveSnapshotSet();
        if (pushed) PushActiveSnapshot(GetTransactionSnapshot());
        ScanKeyData key;
        ScanKeyInit(&key, 1, BTEqualStrategyNumber, r.equality, key_value);
        IndexScanDesc scan = index_beginscan(heap, index, GetActiveSnapshot(), 1, 0);
        index_rescan(scan, &key, 1, nullptr, 0);
        TupleTableSlot* slot = table_slot_create(heap, nullptr);
        const bool found = index_getnext_slot(scan, ForwardScanDirection, slot);
        if (found) {
            for (size_t i = 0; i < r.columns.size(); ++i) {
                values[i] = slot_getattr(slot, r.columns[i], &nulls[i]);
                // Copied out: the slot's buffer pin goes with the scan.
                if (!nulls[i]) {
                    const Form_pg_attribute att = TupleDescAttr(RelationGetDescr(heap), r.columns[i] - 1);
                    values[i] = datumCopy(values[i], att->attbyval, att->attlen);
                }
            }
        }
        ExecDropSingleTupleTableSlot(slot);
        index_endscan(scan);
        if (pushed) PopActiveSnapshot();
        // The locks stay until the end of the transaction, as a query's would.
        index_close(index, NoLock);
        table_close(heap, NoLock);
        return found;
    });
}

}  // namespace pgcpp::pg
