// The shared layers under their short names inside OneSIM's namespaces:
// core (pure C++), pg (the PostgreSQL boundary), platform (caller identity,
// restore mode, drop guard), and OneSIM's own pure rules in domain.
#pragma once

namespace pgcpp::core {}
namespace pgcpp::pg {}
namespace pgcpp::platform {}

namespace onesim {
namespace core = pgcpp::core;
namespace pg = pgcpp::pg;
namespace platform = pgcpp::platform;
namespace domain {}
}  // namespace onesim
