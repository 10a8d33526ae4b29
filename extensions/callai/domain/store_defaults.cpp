#include "callai/domain/store_defaults.hpp"

#include <array>
#include <string>

#include "core/errors.hpp"

namespace callai::domain {

const std::vector<DefaultSetting>& default_store_settings() {
    static const std::vector<DefaultSetting> kDefaults = {
        {"voice", "greeting_message", "\"Hello! Thank you for calling. How can I help you today?\"",
         "First words of the voice agent on an inbound call"},
        {"voice", "max_call_duration", "600", "Longest call, in seconds"},
        {"voice", "voice_model", "\"en-US-AriaNeural\"", "Text-to-speech voice"},
        {"ai", "model_provider", "\"openai\"", "Language model provider"},
        {"ai", "model_name", "\"gpt-4\"", "Language model"},
        {"ai", "max_tokens", "150", "Most tokens per reply"},
        {"ai", "temperature", "0.7", "Sampling temperature of replies"},
        {"integration", "sync_frequency", "300", "Seconds between store syncs"},
        {"integration", "auto_sync", "true", "Sync the store platform automatically"},
        {"general", "business_hours_start", "\"09:00\"", "Opening time, store time zone"},
        {"general", "business_hours_end", "\"17:00\"", "Closing time, store time zone"},
        {"general", "timezone", "\"UTC\"", "Store time zone"},
    };
    return kDefaults;
}

namespace {
constexpr std::array<const char*, 4> kRoleLabels = {"owner", "admin", "agent", "viewer"};
}

StoreRole parse_store_role(std::string_view label) {
    for (std::size_t i = 0; i < kRoleLabels.size(); ++i) {
        if (label == kRoleLabels[i]) return static_cast<StoreRole>(i);
    }
    throw pgcpp::core::DomainError(pgcpp::core::ErrorKind::InvalidText,
                                   "invalid store_member_role \"" + std::string(label) + "\"");
}

bool role_at_least(StoreRole held, StoreRole required) {
    return static_cast<int>(held) <= static_cast<int>(required);
}

bool may_grant(StoreRole granter, StoreRole granted) {
    if (granter == StoreRole::Owner) return true;
    return granter == StoreRole::Admin &&
           (granted == StoreRole::Agent || granted == StoreRole::Viewer);
}

}  // namespace callai::domain
