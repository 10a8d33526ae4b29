#include "onesim/domain/commission.hpp"

#include <string>

#include "core/errors.hpp"

namespace onesim::domain {

using pgcpp::core::Decimal;
using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;


int currency_scale(Currency currency) noexcept { return currency == Currency::USD ? 4 : 2; }

const char* currency_code(Currency currency) noexcept {
    return currency == Currency::USD ? "USD" : "UZS";
}

Currency parse_currency(std::string_view code) {
    if (code == "USD") return Currency::USD;
    if (code == "UZS") return Currency::UZS;
    throw DomainError(ErrorKind::InvalidParameter,
                      "unsupported currency \"" + std::string(code.substr(0, 16)) + "\"",
                      {}, "Use 'USD' or 'UZS'.");
}

void validate_commission_rate(const Decimal& rate) {
    if (rate < Decimal::from_int(0) || rate > Decimal::from_int(100)) {
        throw DomainError(ErrorKind::InvalidParameter,
                          "commission rate " + rate.to_string() + " is outside 0..100",
                          "A commission rate is a percentage of the retail price.");
    }
    if (rate.significant_scale() > 2) {
        throw DomainError(ErrorKind::InvalidParameter,
                          "commission rate " + rate.to_string() + " has more than 2 decimal places");
    }
}

CommissionBreakdown compute_commission(const Decimal& retail_price, const Decimal& rate,
                                       Currency currency) {
    validate_commission_rate(rate);
    const int scale = currency_scale(currency);
    if (retail_price.is_negative()) {
        throw DomainError(ErrorKind::InvalidParameter,
                          "retail price " + retail_price.to_string() + " is negative");
    }
    if (retail_price.significant_scale() > scale) {
        throw DomainError(ErrorKind::InvalidParameter,
                          "retail price " + retail_price.to_string() + " has more than " +
                              std::to_string(scale) + " decimal places for " +
                              currency_code(currency));
    }
    const Decimal price = retail_price.rescale(scale);
    // price x rate has scale + 2 decimals; dividing by 100 adds two more.
    // Shifting the scale by 2 divides exactly, then one rounding step.
    const Decimal product = price * rate.rescale(2);
    const Decimal exact = Decimal::from_units(product.units(), product.scale() + 2);
    const Decimal commission = exact.rescale(scale);
    return CommissionBreakdown{price, rate.rescale(2), commission, price - commission};
}

}  // namespace onesim::domain
