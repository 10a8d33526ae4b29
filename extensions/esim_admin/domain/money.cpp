#include "esim_admin/domain/money.hpp"

#include <algorithm>

namespace esim_admin::domain {
namespace {

const Decimal kZero = Decimal::from_int(0);
const Decimal kHundred = Decimal::from_int(100);

std::string money_text(const Decimal& d) { return d.rescale(kMoneyScale).to_string(); }

// round(a / b, scale) half away from zero, for b != 0, exactly.
Decimal divide_rounded(const Decimal& a, const Decimal& b, int scale) {
    using Units = Decimal::Units;
    // a / b = (ua / 10^sa) / (ub / 10^sb); bring both to one scale s so that
    // the quotient of the units is the value, then scale the numerator for
    // the digits wanted plus one for rounding.
    const int s = std::max(a.scale(), b.scale());
    Units num = a.rescale(s).units();
    const Units den = b.rescale(s).units();
    for (int i = 0; i < scale; ++i) {
        if (__builtin_mul_overflow(num, Units(10), &num)) {
            throw DomainError(ErrorKind::OutOfRange, "numeric value out of range in division");
        }
    }
    Units q = num / den;
    const Units r = num % den;
    const Units twice_r = (r < 0 ? -r : r) * 2;
    const Units abs_den = den < 0 ? -den : den;
    if (twice_r >= abs_den) q += ((num < 0) != (den < 0)) ? -1 : 1;
    return Decimal::from_units(q, scale);
}

}  // namespace

Decimal max_money() { return Decimal::parse("99999999.99"); }

Decimal to_money(const Decimal& value, const char* what) {
    const Decimal cents = value.rescale(kMoneyScale);
    if (cents > max_money() || cents < -max_money()) {
        throw DomainError(ErrorKind::OutOfRange,
                          std::string(what) + " out of range: " + cents.to_string(),
                          "Amounts are NUMERIC(10,2): at most 99999999.99.");
    }
    return cents;
}

DiscountType parse_discount_type(const std::string& name) {
    if (name == "percentage") return DiscountType::Percentage;
    if (name == "fixed_amount") return DiscountType::FixedAmount;
    throw DomainError(ErrorKind::InvalidParameter, "unknown discount_type \"" + name + "\"",
                      "Expected percentage or fixed_amount.");
}

std::optional<std::string> promo_refusal(const PromoCode& promo, const std::string& plan_id,
                                         Timestamp at) {
    if (promo.deleted) return "promotional code " + promo.code + " does not exist";
    if (!promo.is_active) return "promotional code " + promo.code + " is not active";
    if (at < promo.valid_from) return "promotional code " + promo.code + " is not valid yet";
    if (at >= promo.valid_to) return "promotional code " + promo.code + " has expired";
    if (promo.max_uses && promo.used_count >= *promo.max_uses) {
        return "promotional code " + promo.code + " has no uses left";
    }
    if (promo.applicable_plans) {
        const auto& plans = *promo.applicable_plans;
        if (std::find(plans.begin(), plans.end(), plan_id) == plans.end()) {
            return "promotional code " + promo.code + " does not apply to this plan";
        }
    }
    return std::nullopt;
}

void check_promo_usable(const PromoCode& promo, const std::string& plan_id, Timestamp at) {
    if (auto refusal = promo_refusal(promo, plan_id, at)) {
        throw DomainError(ErrorKind::Conflict, *refusal);
    }
}

void check_promo_definition(const PromoCode& promo) {
    if (promo.discount_value <= kZero) {
        throw DomainError(ErrorKind::CheckViolation, "discount_value must be greater than zero");
    }
    if (promo.discount_type == DiscountType::Percentage && promo.discount_value > kHundred) {
        throw DomainError(ErrorKind::CheckViolation,
                          "a percentage discount_value must not exceed 100");
    }
    if (promo.valid_from >= promo.valid_to) {
        throw DomainError(ErrorKind::CheckViolation, "valid_from must be before valid_to");
    }
    if (promo.max_uses && *promo.max_uses < 1) {
        throw DomainError(ErrorKind::CheckViolation, "max_uses must be at least 1 when set");
    }
    if (promo.used_count < 0) {
        throw DomainError(ErrorKind::CheckViolation, "used_count must not be negative");
    }
}

Decimal discount_for(const PromoCode& promo, const Decimal& amount) {
    if (amount.is_negative()) {
        throw DomainError(ErrorKind::InvalidParameter, "amount must not be negative");
    }
    Decimal discount = promo.discount_type == DiscountType::Percentage
                           ? (amount * promo.discount_value * Decimal::parse("0.01"))
                           : promo.discount_value;
    discount = discount.rescale(kMoneyScale);
    if (discount.is_negative()) discount = kZero.rescale(kMoneyScale);
    if (discount > amount) discount = amount.rescale(kMoneyScale);
    return discount;
}

Decimal transaction_total(const Decimal& amount, const Decimal& discount, const Decimal& tax) {
    if (amount.is_negative()) {
        throw DomainError(ErrorKind::CheckViolation, "amount must not be negative");
    }
    if (discount.is_negative()) {
        throw DomainError(ErrorKind::CheckViolation, "discount_amount must not be negative");
    }
    if (discount > amount) {
        throw DomainError(ErrorKind::CheckViolation,
                          "discount_amount " + money_text(discount) + " exceeds amount " +
                              money_text(amount));
    }
    if (tax.is_negative()) {
        throw DomainError(ErrorKind::CheckViolation, "tax_amount must not be negative");
    }
    return to_money(amount - discount + tax, "total_amount");
}

void check_refund_fits(const Decimal& total, const Decimal& committed, const Decimal& requested) {
    if (requested <= kZero) {
        throw DomainError(ErrorKind::CheckViolation, "a refund amount must be greater than zero");
    }
    if (committed + requested > total) {
        const Decimal left = std::max(total - committed, kZero);
        throw DomainError(ErrorKind::Conflict,
                          "refund of " + money_text(requested) + " exceeds what is left to refund",
                          "Transaction total " + money_text(total) + ", already refunded or pending " +
                              money_text(committed) + ", refundable " + money_text(left) + ".");
    }
}

void check_pool(const std::optional<Decimal>& available_gb, const Decimal& allocated_mb_total) {
    if (!available_gb) return;
    const Decimal capacity_mb = *available_gb * Decimal::from_int(1024);
    if (allocated_mb_total > capacity_mb) {
        throw DomainError(ErrorKind::Conflict, "the provider's data pool is exhausted",
                          "Allocated " + allocated_mb_total.to_string() + " MB of " +
                              capacity_mb.rescale(kMoneyScale).to_string() + " MB available.");
    }
}

std::optional<Decimal> markup_percentage(const Decimal& cost, const Decimal& selling) {
    if (cost.is_negative() || selling.is_negative()) {
        throw DomainError(ErrorKind::CheckViolation, "prices must not be negative");
    }
    if (cost.is_zero()) return std::nullopt;
    const Decimal markup = divide_rounded((selling - cost) * kHundred, cost, kMoneyScale);
    if (markup > Decimal::parse("999.99") || markup < Decimal::parse("-999.99")) {
        throw DomainError(ErrorKind::OutOfRange,
                          "markup_percentage " + markup.to_string() + " does not fit NUMERIC(5,2)",
                          "The selling price is more than 10.9 times the cost price.");
    }
    return markup;
}

bool markup_consistent(const Decimal& cost, const Decimal& selling,
                       const std::optional<Decimal>& given) {
    const auto computed = markup_percentage(cost, selling);
    if (!computed || !given) return !computed && !given;
    return *computed == given->rescale(kMoneyScale);
}

}  // namespace esim_admin::domain
