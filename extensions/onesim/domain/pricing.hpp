// The catalog pricing rule, in one place.
//
//   margin      = the active margin_overrides row that applies, most specific
//                 first: scope 'package' (same package_code), else 'country'
//                 (only when the package covers exactly one country and an
//                 override exists for that code), else 'region' (the
//                 package's region), else 'global', else 0 %;
//   price_usd   = provider_price_usd x (1 + margin / 100), computed exactly,
//                 rounded half away from zero to 4 decimal places;
//   price_uzs   = price_usd x the USD->UZS rate in force, rounded half away
//                 from zero to 2 decimal places (left as given when there is
//                 no rate).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "core/errors.hpp"

namespace onesim::domain {

using pgcpp::core::Decimal;
using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;


enum class MarginScope { Package, Country, Region, Global, None };

const char* margin_scope_name(MarginScope scope) noexcept;
// 'package' | 'country' | 'region' | 'global'; anything else is InvalidParameter.
MarginScope parse_margin_scope(const std::string& name);

// One active margin_overrides row that may apply to a package.
struct MarginOverride {
    MarginScope scope;
    std::string target;  // package_code, country_code or region; empty for global
    Decimal margin_percent;
};

// What the rule needs to know about a package.
struct PackageKey {
    std::string package_code;
    std::vector<std::string> country_codes;
    std::optional<std::string> region;
};

struct MarginChoice {
    MarginScope scope;
    Decimal margin_percent;
};

// Picks the margin for `package` among `candidates` (any active overrides;
// ones that do not match the package are ignored). Country codes compare
// case-insensitively (overrides are stored upper-case).
MarginChoice choose_margin(const PackageKey& package, const std::vector<MarginOverride>& candidates);

// provider x (1 + margin/100), rounded to 4 dp. Negative inputs are
// InvalidParameter errors.
Decimal retail_price_usd(const Decimal& provider_price_usd, const Decimal& margin_percent);

// price_usd x rate, rounded to 2 dp. A non-positive rate is InvalidParameter.
Decimal price_in_uzs(const Decimal& price_usd, const Decimal& usd_uzs_rate);

}  // namespace onesim::domain
