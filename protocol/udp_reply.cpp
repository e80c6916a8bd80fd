#include "protocol/udp_reply.hpp"

#include <algorithm>

namespace ka::proto {

udp_verdict judge_udp_reply(const std::uint8_t* data, std::size_t len, const udp_expect& want) {
  if (want.reply.empty())
    return {true, "reply of " + std::to_string(len) + " bytes"};
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

std::optional<std::string> udp_icmp_failure(bool v6, std::uint8_t type, std::uint8_t code) {
  // RFC 792 type 3 and RFC 4443 type 1, with the codes' names.
  static const char* const v4_codes[] = {"network unreachable", "host unreachable", "protocol unreachable",
                                         "port unreachable", "fragmentation needed", "source route failed",
                                         "network unknown", "host unknown", "source host isolated",
                                         "network prohibited", "host prohibited", "network unreachable for TOS",
                                         "host unreachable for TOS", "communication prohibited"};
  static const char* const v6_codes[] = {"no route", "administratively prohibited", "beyond scope of source",
                                         "address unreachable", "port unreachable", "source address failed policy",
                                         "reject route"};
  if (!v6 && type == 3)
    return std::string("ICMP destination unreachable: ") +
           (code < sizeof v4_codes / sizeof *v4_codes ? v4_codes[code] : "code " + std::to_string(code));
  if (v6 && type == 1)
    return std::string("ICMPv6 destination unreachable: ") +
           (code < sizeof v6_codes / sizeof *v6_codes ? v6_codes[code] : "code " + std::to_string(code));
  return std::nullopt;
}

} // namespace ka::proto
