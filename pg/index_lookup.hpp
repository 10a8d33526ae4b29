// Reads one row by its key through a btree index on the key column, without
// the executor. For look-ups made once per statement (the RLS helpers' caller
// identity), where planning-free SPI still spends more on setting up its
// executor than on the look-up itself.
#pragma once

#include <string>
#include <vector>

#include "pg/postgres.hpp"

namespace pgcpp::pg {

// Instances live for the backend (static): each registers a relcache
// callback that forgets what it resolved when the table or index changes.
class IndexLookup {
public:
    // `table` in the schema passed to find(); `key` must have a single-column
    // btree index without predicate (a primary key or UNIQUE constraint).
    // `columns` are the columns find() returns, in this order.
    IndexLookup(std::string table, std::string key, std::vector<std::string> columns);

    // Finds the row whose key equals `key_value` (a value of the key column's
    // type, compared with the index's equality operator) under the active
    // snapshot, as the table's owner would see it: no privilege or RLS check
    // (callers run as the extension owner, who owns the table). Fills
    // values/nulls (one per column) and returns true, or returns false when
    // no row has that key. Rows are read from the first match only; the key
    // is expected to be unique.
    bool find(Oid schema, Datum key_value, Datum* values, bool* nulls);

private:
    struct Resolved {
        Oid schema = InvalidOid;
        Oid table = InvalidOid;
        Oid index = InvalidOid;
        RegProcedure equality = InvalidOid;
        std::vector<AttrNumber> columns;
    };
    const Resolved& resolve(Oid schema);

    std::string table_, key_;
    std::vector<std::string> columns_;
    std::vector<Resolved> resolved_;  // per schema; dropped on any relcache invalidation of its relations
    static void forget(void* self, Oid relid);
};

}  // namespace pgcpp::pg
