// The partner discount ("commission") rule, in one place.
//
//   commission = retail_price x rate / 100, computed exactly, then rounded
//                half away from zero to the currency's minor units
//                (USD: 4 decimal places, UZS: 2);
//   partner_pays = retail_price - commission   (exact, so the two always add
//                                               up to the retail price);
//   partner_savings = commission.
//
// A rate is a percentage in [0, 100] with at most 2 decimal places (the
// DECIMAL(5,2) columns it is stored in). A retail price is non-negative and has
// no more decimal places than its currency.
#pragma once

#include <string_view>

#include "core/decimal.hpp"
#include "core/errors.hpp"

namespace onesim::domain {

using pgcpp::core::Decimal;
using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;


enum class Currency { USD, UZS };

// Minor-unit scale of a currency: USD 4, UZS 2.
int currency_scale(Currency currency) noexcept;
const char* currency_code(Currency currency) noexcept;
// Exact, upper-case ISO code; anything else is an InvalidParameter error.
Currency parse_currency(std::string_view code);

struct CommissionBreakdown {
    Decimal retail_price;
    Decimal rate;
    Decimal commission;
    Decimal partner_pays;
};

// Throws DomainError (InvalidParameter / OutOfRange) on a bad rate or price.
CommissionBreakdown compute_commission(const Decimal& retail_price, const Decimal& rate,
                                       Currency currency);

// Validates a rate as compute_commission does; used where only the rate is set.
void validate_commission_rate(const Decimal& rate);

}  // namespace onesim::domain
