#include "protocol/http_judge.hpp"

#include <cctype>

namespace ka::proto {

namespace {
bool same_hex(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}
} // namespace

std::string judge_http(const http_expect& e, unsigned status, std::string_view body_md5_hex,
                       std::string_view body) {
  bool in_range = false;
  if (e.status.empty()) {
    in_range = status >= 200 && status <= 299;
  } else {
    for (const auto& [lo, hi] : e.status)
      if (status >= lo && status <= hi) in_range = true;
  }
  if (!in_range) return "HTTP status " + std::to_string(status);
  if (!e.digest.empty() && !same_hex(e.digest, body_md5_hex))
    return "digest " + std::string(body_md5_hex) + " differs from the expected " + e.digest;
  if (e.regex) return e.regex->judge(body);
  return {};
}

std::string http_host_header(const std::string& virtualhost, const std::string& addr, bool v6,
                             std::uint16_t port, bool tls) {
  if (!virtualhost.empty()) return virtualhost;
  std::string h = v6 ? "[" + addr + "]" : addr;
  if (port != (tls ? 443 : 80)) h += ":" + std::to_string(port);
  return h;
}

std::string to_hex(const unsigned char* p, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  s.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

} // namespace ka::proto
