// Load-time initialisation of the callai library.
#include "callai/common.hpp"
#include "pg/spi.hpp"
#include "platform/restore_mode.hpp"

extern "C" {
PGDLLEXPORT void _PG_init(void);
void _PG_init(void) {
    pgcpp::pg::set_internal_schema("callai_internal");
    pgcpp::platform::define_restore_mode("callai");
    MarkGUCPrefixReserved("callai");
}
}
