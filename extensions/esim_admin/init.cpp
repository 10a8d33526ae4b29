// Load-time initialisation of the esim_admin library.
#include "pg/postgres.hpp"
#include "pg/spi.hpp"

extern "C" {
PGDLLEXPORT void _PG_init(void);
void _PG_init(void) { pgcpp::pg::set_internal_schema("esim_admin_internal"); }
}
