#include "pg/relcache_events.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "pg/guard.hpp"

extern "C" {
#include "utils/inval.h"
}

namespace pgcpp::pg {
namespace {

std::vector<std::pair<RelcacheListener, void*>> g_listeners;
bool g_registered = false;

void dispatch(Datum, Oid relid) {
    for (const auto& [listener, context] : g_listeners) listener(context, relid);
}

}  // namespace

void listen_to_relcache(RelcacheListener listener, void* context) {
    if (!g_registered) {
        call([] { CacheRegisterRelcacheCallback(dispatch, Datum(0)); });
        g_registered = true;
    }
    const auto entry = std::make_pair(listener, context);
    if (std::find(g_listeners.begin(), g_listeners.end(), entry) == g_listeners.end()) {
        g_listeners.push_back(entry);
    }
}

}  // namespace pgcpp::pg
