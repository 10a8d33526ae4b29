// Load-time initialisation of the library.
#include "esimgo/esimgo.hpp"
#include "pg/guard.hpp"
#include "pg/postgres.hpp"
#include "pg/spi.hpp"
#include "platform/extension.hpp"
#include "platform/restore_mode.hpp"

extern "C" {
#include "utils/guc.h"
}

const pgcpp::platform::Extension esimgo::extension("esimgo");
int esimgo::price_catalog_memory_kb = 64 * 1024;

extern "C" {
PGDLLEXPORT void _PG_init(void);
void _PG_init(void) {
    pgcpp::pg::set_internal_schema("esimgo_internal");
    pgcpp::platform::define_restore_mode("esimgo");
    DefineCustomIntVariable("esimgo.price_catalog_memory",
                            "Memory price_catalog may give the result it returns before it spills to a temporary file.",
                            "The result is kept in memory up to its size, at most this much and never less than "
                            "work_mem; a result larger than this spills to a temporary file, as any tuplestore.",
                            &esimgo::price_catalog_memory_kb, 64 * 1024, 64, MAX_KILOBYTES, PGC_USERSET,
                            GUC_UNIT_KB, nullptr, nullptr, nullptr);
}
}

// The install script's helpers. esimgo_internal.restoring_database(): whether
// this session restores a dump (platform::restoring_database()), so that a
// restore's CREATE EXTENSION leaves the seeds (default rules, the catalog
// metadata row, rules_version) to the dump, which holds them as they were.
// esimgo_internal.dump_every_table(): every table and sequence in pg_dump.
PG_CPP_FUNCTION(esimgo_restoring_database) { return BoolGetDatum(pgcpp::platform::restoring_database()); }
PG_CPP_FUNCTION(esimgo_dump_every_table) {
    pgcpp::platform::dump_every_member_table();
    PG_RETURN_VOID();
}
