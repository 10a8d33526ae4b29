#include "onesim/domain/pricing.hpp"

#include <gtest/gtest.h>

#include "core/errors.hpp"

using namespace onesim::domain;
using namespace pgcpp::core;

namespace {
Decimal dec(const char* s) { return Decimal::parse(s); }

PackageKey tr_package() { return {"TR_5GB", {"TR"}, std::nullopt}; }

std::vector<MarginOverride> all_scopes() {
    return {
        {MarginScope::Global, "", dec("25.00")},
        {MarginScope::Region, "Europe", dec("20.00")},
        {MarginScope::Country, "TR", dec("15.00")},
        {MarginScope::Package, "TR_5GB", dec("10.00")},
    };
}
}  // namespace

TEST(Pricing, SampleCatalogPrice) {
    // provider $15.20 with the global 25 % margin -> $19.00 retail
    EXPECT_EQ(retail_price_usd(dec("15.2000"), dec("25.00")).to_string(), "19.0000");
    EXPECT_EQ(price_in_uzs(dec("19.0000"), dec("12650.0000")).to_string(), "240350.00");
}

TEST(Pricing, RoundsHalfAwayFromZeroTo4dp) {
    // 0.0001 x 1.5 = 0.00015 -> 0.0002
    EXPECT_EQ(retail_price_usd(dec("0.0001"), dec("50")).to_string(), "0.0002");
    // 0.0001 x 1.49 = 0.000149 -> 0.0001
    EXPECT_EQ(retail_price_usd(dec("0.0001"), dec("49")).to_string(), "0.0001");
    EXPECT_EQ(retail_price_usd(dec("0"), dec("25")).to_string(), "0.0000");
    EXPECT_EQ(retail_price_usd(dec("10.0000"), dec("0")).to_string(), "10.0000");
    // largest NUMERIC(10,4) provider price at the largest margin (500 %)
    EXPECT_EQ(retail_price_usd(dec("999999.9999"), dec("500.00")).to_string(), "5999999.9994");
}

TEST(Pricing, UzsRoundsTo2dp) {
    EXPECT_EQ(price_in_uzs(dec("0.0001"), dec("12650.0000")).to_string(), "1.27");  // 1.265
    EXPECT_EQ(price_in_uzs(dec("0.0001"), dec("12649.0000")).to_string(), "1.26");  // 1.2649
}

TEST(Pricing, MostSpecificScopeWins) {
    auto candidates = all_scopes();
    auto c = choose_margin(tr_package(), candidates);
    EXPECT_EQ(c.scope, MarginScope::Package);
    EXPECT_EQ(c.margin_percent, dec("10"));

    candidates.pop_back();  // no package override
    c = choose_margin(tr_package(), candidates);
    EXPECT_EQ(c.scope, MarginScope::Country);
    EXPECT_EQ(c.margin_percent, dec("15"));

    candidates.pop_back();  // no country override: region needs the package's region
    c = choose_margin(tr_package(), candidates);
    EXPECT_EQ(c.scope, MarginScope::Global);
    PackageKey eu{"EU_10GB", {"DE", "FR"}, std::string("Europe")};
    c = choose_margin(eu, candidates);
    EXPECT_EQ(c.scope, MarginScope::Region);
    EXPECT_EQ(c.margin_percent, dec("20"));
}

TEST(Pricing, CountryScopeNeedsExactlyOneCountry) {
    std::vector<MarginOverride> candidates = {{MarginScope::Country, "TR", dec("15")},
                                              {MarginScope::Global, "", dec("25")}};
    PackageKey multi{"EU", {"TR", "DE"}, std::nullopt};
    EXPECT_EQ(choose_margin(multi, candidates).scope, MarginScope::Global);
    PackageKey lower{"TRX", {"tr"}, std::nullopt};
    EXPECT_EQ(choose_margin(lower, candidates).scope, MarginScope::Country);
}

TEST(Pricing, NonMatchingCandidatesIgnored) {
    std::vector<MarginOverride> candidates = {{MarginScope::Package, "OTHER", dec("1")},
                                              {MarginScope::Country, "UZ", dec("2")},
                                              {MarginScope::Region, "Asia", dec("3")}};
    const auto c = choose_margin(tr_package(), candidates);
    EXPECT_EQ(c.scope, MarginScope::None);
    EXPECT_TRUE(c.margin_percent.is_zero());
}

TEST(Pricing, Errors) {
    EXPECT_THROW(retail_price_usd(dec("-1"), dec("25")), DomainError);
    EXPECT_THROW(retail_price_usd(dec("1"), dec("-25")), DomainError);
    EXPECT_THROW(price_in_uzs(dec("1"), dec("0")), DomainError);
    EXPECT_THROW(parse_margin_scope("planet"), DomainError);
    EXPECT_EQ(parse_margin_scope("region"), MarginScope::Region);
}
