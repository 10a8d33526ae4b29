// One relcache invalidation callback for the whole library.
//
// PostgreSQL 15 keeps ten relcache callback slots per backend, shared by
// every extension loaded into it (MAX_RELCACHE_CALLBACKS), and running out is
// FATAL for the backend. So all our libraries loaded in one backend take one
// slot together (found through a rendezvous variable), and each passes every
// invalidation on to its caches: the per-table facts of the direct writes,
// the index look-ups, the column numbers, the extension's tables.
#pragma once

#include "pg/postgres.hpp"

namespace pgcpp::pg {

// Called with the invalidated relation's OID, or InvalidOid when every
// relation's cache entry is reset. Runs while PostgreSQL processes
// invalidations: it must only forget (clear, erase, flag), never throw, read
// the catalogs or allocate from PostgreSQL.
using RelcacheListener = void (*)(void* context, Oid relid);

// Adds `listener` (with `context`) once: a second call with the same pair
// does nothing. Listeners stay for the life of the backend; `context` must
// live as long.
void listen_to_relcache(RelcacheListener listener, void* context = nullptr);

}  // namespace pgcpp::pg
