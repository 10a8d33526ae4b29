// updated_at for the rows the extension writes below SQL (see timestamps.cpp).
#pragma once

#include "onesim/layers.hpp"
#include "pg/direct_write.hpp"

namespace onesim::timestamps {

// Sets the row's updated_at to now(), as touch_updated_at() would. The
// tables written below SQL (partners, partner_customers, partner_earnings)
// guard their trigger with "WHEN (NEW.updated_at IS DISTINCT FROM now() OR
// NEW.created_at IS DISTINCT FROM OLD.created_at)" (sql/onesim/32_timestamps.sql),
// so a row stamped here, its created_at untouched, skips the trigger call.
void stamp_updated_at(pg::RowImage& row);

}  // namespace onesim::timestamps
