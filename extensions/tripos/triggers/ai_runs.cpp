// AI runs: tokens and cost (domain/ai_cost) on every write, and the monthly
// usage with the plan's quota (statement-level, over transition tables).
#include "core/errors.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "tripos/api/limits.hpp"
#include "tripos/domain/ai_cost.hpp"
#include "tripos/stages.hpp"

namespace core = pgcpp::core;
namespace domain = tripos::domain;
using namespace tripos;

namespace {

pg::Statement price_for(
    "SELECT p.input_per_1k, p.output_per_1k FROM {app}.ai_model_prices p "
    "WHERE p.model = coalesce($1, (SELECT a.model FROM {app}.ai_agents a WHERE a.id = $2)) "
    "AND p.effective_from <= $3 ORDER BY p.effective_from DESC LIMIT 1",
    {TEXTOID, UUIDOID, TIMESTAMPTZOID}, pg::Statement::Plan::Generic);

// Per (user, month) changes of the statement, sorted by key.
pg::Statement insert_deltas(
    "SELECT user_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date, count(*)::int4, "
    "sum(tokens_total)::int8, sum(cost_usd) FROM new_runs GROUP BY 1, 2 ORDER BY 1, 2",
    {});
pg::Statement delete_deltas(
    "SELECT user_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date, -count(*)::int4, "
    "-sum(tokens_total)::int8, -sum(cost_usd) FROM old_runs GROUP BY 1, 2 ORDER BY 1, 2",
    {});
pg::Statement update_deltas(
    "SELECT user_id, month, sum(runs)::int4, sum(tokens)::int8, sum(cost) FROM ("
    " SELECT user_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date AS month, 1 AS runs, "
    "        tokens_total::int8 AS tokens, cost_usd AS cost FROM new_runs"
    " UNION ALL"
    " SELECT user_id, date_trunc('month', created_at AT TIME ZONE 'UTC')::date, -1, -tokens_total::int8, -cost_usd "
    " FROM old_runs) AS d GROUP BY 1, 2 "
    "HAVING sum(runs) <> 0 OR sum(tokens) <> 0 OR sum(cost) <> 0 ORDER BY 1, 2",
    {});
// Adds a delta; the runs admitted stay within $6 (-1: unlimited). No row
// comes back when the month's quota would be exceeded.
pg::Statement apply_usage(
    "INSERT INTO {app}.ai_usage_monthly AS u (user_id, month, runs, tokens_total, cost_usd) "
    "SELECT $1, $2, $3, $4, $5 WHERE $6 < 0 OR $3 <= $6 "
    "ON CONFLICT (user_id, month) DO UPDATE SET runs = u.runs + EXCLUDED.runs, "
    "tokens_total = u.tokens_total + EXCLUDED.tokens_total, cost_usd = u.cost_usd + EXCLUDED.cost_usd "
    "WHERE $3 <= 0 OR $6 < 0 OR u.runs + EXCLUDED.runs <= $6 RETURNING runs",
    {UUIDOID, DATEOID, INT4OID, INT8OID, NUMERICOID, INT8OID}, pg::Statement::Plan::Generic);

// A change that admits no new run (deletes, updates within a month).
pg::Statement adjust_usage(
    "UPDATE {app}.ai_usage_monthly SET runs = runs + $3, tokens_total = tokens_total + $4, cost_usd = cost_usd + $5 "
    "WHERE user_id = $1 AND month = $2",
    {UUIDOID, DATEOID, INT4OID, INT8OID, NUMERICOID}, pg::Statement::Plan::Generic);

constexpr const char* kCost = "tripos_internal.ai_run_cost";
constexpr const char* kUsage = "tripos_internal.ai_usage";

}  // namespace

PG_CPP_FUNCTION(tripos_ai_run_cost) {
    const pg::TriggerSpec spec{kCost, pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                               pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = ai_extension().member_table_schema(data->tg_relation);
    HeapTuple row = pg::trigger_event(data) == pg::event::Insert ? data->tg_trigtuple : data->tg_newtuple;
    if (pg::trigger_event(data) == pg::event::Insert && restoring()) return PointerGetDatum(row);
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    const int prompt_col = pg::column_number(data, "tokens_prompt", kCost);
    const int completion_col = pg::column_number(data, "tokens_completion", kCost);
    const int total_col = pg::column_number(data, "tokens_total", kCost);
    const int cost_col = pg::column_number(data, "cost_usd", kCost);
    const domain::TokenCounts tokens{tuple_int(row, desc, prompt_col).value_or(0),
                                     tuple_int(row, desc, completion_col).value_or(0)};
    if (tokens.total() > INT32_MAX) {
        throw core::DomainError(core::ErrorKind::OutOfRange, "a run's tokens_total exceeds the integer range");
    }
    core::Decimal cost = core::Decimal::from_units(0, domain::kCostScale);
    if (tokens.total() > 0) {
        bool null_model = false, null_agent = false, null_created = false;
        const Datum model = heap_getattr(row, pg::column_number(data, "model_used", kCost), desc, &null_model);
        const Datum agent = heap_getattr(row, pg::column_number(data, "agent_id", kCost), desc, &null_agent);
        const Datum created = heap_getattr(row, pg::column_number(data, "created_at", kCost), desc, &null_created);
        std::optional<std::pair<core::Decimal, core::Decimal>> prices;
        {
            pg::SpiSession spi;
            Datum args[3] = {model, agent,
                             null_created ? TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()) : created};
            const char nulls[4] = {null_model ? 'n' : ' ', null_agent ? 'n' : ' ', ' ', '\0'};
            if (price_for.execute(app, args, nulls, true, 1) == 1) {
                bool is_null = false;
                prices.emplace(pg::decimal_from_numeric(pg::spi_value(0, 1, &is_null), "input_per_1k"),
                               pg::decimal_from_numeric(pg::spi_value(0, 2, &is_null), "output_per_1k"));
            }
        }
        if (!prices) {
            throw core::DomainError(core::ErrorKind::InvalidParameter,
                                    "no price is known for this run's model at its time",
                                    {}, "Add the model to ai_model_prices.");
        }
        cost = domain::run_cost(tokens, prices->first, prices->second);
    }
    const Datum cost_datum = pg::numeric_from_decimal(cost, pg::numeric_typmod(10, 6));
    return pg::call([&] {
        int columns[2] = {total_col, cost_col};
        Datum values[2] = {Int32GetDatum(static_cast<int32>(tokens.total())), cost_datum};
        bool nulls[2] = {false, false};
        return PointerGetDatum(heap_modify_tuple_by_cols(row, desc, 2, columns, values, nulls));
    });
}

PG_CPP_FUNCTION(tripos_ai_usage) {
    const pg::TriggerSpec spec{kUsage, pg::TriggerLevel::Statement, pg::TriggerTiming::After,
                               pg::event::Insert | pg::event::Update | pg::event::Delete, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    const Oid app = ai_extension().member_table_schema(data->tg_relation);
    const unsigned event = pg::trigger_event(data);
    if (event == pg::event::Insert && restoring()) return PointerGetDatum(nullptr);  // usage is in the dump
    if ((event != pg::event::Insert && data->tg_oldtable == nullptr) ||
        (event != pg::event::Delete && data->tg_newtable == nullptr)) {
        pg::raise_error(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED,
                        fmt::format("trigger \"{}\" must declare its transition tables (old_runs / new_runs)",
                                    data->tg_trigger->tgname));
    }
    struct Delta {
        pg::Uuid user;
        Datum month;
        int32 runs;
        int64 tokens;
        Datum cost;
    };
    pg::SpiSession spi;
    pg::call([&] {
        if (SPI_register_trigger_data(data) != SPI_OK_TD_REGISTER) {
            elog(ERROR, "could not register the transition tables of ai_runs");
        }
    });
    pg::Statement& deltas = event == pg::event::Insert   ? insert_deltas
                            : event == pg::event::Delete ? delete_deltas
                                                         : update_deltas;
    std::vector<Delta> changes;
    const uint64 rows = deltas.execute(app, nullptr, nullptr, true);
    for (uint64 r = 0; r < rows; ++r) {
        bool is_null = false;
        Delta d;
        d.user = pg::uuid_from_datum(pg::spi_value(r, 1, &is_null));
        d.month = pg::spi_value(r, 2, &is_null);
        d.runs = DatumGetInt32(pg::spi_value(r, 3, &is_null));
        d.tokens = DatumGetInt64(pg::spi_value(r, 4, &is_null));
        const Datum cost = pg::spi_value(r, 5, &is_null);
        // Copied out of the result set, which the next statement frees.
        d.cost = pg::call([&] { return SPI_datumTransfer(cost, false, -1); });
        changes.push_back(d);
    }
    for (const Delta& d : changes) {
        CHECK_FOR_INTERRUPTS();
        Datum args[6] = {pg::datum_from_uuid(d.user), d.month, Int32GetDatum(d.runs), Int64GetDatum(d.tokens), d.cost,
                         Int64GetDatum(-1)};
        if (d.runs <= 0) {
            // Runs changed or removed: the month's row is adjusted. When it is
            // gone, the user is being deleted (the cascade removed it first).
            adjust_usage.execute(app, args, nullptr);
            continue;
        }
        const std::int64_t limit = d.runs > 0 ? plan_limit(d.user, "ai_runs_per_month").value_or(-1) : -1;
        args[5] = Int64GetDatum(limit);
        if (apply_usage.execute(app, args, nullptr, false, 0) == 0) {
            pg::raise_error(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED,
                            fmt::format("the plan allows {} AI run(s) a month, and this month's are used up", limit),
                            {}, "Upgrade the plan, or wait for next month.");
        }
    }
    return PointerGetDatum(nullptr);
}
