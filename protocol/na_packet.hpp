// Unsolicited IPv6 neighbour advertisements, the IPv6 counterpart of gratuitous ARP
// (RFC 4861 4.4 and 7.2.6; RFC 5798 6.4.2 has a new master send one per IPv6 address).
// Pure: builds bytes only.
#pragma once
#include <cstdint>
#include <vector>

#include "protocol/ip_address.hpp"
#include "protocol/mac_address.hpp"

namespace ka::proto {

constexpr std::uint16_t ethertype_ipv6 = 0x86dd;
constexpr std::uint8_t icmpv6_next_header = 58;
constexpr std::uint8_t icmpv6_neighbor_advert = 136;

// ff02::1, the all-nodes group unsolicited advertisements go to.
ip_address all_nodes_v6();

// The whole Ethernet frame: to 33-33-00-00-00-01 from `mac`, an IPv6 header (source
// `target`, destination ff02::1, hop limit 255 as RFC 4861 7.1.2 requires of the
// receiver) and the ICMPv6 advertisement for `target` with Override set, Solicited
// clear, Router as given, and a Target Link-Layer Address option holding `mac`.
// keepalived 2.2.7 sends the same bytes (Router clear) for each IPv6 VIP.
std::vector<std::uint8_t> unsolicited_na_frame(const mac_address& mac, const ip_address& target,
                                               bool router = false);

} // namespace ka::proto
