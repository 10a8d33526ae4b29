#include "pg/spi.hpp"

#include "core/errors.hpp"
#include "pg/guard.hpp"

namespace pgcpp::pg {

namespace {
// Each system's library names its own internal schema at load time; the
// libraries are built with hidden visibility, so each keeps its own copy.
std::string internal_schema_name;
}  // namespace

void set_internal_schema(const char* quoted_name) { internal_schema_name = quoted_name; }

const std::string& internal_schema() { return internal_schema_name; }

SpiSession::SpiSession() : uncaught_(std::uncaught_exceptions()) {
    const MemoryContext caller = CurrentMemoryContext;
    const int rc = call([] { return SPI_connect(); });
    if (rc != SPI_OK_CONNECT) throw std::runtime_error("SPI_connect failed");
    MemoryContextSwitchTo(caller);  // see spi.hpp; SPI_finish switches back to it as well
}

SpiSession::~SpiSession() {
    if (std::uncaught_exceptions() > uncaught_) return;  // abort cleans up SPI
    SPI_finish();
}

Statement::Statement(std::string sql_template, std::initializer_list<Oid> arg_types, Plan plan)
    : template_(std::move(sql_template)), arg_types_(arg_types), plan_mode_(plan) {}

std::string Statement::sql_for(Oid app_schema) const {
    char* name = call([&] {
        char* nsp = get_namespace_name(app_schema);
        if (nsp == nullptr) elog(ERROR, "schema with OID %u does not exist", app_schema);
        return pstrdup(quote_identifier(nsp));
    });
    std::string quoted(name);
    pfree(name);
    return fmt::format(fmt::runtime(template_), fmt::arg("app", quoted),
                       fmt::arg("internal", internal_schema_name));
}

SPIPlanPtr Statement::plan_for(Oid app_schema) {
    for (auto it = plans_.begin(); it != plans_.end(); ++it) {
        if (it->schema != app_schema || it->retired) continue;
        if (SPI_plan_is_valid(it->plan)) return it->plan;
        if (it->uses > 0) {
            // An outer execution still runs it: set it aside, end_use frees it.
            it->retired = true;
            break;
        }
        SPIPlanPtr stale = it->plan;
        plans_.erase(it);
        call([&] { SPI_freeplan(stale); });
        break;
    }
    const std::string sql = sql_for(app_schema);
    const char* text = sql.c_str();
    const int nargs = static_cast<int>(arg_types_.size());
    Oid* types = arg_types_.data();
    const int options = plan_mode_ == Plan::Generic ? CURSOR_OPT_GENERIC_PLAN : 0;
    SPIPlanPtr plan = call([&] {
        SPIPlanPtr p = SPI_prepare_cursor(text, nargs, types, options);
        if (p == nullptr) {
            elog(ERROR, "SPI_prepare failed (%s) for: %s", SPI_result_code_string(SPI_result), text);
        }
        SPI_keepplan(p);
        return p;
    });
    plans_.push_back({app_schema, plan});
    return plan;
}

void Statement::begin_use(SPIPlanPtr plan) {
    for (Prepared& p : plans_) {
        if (p.plan == plan) {
            ++p.uses;
            return;
        }
    }
}

void Statement::end_use(SPIPlanPtr plan) noexcept {
    for (auto it = plans_.begin(); it != plans_.end(); ++it) {
        if (it->plan != plan) continue;
        if (--it->uses == 0 && it->retired) {
            plans_.erase(it);
            // Frees memory contexts and drops the plan cache entry: no error
            // is raised there, so it is safe while an exception unwinds.
            SPI_freeplan(plan);
        }
        return;
    }
}

int Statement::executions_running() const {
    int running = 0;
    for (const Prepared& p : plans_) running += p.uses;
    return running;
}

uint64 Statement::execute(Oid app_schema, const Datum* values, const char* nulls, bool read_only,
                          long max_rows) {
    SPIPlanPtr plan = plan_for(app_schema);
    Datum* args = const_cast<Datum*>(values);
    // The plan stays alive for this execution even if a nested one (a user
    // trigger running this statement again) finds it invalid.
    begin_use(plan);
    struct InUse {
        Statement& statement;
        SPIPlanPtr plan;
        ~InUse() { statement.end_use(plan); }
    } in_use{*this, plan};
    return call([&] {
        // A row limit stops an INSERT / UPDATE / DELETE ... RETURNING early and
        // its AFTER STATEMENT triggers never fire: refused, not left to drift.
        if (max_rows > 0) {
            ListCell* cell;
            foreach (cell, SPI_plan_get_plan_sources(plan)) {
                const CachedPlanSource* source = static_cast<const CachedPlanSource*>(lfirst(cell));
                if (source->commandTag != CMDTAG_SELECT) {
                    elog(ERROR, "a row limit is for queries only, not for \"%s\"", source->query_string);
                }
            }
        }
        const int rc = SPI_execute_plan(plan, args, nulls, read_only, max_rows);
        if (rc < 0) elog(ERROR, "SPI_execute_plan failed: %s", SPI_result_code_string(rc));
        return SPI_processed;
    });
}

std::string template_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        out += c;
        if (c == '{' || c == '}') out += c;
    }
    return out;
}

std::string template_identifier(const char* name) {
    const char* quoted = call([&] { return quote_identifier(name); });
    std::string out = template_text(quoted);
    if (quoted != name) pfree(const_cast<char*>(quoted));
    return out;
}

std::string template_literal(const char* text) {
    char* quoted = call([&] { return quote_literal_cstr(text); });
    std::string out = template_text(quoted);
    pfree(quoted);
    return out;
}

Oid schema_of_relation(Relation rel) { return RelationGetNamespace(rel); }

Oid schema_of_function(FunctionCallInfo fcinfo) {
    const Oid fn = fcinfo->flinfo->fn_oid;
    return call([&] { return get_func_namespace(fn); });
}

Datum spi_value(uint64 row, int attnum, bool* is_null) {
    return call([&] {
        return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, attnum, is_null);
    });
}

}  // namespace pgcpp::pg
