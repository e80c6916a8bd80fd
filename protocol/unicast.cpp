#include "protocol/unicast.hpp"

#include "protocol/checksum.hpp"

namespace ka::proto {

rx_error check_unicast(const unicast_settings& s, const ip_address& src, std::uint8_t ttl) {
  if (!s.check_src)
    return rx_error::none;
  for (const auto& p : s.peers) {
    if (!(p.addr == src))
      continue;
    if ((p.min_ttl && ttl < *p.min_ttl) || (p.max_ttl && ttl > *p.max_ttl))
      return rx_error::ttl_out_of_range;
    return rx_error::none;
  }
  return rx_error::not_a_peer;
}

std::vector<std::uint8_t> resum_for(const std::vector<std::uint8_t>& vrrp, const ip_address& src,
                                    const ip_address& dst, v3_checksum sum) {
  if (vrrp.size() < 8 || (vrrp[0] >> 4) != 3 || (sum == v3_checksum::old_unicast && src.is_v4()))
    return vrrp;
  std::vector<std::uint8_t> out = vrrp;
  out[6] = out[7] = 0;
  const std::uint16_t c = pseudo_header_checksum(src, dst, vrrp_ip_protocol, out.data(), out.size());
  out[6] = static_cast<std::uint8_t>(c >> 8);
  out[7] = static_cast<std::uint8_t>(c & 0xff);
  return out;
}

} // namespace ka::proto
