#include "pg/direct_write.hpp"

#include <map>

#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/relcache_events.hpp"
#include "pg/tuples.hpp"

extern "C" {
#include "access/genam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/transam.h"
#include "catalog/pg_am.h"
#include "catalog/pg_trigger.h"
#include "executor/nodeModifyTable.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parsetree.h"
#include "rewrite/rewriteHandler.h"
#include "rewrite/rewriteManip.h"
#include "storage/proc.h"
#include "utils/inval.h"
#include "utils/reltrigger.h"
#include "utils/snapmgr.h"
}

namespace pgcpp::pg {
namespace {

// ------------------------------------------------ per-table facts, per backend

struct KeyIndex {
    AttrNumber column = InvalidAttrNumber;
    Oid index = InvalidOid;
    RegProcedure equality = InvalidOid;
};

// What is remembered of a table until a relcache invalidation of it (any
// ALTER TABLE, CREATE TRIGGER, CREATE INDEX ... sends one) or of everything.
struct TableFacts {
    bool valid = false;
    // Owns every expression below.
    MemoryContext context = nullptr;
    // The CHECK constraints ready to run, in the relation's order
    // (rd_att->constr->check, sorted by name); null when one of them is not
    // safe to keep across writes (see unsafe_node()), and PostgreSQL then
    // builds them for each write as usual.
    int nchecks = 0;
    ExprState** checks = nullptr;
    char** check_names = nullptr;
    // Column defaults ready to run, one per column (null: no default), once
    // an insert asked for them; defaults_kept is false when one of them is
    // not safe to keep, and they are then built for each row.
    bool defaults_built = false;
    bool defaults_kept = false;
    ExprState** defaults = nullptr;
    // Triggers' WHEN conditions ready to run, by trigger OID (none kept for
    // a condition unsafe to keep: PostgreSQL then builds it per write).
    std::vector<std::pair<Oid, ExprState*>> when_conditions;
    // usable(), for the schema it was asked for.
    Oid own_schema = InvalidOid;
    bool own_triggers_only = false;
    std::vector<KeyIndex> keys;
};

std::map<Oid, TableFacts> g_tables;

// Contexts of facts that were invalidated, freed once the transaction that
// may still run their expressions is over.
struct Retired {
    MemoryContext context;
    LocalTransactionId lxid;
};
std::vector<Retired> g_retired;

void forget(void*, Oid relid) {
    // Only flags here: the expressions may be running right now.
    for (auto& [table, facts] : g_tables) {
        if (relid == InvalidOid || relid == table) {
            facts.valid = false;
            continue;
        }
        for (const KeyIndex& k : facts.keys) {
            if (k.index == relid) facts.valid = false;
        }
    }
}

void free_retired() {
    std::vector<Retired> keep;
    for (const Retired& r : g_retired) {
        if (r.lxid == MyProc->lxid) {
            keep.push_back(r);
        } else {
            call([&] { MemoryContextDelete(r.context); });
        }
    }
    g_retired.swap(keep);
}

// Whether an expression must not be kept across writes (a CHECK, a default,
// a WHEN condition). Kept ones are plain expressions over the row's own
// columns whose evaluation keeps no state outside the ExprState: no
// subqueries, domains, whole-row or system columns, parameters, and
// built-in functions only.
bool unsafe_node(Node* node, void* context) {
    if (node == nullptr) return false;
    switch (nodeTag(node)) {
        case T_Var:
            if (castNode(Var, node)->varattno <= 0) return true;
            break;
        case T_Const:
        case T_OpExpr:
        case T_DistinctExpr:
        case T_NullIfExpr:
        case T_ScalarArrayOpExpr:
        case T_BoolExpr:
        case T_FuncExpr:
        case T_NullTest:
        case T_BooleanTest:
        case T_RelabelType:
        case T_CoerceViaIO:
        case T_CaseExpr:
        case T_CaseWhen:
        case T_CaseTestExpr:
        case T_CoalesceExpr:
        case T_MinMaxExpr:
        case T_ArrayExpr:
        case T_List:
            break;
        default:
            return true;
    }
    // Built-in functions only: a user's function may keep per-query state
    // (in fn_extra or the expression context) that must not outlive a write.
    const auto not_builtin = [](Oid function, void*) { return function >= FirstGenbkiObjectId; };
    if (check_functions_in_node(node, not_builtin, nullptr)) return true;
    // PostgreSQL 15 declares the walker as bool (*)().
    const auto walker = reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(unsafe_node));
    return expression_tree_walker(node, walker, context);
}

MemoryContext facts_context(TableFacts& facts) {
    if (facts.context == nullptr) {
        facts.context = call([] {
            return AllocSetContextCreate(CacheMemoryContext, "direct-write expressions",
                                         ALLOCSET_SMALL_SIZES);
        });
    }
    return facts.context;
}

// An expression as ExecPrepareExpr would set it up; null when it is not
// safe to keep across writes. Runs inside pg::call, in the context that
// keeps it, where `expr` must have been built too: the ExprState points
// into it (a Const's value, for one).
ExprState* kept_expression(Expr* expr) {
    Expr* planned = expression_planner(expr);
    return unsafe_node(reinterpret_cast<Node*>(planned), nullptr) ? nullptr : ExecInitExpr(planned, nullptr);
}

// Builds the relation's CHECK expressions as ExecRelCheck would
// (stringToNode, expression_planner, ExecInitExpr), once; none when any of
// them is unsafe to keep.
void build_checks(Relation rel, TableFacts& facts) {
    const TupleConstr* constr = rel->rd_att->constr;
    if (constr == nullptr || constr->num_check == 0) return;
    MemoryContext context = facts_context(facts);
    call([&] {
        MemoryContext old = MemoryContextSwitchTo(context);
        const int n = constr->num_check;
        auto** checks = static_cast<ExprState**>(palloc0(n * sizeof(ExprState*)));
        auto** names = static_cast<char**>(palloc0(n * sizeof(char*)));
        bool kept = true;
        for (int i = 0; i < n && kept; ++i) {
            checks[i] = kept_expression(static_cast<Expr*>(stringToNode(constr->check[i].ccbin)));
            names[i] = pstrdup(constr->check[i].ccname);
            kept = checks[i] != nullptr;
        }
        MemoryContextSwitchTo(old);
        if (!kept) return;
        facts.nchecks = n;
        facts.checks = checks;
        facts.check_names = names;
    });
}

// The triggers' WHEN conditions as TriggerEnabled() builds them (OLD and
// NEW as the inner and outer tuple), once.
void build_when_conditions(Relation rel, TableFacts& facts) {
    const TriggerDesc* triggers = rel->trigdesc;
    if (triggers == nullptr) return;
    MemoryContext context = facts_context(facts);
    for (int i = 0; i < triggers->numtriggers; ++i) {
        const Trigger& t = triggers->triggers[i];
        if (t.tgqual == nullptr) continue;
        ExprState* state = call([&] {
            MemoryContext old = MemoryContextSwitchTo(context);
            Node* qual = static_cast<Node*>(stringToNode(t.tgqual));
            ChangeVarNodes(qual, PRS2_OLD_VARNO, INNER_VAR, 0);
            ChangeVarNodes(qual, PRS2_NEW_VARNO, OUTER_VAR, 0);
            List* conditions = make_ands_implicit(reinterpret_cast<Expr*>(qual));
            auto* planned = reinterpret_cast<List*>(expression_planner(reinterpret_cast<Expr*>(conditions)));
            ExprState* kept =
                unsafe_node(reinterpret_cast<Node*>(planned), nullptr) ? nullptr : ExecInitQual(planned, nullptr);
            MemoryContextSwitchTo(old);
            return kept;
        });
        if (state != nullptr) facts.when_conditions.emplace_back(t.tgoid, state);
    }
}

// The column defaults as INSERT would compute them (build_column_default),
// once; not kept when any of them is unsafe to keep.
void build_defaults(Relation rel, TableFacts& facts) {
    facts.defaults_built = true;
    MemoryContext context = facts_context(facts);
    call([&] {
        MemoryContext old = MemoryContextSwitchTo(context);
        const TupleDesc desc = RelationGetDescr(rel);
        auto** defaults = static_cast<ExprState**>(palloc0(desc->natts * sizeof(ExprState*)));
        bool kept = true;
        for (int i = 0; i < desc->natts && kept; ++i) {
            const Form_pg_attribute att = TupleDescAttr(desc, i);
            if (att->attisdropped || att->attgenerated) continue;
            Node* expr = build_column_default(rel, i + 1);
            if (expr == nullptr) continue;
            defaults[i] = kept_expression(reinterpret_cast<Expr*>(expr));
            kept = defaults[i] != nullptr;
        }
        MemoryContextSwitchTo(old);
        if (!kept) return;
        facts.defaults = defaults;
        facts.defaults_kept = true;
    });
}

bool triggers_are_own(Relation rel, Oid own_schema) {
    if (rel->rd_rules != nullptr) return false;
    const TriggerDesc* triggers = rel->trigdesc;
    if (triggers == nullptr) return true;
    for (int i = 0; i < triggers->numtriggers; ++i) {
        const Trigger& t = triggers->triggers[i];
        // A trigger disabled (or set to fire only on replicas or always) by
        // an administrator: the statements honour that, and the direct
        // writes, which do the work of the extension's statement triggers
        // themselves, would not.
        if (t.tgenabled != TRIGGER_FIRES_ON_ORIGIN) return false;
        if (t.tgisinternal) continue;  // foreign keys
        if (call([&] { return get_func_namespace(t.tgfoid); }) != own_schema) return false;
    }
    return true;
}

TableFacts& facts_for(Relation rel) {
    listen_to_relcache(forget);
    free_retired();
    TableFacts& facts = g_tables[RelationGetRelid(rel)];
    if (facts.valid) return facts;
    if (facts.context != nullptr) g_retired.push_back({facts.context, MyProc->lxid});
    facts = TableFacts{};
    facts.valid = true;  // before building: an invalidation while building clears it again
    build_checks(rel, facts);
    build_when_conditions(rel, facts);
    return facts;
}

// The checks kept for `rel`, if they still are exactly the relation's.
ExprState** kept_checks(Relation rel, const TableFacts& facts) {
    const TupleConstr* constr = rel->rd_att->constr;
    if (facts.checks == nullptr || constr == nullptr || constr->num_check != facts.nchecks) return nullptr;
    for (int i = 0; i < facts.nchecks; ++i) {
        if (std::strcmp(constr->check[i].ccname, facts.check_names[i]) != 0) return nullptr;
    }
    return facts.checks;
}

KeyIndex resolve_key(Relation rel, AttrNumber column) {
    return call([&] {
        KeyIndex k;
        k.column = column;
        List* indexes = RelationGetIndexList(rel);
        ListCell* lc;
        foreach (lc, indexes) {
            Relation index = index_open(lfirst_oid(lc), AccessShareLock);
            const Form_pg_index form = index->rd_index;
            const bool usable = form->indisvalid && form->indisunique && form->indnkeyatts == 1 &&
                                form->indkey.values[0] == column && index->rd_rel->relam == BTREE_AM_OID &&
                                heap_attisnull(index->rd_indextuple, Anum_pg_index_indpred, nullptr) &&
                                heap_attisnull(index->rd_indextuple, Anum_pg_index_indexprs, nullptr);
            if (usable) {
                k.index = RelationGetRelid(index);
                const Oid type = index->rd_opcintype[0];
                k.equality = get_opcode(get_opfamily_member(index->rd_opfamily[0], type, type,
                                                            BTEqualStrategyNumber));
            }
            index_close(index, AccessShareLock);
            if (OidIsValid(k.index)) break;
        }
        list_free(indexes);
        if (!OidIsValid(k.index)) {
            ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                            errmsg("table \"%s\" has no unique btree index on column %d alone",
                                   RelationGetRelationName(rel), column)));
        }
        return k;
    });
}

KeyIndex key_index(Relation rel, AttrNumber column) {
    TableFacts& facts = facts_for(rel);
    for (const KeyIndex& k : facts.keys) {
        if (k.column == column) return k;
    }
    const KeyIndex k = resolve_key(rel, column);
    facts.keys.push_back(k);
    return k;
}

}  // namespace

RowImage::RowImage(TupleDesc desc, Oid relid)
    : desc_(desc), relid_(relid), values_(desc->natts), nulls_(desc->natts, 1) {}

AttrNumber RowImage::column(const char* name) const {
    const AttrNumber att = cached_attnum(relid_, desc_, name);
    if (att <= 0) {
        call([&] {
            ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN), errmsg("column \"%s\" does not exist", name)));
        });
    }
    return att;
}

std::optional<core::Decimal> RowImage::decimal(AttrNumber column) const {
    if (is_null(column)) return std::nullopt;
    return decimal_from_numeric(value(column), NameStr(TupleDescAttr(desc_, column - 1)->attname));
}

void RowImage::set(AttrNumber column, std::optional<Datum> value) {
    values_[column - 1] = value.value_or(Datum(0));
    nulls_[column - 1] = value ? 0 : 1;
    set_columns_.push_back(column);
}

void RowImage::set_numeric(AttrNumber column, const std::optional<core::Decimal>& value) {
    const int32 typmod = TupleDescAttr(desc_, column - 1)->atttypmod;
    set(column, value ? std::optional(numeric_from_decimal(*value, typmod)) : std::nullopt);
}

void RowImage::keep(AttrNumber column) { set_columns_.push_back(column); }

bool DirectWriter::usable(Oid table, Oid own_schema) {
    if (IsolationUsesXactSnapshot()) return false;
    Relation rel = call([&] { return table_open(table, RowExclusiveLock); });
    TableFacts& facts = facts_for(rel);
    if (facts.own_schema != own_schema) {
        facts.own_triggers_only = rel->rd_rel->relkind == RELKIND_RELATION && triggers_are_own(rel, own_schema);
        facts.own_schema = own_schema;
    }
    const bool usable = facts.own_triggers_only;
    call([&] { table_close(rel, NoLock); });
    return usable;
}

std::optional<Oid> DirectWriter::usable_table(Oid schema, const char* name, const char* own_schema) {
    const Oid table = call([&] { return get_relname_relid(name, schema); });
    const Oid own = call([&] { return get_namespace_oid(own_schema, true); });
    if (!OidIsValid(table) || !OidIsValid(own) || !usable(table, own)) return std::nullopt;
    return table;
}

DirectWriter::DirectWriter(Oid table) {
    call([&] {
        rel_ = table_open(table, RowExclusiveLock);
        estate_ = CreateExecutorState();
        RangeTblEntry* rte = makeNode(RangeTblEntry);
        rte->rtekind = RTE_RELATION;
        rte->relid = table;
        rte->relkind = rel_->rd_rel->relkind;
        rte->rellockmode = RowExclusiveLock;
        // Every stored generated column, for updates: what the rewriter adds
        // for those depending on the SET list (recomputing one whose inputs
        // did not change gives the same value).
        const TupleDesc desc = RelationGetDescr(rel_);
        for (int i = 0; i < desc->natts; ++i) {
            if (TupleDescAttr(desc, i)->attgenerated == ATTRIBUTE_GENERATED_STORED) {
                rte->extraUpdatedCols =
                    bms_add_member(rte->extraUpdatedCols, i + 1 - FirstLowInvalidHeapAttributeNumber);
            }
        }
        ExecInitRangeTable(estate_, list_make1(rte));
        result_ = makeNode(ResultRelInfo);
        InitResultRelInfo(result_, rel_, 1, nullptr, 0);
        // Where ExecGetTriggerResultRel() finds it when the AFTER triggers run.
        estate_->es_opened_result_relations = lappend(estate_->es_opened_result_relations, result_);
        estate_->es_output_cid = GetCurrentCommandId(true);
        epq_ = static_cast<EPQState*>(MemoryContextAllocZero(estate_->es_query_cxt, sizeof(EPQState)));
        EvalPlanQualInit(epq_, estate_, nullptr, NIL, -1);
        locked_ = table_slot_create(rel_, &estate_->es_tupleTable);
        scratch_ = ExecInitExtraTupleSlot(estate_, RelationGetDescr(rel_), &TTSOpsVirtual);
        AfterTriggerBeginQuery();
    });
    const TableFacts& facts = facts_for(rel_);
    result_->ri_ConstraintExprs = kept_checks(rel_, facts);
    // TriggerEnabled() uses a condition already in ri_TrigWhenExprs (same
    // order as ri_TrigDesc's triggers) instead of building it.
    if (const TriggerDesc* triggers = result_->ri_TrigDesc; triggers != nullptr) {
        for (int i = 0; i < triggers->numtriggers; ++i) {
            for (const auto& [trigger, state] : facts.when_conditions) {
                if (trigger == triggers->triggers[i].tgoid) result_->ri_TrigWhenExprs[i] = state;
            }
        }
    }
}

void DirectWriter::vouch_for_foreign_keys() {
    const TriggerDesc* triggers = result_->ri_TrigDesc;
    if (triggers == nullptr) return;
    for (int i = 0; i < triggers->numtriggers; ++i) {
        const Trigger& t = triggers->triggers[i];
        if (!TRIGGER_FOR_ROW(t.tgtype) || !TRIGGER_FOR_INSERT(t.tgtype)) continue;
        const bool foreign_key_check =
            t.tgisinternal && call([&] { return RI_FKey_trigger_type(t.tgfoid); }) == RI_TRIGGER_FK;
        if (!foreign_key_check) return;
    }
    // Row-level INSERT triggers are read from here; statement-level ones
    // never fire for rows written by this class.
    result_->ri_TrigDesc = nullptr;
}

void DirectWriter::open_indexes() {
    if (indexes_open_) return;
    ExecOpenIndices(result_, false);  // inside pg::call
    indexes_open_ = true;
}

TupleDesc DirectWriter::descriptor() const { return RelationGetDescr(rel_); }

bool DirectWriter::lock_row(AttrNumber key, Datum key_value, RowImage& row) {
    const KeyIndex k = key_index(rel_, key);
    row.forget_set_columns();
    Datum* values = row.values();
    bool* nulls = row.nulls();
    return call([&] {
        // A new command that sees this transaction's earlier writes, as each
        // statement SPI runs is.
        CommandCounterIncrement();
        estate_->es_output_cid = GetCurrentCommandId(true);
        PushActiveSnapshot(GetTransactionSnapshot());
        Snapshot snapshot = GetActiveSnapshot();
        ScanKeyData scan_key;
        ScanKeyInit(&scan_key, 1, BTEqualStrategyNumber, k.equality, key_value);
        Relation index = index_open(k.index, RowExclusiveLock);
        IndexScanDesc scan = index_beginscan(rel_, index, snapshot, 1, 0);
        index_rescan(scan, &scan_key, 1, nullptr, 0);
        bool found = index_getnext_slot(scan, ForwardScanDirection, locked_);
        index_endscan(scan);
        index_close(index, NoLock);
        if (found) {
            // UPDATE's rule under READ COMMITTED (EvalPlanQual): wait for a
            // concurrent writer, then lock and use the newest version.
            TM_FailureData failure;
            const TM_Result result =
                table_tuple_lock(rel_, &locked_->tts_tid, snapshot, locked_, estate_->es_output_cid,
                                 LockTupleNoKeyExclusive, LockWaitBlock, TUPLE_LOCK_FLAG_FIND_LAST_VERSION,
                                 &failure);
            switch (result) {
                case TM_Ok:
                    break;
                case TM_Deleted:  // deleted meanwhile: nothing to update, as for UPDATE
                    found = false;
                    break;
                case TM_SelfModified:
                    ereport(ERROR, (errcode(ERRCODE_TRIGGERED_DATA_CHANGE_VIOLATION),
                                    errmsg("tuple to be updated was already modified by an operation "
                                           "triggered by the current command")));
                    break;
                default:
                    elog(ERROR, "unexpected table_tuple_lock status: %u", result);
            }
            if (found && failure.traversed) {
                // A newer version: it must still have the key (UPDATE re-checks its WHERE).
                bool isnull;
                const Datum now = slot_getattr(locked_, key, &isnull);
                found = !isnull && DatumGetBool(OidFunctionCall2Coll(k.equality, InvalidOid, now, key_value));
            }
        }
        if (found) {
            slot_getallattrs(locked_);
            const int natts = RelationGetDescr(rel_)->natts;
            memcpy(values, locked_->tts_values, natts * sizeof(Datum));
            memcpy(nulls, locked_->tts_isnull, natts * sizeof(bool));
        }
        PopActiveSnapshot();
        return found;
    });
}

void DirectWriter::update_locked(RowImage& row) {
    const Datum* values = row.values();
    const bool* nulls = row.nulls();
    const AttrNumber* columns = row.set_columns().data();
    const size_t ncolumns = row.set_columns().size();
    call([&] {
        const TupleDesc desc = RelationGetDescr(rel_);
        ExecClearTuple(scratch_);
        memcpy(scratch_->tts_values, values, desc->natts * sizeof(Datum));
        memcpy(scratch_->tts_isnull, nulls, desc->natts * sizeof(bool));
        ExecStoreVirtualTuple(scratch_);
        // The UPDATE's SET list (the generated columns are set once, in the
        // constructor).
        RangeTblEntry* rte = exec_rt_fetch(1, estate_);
        rte->updatedCols = nullptr;
        for (size_t i = 0; i < ncolumns; ++i) {
            rte->updatedCols = bms_add_member(rte->updatedCols, columns[i] - FirstLowInvalidHeapAttributeNumber);
        }
        PushActiveSnapshot(GetTransactionSnapshot());
        estate_->es_snapshot = GetActiveSnapshot();
        // ExecSimpleRelationUpdate(), but opening the indexes only for an
        // update that needs new index entries: most figure updates are HOT
        // (no indexed column changes), and opening a table's indexes costs
        // more than the update.
        ItemPointer tid = &locked_->tts_tid;
        CheckCmdReplicaIdentity(rel_, CMD_UPDATE);
        const bool skip = result_->ri_TrigDesc != nullptr && result_->ri_TrigDesc->trig_update_before_row &&
                          !ExecBRUpdateTriggers(estate_, epq_, result_, tid, nullptr, scratch_, nullptr);
        if (!skip) {
            if (desc->constr != nullptr && desc->constr->has_generated_stored) {
                ExecComputeStoredGenerated(result_, estate_, scratch_, CMD_UPDATE);
            }
            if (desc->constr != nullptr) ExecConstraints(result_, scratch_, estate_);
            if (rel_->rd_rel->relispartition) ExecPartitionCheck(result_, scratch_, estate_, true);
            bool update_indexes = false;
            simple_table_tuple_update(rel_, tid, scratch_, estate_->es_snapshot, &update_indexes);
            List* recheck = NIL;
            if (update_indexes) {
                open_indexes();
                if (result_->ri_NumIndices > 0) {
                    recheck = ExecInsertIndexTuples(result_, scratch_, estate_, true, false, nullptr, NIL);
                }
            }
            ExecARUpdateTriggers(estate_, result_, nullptr, nullptr, tid, nullptr, scratch_, recheck, nullptr,
                                 false);
            list_free(recheck);
        }
        estate_->es_snapshot = InvalidSnapshot;
        PopActiveSnapshot();
        ExecClearTuple(locked_);
        ExecClearTuple(scratch_);
        ResetPerTupleExprContext(estate_);
    });
}

void DirectWriter::insert(RowImage& row) {
    TableFacts& facts = facts_for(rel_);
    if (!facts.defaults_built) build_defaults(rel_, facts);
    const TupleDesc desc = RelationGetDescr(rel_);
    Datum* values = row.values();
    bool* nulls = row.nulls();
    std::vector<char> given(desc->natts, 0);
    for (const AttrNumber att : row.set_columns()) given[att - 1] = 1;
    const char* is_given = given.data();
    ExprState** kept = facts.defaults_kept ? facts.defaults : nullptr;
    call([&] {
        CommandCounterIncrement();
        estate_->es_output_cid = GetCurrentCommandId(true);
        ResetPerTupleExprContext(estate_);  // the previous row's defaults
        ExprContext* econtext = GetPerTupleExprContext(estate_);
        for (int i = 0; i < desc->natts; ++i) {
            const Form_pg_attribute att = TupleDescAttr(desc, i);
            if (is_given[i]) continue;
            values[i] = Datum(0);
            nulls[i] = true;
            if (att->attisdropped || att->attgenerated) continue;
            ExprState* state = nullptr;
            if (kept != nullptr) {
                state = kept[i];
            } else if (Node* expr = build_column_default(rel_, i + 1); expr != nullptr) {
                state = ExecPrepareExpr(reinterpret_cast<Expr*>(expr), estate_);
            }
            if (state != nullptr) values[i] = ExecEvalExprSwitchContext(state, econtext, &nulls[i]);
        }
        ExecClearTuple(scratch_);
        memcpy(scratch_->tts_values, values, desc->natts * sizeof(Datum));
        memcpy(scratch_->tts_isnull, nulls, desc->natts * sizeof(bool));
        ExecStoreVirtualTuple(scratch_);
        PushActiveSnapshot(GetTransactionSnapshot());
        estate_->es_snapshot = GetActiveSnapshot();
        open_indexes();
        ExecSimpleRelationInsert(result_, estate_, scratch_);
        estate_->es_snapshot = InvalidSnapshot;
        PopActiveSnapshot();
        ExecClearTuple(scratch_);
    });
}

void DirectWriter::finish() {
    if (finished_) return;
    finished_ = true;
    call([&] {
        // The AFTER row triggers (foreign key checks) see the rows written.
        CommandCounterIncrement();
        PushActiveSnapshot(GetTransactionSnapshot());
        AfterTriggerEndQuery(estate_);
        PopActiveSnapshot();
        EvalPlanQualEnd(epq_);
        ExecCloseResultRelations(estate_);
        ExecResetTupleTable(estate_->es_tupleTable, false);
        FreeExecutorState(estate_);
        table_close(rel_, NoLock);
    });
}

}  // namespace pgcpp::pg
