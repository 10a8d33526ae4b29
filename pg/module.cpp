// The shared library's module header: Postgres checks it at LOAD time.
#include "pg/postgres.hpp"

extern "C" {
PG_MODULE_MAGIC;
}
