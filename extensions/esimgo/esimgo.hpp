// What the library's files share: the extension's identity and the engine
// session that loads rules and catalog rows through SPI.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "esimgo/domain/engine.hpp"
#include "platform/extension.hpp"
#include "pg/postgres.hpp"

namespace esimgo {

extern const pgcpp::platform::Extension extension;

// esimgo.price_catalog_memory (kB): the most memory price_catalog gives the
// result it returns (never less than work_mem) before it spills to a
// temporary file. Default 64 MB.
extern int price_catalog_memory_kb;

// The compiled strategy for `strategy_id` (nullopt: the default strategy,
// or every active block when no default exists), kept per backend until a
// pricing rule changes. Must run inside an SPI session, as the extension's
// owner. Raises P0002 for an unknown strategy.
const domain::Strategy& strategy_for(const std::optional<std::string>& strategy_id);

// Catalog rows able to price (unlimited, with a validity and a price), all
// of them, or those of one request's scope. Inside an SPI session.
std::vector<domain::Bundle> load_catalog(const domain::Request* scope_of);

// The rows load_catalog(nullptr) gives, read by a heap scan of
// catalog_bundles under the active snapshot (for whole-catalog runs). The
// same object is returned again while the active snapshot sees exactly the
// tuple versions it was read from (api/catalog_scan.cpp).
std::shared_ptr<const std::vector<domain::Bundle>> kept_catalog();

// Whether the country is one of high_demand_countries.
bool is_high_demand(const std::string& country);

// The transaction's timestamp in microseconds since the Unix epoch.
std::int64_t transaction_time_us();

// Refuses a payment method outside upstream's set (22023).
void check_payment_method(const std::string& method);
// Refuses a day count outside 1..365 (22023).
void check_days(int days, const char* what);

// Prices one request (country / region / group optional) and returns the
// breakdown as JSON text; raises P0002 when no bundle lasts the days.
std::string price_request_json(domain::Request request, const std::optional<std::string>& strategy_id,
                               domain::PriceResult* result_out = nullptr,
                               std::vector<domain::Bundle>* catalog_out = nullptr);

}  // namespace esimgo
