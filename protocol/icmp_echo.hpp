// PING_CHECK's packets: an ICMP (RFC 792) or ICMPv6 (RFC 4443) echo request, and whether
// a received message is the reply to it. Pure byte work; kernel/probe_ping.cpp sends and
// receives.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ka::proto {

// type, code, checksum, identifier, sequence, then `payload`. The ICMPv4 checksum is
// filled in; the ICMPv6 one is left 0 (it covers a pseudo-header the kernel fills in for
// every ICMPv6 socket).
std::vector<std::uint8_t> build_echo_request(bool v6, std::uint16_t id, std::uint16_t seq,
                                             const std::vector<std::uint8_t>& payload);

enum class echo_match : std::uint8_t {
  reply,      // the reply to our request
  other,      // someone else's message: keep waiting
  malformed,  // too short or a bad checksum: keep waiting
};

// `msg` starts at the ICMP header, or at the IPv4 header when `ip_header` (IPv4 raw
// sockets deliver it). `check_id`: whether the identifier must be `id` (ping sockets
// rewrite it and deliver only their own replies, so it need not be checked there).
echo_match match_echo_reply(bool v6, const std::uint8_t* msg, std::size_t len, bool ip_header,
                            bool check_id, std::uint16_t id, std::uint16_t seq,
                            const std::vector<std::uint8_t>& payload);

} // namespace ka::proto
