// Provider payloads to catalog rows, with upstream's transforms (spec
// section 3): eSIM Go groups lose their hyphens and repeated spaces,
// dataAmount -1 means unlimited, the region is the most common region of the
// bundle's countries; MAYA bundles last validity_days - 1 days, have no
// groups, are unlimited with 4G/5G. Rows without a price, a duration or a
// country are skipped (counted), as upstream's workers skip them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "esimgo/domain/json.hpp"
#include "esimgo/domain/money.hpp"

namespace esimgo::domain {

struct CatalogRow {
    std::string name;
    std::string description;
    std::string provider;
    int validity_days = 0;
    Cents price = 0;
    bool is_unlimited = false;
    std::optional<long long> data_amount_mb;
    std::string data_amount_readable;
    std::optional<std::string> region;
    std::vector<std::string> groups, countries, speed;
};

struct SyncPayload {
    std::vector<CatalogRow> rows;
    int skipped = 0;
};

// Parses the payload (a JSON array of provider bundles). Structure errors:
// 22023 naming the element ("bundles[3].price").
SyncPayload parse_sync_payload(const json::Value& bundles);

std::string normalize_group(const std::string& group);

}  // namespace esimgo::domain
