// VRRP advertisement codec: RFC 3768 v2 over IPv4, RFC 5798 / RFC 9568 v3 over IPv4 and
// IPv6 (v3 encoding and the IPv6 entry points are in vrrp_packet_v3.cpp). Pure: bytes in,
// values out.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "protocol/checksum.hpp"
#include "protocol/ip_address.hpp"

namespace ka::proto {

constexpr std::uint8_t vrrp_ip_protocol = 112;
constexpr std::uint8_t vrrp_ttl = 255;
// 224.0.0.18, the IPv4 VRRP multicast group.
inline ip_address vrrp_group_v4() { return ip_address::v4(224, 0, 0, 18); }
// ff02::12, the IPv6 VRRP multicast group (RFC 5798 5.1.2.2).
ip_address vrrp_group_v6();

enum class auth_type : std::uint8_t { none = 0, pass = 1, ah = 2 };

struct vrrp_advert {
  std::uint8_t version = 2;
  std::uint8_t type = 1;  // 1 = ADVERTISEMENT, the only type defined
  std::uint8_t vrid = 0;
  std::uint8_t priority = 0;
  auth_type auth = auth_type::none;             // v2 only
  std::uint16_t interval_cs = 100;              // centiseconds; v2 carries whole seconds
  std::vector<ip_address> addrs;                // v2: IPv4 only; v3: the packet's family
  // The family of the IP packet it came in (set by the decoder; an advert with no
  // addresses still has one, and VRID spaces of the two families are separate).
  ip_address::family fam = ip_address::family::v4;
  std::array<std::uint8_t, 8> auth_data{};      // v2 PASS: zero-padded password
  // Filled in by the decoder for v3: which checksum forms verified, RFC 5798's (the
  // pseudo-header of the datagram's own addresses) and, over IPv4 only, the old unicast
  // form (see v3_checksum). A multicast advert verifies both ways or neither, so these
  // are two flags rather than one choice; check_against decides which it accepts.
  bool sum_with_pseudo = false;
  bool sum_old_unicast = false;
};

// How a v3 advert over IPv4 is checksummed. RFC 5798 5.2.8 sums a pseudo-header of the
// datagram's source and destination. keepalived up to 1.3.6 put the VRRP group
// 224.0.0.18 in that pseudo-header whatever the destination, so its unicast adverts
// carry another sum; keepalived 2.2.7's `old_unicast_checksum` still sends that form
// (a lab capture of its unicast adverts verifies with 224.0.0.18, not with the peer's
// address). A multicast advert is the same in both forms. IPv6 has only the RFC form.
enum class v3_checksum : std::uint8_t { rfc5798, old_unicast };

// Why a packet was dropped. Each value is a counter in the admin status.
enum class rx_error : std::uint8_t {
  none = 0,
  too_short,         // shorter than an IP header + VRRP header
  bad_ip_header,     // wrong IP version, bad IHL, total/payload length inconsistent
  bad_protocol,      // IP protocol is not 112
  bad_ttl,           // TTL (hop limit) is not 255
  bad_version,       // VRRP version unknown (v2 over IPv6 too) or not the configured one
  bad_type,          // VRRP type is not ADVERTISEMENT
  bad_length,        // VRRP length is not exactly that of its address count
  bad_checksum,
  unknown_vrid,      // no instance for this VRID on this interface
  auth_type_mismatch,
  auth_failure,      // PASS password differs
  interval_mismatch, // advertisement interval differs from ours
  address_mismatch,  // address list differs and the sender is not the owner (255)
  // Added with VRRPv3; after the v2 values so that existing counters keep their index.
  bad_interval,      // v3 Max Advertise Interval is 0 (RFC 5798 5.2.7: 1..4095 cs)
  family_mismatch,   // an IPv4 advert for an IPv6 instance or the reverse
  oversized,         // longer than any VRRP message can be (header + 255 addresses)
  // Unicast VRRP (unicast_peer): after the others, same reason as above.
  not_a_peer,        // check_unicast_src: the sender is not in unicast_peer
  ttl_out_of_range,  // the TTL / hop limit is outside the peer's [min_ttl, max_ttl]
  count
};
const char* to_string(rx_error e);

// The count byte of a v2/v3 advert holds at most 255 addresses. As keepalived, an instance
// with more advertises the first 255 (and warns at start-up); the rest are added and
// removed with the others but not carried in adverts, like virtual_ipaddress_excluded.
constexpr std::size_t max_advert_addresses = 255;
std::vector<ip_address> advertised_addresses(const std::vector<ip_address>& vips);

// The VRRP part of an advert (no IP header), checksum filled in.
// Precondition: version 2, all addrs IPv4, interval_cs a multiple of 100.
std::vector<std::uint8_t> encode_v2(const vrrp_advert& adv);

// The VRRP part of a v3 advert (no IP header), checksum filled in. `src` and `dst` are
// the addresses the datagram will carry: they are part of the checksum (for IPv6 `src`
// is the link-local address the kernel will send from, RFC 5798 5.1.2.1).
// Precondition: version 3, 1 <= interval_cs <= 4095, at most 255 addrs, all of the
// family of src and dst.
std::vector<std::uint8_t> encode_v3(const vrrp_advert& adv, const ip_address& src,
                                    const ip_address& dst,
                                    v3_checksum sum = v3_checksum::rfc5798);

// A whole received IPv4 datagram (as a raw IPPROTO_VRRP socket returns it, IP header
// included) decoded and checked for everything that needs no configuration:
// IP header, protocol, TTL, VRRP version/type/length/checksum, v3 interval. Both v2 and
// v3 are decoded: which one an instance speaks is configuration, see check_against.
struct decoded_advert {
  rx_error error = rx_error::none;
  vrrp_advert advert;
  ip_address src;
  ip_address dst;
  std::uint8_t ttl = 0;
};
// `require_ttl_255`: false for a unicast instance, whose peers may be routers away
// (check_unicast applies its own TTL range instead).
decoded_advert decode_ipv4(const std::uint8_t* data, std::size_t len, bool require_ttl_255 = true);

// A received IPv6 VRRP message. A raw IPv6 socket returns the payload only; the
// addresses and hop limit come from ancillary data (IPV6_PKTINFO, IPV6_HOPLIMIT), so
// they are arguments. Only v3 exists over IPv6 (RFC 5798); v2 is bad_version.
decoded_advert decode_ipv6(const std::uint8_t* vrrp, std::size_t len, const ip_address& src,
                           const ip_address& dst, std::uint8_t hop_limit,
                           bool require_ttl_255 = true);
// A whole IPv6 packet (fixed header + VRRP, as a packet socket or a capture holds it).
// Extension headers are not walked: anything but next header 112 is bad_protocol.
decoded_advert decode_ipv6_packet(const std::uint8_t* data, std::size_t len);

// What one instance expects of a peer's advert (RFC 3768 7.1 / RFC 5798 7.1 checks that
// need configuration: version, family, auth type and data, interval, address list).
struct advert_expectation {
  std::uint8_t version = 2;
  ip_address::family family = ip_address::family::v4;
  v3_checksum sum = v3_checksum::rfc5798;  // v3 over IPv4 only: the form we send
  bool accept_old_sum = true;              // also accept the old unicast form (IPv4)
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
