// Load-time initialisation of the library.
#include "esimgo/esimgo.hpp"
#include "pg/postgres.hpp"
#include "pg/spi.hpp"

const pgcpp::platform::Extension esimgo::extension("esimgo");

extern "C" {
PGDLLEXPORT void _PG_init(void);
void _PG_init(void) { pgcpp::pg::set_internal_schema("esimgo_internal"); }
}
