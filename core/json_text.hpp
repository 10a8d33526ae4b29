// JSON text of a string: `s` quoted and escaped as RFC 8259 says (quote,
// backslash, and control characters; everything else, UTF-8 included, as it is).
#pragma once

#include <string>
#include <string_view>

namespace pgcpp::core {

void append_json_string(std::string& out, std::string_view s);

inline std::string json_string(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}

}  // namespace pgcpp::core
