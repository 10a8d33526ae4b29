// Load-time initialisation of tripos.so, the library of all five stages.
#include "pg/postgres.hpp"
#include "pg/spi.hpp"
#include "platform/restore_mode.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace {
char* trip_shrink_setting = nullptr;
}

extern "C" {
PGDLLEXPORT void _PG_init(void);
void _PG_init(void) {
    pgcpp::pg::set_internal_schema("tripos_internal");
    DefineCustomStringVariable("tripos.trip_shrink",
                               "What shortening a trip does to itinerary items past its new last day.",
                               "refuse (the default: 23514) or move (append them to the new last day).",
                               &trip_shrink_setting, "refuse", PGC_USERSET, 0, nullptr, nullptr, nullptr);
    pgcpp::platform::define_restore_mode("tripos");
    MarkGUCPrefixReserved("tripos");
}
}
