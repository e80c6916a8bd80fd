#include "protocol/na_packet.hpp"

#include <cassert>

#include "protocol/checksum.hpp"

namespace ka::proto {

namespace {

constexpr std::size_t ethernet_header_len = 14;
constexpr std::size_t ipv6_header_len = 40;
constexpr std::size_t na_len = 24;         // type..target (RFC 4861 4.4)
constexpr std::size_t tlla_option_len = 8; // type, length (in 8-octet units), MAC
constexpr std::uint8_t flag_router = 0x80, flag_override = 0x20;
constexpr std::uint8_t option_target_lla = 2;

} // namespace

ip_address all_nodes_v6() {
  ip_address a;
  a.fam = ip_address::family::v6;
  a.bytes[0] = 0xff;
  a.bytes[1] = 0x02;
  a.bytes[15] = 0x01;
  return a;
}

std::vector<std::uint8_t> unsolicited_na_frame(const mac_address& mac, const ip_address& target,
                                               bool router) {
  assert(!target.is_v4());
  const ip_address dst = all_nodes_v6();
  const std::size_t icmp_len = na_len + tlla_option_len;
  std::vector<std::uint8_t> f;
  f.reserve(ethernet_header_len + ipv6_header_len + icmp_len);
  auto put = [&](auto begin, auto end) { f.insert(f.end(), begin, end); };
  auto put16 = [&](std::uint16_t v) {
    f.push_back(static_cast<std::uint8_t>(v >> 8));
    f.push_back(static_cast<std::uint8_t>(v));
  };
  const mac_address to = multicast_mac(dst);
  put(to.begin(), to.end());                     // Ethernet destination 33-33-00-00-00-01
  put(mac.begin(), mac.end());                   // Ethernet source
  put16(ethertype_ipv6);
  // IPv6 header: version 6, traffic class 0, flow label 0.
  f.push_back(0x60);
  f.push_back(0);
  put16(0);
  put16(static_cast<std::uint16_t>(icmp_len));   // payload length
  f.push_back(icmpv6_next_header);
  f.push_back(255);                              // hop limit
  put(target.bytes.begin(), target.bytes.end()); // source: the address announced
  put(dst.bytes.begin(), dst.bytes.end());
  const std::size_t icmp_at = f.size();
  f.push_back(icmpv6_neighbor_advert);
  f.push_back(0);                                // code
  put16(0);                                      // checksum, filled in below
  // Override so that caches holding the old master's MAC take ours (RFC 4861 7.2.6);
  // not Solicited, nobody asked.
  f.push_back(static_cast<std::uint8_t>(flag_override | (router ? flag_router : 0)));
  f.insert(f.end(), 3, 0);                       // rest of the reserved field
  put(target.bytes.begin(), target.bytes.end()); // target address
  f.push_back(option_target_lla);
  f.push_back(1);                                // length: one 8-octet unit
  put(mac.begin(), mac.end());
  const std::uint16_t sum =
      pseudo_header_checksum(target, dst, icmpv6_next_header, f.data() + icmp_at, icmp_len);
  f[icmp_at + 2] = static_cast<std::uint8_t>(sum >> 8);
  f[icmp_at + 3] = static_cast<std::uint8_t>(sum & 0xff);
  return f;
}

} // namespace ka::proto
