// Load-time initialisation of the esim_admin library.
#include "pg/postgres.hpp"
#include "pg/spi.hpp"
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
