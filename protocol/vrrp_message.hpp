// Internal to the codec: the VRRP message layout shared by the v2 and v3 encoders and
// by the IPv4 and IPv6 decoders. Not part of the protocol/ API.
#pragma once
#include <cstddef>
#include <cstdint>

#include "protocol/vrrp_packet.hpp"

namespace ka::proto {

constexpr std::size_t vrrp_header_len = 8;
constexpr std::size_t vrrp_v2_auth_len = 8;
constexpr std::uint16_t v3_max_interval_cs = 0x0fff;  // 12 bits: 40.95 s

// Decodes the VRRP message `v` (no IP header) into `d`, whose src, dst and advert.fam
// the caller has set from the IP layer: they decide the address size, the versions
// allowed and the pseudo-header. Sets d.error on the first check that fails.
void decode_vrrp_message(const std::uint8_t* v, std::size_t vlen, decoded_advert& d);

} // namespace ka::proto
