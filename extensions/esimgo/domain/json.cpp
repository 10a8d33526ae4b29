#include "esimgo/domain/json.hpp"

#include <cstdint>

#include "core/errors.hpp"
#include "core/json_text.hpp"

namespace esimgo::domain::json {

namespace core = pgcpp::core;

const Value* Value::find(std::string_view key) const {
    const Value* found = nullptr;
    for (const auto& member : members)
        if (member.first == key) found = &member.second;
    return found;
}

const char* kind_name(Kind kind) {
    switch (kind) {
        case Kind::Null: return "null";
        case Kind::Bool: return "boolean";
        case Kind::Number: return "number";
        case Kind::String: return "string";
        case Kind::Array: return "array";
        case Kind::Object: return "object";
    }
    return "value";
}

namespace {

class Parser {
public:
    explicit Parser(std::string_view text) : text_(text) {}

    Value document() {
        Value value = parse_value(0);
        skip_space();
        if (pos_ != text_.size()) fail("unexpected text after the JSON value");
        return value;
    }

private:
    [[noreturn]] void fail(const char* what) const {
        throw core::DomainError(core::ErrorKind::InvalidText,
                                std::string("invalid JSON: ") + what + " at offset " + std::to_string(pos_));
    }

    void skip_space() {
        while (pos_ < text_.size() &&
               (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
            ++pos_;
    }

    bool consume(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    Value parse_value(int depth) {
        if (depth > kMaxDepth) fail("nesting too deep");
        skip_space();
        if (pos_ >= text_.size()) fail("unexpected end of input");
        Value value;
        char c = text_[pos_];
        if (c == '{') {
            value.kind = Kind::Object;
            ++pos_;
            skip_space();
            if (pos_ < text_.size() && text_[pos_] == '}') { ++pos_; return value; }
            for (;;) {
                skip_space();
                if (pos_ >= text_.size() || text_[pos_] != '"') fail("expected a member name");
                std::string key = parse_string();
                skip_space();
                if (pos_ >= text_.size() || text_[pos_] != ':') fail("expected ':'");
                ++pos_;
                value.members.emplace_back(std::move(key), parse_value(depth + 1));
                skip_space();
                if (pos_ < text_.size() && text_[pos_] == ',') { ++pos_; continue; }
                if (pos_ < text_.size() && text_[pos_] == '}') { ++pos_; return value; }
                fail("expected ',' or '}'");
            }
        }
        if (c == '[') {
            value.kind = Kind::Array;
            ++pos_;
            skip_space();
            if (pos_ < text_.size() && text_[pos_] == ']') { ++pos_; return value; }
            for (;;) {
                value.items.push_back(parse_value(depth + 1));
                skip_space();
                if (pos_ < text_.size() && text_[pos_] == ',') { ++pos_; continue; }
                if (pos_ < text_.size() && text_[pos_] == ']') { ++pos_; return value; }
                fail("expected ',' or ']'");
            }
        }
        if (c == '"') {
            value.kind = Kind::String;
            value.text = parse_string();
            return value;
        }
        if (consume("true")) { value.kind = Kind::Bool; value.boolean = true; return value; }
        if (consume("false")) { value.kind = Kind::Bool; return value; }
        if (consume("null")) return value;
        if (c == '-' || (c >= '0' && c <= '9')) {
            value.kind = Kind::Number;
            value.text = parse_number();
            return value;
        }
        fail("unexpected character");
    }

    std::string parse_number() {
        std::size_t start = pos_;
        if (text_[pos_] == '-') ++pos_;
        auto digits = [&] {
            std::size_t from = pos_;
            while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
            return pos_ - from;
        };
        std::size_t int_start = pos_;
        if (digits() == 0) fail("expected digits");
        if (text_[int_start] == '0' && pos_ - int_start > 1) fail("leading zero in a number");
        if (pos_ < text_.size() && text_[pos_] == '.') {
            ++pos_;
            if (digits() == 0) fail("expected digits after '.'");
        }
        if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
            if (digits() == 0) fail("expected exponent digits");
        }
        return std::string(text_.substr(start, pos_ - start));
    }

    unsigned hex4() {
        if (pos_ + 4 > text_.size()) fail("short \\u escape");
        unsigned v = 0;
        for (int i = 0; i < 4; ++i) {
            char h = text_[pos_++];
            v <<= 4;
            if (h >= '0' && h <= '9') v |= unsigned(h - '0');
            else if (h >= 'a' && h <= 'f') v |= unsigned(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') v |= unsigned(h - 'A' + 10);
            else fail("bad \\u escape");
        }
        return v;
    }

    static void append_utf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) out.push_back(char(cp));
        else if (cp < 0x800) { out.push_back(char(0xC0 | (cp >> 6))); out.push_back(char(0x80 | (cp & 0x3F))); }
        else if (cp < 0x10000) {
            out.push_back(char(0xE0 | (cp >> 12)));
            out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(char(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(char(0xF0 | (cp >> 18)));
            out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(char(0x80 | (cp & 0x3F)));
        }
    }

    std::string parse_string() {
        ++pos_;  // opening quote
        std::string out;
        for (;;) {
            if (pos_ >= text_.size()) fail("unterminated string");
            unsigned char c = static_cast<unsigned char>(text_[pos_++]);
            if (c == '"') return out;
            if (c < 0x20) fail("control character in a string");
            if (c != '\\') { out.push_back(char(c)); continue; }
            if (pos_ >= text_.size()) fail("unterminated escape");
            char e = text_[pos_++];
            switch (e) {
                case '"': out.push_back('"'); break;
                case '\\': out.push_back('\\'); break;
                case '/': out.push_back('/'); break;
                case 'b': out.push_back('\b'); break;
                case 'f': out.push_back('\f'); break;
                case 'n': out.push_back('\n'); break;
                case 'r': out.push_back('\r'); break;
                case 't': out.push_back('\t'); break;
                case 'u': {
                    std::uint32_t cp = hex4();
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (!consume("\\u")) fail("unpaired surrogate");
                        std::uint32_t low = hex4();
                        if (low < 0xDC00 || low > 0xDFFF) fail("unpaired surrogate");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        fail("unpaired surrogate");
                    }
                    if (cp == 0) fail("\\u0000 is not allowed");
                    append_utf8(out, cp);
                    break;
                }
                default: fail("unknown escape");
            }
        }
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

void write(std::string& out, const Value& v) {
    switch (v.kind) {
        case Kind::Null: out += "null"; return;
        case Kind::Bool: out += v.boolean ? "true" : "false"; return;
        case Kind::Number: out += v.text; return;
        case Kind::String: append_quoted(out, v.text); return;
        case Kind::Array:
            out.push_back('[');
            for (std::size_t i = 0; i < v.items.size(); ++i) {
                if (i) out.push_back(',');
                write(out, v.items[i]);
            }
            out.push_back(']');
            return;
        case Kind::Object:
            out.push_back('{');
            for (std::size_t i = 0; i < v.members.size(); ++i) {
                if (i) out.push_back(',');
                append_quoted(out, v.members[i].first);
                out.push_back(':');
                write(out, v.members[i].second);
            }
            out.push_back('}');
            return;
    }
}

}  // namespace

Value parse(std::string_view text) { return Parser(text).document(); }

void append_quoted(std::string& out, std::string_view s) { pgcpp::core::append_json_string(out, s); }

std::string to_text(const Value& value) {
    std::string out;
    write(out, value);
    return out;
}

}  // namespace esimgo::domain::json
