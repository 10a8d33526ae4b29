// libFuzzer target over the rule compiler and the engine: the input is split
// at the first NUL into conditions and params, compiled for an event type
// chosen by the first byte, and, when it compiles, priced against a small
// catalog. Any crash, sanitizer report or exception other than DomainError
// is a finding; the engine's invariants are checked with __builtin_trap.
//
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -I. -Iextensions \
//     extensions/esimgo/test/fuzz/rules_fuzzer.cpp extensions/esimgo/domain/*.cpp core/decimal.cpp \
//     -o /tmp/esimgo_rules_fuzzer && /tmp/esimgo_rules_fuzzer -max_total_time=60
// (The GoogleTest fuzz in test/unit/fuzz_test.cpp runs the same checks with a fixed seed in
// every test run.)
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "esimgo/domain/engine.hpp"
#include "esimgo/domain/json.hpp"
#include "esimgo/domain/rules.hpp"

using namespace esimgo::domain;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const char* const types[] = {"select_provider", "set-base-price", "apply_markup", "apply-discount",
                                        "apply-unused-days-discount", "apply-psychological-rounding",
                                        "apply-region-rounding", "apply-profit-constraint",
                                        "apply-processing-fee", "apply-fixed-price"};
    if (size == 0) return 0;
    const char* type = types[data[0] % 10];
    std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
    std::size_t split = rest.find('\0');
    std::string conditions = rest.substr(0, split);
    std::string params = split == std::string::npos ? "{}" : rest.substr(split + 1);

    static std::vector<Bundle> catalog = [] {
        std::vector<Bundle> c(3);
        c[0].name = "a"; c[0].provider = "MAYA"; c[0].validity_days = 7; c[0].price = 999;
        c[1].name = "b"; c[1].provider = "ESIM_GO"; c[1].validity_days = 3; c[1].price = 1; c[1].groups = {"G"};
        c[2].name = "c"; c[2].provider = "ESIM_GO"; c[2].validity_days = 30; c[2].price = 0;
        for (auto& b : c) { b.is_unlimited = true; b.countries = {"FR"}; }
        return c;
    }();
    std::vector<const Bundle*> scope = {&catalog[0], &catalog[1], &catalog[2]};
    try {
        Strategy s = make_strategy({compile_block("id", "fuzz", type, 1, conditions, params)});
        for (int days : {1, 5, 30}) {
            Request r;
            r.days = days;
            r.country = "FR";
            r.payment_method = (size & 1) ? "DINERS" : "ISRAELI_CARD";
            PriceResult p = price(s, r, scope);
            Cents sum = 0;
            for (const AppliedRule& a : p.applied) sum += a.impact;
            if (p.final_price < 0 || sum != p.final_price - p.cost) __builtin_trap();
            json::parse(breakdown_json(p, r));
        }
    } catch (const pgcpp::core::DomainError&) {
    }
    return 0;
}
