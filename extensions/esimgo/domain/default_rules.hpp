// The shipped default blocks (upstream's default-rules as esimgo installs
// them), as JSON, for tests and tools that need the strategy without a
// database. The install script carries the same rows
// (sql/esimgo/70_default_rules.sql); a unit test checks they compile.
#pragma once

#include <string>
#include <vector>

namespace esimgo::domain {

struct BlockSource {
    const char* id;
    const char* name;
    const char* event_type;
    int priority;
    bool active;
    const char* conditions;
    const char* params;
};

const std::vector<BlockSource>& default_blocks();

}  // namespace esimgo::domain
