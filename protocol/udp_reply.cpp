#include "protocol/udp_reply.hpp"

#include <algorithm>

namespace ka::proto {

udp_verdict judge_udp_reply(const std::uint8_t* data, std::size_t len, const udp_expect& want) {
  if (len < want.min_length || len > want.max_length)
    return {false, "reply of " + std::to_string(len) + " bytes, outside " +
                       std::to_string(want.min_length) + ".." + std::to_string(want.max_length)};
  std::size_t n = std::min(len, want.reply.size());
  for (std::size_t i = 0; i < n; ++i) {
    // A short mask (or none) means every bit of the remaining bytes matters.
    std::uint8_t m = i < want.mask.size() ? want.mask[i] : 0xff;
    if ((data[i] ^ want.reply[i]) & m)
      return {false, "reply differs from the expected data at byte " + std::to_string(i)};
  }
  return {true, "reply of " + std::to_string(len) + " bytes" + (n ? ", matching" : "")};
}

} // namespace ka::proto
