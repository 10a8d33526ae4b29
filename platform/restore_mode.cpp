// Restore mode (platform/restore_mode.hpp).
#include "platform/restore_mode.hpp"

#include <cstring>
#include <string>

#include "pg/guard.hpp"
#include "platform/caller.hpp"

extern "C" {
#include "commands/trigger.h"
#include "utils/guc.h"
#include "utils/rls.h"
}

namespace pgcpp::platform {
namespace {

enum Mode { kAuto = 0, kOn = 1, kOff = 2 };
int g_mode = kAuto;
const struct config_enum_entry kModes[] = {
    {"auto", kAuto, false}, {"on", kOn, false}, {"off", kOff, false}, {nullptr, 0, false}};
std::string g_prefix;   // the system's settings prefix, for the setting's name
bool g_warned = false;  // once per backend

bool decide() {
    if (g_mode == kOff) return false;
    if (g_mode == kOn) return true;
    if (!session_bypasses_rls()) return false;
    if (!g_warned) {
        g_warned = true;
        ereport(WARNING,
                (errmsg("%s: restore session detected: inserted rows are loaded as dumped", g_prefix.c_str()),
                 errdetail("This session has the settings of pg_dump and pg_restore (row_security = off, "
                           "check_function_bodies = off) and bypasses row level security: the system's "
                           "insert triggers keep the rows and their figures as they are."),
                 errhint("If this is not a restore, SET %s.restore_mode = off in the session.", g_prefix.c_str())));
    }
    return true;
}

}  // namespace

void define_restore_mode(const char* prefix) {
    g_prefix = prefix;
    const std::string name = g_prefix + ".restore_mode";
    DefineCustomEnumVariable(
        strdup(name.c_str()), "Whether rows inserted by a restore are loaded as dumped: auto, on or off.",
        "auto recognises pg_restore and pg_dump scripts by the settings they always emit "
        "(row_security = off, check_function_bodies = off) in a session that bypasses row level "
        "security; on always loads the session's inserts as given; off never does.",
        &g_mode, kAuto, kModes, PGC_SUSET, 0, nullptr, nullptr, nullptr);
}

bool loads_as_dumped(const TriggerData* data) {
    if (!TRIGGER_FIRED_BY_INSERT(data->tg_event)) return false;
    if (g_mode == kAuto && (row_security || check_function_bodies)) return false;  // every ordinary session
    return pg::call([] { return decide(); });
}

}  // namespace pgcpp::platform
