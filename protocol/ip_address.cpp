#include "protocol/ip_address.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace ka::proto {

ip_address ip_address::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  ip_address r;
  r.bytes[0] = a;
  r.bytes[1] = b;
  r.bytes[2] = c;
  r.bytes[3] = d;
  return r;
}

ip_address ip_address::v4_from_bytes(const std::uint8_t* p) {
  return v4(p[0], p[1], p[2], p[3]);
}

std::optional<ip_address> ip_address::parse(std::string_view text) {
  // inet_pton needs a NUL-terminated string; anything longer than the longest
  // textual IPv6 address cannot be valid anyway.
  char buf[INET6_ADDRSTRLEN + 1];
  if (text.empty() || text.size() >= sizeof buf) return std::nullopt;
  // An embedded NUL would make inet_pton see only a prefix of the text.
  if (text.find('\0') != std::string_view::npos) return std::nullopt;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  ip_address r;
  if (inet_pton(AF_INET, buf, r.bytes.data()) == 1) {
    r.fam = family::v4;
    return r;
  }
  if (inet_pton(AF_INET6, buf, r.bytes.data()) == 1) {
    r.fam = family::v6;
    return r;
  }
  return std::nullopt;
}

std::string ip_address::to_string() const {
  char buf[INET6_ADDRSTRLEN];
  const int af = is_v4() ? AF_INET : AF_INET6;
  if (inet_ntop(af, bytes.data(), buf, sizeof buf) == nullptr) return {};
  return buf;
}

} // namespace ka::proto
