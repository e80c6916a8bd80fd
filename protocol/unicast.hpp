// Unicast VRRP (keepalived's unicast_peer): which received adverts a unicast instance
// accepts, and the per-destination checksum of its v3 adverts. Pure.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/ip_address.hpp"
#include "protocol/vrrp_packet.hpp"

namespace ka::proto {

struct unicast_peer_rule {
  ip_address addr;
  std::optional<std::uint8_t> min_ttl, max_ttl;
};

struct unicast_settings {
  std::vector<unicast_peer_rule> peers;
  // check_unicast_src (or vrrp_check_unicast_src, or a peer with min_ttl/max_ttl, which
  // keepalived.conf(5) says turns it on): adverts from other addresses are dropped.
  bool check_src = false;
  std::uint8_t ttl = vrrp_ttl;  // unicast_ttl: TTL / hop limit of our adverts
};

// Whether an advert received by a unicast instance is accepted, after decoding (which
// for a unicast instance does not require TTL 255: a peer may be routers away).
// Order: the source against the peer list (when checked), then that peer's TTL range.
// Without check_src an unknown source is accepted with no TTL check, as keepalived does.
rx_error check_unicast(const unicast_settings& s, const ip_address& src, std::uint8_t ttl);

// Re-sums a v3 advert (VRRP part, checksum at bytes 6-7) for the addresses it is really
// sent with: the pseudo-header covers the destination, which differs per peer. v2 and
// the old unicast form of v3 over IPv4 (summed for 224.0.0.18 whatever the peer; `vrrp`
// was encoded for the group) are returned unchanged.
std::vector<std::uint8_t> resum_for(const std::vector<std::uint8_t>& vrrp, const ip_address& src,
                                    const ip_address& dst, v3_checksum sum);

} // namespace ka::proto
