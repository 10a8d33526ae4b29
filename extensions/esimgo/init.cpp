// Load-time initialisation of the library.
#include "esimgo/esimgo.hpp"
#include "pg/guard.hpp"
#include "pg/postgres.hpp"
#include "pg/spi.hpp"
#include "platform/extension.hpp"
#include "platform/restore_mode.hpp"

const pgcpp::platform::Extension esimgo::extension("esimgo");

extern "C" {
PGDLLEXPORT void _PG_init(void);
void _PG_init(void) {
    pgcpp::pg::set_internal_schema("esimgo_internal");
    pgcpp::platform::define_restore_mode("esimgo");
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
