// Points in a backend's life at which two reads are known to see the same
// thing, so that a fact looked up once can be reused instead of read again
// (every RLS helper call of one statement's policies, every row of a trigger).
#pragma once

#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pg/postgres.hpp"

extern "C" {
#include "access/xact.h"
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
// never changes afterwards, so snapshots equal in xmin, xmax and both lists
// see exactly the same committed rows, whenever they were taken. (The
// snapshot's completion count, which PostgreSQL's own snapshot reuse compares,
// is zeroed in every copy, and the active snapshot is always one.)
//
// A transaction's own changes exist only once it has an xid; then its
// transaction, subtransaction and command ids join the point. Without one,
// read-only transactions between which no writing transaction of the cluster
// commits (and no catalog change arrives) share a point, so a fact looked up
// in one is reused by the next: what makes an RLS helper cheap for a stream
// of short API reads. A SERIALIZABLE transaction always has its own point:
// its reads must take their own predicate locks. Without an MVCC snapshot, or
// with a sub-transaction list that overflowed, there is no point, and
// nothing is remembered.
struct ReadPoint {
    CatalogPoint catalog;  // lxid, subxact and cid only when they matter (above)
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
    ReadPoint point{catalog_point(),
                    snapshot->curcid,
                    snapshot->xmin,
                    snapshot->xmax,
                    std::vector<TransactionId>(snapshot->xip, snapshot->xip + snapshot->xcnt),
                    std::vector<TransactionId>(snapshot->subxip, snapshot->subxip + snapshot->subxcnt)};
    if (!TransactionIdIsValid(GetTopTransactionIdIfAny()) && !IsolationIsSerializable()) {
        point.catalog.lxid = InvalidLocalTransactionId;
        point.catalog.subxact = InvalidSubTransactionId;
        point.catalog.cid = InvalidCommandId;
        point.snapshot_cid = InvalidCommandId;
    }
    return point;
}

// Facts looked up per key (a caller's partner, a user's memberships) kept for
// one read point and one scope (the extension's schema): find() answers
// what was kept at the current point, forgetting everything once the point
// or scope has moved; keep() stores what the caller then looked up, at that
// same point (no read point: nothing is kept, keep() only hands the value
// back). At most `max_entries` keys are kept; the next one starts afresh.
// References returned stay valid until the next find() or keep().
template <typename Key, typename Value, typename Hash = std::hash<Key>>
class KeptAtReadPoint {
public:
    explicit KeptAtReadPoint(std::size_t max_entries) : max_entries_(max_entries) {}

    const Value* find(Oid scope, const Key& key) {
        std::optional<ReadPoint> at = read_point();
        if (!at || !valid_ || !(at_ == *at) || scope_ != scope) {
            entries_.clear();
            valid_ = at.has_value();
            if (at) at_ = std::move(*at);
            scope_ = scope;
            return nullptr;
        }
        const auto found = entries_.find(key);
        return found == entries_.end() ? nullptr : &found->second;
    }

    const Value& keep(const Key& key, Value value) {
        if (!valid_) {
            unkept_ = std::move(value);
            return unkept_;
        }
        if (entries_.size() >= max_entries_) entries_.clear();
        return entries_.insert_or_assign(key, std::move(value)).first->second;
    }

private:
    std::size_t max_entries_;
    bool valid_ = false;
    ReadPoint at_;
    Oid scope_ = InvalidOid;
    std::unordered_map<Key, Value, Hash> entries_;
    Value unkept_{};
};

}  // namespace pgcpp::platform
