// Load-time initialisation of tripos.so, the library of all five stages.
#include "pg/postgres.hpp"
#include "pg/spi.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace {
char* trip_shrink_setting = nullptr;
char* restore_mode_setting = nullptr;
}

extern "C" {
PGDLLEXPORT void _PG_init(void);
void _PG_init(void) {
    pgcpp::pg::set_internal_schema("tripos_internal");
    DefineCustomStringVariable("tripos.trip_shrink",
                               "What shortening a trip does to itinerary items past its new last day.",
                               "refuse (the default: 23514) or move (append them to the new last day).",
                               &trip_shrink_setting, "refuse", PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable("tripos.restore_mode",
                               "Whether inserts load rows as dumped: auto (a pg_dump / pg_restore session), on, off.",
                               nullptr, &restore_mode_setting, "auto", PGC_SUSET, 0, nullptr, nullptr, nullptr);
    MarkGUCPrefixReserved("tripos");
}
}
