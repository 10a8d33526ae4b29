// Triggers that keep the pricing rules valid and the kept strategies fresh.
//
// validate_block (BEFORE INSERT OR UPDATE on pricing_blocks, row): compiles
//   the block's conditions and params, and the params of each strategy link
//   with its overrides; a bad node is refused (22023 / 23514) naming it.
// validate_strategy_block (BEFORE INSERT OR UPDATE on strategy_blocks, row):
//   compiles the linked block's params merged with config_overrides.
// bump_rules_version (AFTER, statement, on the three rule tables): moves the
//   version that keys every backend's compiled strategies, when the statement
//   changed a rule (its transition table holds a row) or truncated a table.
// In a restore (esimgo.restore_mode) the INSERT triggers let the dumped rows
// through: they were validated when written, and a restore makes no profile.
#include <functional>

#include "core/errors.hpp"
#include "esimgo/domain/json.hpp"
#include "esimgo/domain/rules.hpp"
#include "esimgo/esimgo.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"
#include "pg/trigger.hpp"
#include "pg/tuples.hpp"
#include "platform/restore_mode.hpp"

namespace pg = pgcpp::pg;
namespace core = pgcpp::core;
namespace platform = pgcpp::platform;
namespace domain = esimgo::domain;

namespace {

std::string column_text(TriggerData* data, HeapTuple row, const char* column, const char* function,
                        bool* is_null) {
    TupleDesc desc = RelationGetDescr(data->tg_relation);
    int att = pg::column_number(data, column, function);
    Datum value = pg::call([&] { return heap_getattr(row, att, desc, is_null); });
    if (*is_null) return {};
    return pg::string_from_datum(value, TupleDescAttr(desc, att - 1)->atttypid);
}

domain::json::Value parse_json(const std::string& text) { return domain::json::parse(text); }

void with_block(const std::string& block_name, const std::function<void()>& f) {
    try {
        f();
    } catch (const core::DomainError& e) {
        throw core::DomainError(e.kind(), "pricing block \"" + block_name + "\": " + e.what());
    }
}

pg::Statement links_of_block_sql(
    "SELECT sb.priority, coalesce(sb.config_overrides, '{{}}')::text, s.code::text"
    " FROM {app}.strategy_blocks sb JOIN {app}.pricing_strategies s ON s.id = sb.strategy_id"
    " WHERE sb.block_id = $1::uuid",
    {TEXTOID});
pg::Statement block_of_link_sql(
    "SELECT name::text, event_type::text, coalesce(params, '{{}}')::text FROM {app}.pricing_blocks WHERE id = $1::uuid",
    {TEXTOID}, pg::Statement::Plan::Generic);
pg::Statement bump_sql("UPDATE {internal}.rules_version SET n = n + 1", {}, pg::Statement::Plan::Generic);

}  // namespace

PG_CPP_FUNCTION(esimgo_validate_block) {
    constexpr const char* kName = "esimgo_internal.validate_block";
    const pg::TriggerSpec spec{kName, pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                               pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    HeapTuple row = pg::trigger_event(data) == pg::event::Update ? data->tg_newtuple : data->tg_trigtuple;
    if (platform::loads_as_dumped(data)) return PointerGetDatum(row);  // a restore: rows as dumped
    bool is_null = false;
    std::string id = column_text(data, row, "id", kName, &is_null);
    std::string name = column_text(data, row, "name", kName, &is_null);
    std::string type = column_text(data, row, "event_type", kName, &is_null);
    std::string conditions = column_text(data, row, "conditions", kName, &is_null);
    std::string params = column_text(data, row, "params", kName, &is_null);
    if (is_null) params = "{}";
    with_block(name, [&] { domain::compile_block(id, name, type, 0, conditions, params); });
    if (pg::trigger_event(data) == pg::event::Update) {
        auto event = *domain::event_type_from_name(type);
        domain::json::Value base = parse_json(params);
        struct Link { std::string overrides, strategy; };
        std::vector<Link> links;
        {
            pg::SpiSession spi;
            platform::AsExtensionOwner owner(esimgo::extension);
            Datum arg = pg::text_from_string(id);
            uint64 rows = links_of_block_sql.execute(esimgo::extension.schema(), &arg, nullptr, true);
            for (uint64 r = 0; r < rows; ++r) {
                bool n1 = false;
                links.push_back({pg::string_from_text(pg::spi_value(r, 2, &n1)),
                                 pg::string_from_text(pg::spi_value(r, 3, &n1))});
            }
        }
        for (const Link& link : links)
            with_block(name + "\" in strategy \"" + link.strategy, [&] {
                domain::compile_params(event, domain::merge_params(base, parse_json(link.overrides)),
                                       "params with config_overrides");
            });
    }
    return PointerGetDatum(row);
}

PG_CPP_FUNCTION(esimgo_validate_strategy_block) {
    constexpr const char* kName = "esimgo_internal.validate_strategy_block";
    const pg::TriggerSpec spec{kName, pg::TriggerLevel::Row, pg::TriggerTiming::Before,
                               pg::event::Insert | pg::event::Update, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    HeapTuple row = pg::trigger_event(data) == pg::event::Update ? data->tg_newtuple : data->tg_trigtuple;
    if (platform::loads_as_dumped(data)) return PointerGetDatum(row);  // a restore: rows as dumped
    bool is_null = false;
    std::string block_id = column_text(data, row, "block_id", kName, &is_null);
    std::string overrides = column_text(data, row, "config_overrides", kName, &is_null);
    if (is_null) overrides = "{}";
    std::string name, type, params;
    {
        pg::SpiSession spi;
        platform::AsExtensionOwner owner(esimgo::extension);
        Datum arg = pg::text_from_string(block_id);
        if (block_of_link_sql.execute(esimgo::extension.schema(), &arg, nullptr, true, 1) == 1) {
            bool n1 = false;
            name = pg::string_from_text(pg::spi_value(0, 1, &n1));
            type = pg::string_from_text(pg::spi_value(0, 2, &n1));
            params = pg::string_from_text(pg::spi_value(0, 3, &n1));
        }
    }
    if (!type.empty()) {  // a missing block is the foreign key's to report
        auto event = *domain::event_type_from_name(type);
        with_block(name, [&] {
            domain::compile_params(event, domain::merge_params(parse_json(params), parse_json(overrides)),
                                   "params with config_overrides");
        });
    }
    return PointerGetDatum(row);
}

PG_CPP_FUNCTION(esimgo_bump_rules_version) {
    constexpr const char* kName = "esimgo_internal.bump_rules_version";
    const pg::TriggerSpec spec{kName, pg::TriggerLevel::Statement, pg::TriggerTiming::After,
                               pg::event::Insert | pg::event::Update | pg::event::Delete | pg::event::Truncate, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    // A restore loads rules_version as dumped too; nothing is kept across it.
    if (platform::loads_as_dumped(data)) return PointerGetDatum(nullptr);
    // A statement that changed no rule (its transition table is empty) moves nothing.
    Tuplestorestate* changed = data->tg_newtable != nullptr ? data->tg_newtable : data->tg_oldtable;
    if (changed != nullptr && tuplestore_tuple_count(changed) == 0) return PointerGetDatum(nullptr);
    pg::SpiSession spi;
    platform::AsExtensionOwner owner(esimgo::extension);
    bump_sql.execute(esimgo::extension.schema(), nullptr, nullptr, false);
    return PointerGetDatum(nullptr);
}

// AFTER INSERT ON auth.users: the new user's profile, as upstream's
// handle_new_user() (first_name / last_name from user metadata, phone).
PG_CPP_FUNCTION(esimgo_handle_new_user) {
    constexpr const char* kName = "esimgo_internal.handle_new_user";
    const pg::TriggerSpec spec{kName, pg::TriggerLevel::Row, pg::TriggerTiming::After, pg::event::Insert, 0};
    TriggerData* data = pg::validate_trigger(fcinfo, spec);
    static pg::Statement insert_sql(
        "INSERT INTO {app}.profiles (id, first_name, last_name, phone)"
        " SELECT $1::uuid, $2::jsonb ->> 'first_name', $2::jsonb ->> 'last_name', $3::text"
        " ON CONFLICT (id) DO NOTHING",
        {TEXTOID, TEXTOID, TEXTOID}, pg::Statement::Plan::Generic);
    if (!esimgo::extension.installed()) return PointerGetDatum(nullptr);
    // A restore loads the profiles as dumped (with the names users edited).
    if (platform::loads_as_dumped(data)) return PointerGetDatum(nullptr);
    bool id_null = false, meta_null = false, phone_null = false;
    std::string id = column_text(data, data->tg_trigtuple, "id", kName, &id_null);
    std::string meta = column_text(data, data->tg_trigtuple, "raw_user_meta_data", kName, &meta_null);
    std::string phone = column_text(data, data->tg_trigtuple, "phone", kName, &phone_null);
    pg::SpiSession spi;
    platform::AsExtensionOwner owner(esimgo::extension);
    Datum args[3] = {pg::text_from_string(id), meta_null ? Datum(0) : pg::text_from_string(meta),
                     phone_null ? Datum(0) : pg::text_from_string(phone)};
    char nulls[4] = {' ', meta_null ? 'n' : ' ', phone_null ? 'n' : ' ', '\0'};
    insert_sql.execute(esimgo::extension.schema(), args, nulls, false);
    return PointerGetDatum(nullptr);
}
