// Load-time initialisation of the library: settings and transaction hooks.
#include "onesim/layers.hpp"
#include "onesim/guards.hpp"
#include "onesim/triggers/partner_figures.hpp"
#include "platform/restore_mode.hpp"
#include "pg/postgres.hpp"
#include "pg/spi.hpp"

extern "C" {
PGDLLEXPORT void _PG_init(void);
void _PG_init(void) {
    pgcpp::pg::set_internal_schema("onesim_internal");
    onesim::figures::initialize();
    onesim::guards::initialize();
    pgcpp::platform::define_restore_mode("onesim");
    MarkGUCPrefixReserved("onesim");
}
}
