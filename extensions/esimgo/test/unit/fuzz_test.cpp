// Fuzzing of the JSON reader and the rule compiler with a fixed seed: random
// bytes, mutated valid rules and random condition trees. Nothing may crash;
// every refusal is a DomainError of a documented kind; whatever compiles must
// price without error and keep the engine's invariants (a price is never
// negative; the applied rules' impacts add up to final price - cost).
#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "esimgo/domain/default_rules.hpp"
#include "esimgo/domain/engine.hpp"
#include "esimgo/domain/json.hpp"
#include "esimgo/domain/rules.hpp"

using namespace esimgo::domain;
namespace core = pgcpp::core;

namespace {

constexpr std::uint64_t kSeed = 20261202;

// Each event type with params it accepts (the fuzzer mutates them too).
const char* const kTypes[][2] = {
    {"select_provider", R"({"preferredProvider":"ESIM_GO","fallbackProvider":"MAYA"})"},
    {"set-base-price", "{}"},
    {"apply_markup", R"({"markupMatrix":{"MAYA":{"7":2.5},"ESIM_GO-G":{"3":-1},"G":{"30":4}}})"},
    {"apply-markup", R"({"value":-2.25})"},
    {"apply-discount", R"({"actions":{"type":"APPLY_DISCOUNT_PERCENTAGE","value":33.3333}})"},
    {"apply-discount", R"({"actions":{"type":"APPLY_FIXED_DISCOUNT","value":7.5}})"},
    {"apply-unused-days-discount", "{}"},
    {"apply-psychological-rounding", R"({"strategy":"nearest-whole"})"},
    {"apply-region-rounding", R"({"actions":{"value":0.49}})"},
    {"apply-profit-constraint", R"({"value":1.5})"},
    {"apply-processing-fee", R"({"feesMatrix":{"DINERS":{"percentageFee":3.9,"fixedFee":0.3}}})"},
    {"apply-fixed-price", R"({"actions":{"value":25}})"},
    {"bogus", "{}"},
};
constexpr int kTypeCount = sizeof(kTypes) / sizeof(kTypes[0]);

std::string random_leaf(std::mt19937_64& rng) {
    static const char* facts[] = {"country", "region", "unusedDays", "selectedBundle", "previousBundle", "durations",
                                  "availableBundles", "paymentMethod", "isHighDemandCountry", "nope"};
    static const char* ops[] = {"equal", "notEqual", "in", "notIn", "contains", "doesNotContain", "lessThan",
                                "greaterThanInclusive", "x"};
    static const char* values[] = {"1", "\"FR\"", "null", "true", "[1,\"a\",null]", "{\"fact\":\"unusedDays\"}",
                                   "2.5", "[]", "{}"};
    static const char* paths[] = {"", ",\"path\":\"$.price\"", ",\"path\":\"$.length\"", ",\"path\":\"$[0]\"",
                                  ",\"path\":\"$.groups[1]\"", ",\"path\":\"bad\""};
    return std::string("{\"fact\":\"") + facts[rng() % 10] + "\",\"operator\":\"" + ops[rng() % 9] +
           "\",\"value\":" + values[rng() % 9] + paths[rng() % 6] + "}";
}

std::string random_tree(std::mt19937_64& rng, int depth) {
    int pick = int(rng() % 4);
    if (depth > 4 || pick == 3) return random_leaf(rng);
    if (pick == 2) return "{\"not\":" + random_tree(rng, depth + 1) + "}";
    std::string out = pick == 0 ? "{\"all\":[" : "{\"any\":[";
    int n = int(rng() % 4);
    for (int i = 0; i < n; ++i) out += (i ? "," : "") + random_tree(rng, depth + 1);
    return out + "]}";
}

std::string mutate(std::string s, std::mt19937_64& rng) {
    int edits = 1 + int(rng() % 4);
    for (int i = 0; i < edits && !s.empty(); ++i) {
        std::size_t at = rng() % s.size();
        switch (rng() % 3) {
            case 0: s[at] = char(rng() % 128); break;
            case 1: s.erase(at, 1 + rng() % 3); break;
            default: s.insert(at, 1, "{}[]\",:0-.e\\"[rng() % 13]); break;
        }
    }
    return s;
}

bool documented(core::ErrorKind k) {
    return k == core::ErrorKind::InvalidParameter || k == core::ErrorKind::CheckViolation ||
           k == core::ErrorKind::InvalidText;
}

}  // namespace

TEST(Fuzz, JsonAndRulesNeverCrash) {
    std::mt19937_64 rng(kSeed);
    std::vector<Bundle> catalog(3);
    catalog[0].name = "a"; catalog[0].provider = "MAYA"; catalog[0].validity_days = 7; catalog[0].price = 999;
    catalog[1].name = "b"; catalog[1].provider = "ESIM_GO"; catalog[1].validity_days = 3; catalog[1].price = 1;
    catalog[2].name = "c"; catalog[2].provider = "ESIM_GO"; catalog[2].validity_days = 30; catalog[2].price = 0;
    for (auto& b : catalog) { b.is_unlimited = true; b.countries = {"FR"}; b.groups = {"G"}; }
    std::vector<const Bundle*> scope = {&catalog[0], &catalog[1], &catalog[2]};
    std::vector<std::string> seeds;
    for (const BlockSource& s : default_blocks()) { seeds.push_back(s.conditions); seeds.push_back(s.params); }

    int compiled = 0, refused = 0;
    const int iterations = 60000;
    for (int i = 0; i < iterations; ++i) {
        std::string conditions, params;
        int type_index = int(rng() % kTypeCount);
        const char* type = kTypes[type_index][0];
        switch (i % 4) {
            case 0: {
                std::string bytes(rng() % 40, '\0');
                for (char& c : bytes) c = char(rng() % 256);
                conditions = bytes;
                params = seeds[rng() % seeds.size()];
                break;
            }
            case 1:
                conditions = mutate(seeds[rng() % seeds.size()], rng);
                params = mutate(kTypes[type_index][1], rng);
                break;
            default:
                conditions = random_tree(rng, 0);
                params = kTypes[type_index][1];
        }
        try {
            Block b = compile_block("id", "fuzz", type, int(rng() % 5), conditions, params);
            Strategy s = make_strategy({std::move(b)});
            ++compiled;
            for (int days : {1, 5, 30}) {
                Request r;
                r.days = days;
                r.country = "FR";
                r.payment_method = (rng() & 1) ? "ISRAELI_CARD" : "DINERS";
                PriceResult p = price(s, r, scope);
                ASSERT_GE(p.final_price, 0);
                Cents sum = 0;
                for (const AppliedRule& a : p.applied) sum += a.impact;
                ASSERT_EQ(sum, p.final_price - p.cost);
                json::parse(breakdown_json(p, r));  // always valid JSON
            }
        } catch (const core::DomainError& e) {
            ASSERT_TRUE(documented(e.kind())) << e.what();
            ++refused;
        }
    }
    std::cout << "fuzz: " << iterations << " inputs, " << compiled << " compiled, " << refused << " refused\n";
    EXPECT_GT(compiled, 1000);
    EXPECT_GT(refused, 1000);
}
