// Small helpers shared by the protocol unit tests (addresses and packet bytes).
#pragma once
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "protocol/ip_address.hpp"

namespace ka::test {

using bytes = std::vector<std::uint8_t>;

// An address written in a test; a typo fails the test where it is used.
inline proto::ip_address ip(const char* text) {
  auto a = proto::ip_address::parse(text);
  REQUIRE(a.has_value());
  return *a;
}

template <std::size_t N>
bytes from_array(const std::uint8_t (&a)[N]) {
  return bytes(a, a + N);
}

// Writes a 16-bit field in network byte order.
inline void put16(bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v & 0xff);
}

} // namespace ka::test
