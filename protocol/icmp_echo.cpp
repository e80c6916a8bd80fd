#include "protocol/icmp_echo.hpp"

#include <cstring>

#include "protocol/checksum.hpp"

namespace ka::proto {
namespace {
constexpr std::uint8_t k_echo_request4 = 8, k_echo_reply4 = 0;
constexpr std::uint8_t k_echo_request6 = 128, k_echo_reply6 = 129;
} // namespace

std::vector<std::uint8_t> build_echo_request(bool v6, std::uint16_t id, std::uint16_t seq,
                                             const std::vector<std::uint8_t>& payload) {
  std::vector<std::uint8_t> p(8 + payload.size(), 0);
  p[0] = v6 ? k_echo_request6 : k_echo_request4;
  p[4] = static_cast<std::uint8_t>(id >> 8);
  p[5] = static_cast<std::uint8_t>(id);
  p[6] = static_cast<std::uint8_t>(seq >> 8);
  p[7] = static_cast<std::uint8_t>(seq);
  if (!payload.empty())
    std::memcpy(p.data() + 8, payload.data(), payload.size());
  if (!v6) {
    std::uint16_t sum = inet_checksum(p.data(), p.size());
    p[2] = static_cast<std::uint8_t>(sum >> 8);
    p[3] = static_cast<std::uint8_t>(sum);
  }
  return p;
}

echo_match match_echo_reply(bool v6, const std::uint8_t* msg, std::size_t len, bool ip_header,
                            bool check_id, std::uint16_t id, std::uint16_t seq,
                            const std::vector<std::uint8_t>& payload) {
  if (ip_header && !v6) {
    if (len < 20)
      return echo_match::malformed;
    std::size_t ihl = static_cast<std::size_t>(msg[0] & 0x0f) * 4;
    if (ihl < 20 || ihl > len)
      return echo_match::malformed;
    msg += ihl;
    len -= ihl;
  }
  if (len < 8)
    return echo_match::malformed;
  if (msg[0] != (v6 ? k_echo_reply6 : k_echo_reply4) || msg[1] != 0)
    return echo_match::other;
  // ICMPv6 checksums are verified by the kernel; ICMPv4 ones are ours to check.
  if (!v6 && inet_checksum(msg, len) != 0)
    return echo_match::malformed;
  std::uint16_t rid = static_cast<std::uint16_t>(msg[4] << 8 | msg[5]);
  std::uint16_t rseq = static_cast<std::uint16_t>(msg[6] << 8 | msg[7]);
  if ((check_id && rid != id) || rseq != seq)
    return echo_match::other;
  if (len - 8 != payload.size() || (!payload.empty() && std::memcmp(msg + 8, payload.data(), payload.size()) != 0))
    return echo_match::other;
  return echo_match::reply;
}

} // namespace ka::proto
