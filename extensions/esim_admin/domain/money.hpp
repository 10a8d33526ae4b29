// The panel's money rules, in one place.
//
// Rounding rule (the only one): amounts are NUMERIC(10,2); a computed amount
// (a percentage discount, a markup) is computed exactly and rounded half away
// from zero to 2 decimal places, PostgreSQL's round(numeric, 2).
//
//   discount     percentage: amount x value / 100, rounded; fixed_amount: the
//                value; never more than the amount (a purchase never goes
//                below zero) and never negative;
//   total_amount amount - discount_amount + tax_amount, exact (all three are
//                already cents);
//   refunds      the pending and processed refunds of a transaction never sum
//                to more than its total_amount; a processed sum equal to the
//                total is a full refund;
//   markup       (selling - cost) / cost x 100, rounded to 2 dp; a zero cost
//                has no markup (NULL).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "core/errors.hpp"

namespace esim_admin::domain {

using pgcpp::core::Decimal;
using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;

constexpr int kMoneyScale = 2;
// NUMERIC(10,2): the largest magnitude is 99,999,999.99.
Decimal max_money();

// Rounds half away from zero to cents; out of NUMERIC(10,2) is OutOfRange.
Decimal to_money(const Decimal& value, const char* what);

enum class DiscountType { Percentage, FixedAmount };
DiscountType parse_discount_type(const std::string& name);

// Microseconds since 2000-01-01 UTC (PostgreSQL's timestamptz).
using Timestamp = std::int64_t;

// What validation needs to know about a promotional_codes row.
struct PromoCode {
    std::string code;
    DiscountType discount_type = DiscountType::Percentage;
    Decimal discount_value;
    std::optional<std::int64_t> max_uses;
    std::int64_t used_count = 0;
    Timestamp valid_from = 0;
    Timestamp valid_to = 0;
    // Plan ids as canonical uuid text; nullopt = every plan.
    std::optional<std::vector<std::string>> applicable_plans;
    bool is_active = true;
    bool deleted = false;
};

// Why a code cannot be used (for the message), or nullopt when it can.
std::optional<std::string> promo_refusal(const PromoCode& promo, const std::string& plan_id,
                                         Timestamp at);

// Throws CheckViolation-free Conflict (55000) with the refusal when the code
// cannot be used for plan_id at `at`.
void check_promo_usable(const PromoCode& promo, const std::string& plan_id, Timestamp at);

// Checks a code's own definition: value > 0, a percentage <= 100, valid_from
// < valid_to, max_uses >= 1 when set, used_count within [0, max_uses].
void check_promo_definition(const PromoCode& promo);

// The discount the code gives on `amount` (>= 0): rounded to cents, within
// [0, amount].
Decimal discount_for(const PromoCode& promo, const Decimal& amount);

// amount - discount + tax, after checking each: amount >= 0, 0 <= discount
// <= amount, tax >= 0; the result fits NUMERIC(10,2).
Decimal transaction_total(const Decimal& amount, const Decimal& discount, const Decimal& tax);

// Checks that a new refund of `requested` fits: requested > 0 and
// committed + requested <= total (committed = the pending and processed
// refunds already recorded, this one excluded). Conflict (55000) otherwise.
void check_refund_fits(const Decimal& total, const Decimal& committed, const Decimal& requested);

// A provider's data pool: the allocations drawn from it (in MB) never exceed
// its available_data_gb x 1024. Conflict (55000) otherwise; an unmetered
// pool (nullopt) takes anything.
void check_pool(const std::optional<Decimal>& available_gb, const Decimal& allocated_mb_total);

// Markup of selling over cost in percent, rounded to 2 dp; nullopt for a zero
// cost. Negative prices are InvalidParameter; a markup beyond NUMERIC(5,2)
// is OutOfRange.
std::optional<Decimal> markup_percentage(const Decimal& cost, const Decimal& selling);

// A given markup agrees with cost and selling price when it equals the
// computed one (both rounded to cents), or both are absent.
bool markup_consistent(const Decimal& cost, const Decimal& selling,
                       const std::optional<Decimal>& given);

}  // namespace esim_admin::domain
