// Load-time initialisation of the callai library.
#include "callai/common.hpp"
#include "pg/spi.hpp"

extern "C" {
PGDLLEXPORT void _PG_init(void);
void _PG_init(void) {
    pgcpp::pg::set_internal_schema("callai_internal");
    MarkGUCPrefixReserved("callai");
}
}
