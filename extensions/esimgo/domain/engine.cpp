#include "esimgo/domain/engine.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "core/errors.hpp"

namespace esimgo::domain {

namespace core = pgcpp::core;

bool in_scope(const Bundle& b, const Request& r) {
    if (!b.is_unlimited) return false;
    if (r.region && !(b.has_region && b.region == *r.region)) return false;
    if (r.country && std::find(b.countries.begin(), b.countries.end(), *r.country) == b.countries.end()) return false;
    if (r.group && !b.groups.empty() && std::find(b.groups.begin(), b.groups.end(), *r.group) == b.groups.end())
        return false;
    return true;
}

namespace {

// ---- facts and operands -------------------------------------------------

struct Facts {
    const Request* request;
    const std::vector<int>* durations;
    const std::vector<const Bundle*>* available;
    const Bundle* selected = nullptr;
    const Bundle* previous = nullptr;
    int unused_days = 0;
    const std::string* preferred = nullptr;
};

// A value a condition compares: json-rules-engine's JavaScript values,
// restricted to what facts produce. Undefined is what a path that resolves
// to nothing gives.
struct Operand {
    enum class Type { Undefined, Null, Bool, Number, String, Bundle, Strings, Numbers, Bundles } type = Type::Undefined;
    bool boolean = false;
    core::Decimal number;
    const std::string* text = nullptr;
    const Bundle* bundle = nullptr;
    const std::vector<std::string>* strings = nullptr;
    const std::vector<int>* numbers = nullptr;
    const std::vector<const Bundle*>* bundles = nullptr;
};

Operand of_number(core::Decimal d) { Operand o; o.type = Operand::Type::Number; o.number = d; return o; }
Operand of_int(long v) { return of_number(core::Decimal::from_int(v)); }
Operand of_bool(bool b) { Operand o; o.type = Operand::Type::Bool; o.boolean = b; return o; }
Operand of_string(const std::string* s) {
    Operand o;
    if (s) { o.type = Operand::Type::String; o.text = s; }
    else o.type = Operand::Type::Null;
    return o;
}
Operand of_optional(const std::optional<std::string>& s) { return of_string(s ? &*s : nullptr); }
Operand of_bundle(const Bundle* b) {
    Operand o;
    if (b) { o.type = Operand::Type::Bundle; o.bundle = b; }
    else o.type = Operand::Type::Null;
    return o;
}

Operand raw_fact(Fact f, const Facts& facts) {
    const Request& r = *facts.request;
    switch (f) {
        case Fact::RequestedGroup: return of_optional(r.group);
        case Fact::RequestedValidityDays: return of_int(r.days);
        case Fact::Country: return of_optional(r.country);
        case Fact::Region: return of_optional(r.region);
        case Fact::PaymentMethod: return of_string(&r.payment_method);
        case Fact::Durations: { Operand o; o.type = Operand::Type::Numbers; o.numbers = facts.durations; return o; }
        case Fact::AvailableBundles: { Operand o; o.type = Operand::Type::Bundles; o.bundles = facts.available; return o; }
        case Fact::SelectedBundle: return of_bundle(facts.selected);
        case Fact::PreviousBundle: return of_bundle(facts.previous);
        case Fact::UnusedDays: return of_int(facts.unused_days);
        case Fact::IsExactMatch: return of_bool(facts.selected && facts.unused_days == 0);
        case Fact::PreferredProvider: return of_string(facts.preferred);
        case Fact::IsHighDemandCountry: return of_bool(r.high_demand_country);
    }
    return {};
}

Operand bundle_field(const Bundle& b, PathStep::Field field) {
    using F = PathStep::Field;
    Operand o;
    switch (field) {
        case F::Name: return of_string(&b.name);
        case F::Provider: return of_string(&b.provider);
        case F::Region: return of_string(b.has_region ? &b.region : nullptr);
        case F::Validity: return of_int(b.validity_days);
        case F::Price: return of_number(cents_decimal(b.price));
        case F::Unlimited: return of_bool(b.is_unlimited);
        case F::Groups: o.type = Operand::Type::Strings; o.strings = &b.groups; return o;
        case F::Countries: o.type = Operand::Type::Strings; o.strings = &b.countries; return o;
        case F::Length: case F::Other: break;
    }
    return o;  // undefined
}

Operand step(const Operand& in, const PathStep& s) {
    using T = Operand::Type;
    auto length = [](std::size_t n) { return of_int(long(n)); };
    const bool is_length = s.field == PathStep::Field::Length;
    switch (in.type) {
        case T::Bundle:
            if (s.kind == PathStep::Kind::Key) return bundle_field(*in.bundle, s.field);
            return {};
        case T::Strings:
            if (s.kind == PathStep::Kind::Key) return is_length ? length(in.strings->size()) : Operand{};
            if (std::size_t(s.index) < in.strings->size()) return of_string(&(*in.strings)[s.index]);
            return {};
        case T::Numbers:
            if (s.kind == PathStep::Kind::Key) return is_length ? length(in.numbers->size()) : Operand{};
            if (std::size_t(s.index) < in.numbers->size()) return of_int((*in.numbers)[s.index]);
            return {};
        case T::Bundles:
            if (s.kind == PathStep::Kind::Key) return is_length ? length(in.bundles->size()) : Operand{};
            if (std::size_t(s.index) < in.bundles->size()) return of_bundle((*in.bundles)[s.index]);
            return {};
        case T::String:
            if (s.kind == PathStep::Kind::Key && is_length) return length(in.text->size());
            return {};
        default: return {};
    }
}

// json-rules-engine 7: a path applies to object (and array) values only; on
// a scalar or null it is ignored and the raw value compared.
Operand resolve(const FactRef& ref, const Facts& facts) {
    Operand v = raw_fact(ref.fact, facts);
    using T = Operand::Type;
    if (!ref.has_path || !(v.type == T::Bundle || v.type == T::Strings || v.type == T::Numbers || v.type == T::Bundles))
        return v;
    for (const PathStep& s : ref.path) {
        v = step(v, s);
        if (v.type == T::Undefined) break;
    }
    return v;
}

Operand literal_operand(const Literal& lit) {
    Operand o;
    switch (lit.kind) {
        case json::Kind::Null: o.type = Operand::Type::Null; break;
        case json::Kind::Bool: return of_bool(lit.boolean);
        case json::Kind::Number: return of_number(lit.number);
        case json::Kind::String: return of_string(&lit.text);
        default: break;  // arrays are handled by the list operators
    }
    return o;
}

// JavaScript's === on our operands (arrays and objects: identity).
bool strict_equal(const Operand& a, const Operand& b) {
    using T = Operand::Type;
    if (a.type != b.type) return false;
    switch (a.type) {
        case T::Undefined: case T::Null: return true;
        case T::Bool: return a.boolean == b.boolean;
        case T::Number: return a.number == b.number;
        case T::String: return *a.text == *b.text;
        case T::Bundle: return a.bundle == b.bundle;
        case T::Strings: return a.strings == b.strings;
        case T::Numbers: return a.numbers == b.numbers;
        case T::Bundles: return a.bundles == b.bundles;
    }
    return false;
}

bool literal_list_contains(const Literal& list, const Operand& needle) {
    for (const Literal& item : list.items)
        if (strict_equal(literal_operand(item), needle)) return true;
    return false;
}

// Array.prototype.includes over an operand that is an array.
bool operand_includes(const Operand& hay, const Operand& needle) {
    using T = Operand::Type;
    switch (hay.type) {
        case T::Strings:
            if (needle.type != T::String) return false;
            return std::find(hay.strings->begin(), hay.strings->end(), *needle.text) != hay.strings->end();
        case T::Numbers:
            if (needle.type != T::Number) return false;
            for (int n : *hay.numbers)
                if (core::Decimal::from_int(n) == needle.number) return true;
            return false;
        case T::Bundles:
            if (needle.type != T::Bundle) return false;
            return std::find(hay.bundles->begin(), hay.bundles->end(), needle.bundle) != hay.bundles->end();
        default: return false;
    }
}

bool is_array(const Operand& o) {
    return o.type == Operand::Type::Strings || o.type == Operand::Type::Numbers || o.type == Operand::Type::Bundles;
}

bool evaluate(const Condition& c, const Facts& facts) {
    switch (c.kind) {
        case Condition::Kind::All:
            for (const Condition& child : c.children)
                if (!evaluate(child, facts)) return false;
            return true;
        case Condition::Kind::Any:
            for (const Condition& child : c.children)
                if (evaluate(child, facts)) return true;
            return false;
        case Condition::Kind::Not: return !evaluate(c.children.front(), facts);
        case Condition::Kind::Leaf: break;
    }
    Operand left = resolve(c.fact, facts);
    bool literal_list = !c.value_is_fact && c.value.kind == json::Kind::Array;
    Operand right = c.value_is_fact ? resolve(c.value_fact, facts) : literal_operand(c.value);
    using T = Operand::Type;
    switch (c.op) {
        case Operator::Equal: return !literal_list && strict_equal(left, right);
        case Operator::NotEqual: return literal_list || !strict_equal(left, right);
        case Operator::In:
            if (literal_list) return literal_list_contains(c.value, left);
            return is_array(right) && operand_includes(right, left);
        case Operator::NotIn:
            if (literal_list) return !literal_list_contains(c.value, left);
            return !(is_array(right) && operand_includes(right, left));
        case Operator::Contains:
            return !literal_list && is_array(left) && operand_includes(left, right);
        case Operator::DoesNotContain:
            return !literal_list && is_array(left) && !operand_includes(left, right);
        case Operator::LessThan:
        case Operator::LessThanInclusive:
        case Operator::GreaterThan:
        case Operator::GreaterThanInclusive: {
            // json-rules-engine's numeric operators are false unless the fact is a number.
            if (left.type != T::Number || right.type != T::Number) return false;
            int cmp = compare(left.number, right.number);
            if (c.op == Operator::LessThan) return cmp < 0;
            if (c.op == Operator::LessThanInclusive) return cmp <= 0;
            if (c.op == Operator::GreaterThan) return cmp > 0;
            return cmp >= 0;
        }
    }
    return false;
}

bool block_in_window(const Block& b, std::int64_t now_us) {
    if (b.valid_from_us && now_us < *b.valid_from_us) return false;
    if (b.valid_until_us && now_us >= *b.valid_until_us) return false;
    return true;
}

// ---- bundle choice -------------------------------------------------------

std::size_t provider_rank(const std::vector<std::string>* preference, const std::string& provider) {
    if (!preference) return 0;
    for (std::size_t i = 0; i < preference->size(); ++i)
        if ((*preference)[i] == provider) return i;
    return preference->size();
}

// The best row of the given validity: preferred provider, then lowest cost,
// then esim_go_name.
const Bundle* best_of_validity(const std::vector<const Bundle*>& scope, int validity,
                               const std::vector<std::string>* preference) {
    const Bundle* best = nullptr;
    std::size_t best_rank = 0;
    for (const Bundle* b : scope) {
        if (b->validity_days != validity) continue;
        std::size_t rank = provider_rank(preference, b->provider);
        if (!best || rank < best_rank || (rank == best_rank && (b->price < best->price ||
                                                                (b->price == best->price && b->name < best->name)))) {
            best = b;
            best_rank = rank;
        }
    }
    return best;
}

// The group a row is priced under for the markup matrix: the requested group
// when the row has it, else (no group requested) the row's first group.
const std::string* bundle_group(const Bundle& b, const Request& r) {
    if (b.groups.empty()) return nullptr;
    if (r.group) {
        for (const std::string& g : b.groups)
            if (g == *r.group) return &g;
        return nullptr;
    }
    return &b.groups.front();
}

const std::map<int, Cents>* matrix_row(const EventParams& p, const Bundle& b, const Request& r) {
    const std::string* group = bundle_group(b, r);
    auto find = [&](const std::string& key) -> const std::map<int, Cents>* {
        auto it = p.markup_matrix.find(key);
        return it == p.markup_matrix.end() ? nullptr : &it->second;
    };
    if (group) {
        // "<provider>-<group>", in a buffer kept from call to call (no allocation per price)
        static std::string key;
        key.assign(b.provider).append(1, '-').append(*group);
        if (auto* row = find(key)) return row;
    }
    if (auto* row = find(b.provider)) return row;
    if (group) return find(*group);
    return nullptr;
}

Cents clamp_price(__int128 v) {
    if (v < 0) return 0;
    if (v > kMaxCents)
        throw core::DomainError(core::ErrorKind::OutOfRange,
                                "a price step exceeds 99999999.99");
    return static_cast<Cents>(v);
}

// Applies one event; returns the new price.
Cents apply(const Block& block, Cents p, const PriceResult& r, const Request& req) {
    const EventParams& params = block.params;
    const Bundle& sel = *r.selected;
    switch (block.type) {
        case EventType::SelectProvider: return p;
        case EventType::SetBasePrice: return sel.price;
        case EventType::ApplyMarkup: {
            if (!params.has_matrix) return clamp_price(__int128(p) + params.amount);
            const Bundle* b = sel.is_unlimited ? &sel : (r.previous && r.previous->is_unlimited ? r.previous : nullptr);
            if (!b) return p;
            const auto* row = matrix_row(params, *b, req);
            if (!row) return p;
            auto it = row->find(b->validity_days);
            return it == row->end() ? p : clamp_price(__int128(p) + it->second);
        }
        case EventType::ApplyDiscount:
            if (params.percentage) return clamp_price(__int128(p) - div_round(__int128(p) * params.percent, 1'000'000));
            return clamp_price(__int128(p) - params.amount);
        case EventType::ApplyUnusedDaysDiscount:
            if (r.unused_days <= 0 || sel.price == 0 || sel.validity_days <= 0) return p;
            // half of the daily cost for every day bought but not asked for
            return clamp_price(__int128(p) - div_round(__int128(sel.price) * r.unused_days, 2 * __int128(sel.validity_days)));
        case EventType::ApplyPsychologicalRounding: return clamp_price(div_round(p, 100) * 100);
        case EventType::ApplyRegionRounding: return clamp_price(__int128(p / 100) * 100 + params.amount);
        case EventType::ApplyProfitConstraint:
            if (__int128(p) - sel.price < params.amount) return clamp_price(__int128(sel.price) + params.amount);
            return p;
        case EventType::ApplyProcessingFee: {
            auto it = params.fees.find(req.payment_method);
            if (it == params.fees.end()) return p;
            const ProcessingFee& fee = it->second;
            return clamp_price(__int128(p) + div_round(__int128(p) * fee.percent, 1'000'000) + fee.fixed);
        }
        case EventType::ApplyFixedPrice: return params.amount;
    }
    return p;
}

}  // namespace

std::vector<int> scope_durations(const std::vector<const Bundle*>& scope) {
    // Few distinct validities: a small sorted set, no sort of the whole scope.
    std::vector<int> durations;
    durations.reserve(8);
    for (const Bundle* b : scope) {
        auto at = std::lower_bound(durations.begin(), durations.end(), b->validity_days);
        if (at == durations.end() || *at != b->validity_days) durations.insert(at, b->validity_days);
    }
    return durations;
}

ScopeIndex index_scope(const std::vector<const Bundle*>& scope) {
    ScopeIndex index;
    index.durations = scope_durations(scope);
    return index;
}

namespace {

// The best bundle of every validity of the scope under one preference, in a
// single pass: the same choice as best_of_validity for each validity.
std::vector<const Bundle*> best_by_duration(const std::vector<const Bundle*>& scope, const std::vector<int>& durations,
                                            const std::vector<std::string>* preference) {
    std::vector<const Bundle*> best(durations.size(), nullptr);
    std::vector<std::size_t> rank(durations.size(), 0);
    for (const Bundle* b : scope) {
        std::size_t i = std::size_t(std::lower_bound(durations.begin(), durations.end(), b->validity_days) - durations.begin());
        std::size_t r = provider_rank(preference, b->provider);
        const Bundle* cur = best[i];
        if (!cur || r < rank[i] || (r == rank[i] && (b->price < cur->price || (b->price == cur->price && b->name < cur->name)))) {
            best[i] = b;
            rank[i] = r;
        }
    }
    return best;
}

}  // namespace

CatalogIndex::CatalogIndex(const std::vector<Bundle>& catalog) {
    std::unordered_map<std::string_view, std::uint32_t> provider_number;
    std::vector<const std::string*>& provider_names = provider_names_;
    std::unordered_map<std::string_view, int> group_number;
    // Validities are few and small: numbered through a table over their
    // range (a sorted set when the range is wide).
    int low = 0, high = -1;
    for (const Bundle& b : catalog) {
        if (high < low) low = high = b.validity_days;
        low = std::min(low, b.validity_days);
        high = std::max(high, b.validity_days);
    }
    const bool by_table = high >= low && std::int64_t(high) - low < 4096;
    std::vector<std::uint32_t> number_of;  // validity - low -> its number + 1 (0: absent)
    if (by_table) {
        number_of.assign(std::size_t(high - low + 1), 0);
        for (const Bundle& b : catalog) number_of[std::size_t(b.validity_days - low)] = 1;
        for (std::size_t v = 0; v < number_of.size(); ++v)
            if (number_of[v]) {
                validities_.push_back(int(v) + low);
                number_of[v] = std::uint32_t(validities_.size());
            }
    } else {
        for (const Bundle& b : catalog) {
            auto at = std::lower_bound(validities_.begin(), validities_.end(), b.validity_days);
            if (at == validities_.end() || *at != b.validity_days) validities_.insert(at, b.validity_days);
        }
    }
    rows_.reserve(catalog.size());
    // Rows mostly repeat the provider and groups of a recent row: the last
    // ones are tried before the maps.
    std::uint32_t last_provider = 0;
    int last_group = -1;
    for (const Bundle& b : catalog) {
        std::uint32_t provider;
        if (!provider_names.empty() && *provider_names[last_provider] == b.provider) {
            provider = last_provider;
        } else {
            auto [p, p_added] = provider_number.emplace(b.provider, std::uint32_t(provider_names.size()));
            if (p_added) provider_names.push_back(&b.provider);
            provider = last_provider = p->second;
        }
        const std::uint32_t validity =
            by_table ? number_of[std::size_t(b.validity_days - low)] - 1
                     : std::uint32_t(std::lower_bound(validities_.begin(), validities_.end(), b.validity_days) -
                                     validities_.begin());
        Row row{&b, b.price, 0, provider, validity, std::uint32_t(row_groups_.size()), std::uint32_t(b.groups.size())};
        for (const std::string& g : b.groups) {
            int number;
            if (last_group >= 0 && *group_names_[std::size_t(last_group)] == g) {
                number = last_group;
            } else {
                auto [it, added] = group_number.emplace(g, int(group_names_.size()));
                if (added) group_names_.push_back(&g);
                number = last_group = it->second;
            }
            row_groups_.push_back(number);
            if (number < 64) row.group_mask |= std::uint64_t(1) << number;
        }
        rows_.push_back(row);
    }
    masks_ = group_names_.size() <= 64 && validities_.size() <= 64;
}

void CatalogIndex::use(const Strategy& strategy) {
    auto ranks = [&](const std::vector<std::string>* preference) {
        std::vector<std::uint32_t> rank;
        for (const std::string* name : provider_names_) rank.push_back(std::uint32_t(provider_rank(preference, *name)));
        return rank;
    };
    if (rank_.empty()) rank_.push_back(ranks(nullptr));  // number 0: no preference
    preferences_.assign(1, nullptr);
    preference_numbers_.assign(1, 0);
    for (const Block& b : strategy.blocks) {
        if (b.type != EventType::SelectProvider) continue;
        const std::vector<std::string>& preference = b.params.provider_preference;
        std::size_t n = 0;
        while (n < contents_.size() && contents_[n] != preference) ++n;
        if (n == contents_.size()) {
            contents_.push_back(preference);
            rank_.push_back(ranks(&preference));
        }
        preferences_.push_back(&preference);
        preference_numbers_.push_back(int(n + 1));
    }
}

std::vector<int> CatalogIndex::groups_of(const std::vector<std::uint32_t>& scope) const {
    std::vector<int> numbers;
    if (masks_) {
        std::uint64_t mask = 0;
        for (std::uint32_t i : scope) mask |= rows_[i].group_mask;
        for (int g = 0; g < 64; ++g)
            if (mask >> g & 1) numbers.push_back(g);
        return numbers;
    }
    for (std::uint32_t i : scope) {
        const Row& r = rows_[i];
        for (std::uint32_t k = 0; k < r.group_count; ++k) {
            int g = row_groups_[r.group_begin + k];
            auto at = std::lower_bound(numbers.begin(), numbers.end(), g);
            if (at == numbers.end() || *at != g) numbers.insert(at, g);
        }
    }
    return numbers;
}

void CatalogIndex::select(const std::vector<std::uint32_t>& scope, int group, std::vector<const Bundle*>& rows,
                          ScopeIndex& index) const {
    rows.clear();
    std::vector<std::uint32_t>& selected = index.members;
    selected.clear();
    index.durations.clear();
    index.best.clear();
    // Pass 1: the rows of the group, and which validities they have.
    std::uint64_t have = 0;
    std::vector<bool> have_slow;
    if (!masks_) have_slow.assign(validities_.size(), false);
    const std::uint64_t group_bit = masks_ && group >= 0 ? std::uint64_t(1) << group : 0;
    for (std::uint32_t i : scope) {
        const Row& r = rows_[i];
        if (group >= 0 && r.group_count > 0) {
            if (masks_) {
                if (!(r.group_mask & group_bit)) continue;
            } else {
                const int* g = row_groups_.data() + r.group_begin;
                if (std::find(g, g + r.group_count, group) == g + r.group_count) continue;
            }
        }
        rows.push_back(r.bundle);
        selected.push_back(i);
        if (masks_) have |= std::uint64_t(1) << r.validity;
        else have_slow[r.validity] = true;
    }
    // The position of each catalog validity among the scope's durations.
    index.position.assign(validities_.size(), 0);
    for (std::size_t v = 0; v < validities_.size(); ++v) {
        if (masks_ ? !(have >> v & 1) : !have_slow[v]) continue;
        index.position[v] = std::uint32_t(index.durations.size());
        index.durations.push_back(validities_[v]);
    }
    index.source = this;
}

void CatalogIndex::select_groups(const std::vector<std::uint32_t>& scope, const std::vector<int>& groups,
                                 std::vector<Selection>& out) const {
    out.resize(groups.size());
    if (!masks_) {
        for (std::size_t k = 0; k < groups.size(); ++k) select(scope, groups[k], out[k].rows, out[k].index);
        return;
    }
    int slot_of[64];
    std::fill(std::begin(slot_of), std::end(slot_of), -1);
    std::vector<std::size_t> every_row;  // the selections of group -1
    for (std::size_t k = 0; k < groups.size(); ++k) {
        if (groups[k] < 0) every_row.push_back(k);
        else slot_of[groups[k]] = int(k);
        out[k].rows.clear();
        out[k].index.members.clear();
        out[k].index.durations.clear();
        out[k].index.best.clear();
    }
    std::vector<std::uint64_t> have(groups.size(), 0);
    auto take = [&](std::size_t k, std::uint32_t i, const Row& r) {
        out[k].rows.push_back(r.bundle);
        out[k].index.members.push_back(i);
        have[k] |= std::uint64_t(1) << r.validity;
    };
    for (std::uint32_t i : scope) {
        const Row& r = rows_[i];
        if (r.group_count == 0) {  // a row without groups serves every group
            for (std::size_t k = 0; k < groups.size(); ++k) take(k, i, r);
            continue;
        }
        for (std::size_t k : every_row) take(k, i, r);
        for (std::uint64_t m = r.group_mask; m != 0; m &= m - 1) {
            const int k = slot_of[__builtin_ctzll(m)];
            if (k >= 0) take(std::size_t(k), i, r);
        }
    }
    for (std::size_t k = 0; k < groups.size(); ++k) {
        ScopeIndex& index = out[k].index;
        index.position.assign(validities_.size(), 0);
        for (std::size_t v = 0; v < validities_.size(); ++v) {
            if (!(have[k] >> v & 1)) continue;
            index.position[v] = std::uint32_t(index.durations.size());
            index.durations.push_back(validities_[v]);
        }
        index.source = this;
    }
}

CatalogIndex::RowScopes CatalogIndex::transpose(const std::vector<const std::vector<std::uint32_t>*>& scopes) const {
    RowScopes t;
    t.begin.assign(rows_.size() + 1, 0);
    for (const auto* scope : scopes)
        for (std::uint32_t i : *scope) ++t.begin[i + 1];
    for (std::size_t i = 0; i < rows_.size(); ++i) t.begin[i + 1] += t.begin[i];
    t.scope.resize(t.begin.back());
    std::vector<std::uint32_t> at(t.begin.begin(), t.begin.end() - 1);
    for (std::size_t s = 0; s < scopes.size(); ++s)
        for (std::uint32_t i : *scopes[s]) t.scope[at[i]++] = std::uint32_t(s);
    return t;
}

std::vector<std::vector<int>> CatalogIndex::groups_of_scopes(
    const std::vector<const std::vector<std::uint32_t>*>& scopes) const {
    std::vector<std::vector<int>> out(scopes.size());
    if (!masks_) {
        for (std::size_t s = 0; s < scopes.size(); ++s) out[s] = groups_of(*scopes[s]);
        return out;
    }
    const RowScopes t = transpose(scopes);
    std::vector<std::uint64_t> mask(scopes.size(), 0);
    for (std::size_t i = 0; i < rows_.size(); ++i)
        for (std::uint32_t k = t.begin[i]; k < t.begin[i + 1]; ++k) mask[t.scope[k]] |= rows_[i].group_mask;
    for (std::size_t s = 0; s < scopes.size(); ++s)
        for (int g = 0; g < 64; ++g)
            if (mask[s] >> g & 1) out[s].push_back(g);
    return out;
}

void CatalogIndex::select_scopes(const std::vector<const std::vector<std::uint32_t>*>& scopes,
                                 const std::vector<std::vector<int>>& groups,
                                 std::vector<std::vector<Selection>>& out) const {
    out.resize(scopes.size());
    if (!masks_) {
        for (std::size_t s = 0; s < scopes.size(); ++s) select_groups(*scopes[s], groups[s], out[s]);
        return;
    }
    // Per scope: the selection of each group number (-1: none), and those of
    // group -1 (every row).
    struct Slots {
        int of_group[64];
        std::vector<std::uint32_t> every_row;
    };
    std::vector<Slots> slots(scopes.size());
    std::vector<std::vector<std::uint64_t>> have(scopes.size());
    for (std::size_t s = 0; s < scopes.size(); ++s) {
        std::fill(std::begin(slots[s].of_group), std::end(slots[s].of_group), -1);
        out[s].clear();
        out[s].resize(groups[s].size());
        have[s].assign(groups[s].size(), 0);
        for (std::size_t k = 0; k < groups[s].size(); ++k) {
            if (groups[s][k] < 0) slots[s].every_row.push_back(std::uint32_t(k));
            else slots[s].of_group[groups[s][k]] = int(k);
        }
    }
    const RowScopes t = transpose(scopes);
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const Row& r = rows_[i];
        for (std::uint32_t at = t.begin[i]; at < t.begin[i + 1]; ++at) {
            const std::uint32_t s = t.scope[at];
            auto take = [&](std::size_t k) {
                out[s][k].rows.push_back(r.bundle);
                out[s][k].index.members.push_back(std::uint32_t(i));
                have[s][k] |= std::uint64_t(1) << r.validity;
            };
            if (r.group_count == 0) {  // a row without groups serves every group
                for (std::size_t k = 0; k < out[s].size(); ++k) take(k);
                continue;
            }
            for (std::uint32_t k : slots[s].every_row) take(k);
            for (std::uint64_t m = r.group_mask; m != 0; m &= m - 1) {
                const int k = slots[s].of_group[__builtin_ctzll(m)];
                if (k >= 0) take(std::size_t(k));
            }
        }
    }
    for (std::size_t s = 0; s < scopes.size(); ++s)
        for (std::size_t k = 0; k < out[s].size(); ++k) {
            ScopeIndex& index = out[s][k].index;
            index.position.assign(validities_.size(), 0);
            for (std::size_t v = 0; v < validities_.size(); ++v) {
                if (!(have[s][k] >> v & 1)) continue;
                index.position[v] = std::uint32_t(index.durations.size());
                index.durations.push_back(validities_[v]);
            }
            index.source = this;
        }
}

bool CatalogIndex::best_for(const std::vector<std::string>* preference, const ScopeIndex& index,
                            std::vector<const Bundle*>& best) const {
    const int number = preference_number(preference);
    if (number < 0) return false;
    const std::vector<std::uint32_t>& rank_of = rank_[std::size_t(number)];
    const std::size_t n = index.durations.size();
    best.assign(n, nullptr);
    std::vector<std::uint32_t> best_rank(n, 0);
    std::vector<Cents> best_price(n, 0);
    for (std::uint32_t i : index.members) {
        const Row& r = rows_[i];
        const std::uint32_t d = index.position[r.validity];
        const std::uint32_t rank = rank_of[r.provider];
        // as best_of_validity: preferred provider, then lowest cost, then esim_go_name
        if (!best[d] || rank < best_rank[d] ||
            (rank == best_rank[d] && (r.price < best_price[d] || (r.price == best_price[d] && r.bundle->name < best[d]->name)))) {
            best[d] = r.bundle;
            best_rank[d] = rank;
            best_price[d] = r.price;
        }
    }
    return true;
}

bool try_price(const Strategy& strategy, const Request& request, const std::vector<const Bundle*>& scope,
               PriceResult& out, ScopeIndex* index) {
    const std::vector<int>* given_durations = index ? &index->durations : nullptr;
    out.selected = out.previous = nullptr;
    out.unused_days = 0;
    out.cost = out.final_price = out.markup = out.discount = out.processing = out.unused_days_impact = 0;
    out.applied.clear();
    std::vector<int> computed;
    if (!given_durations) computed = scope_durations(scope);
    const std::vector<int>& durations = given_durations ? *given_durations : computed;

    Facts facts{&request, &durations, &scope};

    // Provider selection runs first: it decides the choice the other blocks see.
    const Block* selector = nullptr;
    for (const Block& b : strategy.blocks) {
        if (b.type != EventType::SelectProvider || !block_in_window(b, request.now_us)) continue;
        if (evaluate(b.conditions, facts)) { selector = &b; break; }
    }
    const std::vector<std::string>* preference = selector ? &selector->params.provider_preference : nullptr;

    auto longer = std::lower_bound(durations.begin(), durations.end(), request.days);
    if (longer == durations.end()) return false;
    int validity = *longer;
    if (index) {
        // Kept by the preference's content: by its number when the index
        // comes from a CatalogIndex that knows it, else by the content itself.
        const int number = index->source ? index->source->preference_number(preference) : -1;
        const ScopeIndex::Best* kept = nullptr;
        for (const ScopeIndex::Best& b : index->best)
            if (number >= 0 ? b.number == number : b.is(preference)) {
                kept = &b;
                break;
            }
        if (!kept) {
            ScopeIndex::Best made;
            made.preferred = preference != nullptr;
            if (preference) made.preference = *preference;
            made.number = number;
            if (!index->source || !index->source->best_for(preference, *index, made.by_duration))
                made.by_duration = best_by_duration(scope, durations, preference);
            index->best.push_back(std::move(made));
            kept = &index->best.back();
        }
        std::size_t at = std::size_t(longer - durations.begin());
        out.selected = kept->by_duration[at];
        if (at > 0) out.previous = kept->by_duration[at - 1];
    } else {
        out.selected = best_of_validity(scope, validity, preference);
        if (longer != durations.begin()) out.previous = best_of_validity(scope, *(longer - 1), preference);
    }
    out.unused_days = validity - request.days;
    out.cost = out.selected->price;

    facts.selected = out.selected;
    facts.previous = out.previous;
    facts.unused_days = out.unused_days;
    facts.preferred = preference ? &preference->front() : nullptr;

    Cents p = out.selected->price;
    for (const Block& b : strategy.blocks) {
        if (!block_in_window(b, request.now_us)) continue;
        if (b.type == EventType::SelectProvider) {
            if (&b == selector) out.applied.push_back({&b, 0});
            continue;
        }
        if (!evaluate(b.conditions, facts)) continue;
        Cents next = apply(b, p, out, request);
        Cents impact = next - p;
        p = next;
        if (impact == 0) continue;
        out.applied.push_back({&b, impact});
        switch (b.type) {
            case EventType::ApplyMarkup: out.markup += impact; break;
            case EventType::ApplyDiscount: out.discount += impact; break;
            case EventType::ApplyUnusedDaysDiscount:
                out.discount += impact;
                out.unused_days_impact += impact;
                break;
            case EventType::ApplyProcessingFee: out.processing += impact; break;
            default: break;
        }
    }
    out.discount = out.discount < 0 ? -out.discount : out.discount;
    out.final_price = p;
    return true;
}

PriceResult price(const Strategy& strategy, const Request& request, const std::vector<const Bundle*>& scope) {
    PriceResult result;
    if (!try_price(strategy, request, scope, result)) {
        std::string what = "no bundle for " + std::to_string(request.days) + " days";
        if (request.country) what += " in country " + *request.country;
        if (request.region) what += " in region " + *request.region;
        if (request.group) what += " in group " + *request.group;
        throw core::DomainError(core::ErrorKind::NotFound, what);
    }
    return result;
}

Figures figures(const PriceResult& r, int requested_days) {
    Figures f{};
    f.price_after_discount = r.cost + r.markup - r.discount;
    f.total_cost = r.cost + r.processing;
    f.final_revenue = r.final_price - r.processing;
    f.net_profit = r.final_price - r.cost - r.processing;
    Cents unused_abs = r.unused_days_impact < 0 ? -r.unused_days_impact : r.unused_days_impact;
    f.discount_per_day = r.unused_days > 0 ? Cents(div_round(unused_abs, r.unused_days)) : 0;
    Cents before_fee = r.final_price - r.processing;
    f.processing_rate_e2 = before_fee != 0 ? std::int64_t(div_round(__int128(r.processing) * 10000, before_fee)) : 0;
    Cents base = r.cost + r.markup;
    f.discount_rate_e2 = base != 0 ? std::int64_t(div_round(__int128(r.discount) * 10000, base)) : 0;
    (void)requested_days;
    return f;
}

std::string applied_rules_json(const PriceResult& r) {
    std::string out = "[";
    for (std::size_t i = 0; i < r.applied.size(); ++i) {
        const AppliedRule& a = r.applied[i];
        if (i) out.push_back(',');
        out += "{\"id\":";
        json::append_quoted(out, a.block->id);
        out += ",\"name\":";
        json::append_quoted(out, a.block->name);
        out += ",\"category\":\"";
        out += event_category(a.block->type);
        out += "\",\"impact\":";
        out += format_cents(a.impact);
        out.push_back('}');
    }
    out.push_back(']');
    return out;
}

namespace {
void append_strings(std::string& out, const std::vector<std::string>& list) {
    out.push_back('[');
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i) out.push_back(',');
        json::append_quoted(out, list[i]);
    }
    out.push_back(']');
}
void money(std::string& out, const char* key, Cents v) {
    out += ",\"";
    out += key;
    out += "\":";
    out += format_cents(v);
}
}  // namespace

std::string breakdown_json(const PriceResult& r, const Request& req) {
    Figures f = figures(r, req.days);
    const Bundle& b = *r.selected;
    std::string out = "{\"finalPrice\":" + format_cents(r.final_price);
    money(out, "cost", r.cost);
    money(out, "markup", r.markup);
    money(out, "discountValue", r.discount);
    money(out, "processingCost", r.processing);
    money(out, "processingRate", f.processing_rate_e2);
    money(out, "priceAfterDiscount", f.price_after_discount);
    money(out, "totalCost", f.total_cost);
    money(out, "finalRevenue", f.final_revenue);
    money(out, "netProfit", f.net_profit);
    money(out, "discountPerDay", f.discount_per_day);
    money(out, "discountRate", f.discount_rate_e2);
    out += ",\"unusedDays\":" + std::to_string(r.unused_days);
    out += ",\"requestedDays\":" + std::to_string(req.days);
    out += ",\"currency\":\"USD\",\"selectedBundle\":{\"esim_go_name\":";
    json::append_quoted(out, b.name);
    out += ",\"provider\":";
    json::append_quoted(out, b.provider);
    out += ",\"validity_in_days\":" + std::to_string(b.validity_days);
    out += ",\"price\":" + format_cents(b.price);
    out += ",\"is_unlimited\":";
    out += b.is_unlimited ? "true" : "false";
    out += ",\"region\":";
    if (b.has_region) json::append_quoted(out, b.region);
    else out += "null";
    out += ",\"groups\":";
    append_strings(out, b.groups);
    out += ",\"countries\":";
    append_strings(out, b.countries);
    out += "},\"appliedRules\":";
    out += applied_rules_json(r);
    out.push_back('}');
    return out;
}

}  // namespace esimgo::domain
