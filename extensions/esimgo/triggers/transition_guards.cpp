// esimgo_internal.guard_transition(machine): BEFORE UPDATE row trigger that
// refuses a status change its state machine does not allow (23514), for
// orders (status), esims (status), esim_bundles (state), catalog_sync_jobs
// (status) and checkout_sessions (state).
// esimgo_internal.esim_owner(): BEFORE INSERT OR UPDATE on esims: an eSIM
// belongs to its order's user.
#include <string>

#include "core/errors.hpp"
#include "esimgo/domain/workflows.hpp"
#include "esimgo/esimgo.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"

namespace pg = pgcpp::pg;
namespace core = pgcpp::core;
namespace platform = pgcpp::platform;
namespace domain = esimgo::domain;

namespace {

std::optional<std::string> text_column(HeapTuple row, TupleDesc desc, int att) {
    bool is_null = false;
    Datum v = pg::call([&] { return heap_getattr(row, att, desc, &is_null); });
    if (is_null) return std::nullopt;
    return pg::string_from_text(v);
}

bool allowed(const std::string& machine, const std::string& from, const std::string& to) {
    if (machine == "order") return domain::order_transition_allowed(from, to);
    if (machine == "esim") return domain::esim_transition_allowed(from, to);
    if (machine == "bundle") return domain::bundle_transition_allowed(from, to);
    if (machine == "job") {
        auto f = domain::job_status_from_name(from), t = domain::job_status_from_name(to);
        return f && t && domain::job_transition_allowed(*f, *t);
    }
    if (machine == "checkout") {
        auto f = domain::checkout_state_from_name(from), t = domain::checkout_state_from_name(to);
        return f && t && domain::checkout_transition_allowed(*f, *t);
    }
    pg::raise_error(ERRCODE_TRIGGERED_ACTION_EXCEPTION, "guard_transition: unknown state machine " + machine);
}

}  // namespace

PG_CPP_FUNCTION(esimgo_guard_transition) {
    constexpr const char* kName = "esimgo_internal.guard_transition";
    const pg::TriggerSpec spec{kName, pg::TriggerLevel::Row, pg::TriggerTiming::Before, pg::event::Update, 2};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    std::string machine = pg::trigger_arg(data, 0);
    std::string column = pg::trigger_arg(data, 1);
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    int att = pg::column_number(data, column.c_str(), kName);
    auto from = text_column(data->tg_trigtuple, desc, att);
    auto to = text_column(data->tg_newtuple, desc, att);
    if (from != to && from && to && !allowed(machine, *from, *to))
        throw core::DomainError(core::ErrorKind::CheckViolation,
                                std::string(RelationGetRelationName(data->tg_relation)) + "." + column + " cannot go from " +
                                    *from + " to " + *to);
    if (from != to && (!from || !to) && machine == "checkout" && from)
        throw core::DomainError(core::ErrorKind::CheckViolation, "checkout_sessions.state cannot be cleared");
    return PointerGetDatum(data->tg_newtuple);
}

PG_CPP_FUNCTION(esimgo_esim_owner) {
    constexpr const char* kName = "esimgo_internal.esim_owner";
    const pg::TriggerSpec spec{kName, pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                               pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    HeapTuple row = pg::trigger_event(data) == pg::event::Update ? data->tg_newtuple : data->tg_trigtuple;
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    int user_att = pg::column_number(data, "user_id", kName);
    int order_att = pg::column_number(data, "order_id", kName);
    bool user_null = false, order_null = false;
    Datum user = pg::call([&] { return heap_getattr(row, user_att, desc, &user_null); });
    Datum order = pg::call([&] { return heap_getattr(row, order_att, desc, &order_null); });
    bool updating = pg::trigger_event(data) == pg::event::Update;
    // An update to a NULL user is an erasure (the customer deleted their
    // account); a NULL order is reported by NOT NULL.
    if (order_null || (user_null && updating)) return PointerGetDatum(row);
    static pg::Statement owner_sql("SELECT user_id FROM {app}.esim_orders WHERE id = $1", {UUIDOID},
                                   pg::Statement::Plan::Generic);
    bool matches = true;
    {
        pg::SpiSession spi;
        platform::AsExtensionOwner owner(esimgo::extension);
        if (owner_sql.execute(esimgo::extension.schema(), &order, nullptr, true, 1) == 1) {
            bool n = false;
            Datum order_user = pg::spi_value(0, 1, &n);
            // the order's user, NULL for both only when that customer is gone
            matches = (n || user_null) ? (n && user_null)
                                       : pg::uuid_from_datum(order_user) == pg::uuid_from_datum(user);
        }
    }
    if (!matches)
        throw core::DomainError(core::ErrorKind::CheckViolation, "an eSIM belongs to its order's user");
    return PointerGetDatum(row);
}
