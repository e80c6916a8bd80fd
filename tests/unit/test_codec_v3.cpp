// VRRPv3 codec (RFC 5798 / RFC 9568) over IPv4 and IPv6: pseudo-header checksums, the
// v2-form checksum option, keepalived's own packets, every drop reason and the bounds.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "protocol/checksum.hpp"
#include "protocol/ip_address.hpp"
#include "protocol/vrrp_packet.hpp"
#include "golden_packets.hpp"
#include "test_helpers.hpp"

using namespace ka::proto;

namespace {

using ka::test::bytes;
using ka::test::ip;
using ka::test::from_array;
using ka::test::put16;

const ip_address src4 = *ip_address::parse("192.0.2.10");
const ip_address src6 = *ip_address::parse("fe80::ff:fe00:a");

// A 20-byte IPv4 header (TOS 0xc0, TTL 255, as keepalived sends) in front of `vrrp`.
bytes wrap_ipv4(const bytes& vrrp, ip_address src = src4, ip_address dst = vrrp_group_v4()) {
  bytes pkt(20, 0);
  pkt[0] = 0x45;
  pkt[1] = 0xc0;
  put16(pkt, 2, static_cast<std::uint16_t>(20 + vrrp.size()));
  pkt[8] = vrrp_ttl;
  pkt[9] = vrrp_ip_protocol;
  std::copy_n(src.bytes.begin(), 4, pkt.begin() + 12);
  std::copy_n(dst.bytes.begin(), 4, pkt.begin() + 16);
  put16(pkt, 10, inet_checksum(pkt.data(), 20));
  pkt.insert(pkt.end(), vrrp.begin(), vrrp.end());
  return pkt;
}

// Recomputes the RFC 5798 checksum of a VRRP message after a test changed a field, so
// that the packet fails exactly the check the test aims at.
void fix_v3_sum(bytes& vrrp, const ip_address& src, const ip_address& dst) {
  put16(vrrp, 6, 0);
  put16(vrrp, 6, pseudo_header_checksum(src, dst, vrrp_ip_protocol, vrrp.data(), vrrp.size()));
}

vrrp_advert advert4() {
  vrrp_advert a;
  a.version = 3;
  a.vrid = 51;
  a.priority = 100;
  a.interval_cs = 50;
  a.addrs = {ip("192.0.2.100"), ip("192.0.2.101")};
  return a;
}

vrrp_advert advert6() {
  vrrp_advert a;
  a.version = 3;
  a.vrid = 52;
  a.priority = 150;
  a.interval_cs = 50;
  a.addrs = {ip("2001:db8::100")};
  return a;
}

advert_expectation expect4() {
  advert_expectation e;
  e.version = 3;
  e.vrid = 51;
  e.interval_cs = 50;
  e.vips = {ip("192.0.2.100"), ip("192.0.2.101")};
  return e;
}

advert_expectation expect6() {
  advert_expectation e;
  e.version = 3;
  e.family = ip_address::family::v6;
  e.vrid = 52;
  e.interval_cs = 50;
  e.vips = {ip("2001:db8::100")};
  return e;
}

rx_error err4(const bytes& vrrp) {
  const bytes pkt = wrap_ipv4(vrrp);
  return decode_ipv4(pkt.data(), pkt.size()).error;
}

rx_error err6(const bytes& vrrp, std::uint8_t hop_limit = 255) {
  return decode_ipv6(vrrp.data(), vrrp.size(), src6, vrrp_group_v6(), hop_limit).error;
}

} // namespace

TEST_CASE("pseudo_header_checksum equals the RFC 1071 sum over the spelled-out pseudo-header") {
  const bytes msg = {0x31, 0x33, 0x64, 0x01, 0x00, 0x32, 0x00, 0x00, 0xc0, 0x00, 0x02, 0x64, 0x07};
  SUBCASE("IPv4: src, dst, zero, protocol, 16-bit length (RFC 5798 5.2.8)") {
    bytes ph = {192, 0, 2, 10, 224, 0, 0, 18, 0, 112, 0, static_cast<std::uint8_t>(msg.size())};
    // The odd-length message is padded on its own, after the (even) pseudo-header.
    ph.insert(ph.end(), msg.begin(), msg.end());
    CHECK(pseudo_header_checksum(src4, vrrp_group_v4(), 112, msg.data(), msg.size()) ==
          inet_checksum(ph.data(), ph.size()));
  }
  SUBCASE("IPv6: src, dst, 32-bit length, three zeros, next header (RFC 8200 8.1)") {
    bytes ph(src6.bytes.begin(), src6.bytes.end());
    const ip_address g = vrrp_group_v6();
    ph.insert(ph.end(), g.bytes.begin(), g.bytes.end());
    const bytes tail = {0, 0, 0, static_cast<std::uint8_t>(msg.size()), 0, 0, 0, 112};
    ph.insert(ph.end(), tail.begin(), tail.end());
    ph.insert(ph.end(), msg.begin(), msg.end());
    CHECK(pseudo_header_checksum(src6, g, 112, msg.data(), msg.size()) ==
          inet_checksum(ph.data(), ph.size()));
  }
  CHECK(vrrp_group_v6() == ip("ff02::12"));
}

TEST_CASE("keepalived 2.2.7 v3 IPv4 adverts: decoded, and re-encoded byte for byte") {
  for (const bytes& pkt : {from_array(ka::golden::golden_v3_ipv4_prio100),
                           from_array(ka::golden::golden_v3_ipv4_prio0)}) {
    const decoded_advert d = decode_ipv4(pkt.data(), pkt.size());
    REQUIRE(d.error == rx_error::none);
    CHECK(d.src == src4);
    CHECK(d.dst == vrrp_group_v4());
    CHECK(d.advert.version == 3);
    CHECK(d.advert.fam == ip_address::family::v4);
    CHECK(d.advert.vrid == 51);
    CHECK(d.advert.interval_cs == 50);
    CHECK(d.advert.addrs == advert4().addrs);
    // keepalived 2.2.7 sums the pseudo-header, as RFC 5798 asks; sent to the group, the
    // old unicast form is the same sum.
    CHECK(d.advert.sum_with_pseudo);
    CHECK(d.advert.sum_old_unicast);
    CHECK(check_against(d.advert, expect4()) == rx_error::none);

    vrrp_advert a = advert4();
    a.priority = d.advert.priority;
    CHECK(encode_v3(a, src4, vrrp_group_v4()) == bytes(pkt.begin() + 20, pkt.end()));
  }
  CHECK(decode_ipv4(ka::golden::golden_v3_ipv4_prio100, 36).advert.priority == 100);
  CHECK(decode_ipv4(ka::golden::golden_v3_ipv4_prio0, 36).advert.priority == 0);
}

TEST_CASE("keepalived 2.2.7 v3 IPv6 adverts: decoded, and re-encoded byte for byte") {
  for (const bytes& pkt : {from_array(ka::golden::golden_v3_ipv6_prio150),
                           from_array(ka::golden::golden_v3_ipv6_prio0)}) {
    const decoded_advert d = decode_ipv6_packet(pkt.data(), pkt.size());
    REQUIRE(d.error == rx_error::none);
    CHECK(d.src == src6);
    CHECK(d.dst == vrrp_group_v6());
    CHECK(d.ttl == 255);
    CHECK(d.advert.version == 3);
    CHECK(d.advert.fam == ip_address::family::v6);
    CHECK(d.advert.vrid == 52);
    CHECK(d.advert.interval_cs == 50);
    CHECK(d.advert.addrs == advert6().addrs);
    CHECK(d.advert.sum_with_pseudo);
    CHECK_FALSE(d.advert.sum_old_unicast);  // never set over IPv6
    CHECK(check_against(d.advert, expect6()) == rx_error::none);

    // What a raw socket hands over: the payload, with addresses from ancillary data.
    const decoded_advert r = decode_ipv6(pkt.data() + 40, pkt.size() - 40, src6, vrrp_group_v6(), 255);
    CHECK(r.error == rx_error::none);
    CHECK(r.advert.priority == d.advert.priority);

    vrrp_advert a = advert6();
    a.priority = d.advert.priority;
    CHECK(encode_v3(a, src6, vrrp_group_v6()) == bytes(pkt.begin() + 40, pkt.end()));
    // The old unicast form concerns IPv4 only: IPv6 always sums its real addresses.
    CHECK(encode_v3(a, src6, vrrp_group_v6(), v3_checksum::old_unicast) == bytes(pkt.begin() + 40, pkt.end()));
  }
  CHECK(decode_ipv6_packet(ka::golden::golden_v3_ipv6_prio150, 64).advert.priority == 150);
  CHECK(decode_ipv6_packet(ka::golden::golden_v3_ipv6_prio0, 64).advert.priority == 0);
}

TEST_CASE("encode_v3 lays out the RFC 5798 header") {
  vrrp_advert a = advert4();
  a.interval_cs = 0x0abc;
  const bytes b = encode_v3(a, src4, vrrp_group_v4());
  REQUIRE(b.size() == 8 + 2 * 4);  // no authentication trailer in v3
  CHECK(b[0] == 0x31);             // version 3, type 1
  CHECK(b[1] == 51);
  CHECK(b[2] == 100);
  CHECK(b[3] == 2);
  CHECK(b[4] == 0x0a);             // 4 reserved bits zero, then the interval's high nibble
  CHECK(b[5] == 0xbc);
  CHECK(bytes(b.begin() + 8, b.end()) == bytes{192, 0, 2, 100, 192, 0, 2, 101});
  CHECK(pseudo_header_checksum(src4, vrrp_group_v4(), 112, b.data(), b.size()) == 0);
  // The destination is part of the sum: unicast to a peer gives another checksum.
  const bytes u = encode_v3(a, src4, ip("192.0.2.11"));
  CHECK(bytes(u.begin(), u.begin() + 6) == bytes(b.begin(), b.begin() + 6));
  CHECK(u[6] * 256 + u[7] != b[6] * 256 + b[7]);
  CHECK(pseudo_header_checksum(src4, ip("192.0.2.11"), 112, u.data(), u.size()) == 0);
}

TEST_CASE("v3 unicast over IPv4: the old checksum form (224.0.0.18 in the pseudo-header)") {
  // A unicast advert of keepalived 2.2.7 with `old_unicast_checksum`, captured in a lab:
  // 192.0.2.11 -> 192.0.2.12, VRID 51, priority 200, 1 s, VIP 192.0.2.100. Its sum
  // verifies with the group as destination, not with the peer it was sent to.
  const bytes old_kd{0x31, 0x33, 0xc8, 0x01, 0x00, 0x64, 0xa1, 0x67, 0xc0, 0x00, 0x02, 0x64};
  const ip_address from = ip("192.0.2.11"), to = ip("192.0.2.12");
  vrrp_advert a = advert4();  // VRID 51
  a.priority = 200;
  a.interval_cs = 100;
  a.addrs = {ip("192.0.2.100")};
  CHECK(encode_v3(a, from, to, v3_checksum::old_unicast) == old_kd);
  CHECK(encode_v3(a, from, vrrp_group_v4()) == old_kd);  // the multicast advert's sum
  const bytes rfc = encode_v3(a, from, to);
  CHECK(rfc != old_kd);

  const bytes p_old = wrap_ipv4(old_kd, from, to);
  const bytes p_rfc = wrap_ipv4(rfc, from, to);
  const decoded_advert d_old = decode_ipv4(p_old.data(), p_old.size());
  const decoded_advert d_rfc = decode_ipv4(p_rfc.data(), p_rfc.size());
  // Both decode: which forms count is the instance's setting, checked by check_against.
  REQUIRE(d_old.error == rx_error::none);
  REQUIRE(d_rfc.error == rx_error::none);
  CHECK_FALSE(d_old.advert.sum_with_pseudo);
  CHECK(d_old.advert.sum_old_unicast);
  CHECK(d_rfc.advert.sum_with_pseudo);
  CHECK_FALSE(d_rfc.advert.sum_old_unicast);

  advert_expectation e = expect4();
  e.vips = a.addrs;
  e.interval_cs = 100;
  // Default and `old_unicast_checksum`: both forms count (keepalived 2.2.7 switches to
  // the old form on hearing it, and then drops the RFC form: a split we do not copy).
  CHECK(check_against(d_rfc.advert, e) == rx_error::none);
  CHECK(check_against(d_old.advert, e) == rx_error::none);
  // `old_unicast_checksum never`: the old form is a bad checksum, as keepalived says.
  e.accept_old_sum = false;
  CHECK(check_against(d_rfc.advert, e) == rx_error::none);
  CHECK(check_against(d_old.advert, e) == rx_error::bad_checksum);

  SUBCASE("a packet that verifies neither way is bad_checksum at decode") {
    bytes bad = p_rfc;
    bad.back() ^= 0x01;
    CHECK(decode_ipv4(bad.data(), bad.size()).error == rx_error::bad_checksum);
  }
}

TEST_CASE("v3 interval bounds: 1 and 4095 cs round-trip, 0 is dropped, reserved bits ignored") {
  for (std::uint16_t cs : {std::uint16_t{1}, std::uint16_t{4095}}) {
    vrrp_advert a = advert6();
    a.interval_cs = cs;
    const bytes b = encode_v3(a, src6, vrrp_group_v6());
    CHECK(b[4] == (cs >> 8));
    CHECK(b[5] == (cs & 0xff));
    const decoded_advert d = decode_ipv6(b.data(), b.size(), src6, vrrp_group_v6(), 255);
    REQUIRE(d.error == rx_error::none);
    CHECK(d.advert.interval_cs == cs);
  }
  vrrp_advert a = advert4();
  bytes b = encode_v3(a, src4, vrrp_group_v4());
  SUBCASE("interval 0: bad_interval, with a valid checksum") {
    b[4] = 0;
    b[5] = 0;
    fix_v3_sum(b, src4, vrrp_group_v4());
    CHECK(err4(b) == rx_error::bad_interval);
    bytes b6 = encode_v3(advert6(), src6, vrrp_group_v6());
    b6[4] = 0xf0;  // reserved bits set do not make the interval non-zero
    b6[5] = 0;
    fix_v3_sum(b6, src6, vrrp_group_v6());
    CHECK(err6(b6) == rx_error::bad_interval);
  }
  SUBCASE("interval 0 with a bad checksum is reported as the corruption it is") {
    b[4] = 0;
    b[5] = 0;
    CHECK(err4(b) == rx_error::bad_checksum);
  }
  SUBCASE("reserved bits are ignored on receipt (RFC 5798 5.2.6)") {
    b[4] = static_cast<std::uint8_t>(b[4] | 0xf0);
    fix_v3_sum(b, src4, vrrp_group_v4());
    const bytes pkt = wrap_ipv4(b);
    const decoded_advert d = decode_ipv4(pkt.data(), pkt.size());
    REQUIRE(d.error == rx_error::none);
    CHECK(d.advert.interval_cs == 50);
  }
}

TEST_CASE("v3 address count bounds: 255 addresses of either family, and no more") {
  SUBCASE("IPv4") {
    vrrp_advert a = advert4();
    a.addrs.clear();
    for (int i = 0; i < 255; ++i)
      a.addrs.push_back(ip_address::v4(198, 51, 100, static_cast<std::uint8_t>(i)));
    bytes b = encode_v3(a, src4, vrrp_group_v4());
    REQUIRE(b.size() == 8 + 255 * 4);
    CHECK(b[3] == 255);
    const bytes pkt = wrap_ipv4(b);
    const decoded_advert d = decode_ipv4(pkt.data(), pkt.size());
    REQUIRE(d.error == rx_error::none);
    CHECK(d.advert.addrs == a.addrs);
    // One more address's worth of bytes cannot be VRRP whatever the count says.
    b.insert(b.end(), {198, 51, 100, 255});
    fix_v3_sum(b, src4, vrrp_group_v4());
    CHECK(err4(b) == rx_error::oversized);
    // ...but a single stray octet after 255 addresses already is oversized too.
    b.resize(8 + 255 * 4 + 1);
    CHECK(err4(b) == rx_error::oversized);
  }
  SUBCASE("IPv6") {
    vrrp_advert a = advert6();
    a.addrs.clear();
    for (int i = 0; i < 255; ++i) {
      ip_address x = ip("2001:db8::");
      x.bytes[14] = static_cast<std::uint8_t>(i >> 8);
      x.bytes[15] = static_cast<std::uint8_t>(i);
      a.addrs.push_back(x);
    }
    bytes b = encode_v3(a, src6, vrrp_group_v6());
    REQUIRE(b.size() == 8 + 255 * 16);
    const decoded_advert d = decode_ipv6(b.data(), b.size(), src6, vrrp_group_v6(), 255);
    REQUIRE(d.error == rx_error::none);
    CHECK(d.advert.addrs == a.addrs);
    b.push_back(0);
    CHECK(err6(b) == rx_error::oversized);
  }
}

TEST_CASE("v3 over IPv4: every drop reason") {
  const bytes good = encode_v3(advert4(), src4, vrrp_group_v4());
  REQUIRE(err4(good) == rx_error::none);
  bytes b = good;
  SUBCASE("bad_version: v1, v4 and v15") {
    for (std::uint8_t vt : {0x11, 0x41, 0xf1}) {
      b[0] = vt;
      fix_v3_sum(b, src4, vrrp_group_v4());
      CHECK(err4(b) == rx_error::bad_version);
    }
  }
  SUBCASE("bad_type: 0 and 2") {
    for (std::uint8_t vt : {0x30, 0x32}) {
      b[0] = vt;
      fix_v3_sum(b, src4, vrrp_group_v4());
      CHECK(err4(b) == rx_error::bad_type);
    }
  }
  SUBCASE("bad_length: count says more (truncated) or fewer (trailing octets)") {
    b[3] = 3;
    fix_v3_sum(b, src4, vrrp_group_v4());
    CHECK(err4(b) == rx_error::bad_length);
    b = good;
    b[3] = 1;
    fix_v3_sum(b, src4, vrrp_group_v4());
    CHECK(err4(b) == rx_error::bad_length);
    b = good;
    b.push_back(0);  // trailing octet, count unchanged
    fix_v3_sum(b, src4, vrrp_group_v4());
    CHECK(err4(b) == rx_error::bad_length);
    // A v2-shaped trailer of 8 auth bytes after a v3 header is no v3 message either.
    b = good;
    b.insert(b.end(), 8, 0);
    fix_v3_sum(b, src4, vrrp_group_v4());
    CHECK(err4(b) == rx_error::bad_length);
  }
  SUBCASE("too_short: less than the 8-byte header") {
    b.resize(7);
    CHECK(err4(b) == rx_error::too_short);
  }
  SUBCASE("bad_checksum: the pseudo-header covers the source address") {
    const bytes pkt = wrap_ipv4(good, ip("192.0.2.11"));
    CHECK(decode_ipv4(pkt.data(), pkt.size()).error == rx_error::bad_checksum);
  }
  SUBCASE("bad_ttl") {
    bytes pkt = wrap_ipv4(good);
    pkt[8] = 64;
    put16(pkt, 10, 0);
    put16(pkt, 10, inet_checksum(pkt.data(), 20));
    CHECK(decode_ipv4(pkt.data(), pkt.size()).error == rx_error::bad_ttl);
  }
}

TEST_CASE("v3 over IPv6: every drop reason") {
  const bytes good = encode_v3(advert6(), src6, vrrp_group_v6());
  REQUIRE(err6(good) == rx_error::none);
  bytes b = good;
  SUBCASE("bad_ttl: hop limit below 255 means an off-link sender") {
    const decoded_advert d = decode_ipv6(b.data(), b.size(), src6, vrrp_group_v6(), 254);
    CHECK(d.error == rx_error::bad_ttl);
    CHECK(d.src == src6);  // known, so the drop can be logged with it
    CHECK(d.ttl == 254);
  }
  SUBCASE("bad_version: v2 does not exist over IPv6") {
    b[0] = 0x21;
    fix_v3_sum(b, src6, vrrp_group_v6());
    CHECK(err6(b) == rx_error::bad_version);
  }
  SUBCASE("bad_type") {
    b[0] = 0x33;
    fix_v3_sum(b, src6, vrrp_group_v6());
    CHECK(err6(b) == rx_error::bad_type);
  }
  SUBCASE("bad_length: an IPv4-sized address list with an IPv6 count") {
    b[3] = 2;
    fix_v3_sum(b, src6, vrrp_group_v6());
    CHECK(err6(b) == rx_error::bad_length);
    b = good;
    b.resize(8 + 4);  // one IPv4 address's worth of bytes, count 1
    fix_v3_sum(b, src6, vrrp_group_v6());
    CHECK(err6(b) == rx_error::bad_length);
  }
  SUBCASE("too_short") {
    b.resize(4);
    CHECK(err6(b) == rx_error::too_short);
    CHECK(decode_ipv6(nullptr, 0, src6, vrrp_group_v6(), 255).error == rx_error::too_short);
  }
  SUBCASE("bad_checksum: destination and source are in the sum") {
    CHECK(decode_ipv6(b.data(), b.size(), src6, ip("ff02::1"), 255).error == rx_error::bad_checksum);
    CHECK(decode_ipv6(b.data(), b.size(), ip("fe80::1"), vrrp_group_v6(), 255).error ==
          rx_error::bad_checksum);
    // The v2 form (no pseudo-header) is no excuse over IPv6.
    bytes plain = good;
    put16(plain, 6, 0);
    put16(plain, 6, inet_checksum(plain.data(), plain.size()));
    CHECK(err6(plain) == rx_error::bad_checksum);
  }
  SUBCASE("whole packets: IPv6 header checks") {
    bytes pkt = from_array(ka::golden::golden_v3_ipv6_prio150);
    REQUIRE(decode_ipv6_packet(pkt.data(), pkt.size()).error == rx_error::none);
    CHECK(decode_ipv6_packet(pkt.data(), 39).error == rx_error::too_short);
    CHECK(decode_ipv6_packet(nullptr, 0).error == rx_error::too_short);
    bytes p = pkt;
    p[0] = 0x4c;  // version 4
    CHECK(decode_ipv6_packet(p.data(), p.size()).error == rx_error::bad_ip_header);
    p = pkt;
    p[5] = 0x17;  // payload length one short of the bytes present
    CHECK(decode_ipv6_packet(p.data(), p.size()).error == rx_error::bad_ip_header);
    p = pkt;
    p[6] = 0;  // a hop-by-hop options header is not walked
    CHECK(decode_ipv6_packet(p.data(), p.size()).error == rx_error::bad_protocol);
    p = pkt;
    p[7] = 1;
    CHECK(decode_ipv6_packet(p.data(), p.size()).error == rx_error::bad_ttl);
  }
}

TEST_CASE("check_against for v3: family, version, no auth, any interval, addresses") {
  const bytes pkt = from_array(ka::golden::golden_v3_ipv4_prio100);
  const vrrp_advert a = decode_ipv4(pkt.data(), pkt.size()).advert;
  advert_expectation e = expect4();
  REQUIRE(check_against(a, e) == rx_error::none);
  SUBCASE("an IPv6 instance with the same VRID is not this router") {
    e.family = ip_address::family::v6;
    CHECK(check_against(a, e) == rx_error::family_mismatch);
    const vrrp_advert a6 = decode_ipv6_packet(ka::golden::golden_v3_ipv6_prio150, 64).advert;
    advert_expectation e6 = expect6();
    e6.family = ip_address::family::v4;
    CHECK(check_against(a6, e6) == rx_error::family_mismatch);
  }
  SUBCASE("a v2 instance drops a v3 advert, and the reverse") {
    e.version = 2;
    CHECK(check_against(a, e) == rx_error::bad_version);
    vrrp_advert v2 = a;
    v2.version = 2;
    CHECK(check_against(v2, expect4()) == rx_error::bad_version);
  }
  SUBCASE("unknown_vrid") {
    e.vrid = 50;
    CHECK(check_against(a, e) == rx_error::unknown_vrid);
  }
  SUBCASE("v3 has no authentication: a configured PASS is not compared") {
    e.auth = auth_type::pass;
    e.auth_data = pass_auth_data("1111");
    CHECK(check_against(a, e) == rx_error::none);
  }
  SUBCASE("a different interval is accepted: the backup adopts it (RFC 5798 6.4.2)") {
    e.interval_cs = 100;
    CHECK(check_against(a, e) == rx_error::none);
  }
  SUBCASE("address_mismatch, unless from the owner") {
    e.vips = {ip("192.0.2.100")};
    CHECK(check_against(a, e) == rx_error::address_mismatch);
    vrrp_advert owner = a;
    owner.priority = 255;
    CHECK(check_against(owner, e) == rx_error::none);
  }
}

TEST_CASE("rx_error names of the v3 reasons") {
  CHECK(std::string(to_string(rx_error::bad_interval)) == "bad_interval");
  CHECK(std::string(to_string(rx_error::family_mismatch)) == "family_mismatch");
  CHECK(std::string(to_string(rx_error::oversized)) == "oversized");
  // Appended after the v2 reasons, so existing counter indices did not move.
  CHECK(static_cast<int>(rx_error::address_mismatch) < static_cast<int>(rx_error::bad_interval));
}
