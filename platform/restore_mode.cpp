// Restore mode (platform/restore_mode.hpp): rows a restore session inserts
// are loaded as dumped.
#include "platform/restore_mode.hpp"

#include <cstring>
#include <string>

#include "pg/guard.hpp"
#include "platform/caller.hpp"

extern "C" {
#include "access/xact.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "tcop/utility.h"
#include "utils/acl.h"
#include "utils/guc.h"
#include "utils/rls.h"
}

namespace pgcpp::platform {
namespace {

enum Mode { kAuto = 0, kOn = 1, kOff = 2 };
int g_mode = kAuto;
const struct config_enum_entry kModes[] = {
    {"auto", kAuto, false}, {"on", kOn, false}, {"off", kOff, false}, {nullptr, 0, false}};

std::string g_prefix;   // the system's settings prefix: <prefix>.restore_mode
bool g_warned = false;  // once per backend

// Whether the search_path was empty when the session's current statement
// began. Every trigger function of ours pins its own search_path (SET
// search_path = pg_catalog, pg_temp), so inside it the statement's value is
// gone; it is noted here when each top-level statement starts, the way
// pg_stat_statements tells top-level statements from nested ones: a nesting
// level kept around ExecutorRun, ExecutorFinish and ProcessUtility. COPY (how
// pg_restore loads rows) is noted in ProcessUtility, INSERT ... VALUES (a
// script made with --inserts) in ExecutorStart.
bool g_statement_path_empty = false;
int g_nesting = 0;
ExecutorStart_hook_type g_prev_executor_start = nullptr;
ExecutorRun_hook_type g_prev_executor_run = nullptr;
ExecutorFinish_hook_type g_prev_executor_finish = nullptr;
ProcessUtility_hook_type g_prev_process_utility = nullptr;

void note_statement_search_path() {
    if (g_nesting == 0) g_statement_path_empty = namespace_search_path != nullptr && namespace_search_path[0] == '\0';
}

// The hooks are C frames: PostgreSQL errors pass through them as longjmps
// (PG_FINALLY restores the level), and they call no C++ that could throw.
void on_executor_start(QueryDesc* query, int flags) {
    note_statement_search_path();
    if (g_prev_executor_start != nullptr) {
        g_prev_executor_start(query, flags);
    } else {
        standard_ExecutorStart(query, flags);
    }
}

void on_executor_run(QueryDesc* query, ScanDirection direction, uint64 count, bool execute_once) {
    ++g_nesting;
    PG_TRY();
    {
        if (g_prev_executor_run != nullptr) {
            g_prev_executor_run(query, direction, count, execute_once);
        } else {
            standard_ExecutorRun(query, direction, count, execute_once);
        }
    }
    PG_FINALLY();
    {
        --g_nesting;
    }
    PG_END_TRY();
}

void on_executor_finish(QueryDesc* query) {
    ++g_nesting;
    PG_TRY();
    {
        if (g_prev_executor_finish != nullptr) {
            g_prev_executor_finish(query);
        } else {
            standard_ExecutorFinish(query);
        }
    }
    PG_FINALLY();
    {
        --g_nesting;
    }
    PG_END_TRY();
}

void on_process_utility(PlannedStmt* statement, const char* query, bool read_only, ProcessUtilityContext context,
                        ParamListInfo params, QueryEnvironment* environment, DestReceiver* dest,
                        QueryCompletion* completion) {
    if (statement->utilityStmt != nullptr && IsA(statement->utilityStmt, CopyStmt)) note_statement_search_path();
    ++g_nesting;
    PG_TRY();
    {
        if (g_prev_process_utility != nullptr) {
            g_prev_process_utility(statement, query, read_only, context, params, environment, dest, completion);
        } else {
            standard_ProcessUtility(statement, query, read_only, context, params, environment, dest, completion);
        }
    }
    PG_FINALLY();
    {
        --g_nesting;
    }
    PG_END_TRY();
}

bool restore_session_detected() {
    if (row_security || check_function_bodies) return false;  // every ordinary session
    if (pg::active_functions() != 1) return false;  // a statement of the system's own code
    // row_security = off on the system's tables requires it.
    if (!session_bypasses_rls()) return false;
    return g_statement_path_empty;  // the dearest test: last
}

void warn_once() {
    if (g_warned) return;
    g_warned = true;
    ereport(WARNING,
            (errmsg("%s: restore session detected: rows are loaded as dumped", g_prefix.c_str()),
             errdetail("This session has the settings of pg_dump and pg_restore (row_security = off, "
                       "check_function_bodies = off, empty search_path) and bypasses row level "
                       "security: the insert triggers keep the rows, their figures and derived "
                       "columns as they are and record nothing."),
             errhint("If this is not a restore, SET %s.restore_mode = off in the session; "
                     "%s.restore_mode = on loads rows as given whatever the settings.",
                     g_prefix.c_str(), g_prefix.c_str())));
}

void on_xact(XactEvent event, void*) {
    if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT) {
        pg::reset_active_functions();
        g_nesting = 0;
    }
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

bool restore_session() {
    if (g_mode == kAuto && (row_security || check_function_bodies)) return false;
    return pg::call([] { return decide(); });
}

bool restoring_database() {
    switch (g_mode) {
        case kOff:
            return false;
        case kOn:
            return true;
        default:
            return !row_security && session_bypasses_rls();
    }
}

bool loads_as_dumped(const TriggerData* data) {
    if (!TRIGGER_FIRED_BY_INSERT(data->tg_event)) return false;
    return restore_session();
}

void define_restore_mode(const char* prefix) {
    g_prefix = prefix;
    const std::string name = g_prefix + ".restore_mode";
    DefineCustomEnumVariable(
        strdup(name.c_str()),
        "Whether rows inserted by a restore are loaded as dumped: auto, on or off.",
        "auto recognises pg_restore and pg_dump scripts by the settings they always emit "
        "(row_security = off, check_function_bodies = off, empty search_path) in a session that "
        "bypasses row level security; on always loads the session's inserts as given; off never "
        "does. Loaded as dumped: the insert triggers change nothing and record nothing.",
        &g_mode, kAuto, kModes, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    RegisterXactCallback(on_xact, nullptr);
    // Loaded in the middle of a statement (its first call of one of the
    // system's functions: fmgr loads the library before it applies that
    // function's SET clause), the statement's search_path is the one in
    // force now.
    note_statement_search_path();
    g_prev_executor_start = ExecutorStart_hook;
    ExecutorStart_hook = on_executor_start;
    g_prev_executor_run = ExecutorRun_hook;
    ExecutorRun_hook = on_executor_run;
    g_prev_executor_finish = ExecutorFinish_hook;
    ExecutorFinish_hook = on_executor_finish;
    g_prev_process_utility = ProcessUtility_hook;
    ProcessUtility_hook = on_process_utility;
}

}  // namespace pgcpp::platform
