// SPI with prepared plans kept for the life of the backend.
//
// Statements are written once as templates naming their schemas through
// placeholders, {app} for the extension's schema (chosen at CREATE EXTENSION)
// and {internal} for the system's internal schema (a fixed name, given once
// by the library's _PG_init through set_internal_schema), so no plan depends on the caller's
// search_path. A plan is prepared on first use for each extension schema,
// kept with SPI_keepplan, and rebuilt when SPI_plan_is_valid says so.
//
// A statement can be re-entered: a user trigger fired by one execution can
// run the same statement again, and an invalidation in between (a GRANT, an
// ANALYZE, from any session) makes the inner execution rebuild the plan the
// outer one is still running. Each kept plan therefore counts the
// executions running it (as PL/pgSQL's use_count does); a stale plan still
// in use is set aside and freed when its last execution ends.
#pragma once

#include <initializer_list>

#include "pg/postgres.hpp"

namespace pgcpp::pg {

// The schema {internal} stands for in this library's statements (an SQL
// identifier, quoted where it needs to be). Called once, from _PG_init.
void set_internal_schema(const char* quoted_name);
// The name given to set_internal_schema (empty before).
const std::string& internal_schema();

// SPI_connect for the scope; SPI_finish on normal exit. During an error the
// transaction abort releases SPI, so the destructor leaves it alone then.
// What the code allocates inside the scope goes to the memory context that
// was current when it opened (SPI_connect would switch to SPI's own, which
// SPI_finish frees): a value or row built inside and returned after it, a
// trigger's new row or a function's jsonb, stays valid. Rows and values that
// SPI's statements return still live in SPI's memory: copy them out
// (SPI_returntuple, SPI_datumTransfer) before the scope ends.
class SpiSession {
public:
    SpiSession();
    ~SpiSession();
    SpiSession(const SpiSession&) = delete;
    SpiSession& operator=(const SpiSession&) = delete;

private:
    int uncaught_;
};

class Statement {
public:
    // How the kept plan is chosen at each execution. Auto: PostgreSQL's plan
    // cache decides (custom plans for the first executions, then generic ones
    // unless their estimated cost is higher). Generic: always the generic plan,
    // never planned again; for statements whose plan cannot depend on the
    // arguments' values (a look-up or an update by key), where a CASE on a
    // parameter can make every custom plan look cheaper than the generic one,
    // so that each execution would be planned anew.
    enum class Plan { Auto, Generic };

    Statement(std::string sql_template, std::initializer_list<Oid> arg_types, Plan plan = Plan::Auto);

    // Executes with the given arguments (nulls: ' ' or 'n' per argument, or
    // nullptr for none). Returns SPI_processed; raises on error.
    // max_rows is for queries only: on INSERT/UPDATE/DELETE ... RETURNING it
    // would stop the statement after that many rows, and its AFTER STATEMENT
    // triggers would never fire (figures they keep would drift), so a limit
    // on any other statement raises (XX000). The template is
    // a fmt format string: a literal brace in the SQL is written twice
    // ('{{}}' for the empty array).
    uint64 execute(Oid app_schema, const Datum* values, const char* nulls, bool read_only = false,
                   long max_rows = 0);

    // The SQL text for one schema, as prepared (for messages and tests).
    std::string sql_for(Oid app_schema) const;

    // Executions of this statement running now (all schemas, all plans).
    int executions_running() const;

private:
    SPIPlanPtr plan_for(Oid app_schema);
    void begin_use(SPIPlanPtr plan);
    void end_use(SPIPlanPtr plan) noexcept;

    std::string template_;
    std::vector<Oid> arg_types_;
    Plan plan_mode_;
    struct Prepared {
        Oid schema;
        SPIPlanPtr plan;
        int uses = 0;          // executions running this plan now
        bool retired = false;  // replaced by a newer plan: freed when uses drops to 0
    };
    std::vector<Prepared> plans_;
};

// `text` (an identifier already quoted with quote_identifier, or a literal
// quoted with quote_literal) as it must appear inside a Statement template:
// braces doubled, so that a column named "promo{code}" or "note{app}" stays
// itself instead of being read as a placeholder.
std::string template_text(std::string_view text);
// quote_identifier(name), ready for a Statement template.
std::string template_identifier(const char* name);
// quote_literal(text), ready for a Statement template.
std::string template_literal(const char* text);

// The schema a trigger's table lives in: the extension schema for our tables.
Oid schema_of_relation(Relation rel);
// The schema of the function being called (its pg_proc.pronamespace).
Oid schema_of_function(FunctionCallInfo fcinfo);

// Reads column `attnum` (1-based) of the current SPI result row `row`.
Datum spi_value(uint64 row, int attnum, bool* is_null);

}  // namespace pgcpp::pg
