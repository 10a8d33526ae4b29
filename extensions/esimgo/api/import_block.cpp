// import_pricing_block(block jsonb) -> uuid: a block in upstream's export
// form (default-rules: event_type in any spelling, such as set_base_price or
// select_provider, free-text category), normalised to the stored spelling and
// a block_type, validated, and inserted as the caller (RLS: admins).
#include "core/errors.hpp"
#include "esimgo/domain/json.hpp"
#include "esimgo/domain/rules.hpp"
#include "esimgo/esimgo.hpp"
#include "pg/datum.hpp"
#include "pg/guard.hpp"
#include "pg/spi.hpp"

namespace pg = pgcpp::pg;
namespace core = pgcpp::core;
namespace domain = esimgo::domain;
namespace json = esimgo::domain::json;

namespace {
[[noreturn]] void bad(const std::string& what) {
    throw core::DomainError(core::ErrorKind::InvalidParameter, "import_pricing_block: " + what);
}
std::string string_member(const json::Value& obj, const char* key, bool required) {
    const json::Value* v = obj.find(key);
    if (!v || v->is_null()) {
        if (required) bad(std::string("needs ") + key);
        return {};
    }
    if (!v->is_string()) bad(std::string(key) + " must be a string");
    return v->text;
}
}  // namespace

PG_CPP_FUNCTION(esimgo_import_pricing_block) {
    Datum arg = pg::required_arg(fcinfo, 0, "block");
    std::string text(pg::call([&] { return DatumGetCString(DirectFunctionCall1(jsonb_out, arg)); }));
    json::Value block = json::parse(text);
    if (!block.is_object()) bad("expected a JSON object");
    std::string id = string_member(block, "id", false);
    std::string name = string_member(block, "name", true);
    std::string description = string_member(block, "description", false);
    std::string raw_type = string_member(block, "event_type", false);
    if (raw_type.empty()) {
        // upstream's seed-era export: {"action": {"type": ..., "params": ...}}
        if (const json::Value* action = block.find("action"); action && action->is_object())
            raw_type = string_member(*action, "type", true);
        else
            bad("needs event_type");
    }
    auto type = domain::event_type_from_name(raw_type);
    if (!type) bad("unknown event type \"" + raw_type.substr(0, 64) + "\"");
    const json::Value* conditions = block.find("conditions");
    if (!conditions) bad("needs conditions");
    json::Value params;
    params.kind = json::Kind::Object;
    if (const json::Value* p = block.find("params"); p && !p->is_null()) params = *p;
    else if (const json::Value* action = block.find("action"); action && action->find("params")) params = *action->find("params");
    int priority = 100;
    if (const json::Value* p = block.find("priority"); p && !p->is_null()) {
        if (!p->is_number()) bad("priority must be a number");
        try {
            priority = std::stoi(p->text);
        } catch (...) {
            bad("priority must be a whole number");
        }
    }
    bool active = true;
    if (const json::Value* a = block.find("is_active"); a && !a->is_null()) {
        if (!a->is_bool()) bad("is_active must be a boolean");
        active = a->boolean;
    }
    std::string conditions_text = json::to_text(*conditions), params_text = json::to_text(params);
    // refused here with the node's path, as the table's trigger would
    domain::compile_block(id, name, raw_type, priority, conditions_text, params_text);
    std::string category = domain::block_category(string_member(block, "category", false), *type);

    static pg::Statement insert_sql(
        "INSERT INTO {app}.pricing_blocks (id, name, description, category, event_type, priority, is_active, conditions, params)"
        " VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4::{app}.block_type, $5::{app}.event_type, $6, $7,"
        " $8::jsonb, $9::jsonb) RETURNING id",
        {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT4OID, BOOLOID, TEXTOID, TEXTOID});
    pg::Uuid result{};
    {
        pg::SpiSession spi;
        Datum args[9] = {id.empty() ? Datum(0) : pg::text_from_string(id), pg::text_from_string(name),
                         description.empty() ? Datum(0) : pg::text_from_string(description),
                         pg::text_from_string(category), pg::text_from_string(domain::event_type_name(*type)),
                         Int32GetDatum(priority), BoolGetDatum(active), pg::text_from_string(conditions_text),
                         pg::text_from_string(params_text)};
        char nulls[10] = {id.empty() ? 'n' : ' ', ' ', description.empty() ? 'n' : ' ', ' ', ' ', ' ', ' ', ' ', ' ', '\0'};
        insert_sql.execute(esimgo::extension.schema(), args, nulls, false);
        bool is_null = false;
        result = pg::uuid_from_datum(pg::spi_value(0, 1, &is_null));
    }
    return pg::datum_from_uuid(result);
}
