// A small, strict JSON reader for pricing rules and provider payloads.
//
// Rules arrive as jsonb text (numbers in plain decimal notation), so numbers
// are kept as their text and converted to exact decimals by whoever reads
// them. Parsing is bounded: nesting deeper than kMaxDepth is refused, so no
// input can exhaust the stack.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace esimgo::domain::json {

enum class Kind { Null, Bool, Number, String, Array, Object };

struct Value {
    Kind kind = Kind::Null;
    bool boolean = false;
    std::string text;  // a Number's literal text or a String's decoded UTF-8
    std::vector<Value> items;                            // Array
    std::vector<std::pair<std::string, Value>> members;  // Object, in input order

    bool is_null() const { return kind == Kind::Null; }
    bool is_object() const { return kind == Kind::Object; }
    bool is_array() const { return kind == Kind::Array; }
    bool is_string() const { return kind == Kind::String; }
    bool is_number() const { return kind == Kind::Number; }
    bool is_bool() const { return kind == Kind::Bool; }
    // The member named `key` (the last one when repeated, as jsonb keeps it).
    const Value* find(std::string_view key) const;
};

constexpr int kMaxDepth = 64;

// Parses one JSON document. Throws DomainError(InvalidText) naming the byte
// offset of the first error.
Value parse(std::string_view text);

// Appends `s` to `out` as a JSON string literal.
void append_quoted(std::string& out, std::string_view s);

// The value written back as compact JSON text.
std::string to_text(const Value& value);

const char* kind_name(Kind kind);

}  // namespace esimgo::domain::json
