#include "protocol/mac_address.hpp"

namespace ka::proto {

mac_address vrrp_virtual_mac(ip_address::family fam, std::uint8_t vrid) {
  const std::uint8_t kind = fam == ip_address::family::v4 ? 0x01 : 0x02;
  return {0x00, 0x00, 0x5e, 0x00, kind, vrid};
}

mac_address multicast_mac(const ip_address& group) {
  const auto& b = group.bytes;
  if (group.is_v4())
    return {0x01, 0x00, 0x5e, static_cast<std::uint8_t>(b[1] & 0x7f), b[2], b[3]};
  return {0x33, 0x33, b[12], b[13], b[14], b[15]};
}

} // namespace ka::proto
