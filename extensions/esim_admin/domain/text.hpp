// Text rules: ticket numbers, template rendering, settings values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"

namespace esim_admin::domain {

// Ticket numbers: "TKT-" year "-" a six-digit sequence number within the year
// (TKT-2026-000123), wider when a year passes 999,999 tickets (the column
// holds 20 characters: up to 11 digits). The sequence starts at 1 each year.
std::string format_ticket_number(int year, std::int64_t sequence);
struct TicketNumber {
    int year;
    std::int64_t sequence;
};
// nullopt when `text` is not a ticket number in that format.
std::optional<TicketNumber> parse_ticket_number(std::string_view text);

// Templates: "{{name}}" (spaces inside the braces allowed) is replaced by the
// value of variable `name`. A name must be declared (the template's
// `variables`), and every declared name used must have a value: an undeclared
// or missing variable is an InvalidParameter error naming it, never an empty
// hole. "{{" without a closing "}}" is InvalidText. Values are inserted as
// given; html_escape escapes them for body_html.
std::string render_template(std::string_view text, const std::vector<std::string>& declared,
                            const std::map<std::string, std::string>& values, bool html_escape);
// The names a template uses, in order of first use.
std::vector<std::string> template_variables(std::string_view text);

// system_settings.value by data_type: string (anything), number (a JSON
// number: -?digits[.digits][e[+-]digits]), boolean (true / false), json (one
// JSON value, RFC 8259). A NULL value is allowed for every type. Throws
// InvalidText naming the key otherwise.
enum class SettingType { String, Number, Boolean, Json };
SettingType parse_setting_type(const std::string& name);
void check_setting_value(const std::string& key, SettingType type, std::string_view value);

// True when `text` is exactly one JSON value (with surrounding whitespace).
bool is_json(std::string_view text);
bool is_json_number(std::string_view text);

}  // namespace esim_admin::domain
