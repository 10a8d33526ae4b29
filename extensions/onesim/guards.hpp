// Guards against changes that would silently corrupt or destroy data
// (src/onesim/guards.cpp).
#pragma once

namespace onesim::guards {

// Registers onesim.allow_drop_with_data (from _PG_init).
void initialize();

}  // namespace onesim::guards
