// Load-time initialisation of the esim_admin library.
#include "pg/guard.hpp"
#include "pg/postgres.hpp"
#include "pg/spi.hpp"
#include "platform/extension.hpp"
#include "platform/restore_mode.hpp"

extern "C" {
#include "utils/guc.h"
}

extern "C" {
PGDLLEXPORT void _PG_init(void);
void _PG_init(void) {
    pgcpp::pg::set_internal_schema("esim_admin_internal");
    pgcpp::platform::define_restore_mode("esim_admin");
    MarkGUCPrefixReserved("esim_admin");
}
}

// esim_admin_internal.dump_every_table(), for the install script: every table
// and sequence in pg_dump (sql/esim_admin/70_backups.sql).
PG_CPP_FUNCTION(esim_admin_dump_every_table) {
    pgcpp::platform::dump_every_member_table();
    PG_RETURN_VOID();
}
