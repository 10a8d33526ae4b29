// Pricing blocks: json-rules-engine rules compiled into C++ structures.
//
// A block is a condition tree (all / any / not over leaves {fact, operator,
// value, path}) and an event (type + params). Both are validated when a block
// or a strategy link is written; a bad node is refused with its path in the
// message (conditions.all[1].operator), so pricing never meets a bad rule.
// A strategy is its enabled blocks ordered by strategy priority, highest
// first, priorities distinct.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "esimgo/domain/json.hpp"
#include "esimgo/domain/money.hpp"

namespace esimgo::domain {

// One catalog row as the engine sees it (catalog_bundles).
struct Bundle {
    std::string name;  // esim_go_name
    std::string provider;
    std::string region;
    bool has_region = false;
    int validity_days = 0;
    Cents price = 0;
    bool is_unlimited = false;
    std::vector<std::string> groups;
    std::vector<std::string> countries;
};

// Facts a condition may name (json-rules-engine "fact").
enum class Fact {
    RequestedGroup,
    RequestedValidityDays,
    Country,
    Region,
    PaymentMethod,
    Durations,
    AvailableBundles,
    SelectedBundle,
    PreviousBundle,
    UnusedDays,
    IsExactMatch,
    PreferredProvider,
    IsHighDemandCountry,
};
std::optional<Fact> fact_from_name(std::string_view name);
const char* fact_name(Fact fact);
// Facts that exist only once a bundle is chosen (a provider-selection block,
// which decides the choice, cannot use them).
bool fact_needs_selection(Fact fact);

enum class Operator {
    Equal, NotEqual, In, NotIn, Contains, DoesNotContain,
    LessThan, LessThanInclusive, GreaterThan, GreaterThanInclusive,
};
std::optional<Operator> operator_from_name(std::string_view name);

// A JSONPath subset: $, .key, ['key'], [n], and .length on arrays.
struct PathStep {
    enum class Kind { Key, Index } kind = Kind::Key;
    std::string key;
    int index = 0;
    // The key read as a bundle's field or `length` (Other: any other key),
    // so that evaluating a path compares no text.
    enum class Field { Other, Name, Provider, Region, Validity, Price, Unlimited, Groups, Countries, Length };
    Field field = Field::Other;
};
PathStep::Field path_field(std::string_view key);

struct FactRef {
    Fact fact = Fact::Country;
    std::vector<PathStep> path;
    bool has_path = false;
};

// A literal operand (scalar or array of scalars).
struct Literal {
    json::Kind kind = json::Kind::Null;
    bool boolean = false;
    pgcpp::core::Decimal number;
    std::string text;
    std::vector<Literal> items;
};

struct Condition {
    enum class Kind { All, Any, Not, Leaf } kind = Kind::All;
    std::vector<Condition> children;  // All / Any; Not has exactly one
    FactRef fact;
    Operator op = Operator::Equal;
    bool value_is_fact = false;
    FactRef value_fact;
    Literal value;
};

// Event types: upstream's enum plus select-provider and apply-fixed-price,
// which its shipped rules use. Stored spelled with dashes.
enum class EventType {
    SelectProvider,
    SetBasePrice,
    ApplyMarkup,
    ApplyDiscount,
    ApplyUnusedDaysDiscount,
    ApplyPsychologicalRounding,
    ApplyRegionRounding,
    ApplyProfitConstraint,
    ApplyProcessingFee,
    ApplyFixedPrice,
};
// Accepts upstream's spellings: any case, '_' or '-' (set_base_price).
std::optional<EventType> event_type_from_name(std::string_view name);
const char* event_type_name(EventType type);  // the stored spelling
// The applied rule's category in a breakdown.
const char* event_category(EventType type);

// The block_type category esimgo stores for an imported block: the given
// one when it is a block_type value, else the one its event implies
// (upstream's free-text categories: INITIALIZATION, keep-profit, FEE, ...).
std::string block_category(std::string_view given, EventType type);

struct ProcessingFee {
    PercentE4 percent = 0;
    Cents fixed = 0;
};

struct EventParams {
    std::vector<std::string> provider_preference;  // select-provider
    bool has_matrix = false;                       // apply-markup
    std::map<std::string, std::map<int, Cents>, std::less<>> markup_matrix;
    Cents amount = 0;  // markup value, fixed discount, profit floor, fixed price, region ending
    bool percentage = false;  // apply-discount: percentage (else fixed)
    PercentE4 percent = 0;
    std::map<std::string, ProcessingFee, std::less<>> fees;  // apply-processing-fee
};

struct Block {
    std::string id;
    std::string name;
    EventType type = EventType::SetBasePrice;
    int priority = 0;
    Condition conditions;
    EventParams params;
    // Validity window in microseconds since the Unix epoch (none = open).
    std::optional<std::int64_t> valid_from_us, valid_until_us;
};

struct Strategy {
    std::vector<Block> blocks;  // priority descending
};

// Compiles a condition tree; `where` is the node's path for messages
// ("conditions"). Throws DomainError InvalidParameter (22023) naming the node.
Condition compile_conditions(const json::Value& conditions, bool provider_selection,
                             const std::string& where = "conditions");
// Compiles an event's params. Structure errors: 22023; values out of their
// range (a negative fee, a percentage over 100): CheckViolation (23514).
EventParams compile_params(EventType type, const json::Value& params, const std::string& where = "params");
// Shallow merge (keys of `overrides` replace those of `params`), as upstream's
// {...block.params, ...config_overrides}; a null side counts as {}.
json::Value merge_params(const json::Value& params, const json::Value& overrides);

// Parses and compiles one block from its stored text: the event type in any
// of upstream's spellings, the conditions and the (merged) params as JSON.
// Errors name the block and the node.
Block compile_block(std::string id, std::string name, std::string_view event_type, int priority,
                    std::string_view conditions_json, std::string_view params_json);

// Orders blocks by priority (highest first); equal priorities are refused.
Strategy make_strategy(std::vector<Block> blocks);

}  // namespace esimgo::domain
