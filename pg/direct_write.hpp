// Writes rows of one of the extension's tables below SQL: the executor's
// row-level entry points (ExecSimpleRelationInsert / ExecSimpleRelationUpdate,
// the ones logical replication applies rows with) instead of a planned
// INSERT or UPDATE statement.
//
// Why: the figures written at commit and the earning written with each order
// are one row each, and for one row PostgreSQL's per-statement work costs
// more than the write itself. Above all, every statement that writes a row
// parses the stored text of each of the table's CHECK constraints and plans
// it again (ExecRelCheck builds them per ResultRelInfo); here they are built
// once per backend and kept until the table's definition changes.
//
// What a row written here still gets, as through SQL: NOT NULL and CHECK
// constraints, stored generated columns, unique and other index entries,
// BEFORE and AFTER row triggers (foreign keys, updated_at, guards), the
// UPDATE's column list for triggers declared UPDATE OF, READ COMMITTED's
// rule for a row updated concurrently (the newest version is locked and
// changed), WAL and so logical replication. What it does not get, and why
// callers may skip it: privilege and row-security checks (callers act as the
// extension's owner, who owns the tables), statement-level triggers (the
// extension's own, whose work the caller does itself; see usable()), rules.
#pragma once

#include <optional>
#include <vector>

#include "core/decimal.hpp"
#include "pg/postgres.hpp"

namespace pgcpp::pg {

// The values of one row being written through a DirectWriter, one per
// column, and the columns the caller set (an INSERT's column list, an
// UPDATE's SET list).
class RowImage {
public:
    // A row of table `relid`, whose descriptor is `desc`.
    RowImage(TupleDesc desc, Oid relid);

    // The column's number; an error when the table has no such column.
    AttrNumber column(const char* name) const;
    bool is_null(AttrNumber column) const { return nulls_[column - 1] != 0; }
    Datum value(AttrNumber column) const { return values_[column - 1]; }
    std::optional<core::Decimal> decimal(AttrNumber column) const;  // a numeric column's value

    void set(AttrNumber column, std::optional<Datum> value);
    // As the assignment of a numeric to the column: rounded to its scale,
    // 22003 beyond its precision.
    void set_numeric(AttrNumber column, const std::optional<core::Decimal>& value);
    // Listed as set (as `column = column` would be), value unchanged.
    void keep(AttrNumber column);
    void forget_set_columns() { set_columns_.clear(); }

    TupleDesc descriptor() const { return desc_; }
    Datum* values() { return values_.data(); }
    bool* nulls() { return reinterpret_cast<bool*>(nulls_.data()); }
    const std::vector<AttrNumber>& set_columns() const { return set_columns_; }

private:
    TupleDesc desc_;
    Oid relid_;
    std::vector<Datum> values_;
    std::vector<char> nulls_;  // bool, one per column (std::vector<bool> is packed)
    std::vector<AttrNumber> set_columns_;
};

class DirectWriter {
public:
    // Opens `table` for writing (RowExclusiveLock, held to the end of the
    // transaction as a statement's would be); its indexes are opened on the
    // first write that adds index entries.
    explicit DirectWriter(Oid table);
    DirectWriter(const DirectWriter&) = delete;
    DirectWriter& operator=(const DirectWriter&) = delete;
    // Without finish() (an error is on its way), everything is left to the
    // transaction's abort, which releases it all.
    ~DirectWriter() = default;

    // Whether rows of this table may be written here: every trigger of the
    // table is PostgreSQL's own (foreign keys) or runs a function of
    // `own_schema` (the extension's internal schema), and is enabled as
    // created (not disabled, not ENABLE REPLICA or ALWAYS), the table has no rules,
    // and the transaction runs under READ COMMITTED (under REPEATABLE READ or
    // SERIALIZABLE an UPDATE must fail on a row changed since the snapshot,
    // and SSI must see the statement). Otherwise the caller writes through
    // SQL, so a trigger a user adds to the table keeps firing.
    static bool usable(Oid table, Oid own_schema);
    // The table `name` of `schema`, when it exists and usable() holds for it
    // with the functions of the schema named `own_schema`.
    static std::optional<Oid> usable_table(Oid schema, const char* name, const char* own_schema);

    TupleDesc descriptor() const;
    Relation relation() const { return rel_; }

    // Locks the newest version of the row whose `key` column (which must
    // have a unique btree index of its own) equals `key_value`, as an UPDATE
    // does under READ COMMITTED (FOR NO KEY UPDATE; a concurrent writer is
    // waited for and its version taken). Fills `row` (no column set) and
    // returns true, or returns false when there is no such row.
    bool lock_row(AttrNumber key, Datum key_value, RowImage& row);

    // Writes `row` as the new version of the row lock_row() returned last;
    // its set columns are the UPDATE's SET list (what UPDATE OF triggers and
    // the lock strength see).
    void update_locked(RowImage& row);

    // For a writer that only inserts rows whose every foreign key the
    // caller knows to hold until commit, because this transaction wrote or
    // key-share locked each referenced row (an order's earning references
    // the order just inserted and its partner, which the order's own
    // foreign key check has locked): the foreign key checks are then not
    // queued. Only when they are the table's only row-level INSERT
    // triggers; otherwise nothing changes.
    void vouch_for_foreign_keys();

    // Inserts `row`: its set columns as given, every other column its
    // default as INSERT would, written back to `row` for the caller to read
    // (until the next write).
    void insert(RowImage& row);

    // Fires the AFTER row triggers the writes queued (foreign key checks)
    // and closes the table. Required after the last write.
    void finish();

private:
    void open_indexes();  // on the first write that needs index entries

    Relation rel_ = nullptr;
    EState* estate_ = nullptr;
    ResultRelInfo* result_ = nullptr;
    EPQState* epq_ = nullptr;
    TupleTableSlot* locked_ = nullptr;  // the row lock_row() locked
    TupleTableSlot* scratch_ = nullptr;  // the row being written
    bool indexes_open_ = false;
    bool finished_ = false;
};

}  // namespace pgcpp::pg
