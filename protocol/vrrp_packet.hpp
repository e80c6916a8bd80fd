// VRRP advertisement codec (RFC 3768 v2 over IPv4 for now). Pure: bytes in, values out.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "protocol/ip_address.hpp"

namespace ka::proto {

constexpr std::uint8_t vrrp_ip_protocol = 112;
constexpr std::uint8_t vrrp_ttl = 255;
// 224.0.0.18, the IPv4 VRRP multicast group.
inline ip_address vrrp_group_v4() { return ip_address::v4(224, 0, 0, 18); }

enum class auth_type : std::uint8_t { none = 0, pass = 1, ah = 2 };

struct vrrp_advert {
  std::uint8_t version = 2;
  std::uint8_t type = 1;  // 1 = ADVERTISEMENT, the only type defined
  std::uint8_t vrid = 0;
  std::uint8_t priority = 0;
  auth_type auth = auth_type::none;             // v2 only
  std::uint16_t interval_cs = 100;              // centiseconds; v2 carries whole seconds
  std::vector<ip_address> addrs;                // v2: IPv4 only
  std::array<std::uint8_t, 8> auth_data{};      // v2 PASS: zero-padded password
};

// Why a packet was dropped. Each value is a counter in the admin status.
enum class rx_error : std::uint8_t {
  none = 0,
  too_short,         // shorter than an IP header + VRRP header
  bad_ip_header,     // not IPv4, bad IHL, total length inconsistent
  bad_protocol,      // IP protocol is not 112
  bad_ttl,           // TTL (hop limit) is not 255
  bad_version,       // VRRP version not the one configured
  bad_type,          // VRRP type is not ADVERTISEMENT
  bad_length,        // VRRP length is not exactly that of its address count
  bad_checksum,
  unknown_vrid,      // no instance for this VRID on this interface
  auth_type_mismatch,
  auth_failure,      // PASS password differs
  interval_mismatch, // advertisement interval differs from ours
  address_mismatch,  // address list differs and the sender is not the owner (255)
  count
};
const char* to_string(rx_error e);

// Internet checksum (RFC 1071) over a byte range; returns it in host order.
std::uint16_t inet_checksum(const std::uint8_t* data, std::size_t len);

// The count byte of a v2/v3 advert holds at most 255 addresses. As keepalived, an instance
// with more advertises the first 255 (and warns at start-up); the rest are added and
// removed with the others but not carried in adverts, like virtual_ipaddress_excluded.
constexpr std::size_t max_advert_addresses = 255;
std::vector<ip_address> advertised_addresses(const std::vector<ip_address>& vips);

// The VRRP part of an advert (no IP header), checksum filled in.
// Precondition: version 2, all addrs IPv4, interval_cs a multiple of 100.
std::vector<std::uint8_t> encode_v2(const vrrp_advert& adv);

// A whole received IPv4 datagram (as a raw IPPROTO_VRRP socket returns it, IP header
// included) decoded and checked for everything that needs no configuration:
// IP header, protocol, TTL, VRRP version/type/length/checksum.
struct decoded_advert {
  rx_error error = rx_error::none;
  vrrp_advert advert;
  ip_address src;
  ip_address dst;
  std::uint8_t ttl = 0;
};
decoded_advert decode_ipv4(const std::uint8_t* data, std::size_t len);

// What one instance expects of a peer's advert (RFC 3768 section 7.1 checks that need
// configuration: auth type and data, interval, address list).
struct advert_expectation {
  std::uint8_t vrid = 0;
  auth_type auth = auth_type::none;
  std::array<std::uint8_t, 8> auth_data{};
  std::uint16_t interval_cs = 100;
  std::vector<ip_address> vips;  // order does not matter
};
rx_error check_against(const vrrp_advert& adv, const advert_expectation& exp);

// PASS auth data from a configured password: keepalived keeps the first 8 bytes.
std::array<std::uint8_t, 8> pass_auth_data(const std::string& password);

} // namespace ka::proto
