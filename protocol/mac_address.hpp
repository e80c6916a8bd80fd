// Link-layer addresses VRRP needs: the virtual router MACs and the multicast MACs its
// groups map to. Pure: computes bytes only.
#pragma once
#include <array>
#include <cstdint>

#include "protocol/ip_address.hpp"

namespace ka::proto {

using mac_address = std::array<std::uint8_t, 6>;

// The virtual router MAC (RFC 3768 7.3, RFC 5798 7.3): 00-00-5E-00-01-{VRID} for IPv4,
// 00-00-5E-00-02-{VRID} for IPv6, so an IPv4 and an IPv6 router with the same VRID
// never share a MAC.
mac_address vrrp_virtual_mac(ip_address::family fam, std::uint8_t vrid);

// The Ethernet group address an IP multicast group is sent to: 33-33 and the low 32
// bits for IPv6 (RFC 2464 7), 01-00-5E and the low 23 bits for IPv4 (RFC 1112 6.4).
mac_address multicast_mac(const ip_address& group);

} // namespace ka::proto
