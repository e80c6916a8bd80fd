// Internet checksums: the plain RFC 1071 sum and the upper-layer sum over an IPv4 or IPv6
// pseudo-header (VRRPv3, ICMPv6). Pure arithmetic on bytes.
#pragma once
#include <cstddef>
#include <cstdint>

#include "protocol/ip_address.hpp"

namespace ka::proto {

// Internet checksum (RFC 1071) over a byte range; returns it in host order.
std::uint16_t inet_checksum(const std::uint8_t* data, std::size_t len);

// The checksum of an upper-layer message carried between `src` and `dst` (same family),
// summed over the pseudo-header first: for IPv4 source, destination, zero, protocol and
// length (the RFC 768 layout RFC 5798 5.2.8 refers to); for IPv6 source, destination,
// 32-bit length, three zero bytes and next header (RFC 8200 8.1). `data` holds the
// message with its checksum field either zero (to compute it) or filled in (then a
// correct message sums to 0).
std::uint16_t pseudo_header_checksum(const ip_address& src, const ip_address& dst,
                                     std::uint8_t next_header, const std::uint8_t* data,
                                     std::size_t len);

} // namespace ka::proto
