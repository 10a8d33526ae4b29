#include "esim_admin/domain/text.hpp"

#include <gtest/gtest.h>

using namespace esim_admin::domain;
using pgcpp::core::DomainError;
using pgcpp::core::ErrorKind;

namespace {
template <typename F>
ErrorKind kind_of(F f) {
    try {
        f();
    } catch (const DomainError& e) {
        return e.kind();
    }
    ADD_FAILURE() << "expected a DomainError";
    return ErrorKind::NotFound;
}
}  // namespace

TEST(TicketNumber, FormatAndParseRoundTrip) {
    EXPECT_EQ(format_ticket_number(2026, 123), "TKT-2026-000123");
    EXPECT_EQ(format_ticket_number(2026, 999999), "TKT-2026-999999");
    EXPECT_EQ(format_ticket_number(2026, 1000000), "TKT-2026-1000000");
    EXPECT_EQ(format_ticket_number(2026, 99999999999LL).size(), 20u);
    EXPECT_EQ(kind_of([] { format_ticket_number(2026, 0); }), ErrorKind::OutOfRange);
    EXPECT_EQ(kind_of([] { format_ticket_number(2026, 100000000000LL); }), ErrorKind::OutOfRange);
    for (std::int64_t seq : {1LL, 42LL, 999999LL, 1000000LL, 99999999999LL}) {
        auto parsed = parse_ticket_number(format_ticket_number(2031, seq));
        ASSERT_TRUE(parsed);
        EXPECT_EQ(parsed->year, 2031);
        EXPECT_EQ(parsed->sequence, seq);
    }
    EXPECT_FALSE(parse_ticket_number("TKT-2026-00012"));
    EXPECT_FALSE(parse_ticket_number("TKT-2026-0000123"));
    EXPECT_FALSE(parse_ticket_number("TKT-2026-000000"));
    EXPECT_FALSE(parse_ticket_number("TKX-2026-000001"));
    EXPECT_FALSE(parse_ticket_number("TKT-20a6-000001"));
}

TEST(Template, SubstitutesDeclaredVariables) {
    const std::vector<std::string> declared{"first_name", "plan"};
    EXPECT_EQ(render_template("Hi {{first_name}}, your {{ plan }} is ready. {{first_name}}!", declared,
                              {{"first_name", "Ada"}, {"plan", "5GB"}}, false),
              "Hi Ada, your 5GB is ready. Ada!");
    EXPECT_EQ(render_template("no variables", {}, {}, false), "no variables");
    EXPECT_EQ(render_template("<b>{{first_name}}</b>", declared, {{"first_name", "<A&B>"}}, true),
              "<b>&lt;A&amp;B&gt;</b>");
    // A value holding braces is inserted, never expanded again.
    EXPECT_EQ(render_template("{{first_name}}", declared, {{"first_name", "{{plan}}"}}, false), "{{plan}}");
    EXPECT_EQ(render_template("{{first_name}}", declared, {{"first_name", ""}}, false), "");
}

TEST(Template, MissingOrUndeclaredIsAnError) {
    const std::vector<std::string> declared{"first_name"};
    EXPECT_EQ(kind_of([&] { render_template("{{first_name}}", declared, {}, false); }),
              ErrorKind::InvalidParameter);
    EXPECT_EQ(kind_of([&] { render_template("{{secret}}", declared, {{"secret", "x"}}, false); }),
              ErrorKind::InvalidParameter);
    EXPECT_EQ(kind_of([&] { render_template("Hi {{first_name", declared, {}, false); }),
              ErrorKind::InvalidText);
    EXPECT_EQ(kind_of([&] { render_template("{{ }}", declared, {}, false); }), ErrorKind::InvalidText);
    EXPECT_EQ(template_variables("{{a}} {{b}} {{a}}"), (std::vector<std::string>{"a", "b"}));
}

TEST(Settings, ValueMatchesDataType) {
    EXPECT_NO_THROW(check_setting_value("k", SettingType::String, ""));
    EXPECT_NO_THROW(check_setting_value("k", SettingType::Number, "-12.5e3"));
    EXPECT_NO_THROW(check_setting_value("k", SettingType::Number, "0"));
    for (const char* bad : {"", "01", "1.", ".5", "+1", "1e", "NaN", "Infinity", " 5", "5 ", "0x10"}) {
        EXPECT_EQ(kind_of([&] { check_setting_value("k", SettingType::Number, bad); }), ErrorKind::InvalidText)
            << bad;
    }
    EXPECT_NO_THROW(check_setting_value("k", SettingType::Boolean, "true"));
    EXPECT_NO_THROW(check_setting_value("k", SettingType::Boolean, "false"));
    for (const char* bad : {"TRUE", "yes", "1", "t", ""}) {
        EXPECT_EQ(kind_of([&] { check_setting_value("k", SettingType::Boolean, bad); }),
                  ErrorKind::InvalidText)
            << bad;
    }
    for (const char* good : {"{}", "[]", " {\"a\": [1, 2.5, true, null, \"x\\u00e9\"]} ", "\"s\"", "3"}) {
        EXPECT_NO_THROW(check_setting_value("k", SettingType::Json, good)) << good;
    }
    for (const char* bad : {"", "{", "{a:1}", "[1,]", "'x'", "{} {}", "\"\\x\"", "nul"}) {
        EXPECT_EQ(kind_of([&] { check_setting_value("k", SettingType::Json, bad); }), ErrorKind::InvalidText)
            << bad;
    }
    EXPECT_FALSE(is_json(std::string(1000, '[') + std::string(1000, ']')));  // depth-limited
    EXPECT_TRUE(is_json(std::string(100, '[') + std::string(100, ']')));
    EXPECT_EQ(parse_setting_type("json"), SettingType::Json);
    EXPECT_THROW(parse_setting_type("int"), DomainError);
}
