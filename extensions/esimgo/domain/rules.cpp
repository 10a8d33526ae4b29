#include "esimgo/domain/rules.hpp"

#include <algorithm>
#include <cctype>

#include "core/errors.hpp"

namespace esimgo::domain {

namespace core = pgcpp::core;
using json::Kind;
using json::Value;

namespace {

[[noreturn]] void bad(const std::string& where, const std::string& what) {
    throw core::DomainError(core::ErrorKind::InvalidParameter, "invalid pricing rule at " + where + ": " + what);
}
[[noreturn]] void out_of_range(const std::string& where, const std::string& what) {
    throw core::DomainError(core::ErrorKind::CheckViolation, "invalid pricing rule at " + where + ": " + what);
}

struct NamedFact {
    const char* name;
    Fact fact;
};
constexpr NamedFact kFacts[] = {
    {"requestedGroup", Fact::RequestedGroup},
    {"requestedValidityDays", Fact::RequestedValidityDays},
    {"country", Fact::Country},
    {"region", Fact::Region},
    {"paymentMethod", Fact::PaymentMethod},
    {"durations", Fact::Durations},
    {"availableBundles", Fact::AvailableBundles},
    {"selectedBundle", Fact::SelectedBundle},
    {"previousBundle", Fact::PreviousBundle},
    {"unusedDays", Fact::UnusedDays},
    {"isExactMatch", Fact::IsExactMatch},
    {"preferredProvider", Fact::PreferredProvider},
    {"isHighDemandCountry", Fact::IsHighDemandCountry},
};

struct NamedOperator {
    const char* name;
    Operator op;
};
constexpr NamedOperator kOperators[] = {
    {"equal", Operator::Equal},
    {"notEqual", Operator::NotEqual},
    {"in", Operator::In},
    {"notIn", Operator::NotIn},
    {"contains", Operator::Contains},
    {"doesNotContain", Operator::DoesNotContain},
    {"lessThan", Operator::LessThan},
    {"lessThanInclusive", Operator::LessThanInclusive},
    {"greaterThan", Operator::GreaterThan},
    {"greaterThanInclusive", Operator::GreaterThanInclusive},
};

struct NamedEvent {
    const char* name;
    EventType type;
    const char* category;
};
constexpr NamedEvent kEvents[] = {
    {"select-provider", EventType::SelectProvider, "PROVIDER_SELECTION"},
    {"set-base-price", EventType::SetBasePrice, "BASE_PRICE"},
    {"apply-markup", EventType::ApplyMarkup, "MARKUP"},
    {"apply-discount", EventType::ApplyDiscount, "DISCOUNT"},
    {"apply-unused-days-discount", EventType::ApplyUnusedDaysDiscount, "DISCOUNT"},
    {"apply-psychological-rounding", EventType::ApplyPsychologicalRounding, "ROUNDING"},
    {"apply-region-rounding", EventType::ApplyRegionRounding, "ROUNDING"},
    {"apply-profit-constraint", EventType::ApplyProfitConstraint, "CONSTRAINT"},
    {"apply-processing-fee", EventType::ApplyProcessingFee, "FEE"},
    {"apply-fixed-price", EventType::ApplyFixedPrice, "FIXED_PRICE"},
};

std::string quoted(std::string_view s) {
    std::string out;
    json::append_quoted(out, s.substr(0, 100));
    return out;
}

core::Decimal number_of(const Value& v, const std::string& where) {
    if (!v.is_number()) bad(where, std::string("expected a number, found ") + json::kind_name(v.kind));
    try {
        return core::Decimal::parse(v.text);
    } catch (const core::DomainError&) {
        bad(where, "the number " + quoted(v.text) + " is not a plain decimal of at most 38 digits");
    }
}

Cents cents_of(const Value& v, const std::string& where, bool allow_negative = false) {
    core::Decimal d = number_of(v, where);
    Cents c = 0;
    if (!to_cents(d, c)) out_of_range(where, "an amount must be whole cents of at most 99999999.99, found " + v.text);
    if (c < 0 && !allow_negative) out_of_range(where, "an amount cannot be negative, found " + v.text);
    return c;
}

PercentE4 percent_of(const Value& v, const std::string& where) {
    core::Decimal d = number_of(v, where);
    PercentE4 p = 0;
    if (!to_percent_e4(d, p) || p < 0 || p > 100 * 10000)
        out_of_range(where, "a percentage must be between 0 and 100 with at most 4 decimals, found " + v.text);
    return p;
}

const Value& object_of(const Value& v, const std::string& where) {
    if (!v.is_object()) bad(where, std::string("expected an object, found ") + json::kind_name(v.kind));
    return v;
}

// Refuses members other than `allowed` (a misspelt key would otherwise be a
// rule that silently does nothing).
void only_keys(const Value& obj, const std::string& where, std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : obj.members) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            bad(where + "." + key, "unknown key " + quoted(key));
    }
}

PathStep::Field path_field(std::string_view key) {
    using F = PathStep::Field;
    if (key == "esim_go_name") return F::Name;
    if (key == "provider") return F::Provider;
    if (key == "region") return F::Region;
    if (key == "validity_in_days") return F::Validity;
    if (key == "price") return F::Price;
    if (key == "is_unlimited") return F::Unlimited;
    if (key == "groups") return F::Groups;
    if (key == "countries") return F::Countries;
    if (key == "length") return F::Length;
    return F::Other;
}

std::vector<PathStep> compile_path(const Value& v, const std::string& where) {
    if (!v.is_string()) bad(where, "a path must be a string");
    std::string_view p = v.text;
    if (p.empty() || p[0] != '$') bad(where, "a path must start with '$', found " + quoted(p));
    std::vector<PathStep> steps;
    std::size_t i = 1;
    while (i < p.size()) {
        if (p[i] == '.') {
            std::size_t start = ++i;
            while (i < p.size() && (std::isalnum(static_cast<unsigned char>(p[i])) || p[i] == '_')) ++i;
            if (i == start) bad(where, "expected a key after '.' in " + quoted(p));
            steps.push_back({PathStep::Kind::Key, std::string(p.substr(start, i - start)), 0,
                             path_field(p.substr(start, i - start))});
        } else if (p[i] == '[') {
            ++i;
            if (i < p.size() && (p[i] == '\'' || p[i] == '"')) {
                char q = p[i++];
                std::size_t start = i;
                while (i < p.size() && p[i] != q) ++i;
                if (i >= p.size()) bad(where, "unterminated key in " + quoted(p));
                steps.push_back({PathStep::Kind::Key, std::string(p.substr(start, i - start)), 0,
                             path_field(p.substr(start, i - start))});
                ++i;
            } else {
                std::size_t start = i;
                long index = 0;
                while (i < p.size() && std::isdigit(static_cast<unsigned char>(p[i])) && i - start < 6)
                    index = index * 10 + (p[i++] - '0');
                if (i == start) bad(where, "expected an index or a quoted key in " + quoted(p));
                steps.push_back({PathStep::Kind::Index, {}, int(index), PathStep::Field::Other});
            }
            if (i >= p.size() || p[i] != ']') bad(where, "expected ']' in " + quoted(p));
            ++i;
        } else {
            bad(where, "unexpected character in path " + quoted(p));
        }
        if (steps.size() > 16) bad(where, "path too long");
    }
    return steps;
}

FactRef compile_fact_ref(const Value& fact, const Value* path, const std::string& where, bool provider_selection) {
    if (!fact.is_string()) bad(where + ".fact", "a fact name must be a string");
    auto f = fact_from_name(fact.text);
    if (!f) bad(where + ".fact", "unknown fact " + quoted(fact.text));
    if (provider_selection && fact_needs_selection(*f))
        bad(where + ".fact", "a provider-selection block decides the bundle, so it cannot use fact " + quoted(fact.text));
    FactRef ref;
    ref.fact = *f;
    if (path) {
        ref.path = compile_path(*path, where + ".path");
        ref.has_path = true;
    }
    return ref;
}

Literal compile_literal(const Value& v, const std::string& where, int depth) {
    Literal lit;
    lit.kind = v.kind;
    switch (v.kind) {
        case Kind::Null: break;
        case Kind::Bool: lit.boolean = v.boolean; break;
        case Kind::String: lit.text = v.text; break;
        case Kind::Number: lit.number = number_of(v, where); break;
        case Kind::Array:
            if (depth > 0) bad(where, "nested arrays are not supported as values");
            for (std::size_t i = 0; i < v.items.size(); ++i)
                lit.items.push_back(compile_literal(v.items[i], where + "[" + std::to_string(i) + "]", depth + 1));
            break;
        case Kind::Object: bad(where, "an object value must be a fact reference {\"fact\": ...}");
    }
    return lit;
}

Condition compile_node(const Value& node, bool provider_selection, const std::string& where, int depth) {
    if (depth > 32) bad(where, "conditions nested too deep");
    if (!node.is_object()) bad(where, std::string("a condition must be an object, found ") + json::kind_name(node.kind));
    Condition c;
    const Value* all = node.find("all");
    const Value* any = node.find("any");
    const Value* not_ = node.find("not");
    int groups = (all != nullptr) + (any != nullptr) + (not_ != nullptr);
    if (groups > 1) bad(where, "a condition has exactly one of all, any, not");
    if (groups == 1) {
        only_keys(node, where, {"all", "any", "not", "name", "priority"});
        if (not_) {
            c.kind = Condition::Kind::Not;
            c.children.push_back(compile_node(*not_, provider_selection, where + ".not", depth + 1));
            return c;
        }
        const Value& list = all ? *all : *any;
        std::string here = where + (all ? ".all" : ".any");
        c.kind = all ? Condition::Kind::All : Condition::Kind::Any;
        if (!list.is_array()) bad(here, "expected an array of conditions");
        for (std::size_t i = 0; i < list.items.size(); ++i)
            c.children.push_back(
                compile_node(list.items[i], provider_selection, here + "[" + std::to_string(i) + "]", depth + 1));
        return c;
    }
    if (depth == 0) bad(where, "the top level must be all, any or not");
    if (node.find("condition")) bad(where, "shared condition references are not supported");
    only_keys(node, where, {"fact", "operator", "value", "path", "params", "name", "priority"});
    const Value* fact = node.find("fact");
    const Value* op = node.find("operator");
    const Value* value = node.find("value");
    if (!fact) bad(where, "a condition needs a fact");
    if (!op) bad(where, "a condition needs an operator");
    if (!value) bad(where, "a condition needs a value");
    if (const Value* params = node.find("params"); params && !(params->is_object() && params->members.empty()))
        bad(where + ".params", "fact params are not supported");
    c.kind = Condition::Kind::Leaf;
    c.fact = compile_fact_ref(*fact, node.find("path"), where, provider_selection);
    if (!op->is_string()) bad(where + ".operator", "an operator must be a string");
    auto o = operator_from_name(op->text);
    if (!o) bad(where + ".operator", "unknown operator " + quoted(op->text));
    c.op = *o;
    if (value->is_object()) {
        const Value* ref = value->find("fact");
        if (!ref) bad(where + ".value", "an object value must be a fact reference {\"fact\": ...}");
        only_keys(*value, where + ".value", {"fact", "path", "params"});
        c.value_is_fact = true;
        c.value_fact = compile_fact_ref(*ref, value->find("path"), where + ".value", provider_selection);
        return c;
    }
    c.value = compile_literal(*value, where + ".value", 0);
    bool is_list_op = c.op == Operator::In || c.op == Operator::NotIn;
    bool is_order_op = c.op == Operator::LessThan || c.op == Operator::LessThanInclusive ||
                       c.op == Operator::GreaterThan || c.op == Operator::GreaterThanInclusive;
    if (is_list_op && c.value.kind != Kind::Array)
        bad(where + ".value", std::string("operator ") + op->text + " needs an array value");
    if (is_order_op && c.value.kind != Kind::Number)
        bad(where + ".value", std::string("operator ") + op->text + " needs a number value");
    return c;
}

int int_key(const std::string& key, const std::string& where) {
    if (key.empty() || key.size() > 5) bad(where, "a duration key must be a number of days, found " + quoted(key));
    int days = 0;
    for (char ch : key) {
        if (ch < '0' || ch > '9') bad(where, "a duration key must be a number of days, found " + quoted(key));
        days = days * 10 + (ch - '0');
    }
    if (days <= 0) out_of_range(where, "a duration must be positive");
    return days;
}

}  // namespace

std::optional<Fact> fact_from_name(std::string_view name) {
    for (const auto& f : kFacts)
        if (name == f.name) return f.fact;
    return std::nullopt;
}

const char* fact_name(Fact fact) {
    for (const auto& f : kFacts)
        if (f.fact == fact) return f.name;
    return "?";
}

bool fact_needs_selection(Fact fact) {
    return fact == Fact::SelectedBundle || fact == Fact::PreviousBundle || fact == Fact::UnusedDays ||
           fact == Fact::IsExactMatch || fact == Fact::PreferredProvider;
}

std::optional<Operator> operator_from_name(std::string_view name) {
    for (const auto& o : kOperators)
        if (name == o.name) return o.op;
    return std::nullopt;
}

std::optional<EventType> event_type_from_name(std::string_view name) {
    if (name.size() > 64) return std::nullopt;
    std::string normal;
    for (char ch : name) normal.push_back(ch == '_' ? '-' : char(std::tolower(static_cast<unsigned char>(ch))));
    for (const auto& e : kEvents)
        if (normal == e.name) return e.type;
    return std::nullopt;
}

const char* event_type_name(EventType type) {
    for (const auto& e : kEvents)
        if (e.type == type) return e.name;
    return "?";
}

const char* event_category(EventType type) {
    for (const auto& e : kEvents)
        if (e.type == type) return e.category;
    return "?";
}

std::string block_category(std::string_view given, EventType type) {
    static const char* const kBlockTypes[] = {"cost", "markup", "discount", "unused_days_discount",
                                              "psychological_rounding", "region_rounding", "profit_constraint",
                                              "processing_fee", "custom"};
    for (const char* t : kBlockTypes)
        if (given == t) return t;
    switch (type) {
        case EventType::SetBasePrice: return "cost";
        case EventType::ApplyMarkup: return "markup";
        case EventType::ApplyDiscount: return "discount";
        case EventType::ApplyUnusedDaysDiscount: return "unused_days_discount";
        case EventType::ApplyPsychologicalRounding: return "psychological_rounding";
        case EventType::ApplyRegionRounding: return "region_rounding";
        case EventType::ApplyProfitConstraint: return "profit_constraint";
        case EventType::ApplyProcessingFee: return "processing_fee";
        case EventType::SelectProvider:
        case EventType::ApplyFixedPrice: return "custom";
    }
    return "custom";
}

Condition compile_conditions(const Value& conditions, bool provider_selection, const std::string& where) {
    return compile_node(conditions, provider_selection, where, 0);
}

EventParams compile_params(EventType type, const Value& params_in, const std::string& where) {
    static const Value empty_object = [] { Value v; v.kind = Kind::Object; return v; }();
    const Value& params = params_in.is_null() ? empty_object : object_of(params_in, where);
    EventParams out;
    auto need = [&](const char* key) -> const Value& {
        const Value* v = params.find(key);
        if (!v) bad(where, std::string("event ") + event_type_name(type) + " needs params." + key);
        return *v;
    };
    auto actions_value = [&](bool required, Cents fallback, bool allow_negative) -> Cents {
        const Value* actions = params.find("actions");
        if (!actions) {
            if (required) bad(where, std::string("event ") + event_type_name(type) + " needs params.actions.value");
            return fallback;
        }
        object_of(*actions, where + ".actions");
        only_keys(*actions, where + ".actions", {"type", "value"});
        const Value* value = actions->find("value");
        if (!value) {
            if (required) bad(where + ".actions", "needs a value");
            return fallback;
        }
        return cents_of(*value, where + ".actions.value", allow_negative);
    };
    switch (type) {
        case EventType::SelectProvider: {
            only_keys(params, where, {"type", "ruleId", "preferredProvider", "fallbackProvider"});
            const Value& preferred = need("preferredProvider");
            if (!preferred.is_string() || preferred.text.empty())
                bad(where + ".preferredProvider", "expected a provider name");
            out.provider_preference.push_back(preferred.text);
            if (const Value* fallback = params.find("fallbackProvider"); fallback && !fallback->is_null()) {
                if (!fallback->is_string() || fallback->text.empty())
                    bad(where + ".fallbackProvider", "expected a provider name");
                if (fallback->text != preferred.text) out.provider_preference.push_back(fallback->text);
            }
            break;
        }
        case EventType::SetBasePrice:
        case EventType::ApplyUnusedDaysDiscount:
            only_keys(params, where, {"type", "ruleId"});
            break;
        case EventType::ApplyMarkup: {
            only_keys(params, where, {"type", "ruleId", "markupMatrix", "value"});
            const Value* matrix = params.find("markupMatrix");
            const Value* value = params.find("value");
            if (matrix && value) bad(where, "apply-markup takes either markupMatrix or value, not both");
            if (!matrix && !value) bad(where, "apply-markup needs params.markupMatrix or params.value");
            if (value) {
                out.amount = cents_of(*value, where + ".value", true);
                break;
            }
            out.has_matrix = true;
            object_of(*matrix, where + ".markupMatrix");
            for (const auto& [key, row] : matrix->members) {
                std::string row_where = where + ".markupMatrix." + key;
                object_of(row, row_where);
                auto& target = out.markup_matrix[key];
                target.clear();
                for (const auto& [days, amount] : row.members)
                    target[int_key(days, row_where + "." + days)] = cents_of(amount, row_where + "." + days, true);
            }
            break;
        }
        case EventType::ApplyDiscount: {
            only_keys(params, where, {"type", "ruleId", "actions"});
            const Value* actions = params.find("actions");
            if (!actions) bad(where, "apply-discount needs params.actions {type, value}");
            object_of(*actions, where + ".actions");
            only_keys(*actions, where + ".actions", {"type", "value"});
            const Value* kind = actions->find("type");
            const Value* value = actions->find("value");
            if (!kind || !kind->is_string()) bad(where + ".actions.type", "expected APPLY_DISCOUNT_PERCENTAGE or APPLY_FIXED_DISCOUNT");
            if (!value) bad(where + ".actions", "needs a value");
            if (kind->text == "APPLY_DISCOUNT_PERCENTAGE") {
                out.percentage = true;
                out.percent = percent_of(*value, where + ".actions.value");
            } else if (kind->text == "APPLY_FIXED_DISCOUNT") {
                out.amount = cents_of(*value, where + ".actions.value");
            } else {
                bad(where + ".actions.type", "unknown discount type " + quoted(kind->text));
            }
            break;
        }
        case EventType::ApplyPsychologicalRounding: {
            only_keys(params, where, {"type", "ruleId", "strategy"});
            const Value& strategy = need("strategy");
            if (!strategy.is_string() || strategy.text != "nearest-whole")
                bad(where + ".strategy", "the only rounding strategy is \"nearest-whole\"");
            break;
        }
        case EventType::ApplyRegionRounding: {
            only_keys(params, where, {"type", "ruleId", "actions"});
            out.amount = actions_value(false, 99, false);
            if (out.amount >= 100) out_of_range(where + ".actions.value", "the ending must be below 1.00");
            break;
        }
        case EventType::ApplyProfitConstraint:
            only_keys(params, where, {"type", "ruleId", "value"});
            out.amount = cents_of(need("value"), where + ".value");
            break;
        case EventType::ApplyProcessingFee: {
            only_keys(params, where, {"type", "ruleId", "feesMatrix"});
            const Value& matrix = object_of(need("feesMatrix"), where + ".feesMatrix");
            for (const auto& [method, fee] : matrix.members) {
                std::string fee_where = where + ".feesMatrix." + method;
                object_of(fee, fee_where);
                only_keys(fee, fee_where, {"percentageFee", "fixedFee"});
                ProcessingFee f;
                if (const Value* p = fee.find("percentageFee")) f.percent = percent_of(*p, fee_where + ".percentageFee");
                if (const Value* x = fee.find("fixedFee")) f.fixed = cents_of(*x, fee_where + ".fixedFee");
                out.fees[method] = f;
            }
            break;
        }
        case EventType::ApplyFixedPrice:
            only_keys(params, where, {"type", "ruleId", "actions"});
            out.amount = actions_value(true, 0, false);
            break;
    }
    return out;
}

Value merge_params(const Value& params, const Value& overrides) {
    Value merged;
    merged.kind = Kind::Object;
    if (!params.is_null()) {
        object_of(params, "params");
        merged.members = params.members;
    }
    if (overrides.is_null()) return merged;
    object_of(overrides, "config_overrides");
    for (const auto& member : overrides.members) {
        const std::string& key = member.first;
        auto it = std::find_if(merged.members.begin(), merged.members.end(),
                               [&key](const auto& m) { return m.first == key; });
        if (it != merged.members.end()) it->second = member.second;
        else merged.members.emplace_back(key, member.second);
    }
    return merged;
}

Block compile_block(std::string id, std::string name, std::string_view event_type, int priority,
                    std::string_view conditions_json, std::string_view params_json) {
    Block b;
    auto type = event_type_from_name(event_type);
    if (!type) bad("event_type", "unknown event type " + quoted(event_type));
    if (priority < 0) out_of_range("priority", "a priority cannot be negative");
    b.type = *type;
    b.priority = priority;
    b.conditions = compile_conditions(json::parse(conditions_json), b.type == EventType::SelectProvider);
    b.params = compile_params(b.type, json::parse(params_json));
    b.id = std::move(id);
    b.name = std::move(name);
    return b;
}

Strategy make_strategy(std::vector<Block> blocks) {
    std::stable_sort(blocks.begin(), blocks.end(), [](const Block& a, const Block& b) { return a.priority > b.priority; });
    for (std::size_t i = 1; i < blocks.size(); ++i)
        if (blocks[i].priority == blocks[i - 1].priority)
            throw core::DomainError(core::ErrorKind::CheckViolation,
                                    "blocks " + blocks[i - 1].name + " and " + blocks[i].name +
                                        " share priority " + std::to_string(blocks[i].priority) +
                                        " in one strategy");
    Strategy s;
    s.blocks = std::move(blocks);
    return s;
}

}  // namespace esimgo::domain
