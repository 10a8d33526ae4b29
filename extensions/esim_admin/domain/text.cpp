#include "esim_admin/domain/text.hpp"

#include <algorithm>
#include <cctype>

namespace esim_admin::domain {
namespace {

using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// A recursive-descent JSON checker; depth-limited so a hostile value cannot
// exhaust the stack.
class JsonChecker {
public:
    explicit JsonChecker(std::string_view s) : s_(s) {}

    bool whole() {
        skip_ws();
        if (!value(0)) return false;
        skip_ws();
        return i_ == s_.size();
    }

    bool number_only() {
        skip_ws();
        if (!number()) return false;
        skip_ws();
        return i_ == s_.size();
    }

private:
    static constexpr int kMaxDepth = 200;

    void skip_ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
            ++i_;
    }
    bool eat(char c) {
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    bool literal(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }
    bool digits() {
        const std::size_t start = i_;
        while (i_ < s_.size() && is_digit(s_[i_])) ++i_;
        return i_ > start;
    }
    bool number() {
        eat('-');
        if (eat('0')) {
            // no leading zeros
        } else if (!digits()) {
            return false;
        }
        if (eat('.') && !digits()) return false;
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (!eat('+')) eat('-');
            if (!digits()) return false;
        }
        return true;
    }
    bool string() {
        if (!eat('"')) return false;
        while (i_ < s_.size()) {
            const unsigned char c = static_cast<unsigned char>(s_[i_++]);
            if (c == '"') return true;
            if (c < 0x20) return false;
            if (c == '\\') {
                if (i_ >= s_.size()) return false;
                const char e = s_[i_++];
                if (e == 'u') {
                    for (int k = 0; k < 4; ++k) {
                        if (i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_])))
                            return false;
                        ++i_;
                    }
                } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                    return false;
                }
            }
        }
        return false;
    }
    bool value(int depth) {
        if (depth > kMaxDepth) return false;
        skip_ws();
        if (i_ >= s_.size()) return false;
        switch (s_[i_]) {
            case '{': {
                ++i_;
                skip_ws();
                if (eat('}')) return true;
                do {
                    skip_ws();
                    if (!string()) return false;
                    skip_ws();
                    if (!eat(':')) return false;
                    if (!value(depth + 1)) return false;
                    skip_ws();
                } while (eat(','));
                return eat('}');
            }
            case '[': {
                ++i_;
                skip_ws();
                if (eat(']')) return true;
                do {
                    if (!value(depth + 1)) return false;
                    skip_ws();
                } while (eat(','));
                return eat(']');
            }
            case '"': return string();
            case 't': return literal("true");
            case 'f': return literal("false");
            case 'n': return literal("null");
            default: return number();
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

void append_escaped(std::string& out, const std::string& value) {
    for (char c : value) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
}

bool valid_name(std::string_view name) {
    if (name.empty()) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
    });
}

// Calls on_text(text) for literal parts and on_var(name) for each "{{name}}".
template <typename OnText, typename OnVar>
void scan_template(std::string_view text, OnText on_text, OnVar on_var) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = text.find("{{", pos);
        if (open == std::string_view::npos) {
            on_text(text.substr(pos));
            return;
        }
        on_text(text.substr(pos, open - pos));
        const std::size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            throw DomainError(ErrorKind::InvalidText, "template has \"{{\" without a closing \"}}\"",
                              "At character " + std::to_string(open + 1) + ".");
        }
        const std::string_view name = trim(text.substr(open + 2, close - open - 2));
        if (!valid_name(name)) {
            throw DomainError(ErrorKind::InvalidText,
                              "template variable \"" + std::string(name) + "\" is not a name",
                              "Names are letters, digits, _ and .");
        }
        on_var(std::string(name));
        pos = close + 2;
    }
}

}  // namespace

std::string format_ticket_number(int year, std::int64_t sequence) {
    if (year < 1000 || year > 9999) {
        throw DomainError(ErrorKind::OutOfRange, "ticket year out of range: " + std::to_string(year));
    }
    if (sequence < 1 || sequence > 99999999999LL) {
        throw DomainError(ErrorKind::OutOfRange,
                          "ticket sequence out of range: " + std::to_string(sequence));
    }
    std::string digits = std::to_string(sequence);
    if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
    return "TKT-" + std::to_string(year) + "-" + digits;
}

std::optional<TicketNumber> parse_ticket_number(std::string_view text) {
    if (text.size() < 15 || text.size() > 20 || text.substr(0, 4) != "TKT-" || text[8] != '-') {
        return std::nullopt;
    }
    const std::string_view year = text.substr(4, 4);
    const std::string_view seq = text.substr(9);
    if (!std::all_of(year.begin(), year.end(), is_digit) ||
        !std::all_of(seq.begin(), seq.end(), is_digit) || year[0] == '0') {
        return std::nullopt;
    }
    // Six digits exactly, or more without a leading zero: one text per number.
    if (seq.size() > 6 && seq[0] == '0') return std::nullopt;
    const std::int64_t sequence = std::stoll(std::string(seq));
    if (sequence < 1) return std::nullopt;
    return TicketNumber{std::stoi(std::string(year)), sequence};
}

std::vector<std::string> template_variables(std::string_view text) {
    std::vector<std::string> names;
    scan_template(
        text, [](std::string_view) {},
        [&](const std::string& name) {
            if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        });
    return names;
}

std::string render_template(std::string_view text, const std::vector<std::string>& declared,
                            const std::map<std::string, std::string>& values, bool html_escape) {
    std::string out;
    out.reserve(text.size());
    scan_template(
        text, [&](std::string_view literal) { out.append(literal); },
        [&](const std::string& name) {
            if (std::find(declared.begin(), declared.end(), name) == declared.end()) {
                throw DomainError(ErrorKind::InvalidParameter,
                                  "template variable \"" + name + "\" is not declared",
                                  "Declare it in the template's variables.");
            }
            const auto it = values.find(name);
            if (it == values.end()) {
                throw DomainError(ErrorKind::InvalidParameter,
                                  "template variable \"" + name + "\" has no value",
                                  "Pass every variable the template uses.");
            }
            if (html_escape) {
                append_escaped(out, it->second);
            } else {
                out += it->second;
            }
        });
    return out;
}

SettingType parse_setting_type(const std::string& name) {
    if (name == "string") return SettingType::String;
    if (name == "number") return SettingType::Number;
    if (name == "boolean") return SettingType::Boolean;
    if (name == "json") return SettingType::Json;
    throw DomainError(ErrorKind::InvalidParameter, "unknown data_type \"" + name + "\"",
                      "Expected string, number, boolean or json.");
}

bool is_json(std::string_view text) { return JsonChecker(text).whole(); }

bool is_json_number(std::string_view text) {
    // No surrounding blanks for a number setting: " 5" is not a number value.
    if (text.empty() || text != trim(text)) return false;
    return JsonChecker(text).number_only();
}

void check_setting_value(const std::string& key, SettingType type, std::string_view value) {
    auto bad = [&](const char* what) {
        const std::string shown(value.substr(0, 64));
        return DomainError(ErrorKind::InvalidText,
                           "setting " + key + " expects " + what + ", got \"" + shown + "\"");
    };
    switch (type) {
        case SettingType::String: return;
        case SettingType::Number:
            if (!is_json_number(value)) throw bad("a number");
            return;
        case SettingType::Boolean:
            if (value != "true" && value != "false") throw bad("true or false");
            return;
        case SettingType::Json:
            if (!is_json(value)) throw bad("a JSON value");
            return;
    }
}

}  // namespace esim_admin::domain
