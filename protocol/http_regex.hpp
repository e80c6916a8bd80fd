// HTTP_GET / SSL_GET `regex`: a PCRE2 pattern (keepalived's engine, so patterns mean the
// same) searched in the response body; `regex_no_match` reverses the sense. Compiled once
// per url, matched from any thread (each match has its own match data).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ka::proto {

struct http_regex_spec {
  std::string pattern;
  std::vector<std::string> options;      // regex_options names: caseless, multiline, ...
  bool no_match = false;                 // regex_no_match
  std::optional<std::uint32_t> min_offset, max_offset;  // regex_min_offset / regex_max_offset
};

class http_regex {
public:
  // Null with `error` set when the pattern or an option is refused.
  static std::shared_ptr<const http_regex> compile(const http_regex_spec& s, std::string& error);
  ~http_regex();
  http_regex(const http_regex&) = delete;
  http_regex& operator=(const http_regex&) = delete;
  // Empty when the body passes; else why not.
  std::string judge(std::string_view body) const;

private:
  http_regex() = default;
  void* code_ = nullptr;                 // pcre2_code_8, kept out of this header
  http_regex_spec spec_;
};

} // namespace ka::proto
