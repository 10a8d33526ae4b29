// Promotional codes as purchase() and the transactions trigger read them,
// and the hand-over between the two: purchase() validates the code from the
// row it has read already and computes the discount, and the BEFORE INSERT
// trigger of the transaction it inserts takes that discount instead of
// reading the code again.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/counter_deltas.hpp"

#include "esim_admin/domain/money.hpp"
#include "esim_admin/support.hpp"

namespace esim_admin {

// The select list of a promotional code aliased `c`: kPromoColumnCount
// columns, read back by promo_from_result().
#define ESIM_ADMIN_PROMO_COLUMNS                                                          \
    "c.code, c.discount_type::text, c.discount_value::text, c.max_uses::text, "           \
    "c.used_count::text, "                                                                \
    "extract(epoch FROM c.valid_from - '2000-01-01 00:00:00+00')::numeric * 1000000, "    \
    "extract(epoch FROM c.valid_to - '2000-01-01 00:00:00+00')::numeric * 1000000, "      \
    "c.applicable_plans::text, c.is_active::text, (c.deleted_at IS NOT NULL)::text, "     \
    "(SELECT array_agg(p) FROM jsonb_array_elements_text(c.applicable_plans) p)::text"
inline constexpr int kPromoColumnCount = 11;

// The code in columns first .. first + kPromoColumnCount - 1 of row `row`
// of the last SPI result.
esim_admin::domain::PromoCode promo_from_result(uint64 row, int first);

// The insert purchase() makes, while it runs: the discount purchase()
// computed for one (code, plan, amount), offered to the BEFORE INSERT
// trigger and taken at most once, only by a row with exactly that code, plan
// and amount; and the row as the trigger let it through, copied into the
// memory context purchase() returns its result in (a row written below SQL
// has no RETURNING).
class PurchaseInsert {
public:
    explicit PurchaseInsert(MemoryContext result_context);
    ~PurchaseInsert();
    PurchaseInsert(const PurchaseInsert&) = delete;
    PurchaseInsert& operator=(const PurchaseInsert&) = delete;

    void offer_discount(std::string promo_id, std::string plan_id, std::string amount, std::string discount);
    // The row written, once the trigger has captured it (else nullptr).
    HeapTuple row() const { return row_; }

    // For the trigger: the discount for a row with these values, when one
    // was offered.
    static std::optional<std::string> take_discount(const std::string& promo_id, const std::string& plan_id,
                                                    const std::string& amount);
    // For the trigger: the row it lets through (the first one only).
    static void capture(HeapTuple row);

private:
    MemoryContext result_context_;
    std::optional<std::string> promo_id_, plan_id_, amount_, discount_;
    HeapTuple row_ = nullptr;
};

// promotional_codes.used_count += delta per code, in the given (id) order,
// each code's row locked first (the newest version, as an UPDATE under READ
// COMMITTED), none past max_uses (55000). Below SQL where the table allows
// it, else through an UPDATE statement.
void apply_promo_uses(const std::vector<std::pair<core::Key, std::int64_t>>& changes);

}  // namespace esim_admin
