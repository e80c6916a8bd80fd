#include "protocol/arp_packet.hpp"

namespace ka::proto {

std::vector<std::uint8_t> gratuitous_arp_frame(const mac_address& mac, const ip_address& vip) {
  std::vector<std::uint8_t> f;
  f.reserve(42);
  auto put = [&](auto begin, auto end) { f.insert(f.end(), begin, end); };
  auto put16 = [&](std::uint16_t v) {
    f.push_back(static_cast<std::uint8_t>(v >> 8));
    f.push_back(static_cast<std::uint8_t>(v));
  };
  const mac_address broadcast{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  put(broadcast.begin(), broadcast.end());       // Ethernet destination
  put(mac.begin(), mac.end());                   // Ethernet source
  put16(ethertype_arp);
  put16(1);                                      // hardware type: Ethernet
  put16(0x0800);                                 // protocol type: IPv4
  f.push_back(6);                                // hardware address length
  f.push_back(4);                                // protocol address length
  put16(1);                                      // opcode: request
  put(mac.begin(), mac.end());                   // sender hardware address
  put(vip.bytes.begin(), vip.bytes.begin() + 4); // sender protocol address
  const mac_address zero{};
  put(zero.begin(), zero.end());                 // target hardware address: unknown
  put(vip.bytes.begin(), vip.bytes.begin() + 4); // target protocol address
  return f;
}

} // namespace ka::proto
