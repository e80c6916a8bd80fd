// An IPv4 or IPv6 address as a plain value. Pure: parsing and printing only.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ka::proto {

struct ip_address {
  enum class family : std::uint8_t { v4, v6 };
  family fam = family::v4;
  // Network byte order; an IPv4 address uses bytes[0..3].
  std::array<std::uint8_t, 16> bytes{};

  static ip_address v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
  static ip_address v4_from_bytes(const std::uint8_t* p);
  static std::optional<ip_address> parse(std::string_view text);
  bool is_v4() const { return fam == family::v4; }
  std::size_t size() const { return is_v4() ? 4 : 16; }
  std::string to_string() const;

  friend bool operator==(const ip_address& a, const ip_address& b) {
    return a.fam == b.fam && a.bytes == b.bytes;
  }
  friend bool operator!=(const ip_address& a, const ip_address& b) { return !(a == b); }
  // Numeric order within a family (used for the VRRP tie-break on equal priority).
  friend bool operator<(const ip_address& a, const ip_address& b) {
    return a.fam != b.fam ? a.fam < b.fam : a.bytes < b.bytes;
  }
};

} // namespace ka::proto
