// VRRPv3 (RFC 5798, as updated by RFC 9568): the encoder, the message decoder shared
// with v2, and the IPv6 entry points. Kept apart from the v2 IPv4 code it extends.
#include <algorithm>
#include <cassert>

#include "protocol/vrrp_message.hpp"
#include "protocol/vrrp_packet.hpp"

namespace ka::proto {

namespace {

constexpr std::size_t ipv6_header_len = 40;

bool is_v4(ip_address::family f) { return f == ip_address::family::v4; }

} // namespace

ip_address vrrp_group_v6() {
  ip_address a;
  a.fam = ip_address::family::v6;
  a.bytes[0] = 0xff;
  a.bytes[1] = 0x02;
  a.bytes[15] = 0x12;
  return a;
}

std::vector<std::uint8_t> encode_v3(const vrrp_advert& adv, const ip_address& src,
                                    const ip_address& dst, v3_checksum sum) {
  assert(adv.version == 3);
  assert(adv.addrs.size() <= max_advert_addresses);
  assert(adv.interval_cs >= 1 && adv.interval_cs <= v3_max_interval_cs);
  assert(src.fam == dst.fam);
  std::vector<std::uint8_t> out;
  out.reserve(vrrp_header_len + src.size() * adv.addrs.size());
  out.push_back(static_cast<std::uint8_t>((adv.version << 4) | (adv.type & 0x0f)));
  out.push_back(adv.vrid);
  out.push_back(adv.priority);
  out.push_back(static_cast<std::uint8_t>(adv.addrs.size()));
  // RFC 5798 5.2.6: the 4 reserved bits are sent as zero.
  out.push_back(static_cast<std::uint8_t>((adv.interval_cs >> 8) & 0x0f));
  out.push_back(static_cast<std::uint8_t>(adv.interval_cs & 0xff));
  out.push_back(0);  // checksum, filled in below
  out.push_back(0);
  for (const auto& a : adv.addrs) {
    assert(a.fam == src.fam);
    out.insert(out.end(), a.bytes.begin(), a.bytes.begin() + static_cast<std::ptrdiff_t>(a.size()));
  }
  const ip_address& summed_dst = sum == v3_checksum::old_unicast && src.is_v4() ? vrrp_group_v4() : dst;
  const std::uint16_t c = pseudo_header_checksum(src, summed_dst, vrrp_ip_protocol, out.data(), out.size());
  out[6] = static_cast<std::uint8_t>(c >> 8);
  out[7] = static_cast<std::uint8_t>(c & 0xff);
  return out;
}

void decode_vrrp_message(const std::uint8_t* v, std::size_t vlen, decoded_advert& d) {
  auto fail = [&d](rx_error e) { d.error = e; };
  if (vlen < vrrp_header_len) return fail(rx_error::too_short);
  vrrp_advert& a = d.advert;
  a.version = static_cast<std::uint8_t>(v[0] >> 4);
  a.type = static_cast<std::uint8_t>(v[0] & 0x0f);
  a.vrid = v[1];
  a.priority = v[2];
  const std::size_t count = v[3];
  const bool v4 = is_v4(a.fam);
  // v2 exists over IPv4 only; RFC 5798 defines v3 for both families.
  const bool known = a.version == 3 || (a.version == 2 && v4);
  if (!known) return fail(rx_error::bad_version);
  if (a.type != 1) return fail(rx_error::bad_type);
  std::size_t trailer = 0;
  if (a.version == 2) {
    a.auth = static_cast<auth_type>(v[4]);
    a.interval_cs = static_cast<std::uint16_t>(v[5] * 100);
    trailer = vrrp_v2_auth_len;
  } else {
    // RFC 5798 5.2.6/5.2.7: 4 reserved bits, ignored on receipt, then 12 bits of cs.
    a.auth = auth_type::none;
    a.interval_cs = static_cast<std::uint16_t>(((v[4] & 0x0f) << 8) | v[5]);
  }
  const std::size_t addr_size = v4 ? 4 : 16;
  // A message longer than header + 255 addresses cannot be VRRP whatever its count
  // says; told apart from a count mismatch because it points at another sender bug.
  if (vlen > vrrp_header_len + max_advert_addresses * addr_size + trailer)
    return fail(rx_error::oversized);
  // The length must match the count exactly: a truncated message and trailing octets
  // are both a count mismatch (keepalived 2.2.7 drops trailing octets in v2 and v3:
  // "vrrp packet too long").
  const std::size_t msg_len = vrrp_header_len + count * addr_size + trailer;
  if (vlen != msg_len) return fail(rx_error::bad_length);
  if (a.version == 2) {
    if (inet_checksum(v, msg_len) != 0) return fail(rx_error::bad_checksum);
  } else {
    a.sum_with_pseudo = pseudo_header_checksum(d.src, d.dst, vrrp_ip_protocol, v, msg_len) == 0;
    // Only IPv4 has the old unicast form (the group as destination, see v3_checksum).
    a.sum_old_unicast = v4 && pseudo_header_checksum(d.src, vrrp_group_v4(), vrrp_ip_protocol, v, msg_len) == 0;
    if (!a.sum_with_pseudo && !a.sum_old_unicast) return fail(rx_error::bad_checksum);
    // After the checksum, so that a corrupt packet is reported as corrupt. A zero
    // interval is outside RFC 5798's 1..4095; keepalived 2.2.7 accepts it, adopts 0 ms
    // and then flaps between BACKUP and MASTER (seen in a lab), so we drop it.
    if (a.interval_cs == 0) return fail(rx_error::bad_interval);
  }
  a.addrs.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t* p = v + vrrp_header_len + addr_size * i;
    ip_address ip;
    ip.fam = a.fam;
    std::copy_n(p, addr_size, ip.bytes.begin());
    a.addrs.push_back(ip);
  }
  if (a.version == 2)
    std::copy_n(v + vrrp_header_len + 4 * count, vrrp_v2_auth_len, a.auth_data.begin());
}

decoded_advert decode_ipv6(const std::uint8_t* vrrp, std::size_t len, const ip_address& src,
                           const ip_address& dst, std::uint8_t hop_limit,
                           bool require_ttl_255) {
  decoded_advert d;
  d.src = src;
  d.dst = dst;
  d.ttl = hop_limit;
  d.advert.fam = ip_address::family::v6;
  if (vrrp == nullptr) {
    d.error = rx_error::too_short;
    return d;
  }
  // RFC 5798 7.1: hop limit 255 proves the sender is on our link.
  if (require_ttl_255 && hop_limit != vrrp_ttl) {
    d.error = rx_error::bad_ttl;
    return d;
  }
  decode_vrrp_message(vrrp, len, d);
  return d;
}

decoded_advert decode_ipv6_packet(const std::uint8_t* data, std::size_t len) {
  decoded_advert d;
  d.advert.fam = ip_address::family::v6;
  auto fail = [&d](rx_error e) {
    d.error = e;
    return d;
  };
  if (data == nullptr || len < ipv6_header_len) return fail(rx_error::too_short);
  ip_address src, dst;
  src.fam = dst.fam = ip_address::family::v6;
  std::copy_n(data + 8, 16, src.bytes.begin());
  std::copy_n(data + 24, 16, dst.bytes.begin());
  d.src = src;
  d.dst = dst;
  d.ttl = data[7];
  if ((data[0] >> 4) != 6) return fail(rx_error::bad_ip_header);
  const std::size_t payload = static_cast<std::size_t>((data[4] << 8) | data[5]);
  if (ipv6_header_len + payload != len) return fail(rx_error::bad_ip_header);
  if (data[6] != vrrp_ip_protocol) return fail(rx_error::bad_protocol);
  return decode_ipv6(data + ipv6_header_len, payload, src, dst, data[7]);
}

} // namespace ka::proto
