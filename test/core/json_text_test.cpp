#include "core/json_text.hpp"

#include <gtest/gtest.h>

using pgcpp::core::json_string;

TEST(JsonText, QuotesPlainText) { EXPECT_EQ(json_string("abc"), "\"abc\""); }

TEST(JsonText, EscapesQuoteBackslashAndControls) {
    EXPECT_EQ(json_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(json_string("\n\r\t"), "\"\\n\\r\\t\"");
    EXPECT_EQ(json_string(std::string("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
    EXPECT_EQ(json_string(std::string("a\0b", 3)), "\"a\\u0000b\"");
}

TEST(JsonText, KeepsUtf8AndDel) { EXPECT_EQ(json_string("Tashkent \xC2\xB7 \x7F"), "\"Tashkent \xC2\xB7 \x7F\""); }
