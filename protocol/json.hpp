// A small JSON value with a writer and a strict parser: the admin socket's wire format
// (one JSON object per line). Pure; object members keep insertion order so that output
// is stable and readable.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace ka::json {

class value;
using array = std::vector<value>;
using object = std::vector<std::pair<std::string, value>>;

class value {
public:
  value() = default;                                  // null
  value(std::nullptr_t) {}
  value(bool b) : v_(b) {}
  value(int n) : v_(static_cast<double>(n)) {}
  value(unsigned n) : v_(static_cast<double>(n)) {}
  value(long n) : v_(static_cast<double>(n)) {}
  value(unsigned long n) : v_(static_cast<double>(n)) {}
  value(long long n) : v_(static_cast<double>(n)) {}
  value(unsigned long long n) : v_(static_cast<double>(n)) {}
  value(double d) : v_(d) {}
  value(const char* s) : v_(std::string(s)) {}
  value(std::string s) : v_(std::move(s)) {}
  value(array a) : v_(std::move(a)) {}
  value(object o) : v_(std::move(o)) {}

  bool is_null() const { return v_.index() == 0; }
  bool is_bool() const { return v_.index() == 1; }
  bool is_number() const { return v_.index() == 2; }
  bool is_string() const { return v_.index() == 3; }
  bool is_array() const { return v_.index() == 4; }
  bool is_object() const { return v_.index() == 5; }

  bool as_bool() const { return std::get<bool>(v_); }
  double as_number() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const array& as_array() const { return std::get<array>(v_); }
  array& as_array() { return std::get<array>(v_); }
  const object& as_object() const { return std::get<object>(v_); }
  object& as_object() { return std::get<object>(v_); }

  // Object member lookup; nullptr when absent or when this is not an object.
  const value* find(std::string_view key) const;
  // Appends (or replaces) a member; this must be an object (a null becomes one).
  value& set(std::string key, value v);

  friend bool operator==(const value& a, const value& b) { return a.v_ == b.v_; }
  friend bool operator!=(const value& a, const value& b) { return !(a == b); }

private:
  std::variant<std::nullptr_t, bool, double, std::string, array, object> v_;
};

// Compact single-line output (no newline in it, so it is safe to frame by lines).
// Integral numbers print without a fraction; strings are escaped per RFC 8259.
std::string dump(const value& v);

// Strict RFC 8259 parse of a whole text (surrounding whitespace allowed). On failure
// returns nullopt and, if `error` is given, a message with the byte offset.
std::optional<value> parse(std::string_view text, std::string* error = nullptr);

} // namespace ka::json
