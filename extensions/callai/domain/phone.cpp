#include "callai/domain/phone.hpp"

namespace callai::domain {

std::optional<std::string> normalize_e164(std::string_view raw) {
    std::string digits;
    bool plus = false;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const char c = raw[i];
        if (c == ' ' || c == '.' || c == '-' || c == '(' || c == ')') continue;
        if (c == '+' && digits.empty() && !plus) {
            plus = true;
            continue;
        }
        if (c < '0' || c > '9') return std::nullopt;
        digits.push_back(c);
    }
    if (!plus) {
        if (digits.size() > 2 && digits.compare(0, 2, "00") == 0) {
            digits.erase(0, 2);
        } else {
            return std::nullopt;  // a national number: the country is unknown
        }
    }
    if (digits.size() < 2 || digits.size() > 15 || digits[0] == '0') return std::nullopt;
    return "+" + digits;
}

}  // namespace callai::domain
