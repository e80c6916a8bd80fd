#include "protocol/checksum.hpp"

namespace ka::proto {

namespace {

// One's complement running sum of 16-bit big-endian words, not yet folded or inverted,
// so that the pseudo-header and the message can be summed in two pieces.
std::uint64_t add_words(std::uint64_t sum, const std::uint8_t* data, std::size_t len) {
  std::size_t i = 0;
  for (; i + 1 < len; i += 2) sum += static_cast<std::uint32_t>((data[i] << 8) | data[i + 1]);
  // An odd trailing byte is padded with a zero byte on the right (RFC 1071).
  if (i < len) sum += static_cast<std::uint32_t>(data[i]) << 8;
  return sum;
}

std::uint16_t fold(std::uint64_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

} // namespace

std::uint16_t inet_checksum(const std::uint8_t* data, std::size_t len) {
  return fold(add_words(0, data, len));
}

std::uint16_t pseudo_header_checksum(const ip_address& src, const ip_address& dst,
                                     std::uint8_t next_header, const std::uint8_t* data,
                                     std::size_t len) {
  std::uint64_t sum = add_words(0, src.bytes.data(), src.size());
  sum = add_words(sum, dst.bytes.data(), dst.size());
  // Both layouts put the protocol in the low byte of a word and the length in whole
  // words (IPv4: 16 bits; IPv6: 32 bits, the zero bytes adding nothing), so the sum is
  // the same expression for both families.
  sum += next_header;
  sum += (len >> 16) & 0xffff;
  sum += len & 0xffff;
  return fold(add_words(sum, data, len));
}

} // namespace ka::proto
