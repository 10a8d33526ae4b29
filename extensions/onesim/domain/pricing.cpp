#include "onesim/domain/pricing.hpp"

#include <cctype>

#include "core/errors.hpp"

namespace onesim::domain {

using pgcpp::core::Decimal;
using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;

namespace {

std::string upper(const std::string& s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

bool matches(const PackageKey& package, const MarginOverride& o) {
    switch (o.scope) {
        case MarginScope::Package: return o.target == package.package_code;
        case MarginScope::Country:
            return package.country_codes.size() == 1 &&
                   upper(package.country_codes.front()) == upper(o.target);
        case MarginScope::Region: return package.region && *package.region == o.target;
        case MarginScope::Global: return true;
        case MarginScope::None: return false;
    }
    return false;
}

}  // namespace

const char* margin_scope_name(MarginScope scope) noexcept {
    switch (scope) {
        case MarginScope::Package: return "package";
        case MarginScope::Country: return "country";
        case MarginScope::Region: return "region";
        case MarginScope::Global: return "global";
        case MarginScope::None: return "none";
    }
    return "none";
}

MarginScope parse_margin_scope(const std::string& name) {
    if (name == "package") return MarginScope::Package;
    if (name == "country") return MarginScope::Country;
    if (name == "region") return MarginScope::Region;
    if (name == "global") return MarginScope::Global;
    throw DomainError(ErrorKind::InvalidParameter,
                      "unknown margin scope \"" + name.substr(0, 32) + "\"");
}

MarginChoice choose_margin(const PackageKey& package, const std::vector<MarginOverride>& candidates) {
    // Scopes in order of precedence: the first that has a matching override wins.
    for (MarginScope scope : {MarginScope::Package, MarginScope::Country, MarginScope::Region,
                              MarginScope::Global}) {
        for (const MarginOverride& o : candidates) {
            if (o.scope == scope && matches(package, o)) return {scope, o.margin_percent};
        }
    }
    return {MarginScope::None, Decimal::from_units(0, 2)};
}

Decimal retail_price_usd(const Decimal& provider_price_usd, const Decimal& margin_percent) {
    if (provider_price_usd.is_negative()) {
        throw DomainError(ErrorKind::InvalidParameter,
                          "provider price " + provider_price_usd.to_string() + " is negative");
    }
    if (margin_percent.is_negative()) {
        throw DomainError(ErrorKind::InvalidParameter,
                          "margin " + margin_percent.to_string() + " is negative");
    }
    // provider x (100 + margin) / 100: exact, then one rounding to 4 dp.
    const Decimal factor = Decimal::from_int(100) + margin_percent;
    const Decimal product = provider_price_usd * factor;
    const Decimal divided = Decimal::from_units(product.units(), product.scale() + 2);
    return divided.rescale(4);
}

Decimal price_in_uzs(const Decimal& price_usd, const Decimal& usd_uzs_rate) {
    if (usd_uzs_rate.is_negative() || usd_uzs_rate.is_zero()) {
        throw DomainError(ErrorKind::InvalidParameter,
                          "exchange rate " + usd_uzs_rate.to_string() + " is not positive");
    }
    return (price_usd * usd_uzs_rate).rescale(2);
}

}  // namespace onesim::domain
