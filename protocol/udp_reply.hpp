// UDP_CHECK's verdict on a reply and on an ICMP error, as keepalived 2.2.7 judges them.
// Pure.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ka::proto {

struct udp_expect {
  std::vector<std::uint8_t> reply, mask;  // mask bits set: must match; empty reply: any content
  std::size_t min_length = 0, max_length = 255;  // keepalived's defaults
};

struct udp_verdict {
  bool ok = false;
  std::string reason;
};

// A reply to a check with require_reply. With a HEX_STR (`want.reply` not empty) its
// length must lie in [min_length, max_length] and it must equal the HEX_STR, under the
// nibble mask, over the shorter of the two. Without one any reply is good: keepalived
// 2.2.7 checks the lengths only together with a HEX_STR (keepalived.conf(5) says
// otherwise; the daemon's behaviour is what a user sees).
udp_verdict judge_udp_reply(const std::uint8_t* data, std::size_t len, const udp_expect& want);

// An ICMP error the kernel queued on the socket (IP_RECVERR): a destination unreachable
// (any code: port, host, network...) fails the check, said as its name; nullopt for
// anything else (time exceeded...), which keepalived does not count as a failure.
std::optional<std::string> udp_icmp_failure(bool v6, std::uint8_t type, std::uint8_t code);

} // namespace ka::proto
