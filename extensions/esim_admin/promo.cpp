#include "esim_admin/promo.hpp"

#include <cctype>
#include <vector>

namespace esim_admin {
namespace {

PurchaseInsert* g_purchase = nullptr;

}  // namespace

domain::PromoCode promo_from_result(uint64 row, int first) {
    using core::Decimal;
    auto col = [&](int n) { return Query::value(row, first + n - 1); };
    domain::PromoCode p;
    p.code = *col(1);
    p.discount_type = domain::parse_discount_type(*col(2));
    p.discount_value = Decimal::parse(*col(3));
    if (auto m = col(4)) p.max_uses = std::stoll(*m);
    p.used_count = std::stoll(*col(5));
    p.valid_from = Decimal::parse(*col(6)).rescale(0).units();
    p.valid_to = Decimal::parse(*col(7)).rescale(0).units();
    if (col(8)) {
        std::vector<std::string> plans;
        if (auto arr = col(11)) {
            // {a,b,c}: uuids hold no comma, quote or brace.
            std::string s = arr->substr(1, arr->size() - 2);
            std::size_t pos = 0;
            while (!s.empty() && pos <= s.size()) {
                const std::size_t comma = s.find(',', pos);
                std::string item = s.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
                if (!item.empty() && item.front() == '"') item = item.substr(1, item.size() - 2);
                for (auto& ch : item) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                plans.push_back(item);
                if (comma == std::string::npos) break;
                pos = comma + 1;
            }
        }
        p.applicable_plans = plans;
    }
    p.is_active = *col(9) == "true";
    p.deleted = *col(10) == "true";
    return p;
}

PurchaseInsert::PurchaseInsert(MemoryContext result_context) : result_context_(result_context) {
    g_purchase = this;
}

PurchaseInsert::~PurchaseInsert() {
    if (g_purchase == this) g_purchase = nullptr;
}

void PurchaseInsert::offer_discount(std::string promo_id, std::string plan_id, std::string amount,
                                    std::string discount) {
    promo_id_ = std::move(promo_id);
    plan_id_ = std::move(plan_id);
    amount_ = std::move(amount);
    discount_ = std::move(discount);
}

std::optional<std::string> PurchaseInsert::take_discount(const std::string& promo_id, const std::string& plan_id,
                                                         const std::string& amount) {
    PurchaseInsert* p = g_purchase;
    if (p == nullptr || !p->discount_ || p->promo_id_ != promo_id || p->plan_id_ != plan_id || p->amount_ != amount) {
        return std::nullopt;
    }
    std::optional<std::string> discount = std::move(p->discount_);
    p->discount_.reset();
    return discount;
}

void PurchaseInsert::capture(HeapTuple row) {
    PurchaseInsert* p = g_purchase;
    if (p == nullptr || p->row_ != nullptr) return;
    MemoryContext target = p->result_context_;
    p->row_ = pg::call([&] {
        const MemoryContext old = MemoryContextSwitchTo(target);
        HeapTuple copy = heap_copytuple(row);
        MemoryContextSwitchTo(old);
        return copy;
    });
}

}  // namespace esim_admin
