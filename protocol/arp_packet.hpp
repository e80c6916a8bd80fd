// Gratuitous ARP frames (RFC 5227 announcement form: an ARP request whose sender and
// target protocol addresses are both the virtual address). Pure: builds bytes only.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "protocol/ip_address.hpp"
#include "protocol/mac_address.hpp"

namespace ka::proto {

constexpr std::uint16_t ethertype_arp = 0x0806;

// The whole Ethernet frame: broadcast destination, `mac` as source, ARP request.
std::vector<std::uint8_t> gratuitous_arp_frame(const mac_address& mac, const ip_address& vip);

} // namespace ka::proto
