// Restore mode: rows a restore session inserts are loaded as dumped
// (src/onesim/restore_mode.hpp; docs/design.md, "Backups and restore mode").
#include "onesim/layers.hpp"
#include "onesim/restore_mode.hpp"

#include "onesim/auth_context.hpp"
#include "pg/guard.hpp"

extern "C" {
#include "utils/acl.h"
#include "utils/guc.h"
#include "utils/guc_tables.h"
#include "utils/rls.h"
}

namespace onesim::restore {
namespace {

enum Mode { kAuto = 0, kOn = 1, kOff = 2 };
int g_mode = kAuto;
const struct config_enum_entry kModes[] = {
    {"auto", kAuto, false}, {"on", kOn, false}, {"off", kOff, false}, {nullptr, 0, false}};

bool g_warned = false;  // once per backend

// The search_path setting (a built-in GUC: the struct lives as long as the
// backend).
const config_generic* search_path_setting() {
    static const config_generic* setting = nullptr;
    if (setting == nullptr) {
        config_generic** vars = get_guc_variables();
        const int n = GetNumConfigOptions();
        for (int i = 0; i < n; ++i) {
            if (vars[i]->vartype == PGC_STRING && std::strcmp(vars[i]->name, "search_path") == 0) {
                setting = vars[i];
                break;
            }
        }
    }
    return setting;
}

// The GUC nesting level of the running function: the level its SET clause
// (proconfig) saved the caller's values at. PostgreSQL 15 has no accessor;
// opening a level and closing it again at once changes nothing.
int current_guc_nest_level() {
    const int level = NewGUCNestLevel();
    AtEOXact_GUC(true, level);
    return level - 1;
}

// The search_path of the statement that fired the trigger. Every OneSIM
// trigger function pins its own (SET search_path = pg_catalog, pg_temp): the
// statement's value is then the one that SET clause saved at the function's
// nesting level. Without such an entry the current value is the statement's.
const char* statement_search_path() {
    const config_generic* setting = search_path_setting();
    const GucStack* top = setting != nullptr ? setting->stack : nullptr;
    if (top != nullptr && top->state == GUC_SAVE && top->nest_level == current_guc_nest_level()) {
        return top->prior.val.stringval;
    }
    return namespace_search_path;
}

bool restore_session_detected() {
    if (row_security || check_function_bodies) return false;  // every ordinary session
    if (pg::active_functions() != 1) return false;  // a statement of OneSIM's own code
    // row_security = off on OneSIM's tables requires it.
    if (!onesim::auth::session_bypasses_rls()) return false;
    const char* path = statement_search_path();  // the dearest: last
    return path != nullptr && path[0] == '\0';
}

void warn_once() {
    if (g_warned) return;
    g_warned = true;
    ereport(WARNING,
            (errmsg("onesim: restore session detected: rows are loaded as dumped"),
             errdetail("This session has the settings of pg_dump and pg_restore (row_security = off, "
                       "check_function_bodies = off, empty search_path) and bypasses row level "
                       "security: OneSIM's insert triggers keep commissions, prices and figures as "
                       "they are in the rows and create no earnings."),
             errhint("If this is not a restore, SET onesim.restore_mode = off in the session; "
                     "onesim.restore_mode = on loads rows as given whatever the settings.")));
}

void on_xact(XactEvent event, void*) {
    if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT) pg::reset_active_functions();
}

bool decide() {
    switch (g_mode) {
        case kOff:
            return false;
        case kOn:
            return pg::active_functions() == 1;
        default:
            if (!restore_session_detected()) return false;
            warn_once();
            return true;
    }
}

}  // namespace

bool loads_as_dumped(const TriggerData* data) {
    if (!TRIGGER_FIRED_BY_INSERT(data->tg_event)) return false;
    if (g_mode == kAuto && (row_security || check_function_bodies)) return false;
    return pg::call([] { return decide(); });
}

void initialize() {
    DefineCustomEnumVariable(
        "onesim.restore_mode",
        "Whether rows inserted by a restore are loaded as dumped: auto, on or off.",
        "auto recognises pg_restore and pg_dump scripts by the settings they always emit "
        "(row_security = off, check_function_bodies = off, empty search_path) in a session that "
        "bypasses row level security; on always loads the session's inserts as given; off never "
        "does. Loaded as dumped: OneSIM's insert triggers change nothing and record nothing.",
        &g_mode, kAuto, kModes, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    RegisterXactCallback(on_xact, nullptr);
}

}  // namespace onesim::restore
