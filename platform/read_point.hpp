// Points in a backend's life at which two reads are known to see the same
// thing, so that a fact looked up once can be reused instead of read again
// (every RLS helper call of one statement's policies, every row of a trigger).
#pragma once

#include <optional>
#include <vector>

#include "pg/postgres.hpp"

extern "C" {
#include "storage/proc.h"
#include "storage/sinval.h"
#include "utils/snapmgr.h"
}

namespace pgcpp::platform {

// Where this backend stands for reading: the transaction, the subtransaction,
// the command counter and the invalidation messages it has taken in. Two
// calls at the same point see the same catalogs, so within one statement
// (every RLS helper of a policy, every row of a trigger) the look-ups below
// run once instead of once per call.
struct CatalogPoint {
    LocalTransactionId lxid = InvalidLocalTransactionId;
    SubTransactionId subxact = InvalidSubTransactionId;
    CommandId cid = InvalidCommandId;
    uint64 invalidations = 0;
    bool operator==(const CatalogPoint& o) const {
        return lxid == o.lxid && subxact == o.subxact && cid == o.cid && invalidations == o.invalidations;
    }
};

inline CatalogPoint catalog_point() {
    return {MyProc->lxid, GetCurrentSubTransactionId(), GetCurrentCommandId(false),
            SharedInvalidMessageCounter};
}

// The same, plus the active snapshot: two reads at equal points see the same
// table rows. A snapshot sees the transactions below its xmax that are not in
// its in-progress lists (xip, subxip), and its own transaction's changes up to
// its command id; whether a transaction had ended when a snapshot was taken
// never changes afterwards, so snapshots equal in xmin, xmax, both lists and
// command id see exactly the same rows, whenever they were taken. (The
// snapshot's completion count, which PostgreSQL's own snapshot reuse compares,
// is zeroed in every copy, and the active snapshot is always one.) Without an
// MVCC snapshot, or with a sub-transaction list that overflowed, there is no
// point, and nothing is remembered.
struct ReadPoint {
    CatalogPoint catalog;
    CommandId snapshot_cid = InvalidCommandId;
    TransactionId xmin = InvalidTransactionId, xmax = InvalidTransactionId;
    std::vector<TransactionId> in_progress;      // xip
    std::vector<TransactionId> sub_in_progress;  // subxip
    bool operator==(const ReadPoint& o) const {
        return catalog == o.catalog && snapshot_cid == o.snapshot_cid && xmin == o.xmin && xmax == o.xmax &&
               in_progress == o.in_progress && sub_in_progress == o.sub_in_progress;
    }
};

inline std::optional<ReadPoint> read_point() {
    if (!ActiveSnapshotSet()) return std::nullopt;
    const Snapshot snapshot = GetActiveSnapshot();
    if (snapshot->snapshot_type != SNAPSHOT_MVCC || snapshot->suboverflowed || snapshot->takenDuringRecovery) {
        return std::nullopt;
    }
    return ReadPoint{catalog_point(),
                     snapshot->curcid,
                     snapshot->xmin,
                     snapshot->xmax,
                     std::vector<TransactionId>(snapshot->xip, snapshot->xip + snapshot->xcnt),
                     std::vector<TransactionId>(snapshot->subxip, snapshot->subxip + snapshot->subxcnt)};
}

}  // namespace pgcpp::platform
