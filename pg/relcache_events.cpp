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

// This library's listeners.
std::vector<std::pair<RelcacheListener, void*>> g_listeners;
bool g_joined = false;

void dispatch_local(Oid relid) {
    for (const auto& [listener, context] : g_listeners) listener(context, relid);
}

// Every library of ours loaded in the backend shares one callback slot: the
// first to listen registers the callback and publishes this table under a
// rendezvous variable (PostgreSQL's way for modules to find each other);
// each later one adds its own dispatcher to it. Plain C data: the libraries
// share no C++ type, and may come from different builds.
constexpr int kFanoutVersion = 1;
constexpr int kFanoutSlots = 32;
struct RelcacheFanout {
    int version;
    int count;
    void (*dispatch[kFanoutSlots])(Oid relid);
};

void dispatch_all(Datum arg, Oid relid) {
    const auto* fanout = reinterpret_cast<const RelcacheFanout*>(DatumGetPointer(arg));
    for (int i = 0; i < fanout->count; ++i) fanout->dispatch[i](relid);
}

void join_fanout() {
    call([] {
        void** slot = find_rendezvous_variable("pgcpp_relcache_fanout");
        auto* fanout = static_cast<RelcacheFanout*>(*slot);
        if (fanout != nullptr && fanout->version == kFanoutVersion && fanout->count < kFanoutSlots) {
            fanout->dispatch[fanout->count++] = dispatch_local;
            return;
        }
        // First of our libraries here (or a table it cannot join): a slot of its own.
        auto* own = static_cast<RelcacheFanout*>(MemoryContextAllocZero(TopMemoryContext, sizeof(RelcacheFanout)));
        own->version = kFanoutVersion;
        own->dispatch[own->count++] = dispatch_local;
        CacheRegisterRelcacheCallback(dispatch_all, PointerGetDatum(own));
        if (fanout == nullptr) *slot = own;
    });
}

}  // namespace

void listen_to_relcache(RelcacheListener listener, void* context) {
    if (!g_joined) {
        join_fanout();
        g_joined = true;
    }
    const auto entry = std::make_pair(listener, context);
    if (std::find(g_listeners.begin(), g_listeners.end(), entry) == g_listeners.end()) {
        g_listeners.push_back(entry);
    }
}

}  // namespace pgcpp::pg
