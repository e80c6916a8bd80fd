#include "protocol/json.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace ka::json {

const value* value::find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& [k, v] : as_object())
    if (k == key) return &v;
  return nullptr;
}

value& value::set(std::string key, value v) {
  if (is_null()) v_ = object{};
  auto& members = as_object();  // throws std::bad_variant_access for non-objects
  for (auto& [k, existing] : members) {
    if (k == key) {
      existing = std::move(v);
      return existing;
    }
  }
  members.emplace_back(std::move(key), std::move(v));
  return members.back().second;
}

// ---------------------------------------------------------------------------------
// Writer

namespace {

void dump_number(double d, std::string& out) {
  // JSON has no NaN or infinity; null is the usual stand-in.
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buf[32];
  // Integral values (counters, priorities) print as integers. 2^53 bounds the range
  // where every integer is exact, so the text means exactly the stored value.
  if (d == std::trunc(d) && std::fabs(d) <= 9007199254740992.0) {
    auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(d));
    out.append(buf, r.ptr);
    return;
  }
  // Shortest text that parses back to the same double.
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, r.ptr);
}

void dump_string(const std::string& s, std::string& out) {
  out += '"';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          static const char hex[] = "0123456789abcdef";
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0x0f];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void dump_value(const value& v, std::string& out) {
  if (v.is_null()) {
    out += "null";
  } else if (v.is_bool()) {
    out += v.as_bool() ? "true" : "false";
  } else if (v.is_number()) {
    dump_number(v.as_number(), out);
  } else if (v.is_string()) {
    dump_string(v.as_string(), out);
  } else if (v.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& e : v.as_array()) {
      if (!first) out += ',';
      first = false;
      dump_value(e, out);
    }
    out += ']';
  } else {
    out += '{';
    bool first = true;
    for (const auto& [k, e] : v.as_object()) {
      if (!first) out += ',';
      first = false;
      dump_string(k, out);
      out += ':';
      dump_value(e, out);
    }
    out += '}';
  }
}

} // namespace

std::string dump(const value& v) {
  std::string out;
  dump_value(v, out);
  return out;
}

// ---------------------------------------------------------------------------------
// Parser

namespace {

// Deep enough for any admin message, shallow enough that hostile input on the admin
// socket cannot exhaust the stack.
constexpr int max_depth = 128;

class parser {
public:
  explicit parser(std::string_view text) : s_(text) {}

  std::optional<value> run(std::string* error) {
    skip_ws();
    value v;
    if (parse_value(v, 0)) {
      skip_ws();
      if (pos_ == s_.size()) return v;
      fail("trailing characters after the value");
    }
    if (error) *error = "offset " + std::to_string(err_pos_) + ": " + err_;
    return std::nullopt;
  }

private:
  bool fail(const char* msg) {
    if (err_.empty()) {
      err_ = msg;
      err_pos_ = pos_;
    }
    return false;
  }

  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return s_[pos_]; }

  void skip_ws() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
      ++pos_;
  }

  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return fail("invalid literal");
    pos_ += word.size();
    return true;
  }

  bool parse_value(value& out, int depth) {
    if (at_end()) return fail("unexpected end of input");
    switch (peek()) {
      case 'n': out = nullptr; return literal("null");
      case 't': out = true; return literal("true");
      case 'f': out = false; return literal("false");
      case '"': {
        std::string str;
        if (!parse_string(str)) return false;
        out = std::move(str);
        return true;
      }
      case '[': return parse_array(out, depth + 1);
      case '{': return parse_object(out, depth + 1);
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return parse_number(out);
        return fail("unexpected character");
    }
  }

  bool digits() {
    const std::size_t start = pos_;
    while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
    return pos_ > start;
  }

  bool parse_number(value& out) {
    const std::size_t start = pos_;
    if (peek() == '-') ++pos_;
    if (at_end()) return fail("incomplete number");
    if (peek() == '0') {
      ++pos_;  // no leading zeros: "01" leaves "1" as trailing garbage
    } else if (!digits()) {
      return fail("digit expected");
    }
    if (!at_end() && peek() == '.') {
      ++pos_;
      if (!digits()) return fail("digit expected after '.'");
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      if (!digits()) return fail("digit expected in exponent");
    }
    // The grammar is checked above; from_chars is locale independent.
    double d = 0;
    const char* first = s_.data() + start;
    const char* last = s_.data() + pos_;
    auto r = std::from_chars(first, last, d);
    // Out of range (beyond a double either way) is refused rather than silently turned
    // into infinity or zero: nothing in the admin protocol needs such numbers.
    if (r.ec != std::errc{} || r.ptr != last) {
      pos_ = start;
      return fail(r.ec == std::errc::result_out_of_range ? "number out of range" : "invalid number");
    }
    out = d;
    return true;
  }

  bool hex4(std::uint32_t& cp) {
    if (s_.size() - pos_ < 4) return fail("incomplete \\u escape");
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[pos_++];
      cp <<= 4;
      if (c >= '0' && c <= '9') cp |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') cp |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') cp |= static_cast<std::uint32_t>(c - 'A' + 10);
      else return fail("invalid hex digit in \\u escape");
    }
    return true;
  }

  static void put_utf8(std::uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  // Copies one UTF-8 sequence, rejecting overlong forms, surrogates and values past
  // U+10FFFF: RFC 8259 requires JSON text to be valid UTF-8.
  bool copy_utf8(std::string& out) {
    const auto b0 = static_cast<unsigned char>(s_[pos_]);
    std::size_t n = 0;
    std::uint32_t cp = 0, min = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf) { n = 1; cp = b0 & 0x1f; min = 0x80; }
    else if (b0 >= 0xe0 && b0 <= 0xef) { n = 2; cp = b0 & 0x0f; min = 0x800; }
    else if (b0 >= 0xf0 && b0 <= 0xf4) { n = 3; cp = b0 & 0x07; min = 0x10000; }
    else return fail("invalid UTF-8");
    if (s_.size() - pos_ <= n) return fail("truncated UTF-8");
    for (std::size_t i = 1; i <= n; ++i) {
      const auto b = static_cast<unsigned char>(s_[pos_ + i]);
      if ((b & 0xc0) != 0x80) return fail("invalid UTF-8");
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return fail("invalid UTF-8");
    out.append(s_.data() + pos_, n + 1);
    pos_ += n + 1;
    return true;
  }

  bool parse_string(std::string& out) {
    ++pos_;  // opening quote
    for (;;) {
      if (at_end()) return fail("unterminated string");
      const auto c = static_cast<unsigned char>(peek());
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return fail("control character in string");
      if (c >= 0x80) {
        if (!copy_utf8(out)) return false;
        continue;
      }
      if (c != '\\') {
        out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      ++pos_;
      if (at_end()) return fail("unterminated escape");
      const char e = s_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xdc00 && cp <= 0xdfff) return fail("unpaired low surrogate");
          if (cp >= 0xd800 && cp <= 0xdbff) {
            std::uint32_t lo = 0;
            if (s_.substr(pos_, 2) != "\\u") return fail("unpaired high surrogate");
            pos_ += 2;
            if (!hex4(lo)) return false;
            if (lo < 0xdc00 || lo > 0xdfff) return fail("unpaired high surrogate");
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          }
          put_utf8(cp, out);
          break;
        }
        default:
          --pos_;
          return fail("invalid escape");
      }
    }
  }

  bool parse_array(value& out, int depth) {
    if (depth > max_depth) return fail("nesting too deep");
    ++pos_;  // '['
    array items;
    skip_ws();
    if (!at_end() && peek() == ']') {
      ++pos_;
      out = std::move(items);
      return true;
    }
    for (;;) {
      skip_ws();
      value item;
      if (!parse_value(item, depth)) return false;
      items.push_back(std::move(item));
      skip_ws();
      if (at_end()) return fail("unterminated array");
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        out = std::move(items);
        return true;
      }
      return fail("expected ',' or ']'");
    }
  }

  bool parse_object(value& out, int depth) {
    if (depth > max_depth) return fail("nesting too deep");
    ++pos_;  // '{'
    object members;
    skip_ws();
    if (!at_end() && peek() == '}') {
      ++pos_;
      out = std::move(members);
      return true;
    }
    for (;;) {
      skip_ws();
      if (at_end() || peek() != '"') return fail("expected a string key");
      const std::size_t key_pos = pos_;
      std::string key;
      if (!parse_string(key)) return false;
      // Duplicate names would make find() ambiguous; RFC 8259 leaves them undefined.
      for (const auto& m : members) {
        if (m.first == key) {
          pos_ = key_pos;
          return fail("duplicate object key");
        }
      }
      skip_ws();
      if (at_end() || peek() != ':') return fail("expected ':'");
      ++pos_;
      skip_ws();
      value v;
      if (!parse_value(v, depth)) return false;
      members.emplace_back(std::move(key), std::move(v));
      skip_ws();
      if (at_end()) return fail("unterminated object");
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        out = std::move(members);
        return true;
      }
      return fail("expected ',' or '}'");
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::string err_;
  std::size_t err_pos_ = 0;
};

} // namespace

std::optional<value> parse(std::string_view text, std::string* error) {
  return parser(text).run(error);
}

} // namespace ka::json
