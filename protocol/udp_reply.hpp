// UDP_CHECK's verdict on a reply, per keepalived.conf(5): with require_reply the reply's
// length must lie in [min_reply_length, max_reply_length], and when a HEX_STR is given
// the reply must equal it, under its nibble mask, over the shorter of the two. Pure.
#pragma once
#include <cstddef>
#include <cstdint>
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

udp_verdict judge_udp_reply(const std::uint8_t* data, std::size_t len, const udp_expect& want);

} // namespace ka::proto
