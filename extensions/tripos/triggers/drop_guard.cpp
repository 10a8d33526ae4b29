// What a stage puts outside its own objects: triggers on auth.users (sign-up
// rows), policies on storage.objects, pg_cron jobs. PostgreSQL records none
// as an extension member; the triggers and policies depend on the stage's
// functions, so DROP EXTENSION would refuse ("other objects depend on it"),
// and a job left behind would fail every time it runs. Each stage's event
// trigger fires before DROP EXTENSION and removes these objects of every
// Trip OS stage the statement names; a failed DROP rolls the removal back.
#include <array>

#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/stages.hpp"

using namespace tripos;

namespace {

struct StageObjects {
    const char* extension;
    std::vector<std::string> statements;
};

const std::vector<StageObjects>& stage_objects() {
    static const std::vector<StageObjects> stages = {
        {"tripos_core",
         {"DROP TRIGGER IF EXISTS tripos_core_new_users ON auth.users",
          "DROP TRIGGER IF EXISTS tripos_core_deleted_users ON auth.users",
          "DROP POLICY IF EXISTS \"Trip OS: read avatars, own photos, trip images\" ON storage.objects",
          "DROP POLICY IF EXISTS \"Trip OS: upload avatar, own photos, trip images\" "
          "ON storage.objects",
          "DROP POLICY IF EXISTS \"Trip OS: replace avatar, own photos, trip images\" "
          "ON storage.objects",
          "DROP POLICY IF EXISTS \"Trip OS: delete avatar, own photos, trip images\" "
          "ON storage.objects"}},
        {"tripos_payments",
         {"DROP TRIGGER IF EXISTS tripos_payments_new_users ON auth.users",
          "DROP TRIGGER IF EXISTS trg_trips_plan_limit ON {core}.trips"}},
        {"tripos_whatsapp",
         {"DROP TRIGGER IF EXISTS tripos_whatsapp_new_users ON auth.users",
          "DROP TRIGGER IF EXISTS trg_trips_replan_jobs ON {core}.trips",
          "DROP TRIGGER IF EXISTS trg_trip_items_booking_pending_insert ON {core}.trip_items",
          "DROP TRIGGER IF EXISTS trg_trip_items_booking_pending_update ON {core}.trip_items"}},
    };
    return stages;
}

}  // namespace

PG_CPP_FUNCTION(tripos_core_before_drop) {
    const std::optional<platform::DropExtension> drop =
        platform::drop_extension_statement(fcinfo, "tripos_internal.core_before_drop");
    if (!drop) return PointerGetDatum(nullptr);
    const std::vector<std::string>& named = drop->names;
    std::vector<std::string> statements;
    for (const StageObjects& stage : stage_objects()) {
        for (const std::string& n : named) {
            if (n == stage.extension) {
                statements.insert(statements.end(), stage.statements.begin(), stage.statements.end());
            }
        }
    }
    for (const std::string& n : named) unschedule_stage_jobs(n);
    if (statements.empty()) return PointerGetDatum(nullptr);
    // {core}: tripos_core's schema, where the later stages' triggers sit.
    const Oid core_schema = core_extension().schema();
    const std::string core_name(pg::call([&] { return quote_identifier(get_namespace_name(core_schema)); }));
    pg::SpiSession spi;
    for (std::string& statement : statements) {
        const auto at = statement.find("{core}");
        if (at != std::string::npos) statement.replace(at, 6, core_name);
        const char* sql = statement.c_str();
        pg::call([&] {
            const int rc = SPI_execute(sql, false, 0);
            if (rc != SPI_OK_UTILITY) elog(ERROR, "%s failed: %s", sql, SPI_result_code_string(rc));
        });
    }
    return PointerGetDatum(nullptr);
}
