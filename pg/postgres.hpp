// The one way C++ files include the PostgreSQL server headers.
//
// Standard and fmt headers come first: port.h redefines snprintf, printf and
// friends as macros, which breaks those headers when included after it. The
// server headers are C, so they are wrapped in extern "C".
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

// Every library is built with hidden symbol visibility (PostgreSQL loads
// modules with RTLD_GLOBAL: two of our libraries carrying the same C++ must
// not bind to each other's copies). What PostgreSQL looks up by name is
// exported: PG_MODULE_MAGIC and PG_FUNCTION_INFO_V1 declare theirs with
// PGDLLEXPORT, which PostgreSQL 15 leaves empty unless it is defined first.
#define PGDLLEXPORT __attribute__((visibility("default")))

extern "C" {
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "commands/extension.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/array.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/uuid.h"
}

// c.h defines these as macros; they collide with std::min/std::max users.
#undef Min
#undef Max
