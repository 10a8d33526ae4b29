// Phone numbers as voice platforms and stores write them, to E.164.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace callai::domain {

// "+1 (415) 555-0100", "0014155550100", "+14155550100" -> "+14155550100".
// Spaces, dots, dashes and parentheses are dropped; a leading 00 is the
// international prefix. nullopt when the rest is not + and 2..15 digits
// starting with 1-9 (upstream's E.164 check).
std::optional<std::string> normalize_e164(std::string_view raw);

}  // namespace callai::domain
