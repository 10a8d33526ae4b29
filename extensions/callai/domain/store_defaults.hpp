// The settings every new store starts with (upstream's twelve rows) and the
// store roles.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace callai::domain {

struct DefaultSetting {
    const char* category;  // setting_category label
    const char* key;
    const char* value_json;  // the jsonb value, as JSON text
    const char* description;
};

const std::vector<DefaultSetting>& default_store_settings();

// The store_member_role enum, strongest first (its declared order):
// owner > admin > agent > viewer.
enum class StoreRole { Owner, Admin, Agent, Viewer };
StoreRole parse_store_role(std::string_view label);
// Does a member holding `held` have at least `required`?
bool role_at_least(StoreRole held, StoreRole required);
// Who may grant a role: owners any role, admins agent and viewer only.
bool may_grant(StoreRole granter, StoreRole granted);

}  // namespace callai::domain
