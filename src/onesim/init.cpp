// Load-time initialisation of the library: settings and transaction hooks.
#include "onesim/guards.hpp"
#include "onesim/partner_figures.hpp"
#include "onesim/restore_mode.hpp"
#include "pg/postgres.hpp"

extern "C" {
void _PG_init(void);
void _PG_init(void) {
    onesim::figures::initialize();
    onesim::guards::initialize();
    onesim::restore::initialize();
    MarkGUCPrefixReserved("onesim");
}
}
