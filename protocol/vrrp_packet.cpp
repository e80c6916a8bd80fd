#include "protocol/vrrp_packet.hpp"

#include <algorithm>
#include <cassert>
#include <string>

namespace ka::proto {

namespace {

constexpr std::size_t ipv4_min_header = 20;
constexpr std::size_t vrrp_header_len = 8;
constexpr std::size_t vrrp_v2_auth_len = 8;

std::uint16_t load16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

// Addresses compared as sets: the RFC does not fix the order, and a duplicate in a
// configuration should not make two otherwise identical routers disagree.
std::vector<ip_address> as_set(std::vector<ip_address> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

} // namespace

const char* to_string(rx_error e) {
  switch (e) {
    case rx_error::none: return "none";
    case rx_error::too_short: return "too_short";
    case rx_error::bad_ip_header: return "bad_ip_header";
    case rx_error::bad_protocol: return "bad_protocol";
    case rx_error::bad_ttl: return "bad_ttl";
    case rx_error::bad_version: return "bad_version";
    case rx_error::bad_type: return "bad_type";
    case rx_error::bad_length: return "bad_length";
    case rx_error::bad_checksum: return "bad_checksum";
    case rx_error::unknown_vrid: return "unknown_vrid";
    case rx_error::auth_type_mismatch: return "auth_type_mismatch";
    case rx_error::auth_failure: return "auth_failure";
    case rx_error::interval_mismatch: return "interval_mismatch";
    case rx_error::address_mismatch: return "address_mismatch";
    case rx_error::count: break;
  }
  return "unknown";
}

std::uint16_t inet_checksum(const std::uint8_t* data, std::size_t len) {
  std::uint32_t sum = 0;
  std::size_t i = 0;
  for (; i + 1 < len; i += 2) sum += load16(data + i);
  // An odd trailing byte is padded with a zero byte on the right (RFC 1071).
  if (i < len) sum += static_cast<std::uint32_t>(data[i]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

std::vector<ip_address> advertised_addresses(const std::vector<ip_address>& vips) {
  const std::size_t n = std::min(vips.size(), max_advert_addresses);
  return std::vector<ip_address>(vips.begin(), vips.begin() + static_cast<std::ptrdiff_t>(n));
}

std::vector<std::uint8_t> encode_v2(const vrrp_advert& adv) {
  assert(adv.version == 2);
  assert(adv.addrs.size() <= 255);
  assert(adv.interval_cs % 100 == 0 && adv.interval_cs / 100 <= 255);
  std::vector<std::uint8_t> out;
  out.reserve(vrrp_header_len + 4 * adv.addrs.size() + vrrp_v2_auth_len);
  out.push_back(static_cast<std::uint8_t>((adv.version << 4) | (adv.type & 0x0f)));
  out.push_back(adv.vrid);
  out.push_back(adv.priority);
  out.push_back(static_cast<std::uint8_t>(adv.addrs.size()));
  out.push_back(static_cast<std::uint8_t>(adv.auth));
  out.push_back(static_cast<std::uint8_t>(adv.interval_cs / 100));
  out.push_back(0);  // checksum, filled in below
  out.push_back(0);
  for (const auto& a : adv.addrs) {
    assert(a.is_v4());
    out.insert(out.end(), a.bytes.begin(), a.bytes.begin() + 4);
  }
  // RFC 3768 5.3.10: with no authentication the field MUST be zero on transmit.
  if (adv.auth == auth_type::none)
    out.insert(out.end(), vrrp_v2_auth_len, 0);
  else
    out.insert(out.end(), adv.auth_data.begin(), adv.auth_data.end());
  const std::uint16_t sum = inet_checksum(out.data(), out.size());
  out[6] = static_cast<std::uint8_t>(sum >> 8);
  out[7] = static_cast<std::uint8_t>(sum & 0xff);
  return out;
}

decoded_advert decode_ipv4(const std::uint8_t* data, std::size_t len) {
  decoded_advert d;
  auto fail = [&d](rx_error e) {
    d.error = e;
    return d;
  };
  if (data == nullptr) return fail(rx_error::too_short);
  // Whatever is readable of the addressing is kept, so that every drop, a truncated
  // packet's too, is logged with its sender rather than 0.0.0.0.
  if (len > 8) d.ttl = data[8];
  if (len >= 16) d.src = ip_address::v4_from_bytes(data + 12);
  if (len >= 20) d.dst = ip_address::v4_from_bytes(data + 16);
  if (len < ipv4_min_header + vrrp_header_len) return fail(rx_error::too_short);

  // --- IP header. Linux hands raw sockets the header unchanged and the datagram
  // trimmed to its total length, so any disagreement means a corrupt packet.
  if ((data[0] >> 4) != 4) return fail(rx_error::bad_ip_header);
  const std::size_t ihl = static_cast<std::size_t>(data[0] & 0x0f) * 4;
  if (ihl < ipv4_min_header || ihl > len) return fail(rx_error::bad_ip_header);
  const std::size_t tot_len = load16(data + 2);
  if (tot_len != len) return fail(rx_error::bad_ip_header);
  if (inet_checksum(data, ihl) != 0) return fail(rx_error::bad_ip_header);
  if (data[9] != vrrp_ip_protocol) return fail(rx_error::bad_protocol);
  // RFC 3768 7.1: TTL 255 proves the sender is on our link.
  if (d.ttl != vrrp_ttl) return fail(rx_error::bad_ttl);

  // --- VRRP message.
  const std::uint8_t* v = data + ihl;
  const std::size_t vlen = len - ihl;
  if (vlen < vrrp_header_len) return fail(rx_error::too_short);
  vrrp_advert& a = d.advert;
  a.version = static_cast<std::uint8_t>(v[0] >> 4);
  a.type = static_cast<std::uint8_t>(v[0] & 0x0f);
  a.vrid = v[1];
  a.priority = v[2];
  const std::size_t count = v[3];
  a.auth = static_cast<auth_type>(v[4]);
  a.interval_cs = static_cast<std::uint16_t>(v[5] * 100);
  // Only v2 is implemented; a v3 advert is reported rather than half-understood.
  if (a.version != 2) return fail(rx_error::bad_version);
  if (a.type != 1) return fail(rx_error::bad_type);
  // RFC 3768 7.1 asks that the packet "contains the complete VRRP packet"; the length
  // must also match exactly: octets after the authentication data are dropped as
  // bad_length, as keepalived 2.2.7 drops them (a peer that pads is no VRRPv2 peer).
  const std::size_t msg_len = vrrp_header_len + 4 * count + vrrp_v2_auth_len;
  if (vlen != msg_len) return fail(rx_error::bad_length);
  if (inet_checksum(v, msg_len) != 0) return fail(rx_error::bad_checksum);
  a.addrs.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    a.addrs.push_back(ip_address::v4_from_bytes(v + vrrp_header_len + 4 * i));
  std::copy_n(v + vrrp_header_len + 4 * count, vrrp_v2_auth_len, a.auth_data.begin());
  return d;
}

rx_error check_against(const vrrp_advert& adv, const advert_expectation& exp) {
  if (adv.vrid != exp.vrid) return rx_error::unknown_vrid;
  if (adv.auth != exp.auth) return rx_error::auth_type_mismatch;
  // RFC 3768 5.3.6.1: PASS compares the full 8 octets (the password is zero padded).
  if (exp.auth == auth_type::pass && adv.auth_data != exp.auth_data) return rx_error::auth_failure;
  if (adv.interval_cs != exp.interval_cs) return rx_error::interval_mismatch;
  // RFC 3768 7.1: an address list mismatch is logged and the packet dropped, unless
  // it comes from the owner (priority 255), whose adverts are always accepted.
  if (adv.priority != 255 && as_set(adv.addrs) != as_set(exp.vips)) return rx_error::address_mismatch;
  return rx_error::none;
}

std::array<std::uint8_t, 8> pass_auth_data(const std::string& password) {
  std::array<std::uint8_t, 8> out{};
  const std::size_t n = std::min(password.size(), out.size());
  std::copy_n(reinterpret_cast<const std::uint8_t*>(password.data()), n, out.begin());
  return out;
}

} // namespace ka::proto
