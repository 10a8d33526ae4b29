// Load-time initialisation of the callai library.
#include "callai/common.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "platform/extension.hpp"
#include "platform/restore_mode.hpp"

extern "C" {
PGDLLEXPORT void _PG_init(void);
void _PG_init(void) {
    pgcpp::pg::set_internal_schema("callai_internal");
    pgcpp::platform::define_restore_mode("callai");
    MarkGUCPrefixReserved("callai");
}
}

// callai_internal.dump_every_table(), for the install script: every table and
// sequence in pg_dump (sql/callai/70_backups.sql).
PG_CPP_FUNCTION(callai_dump_every_table) {
    pgcpp::platform::dump_every_member_table();
    PG_RETURN_VOID();
}
