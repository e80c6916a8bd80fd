#include "protocol/vrrp_packet.hpp"

#include "protocol/vrrp_message.hpp"

#include <algorithm>
#include <cassert>
#include <string>

namespace ka::proto {

namespace {

constexpr std::size_t ipv4_min_header = 20;

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
    case rx_error::bad_interval: return "bad_interval";
    case rx_error::family_mismatch: return "family_mismatch";
    case rx_error::oversized: return "oversized";
    case rx_error::not_a_peer: return "not_a_peer";
    case rx_error::ttl_out_of_range: return "ttl_out_of_range";
    case rx_error::count: break;
  }
  return "unknown";
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

decoded_advert decode_ipv4(const std::uint8_t* data, std::size_t len, bool require_ttl_255) {
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
  if (require_ttl_255 && d.ttl != vrrp_ttl) return fail(rx_error::bad_ttl);

  // --- VRRP message (v2 or v3; shared with IPv6).
  d.advert.fam = ip_address::family::v4;
  decode_vrrp_message(data + ihl, len - ihl, d);
  return d;
}

rx_error check_against(const vrrp_advert& adv, const advert_expectation& exp) {
  // Family first: the VRID spaces of IPv4 and IPv6 are separate (RFC 5798 5.2.3), so
  // an advert of the other family is not about this router at all.
  if (adv.fam != exp.family) return rx_error::family_mismatch;
  if (adv.vrid != exp.vrid) return rx_error::unknown_vrid;
  if (adv.version != exp.version) return rx_error::bad_version;
  if (adv.version == 3) {
    // v3 has no authentication (RFC 5798 9). Over IPv4 the decoder verified both forms;
    // the old unicast one counts unless `old_unicast_checksum never` refuses it.
    if (adv.fam == ip_address::family::v4) {
      const bool ok = adv.sum_with_pseudo || (exp.accept_old_sum && adv.sum_old_unicast);
      if (!ok) return rx_error::bad_checksum;
    }
    // No interval check: RFC 5798 6.4.2 has a backup adopt the master's interval
    // (the state machine does). keepalived 2.2.7 does the same (lab: a backup with
    // advert_int 1 hearing 50 cs logs "advertisement interval updated" and stays).
  } else {
    if (adv.auth != exp.auth) return rx_error::auth_type_mismatch;
    // RFC 3768 5.3.6.1: PASS compares the full 8 octets (the password is zero padded).
    if (exp.auth == auth_type::pass && adv.auth_data != exp.auth_data) return rx_error::auth_failure;
    if (adv.interval_cs != exp.interval_cs) return rx_error::interval_mismatch;
  }
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
