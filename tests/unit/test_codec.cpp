// VRRPv2 codec: checksum, encode/decode, every drop reason, and keepalived's own packets.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

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

// Recomputes the IP header checksum so a test can change one field and hit exactly
// the check it aims at.
void fix_ip_checksum(bytes& pkt) {
  const std::size_t ihl = static_cast<std::size_t>(pkt[0] & 0x0f) * 4;
  put16(pkt, 10, 0);
  put16(pkt, 10, inet_checksum(pkt.data(), ihl));
}

void fix_vrrp_checksum(bytes& pkt) {
  const std::size_t ihl = static_cast<std::size_t>(pkt[0] & 0x0f) * 4;
  const std::size_t vrrp_len = pkt.size() - ihl;
  put16(pkt, ihl + 6, 0);
  put16(pkt, ihl + 6, inet_checksum(pkt.data() + ihl, vrrp_len));
}

// A 20-byte IPv4 header (as keepalived builds it: TOS 0xc0, TTL 255) in front of `vrrp`.
bytes wrap_ipv4(const bytes& vrrp, ip_address src = ip("192.0.2.1"),
                ip_address dst = vrrp_group_v4()) {
  bytes pkt(20, 0);
  pkt[0] = 0x45;
  pkt[1] = 0xc0;
  put16(pkt, 2, static_cast<std::uint16_t>(20 + vrrp.size()));
  pkt[8] = vrrp_ttl;
  pkt[9] = vrrp_ip_protocol;
  std::copy_n(src.bytes.begin(), 4, pkt.begin() + 12);
  std::copy_n(dst.bytes.begin(), 4, pkt.begin() + 16);
  pkt.insert(pkt.end(), vrrp.begin(), vrrp.end());
  fix_ip_checksum(pkt);
  return pkt;
}

vrrp_advert sample_advert() {
  vrrp_advert a;
  a.vrid = 51;
  a.priority = 100;
  a.auth = auth_type::pass;
  a.interval_cs = 100;
  a.addrs = {ip("192.0.2.100")};
  a.auth_data = pass_auth_data("1111");
  return a;
}

advert_expectation sample_expectation() {
  advert_expectation e;
  e.vrid = 51;
  e.auth = auth_type::pass;
  e.auth_data = pass_auth_data("1111");
  e.interval_cs = 100;
  e.vips = {ip("192.0.2.100")};
  return e;
}

rx_error decode_error(const bytes& pkt) { return decode_ipv4(pkt.data(), pkt.size()).error; }

} // namespace

TEST_CASE("inet_checksum matches RFC 1071 and verifies to zero") {
  // RFC 1071 section 3 example: the one's complement sum is 0xddf2.
  const std::uint8_t rfc[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  CHECK(inet_checksum(rfc, sizeof rfc) == 0x220d);
  // An odd trailing byte counts as the high byte of a zero-padded word.
  const std::uint8_t odd[] = {0x00, 0x01, 0xf2};
  CHECK(inet_checksum(odd, sizeof odd) == static_cast<std::uint16_t>(~(0x0001 + 0xf200)));
  CHECK(inet_checksum(nullptr, 0) == 0xffff);
  // Carries fold back in: 0xffff + 0x0001 = 0x10000 -> 0x0001.
  const std::uint8_t carry[] = {0xff, 0xff, 0x00, 0x01};
  CHECK(inet_checksum(carry, sizeof carry) == 0xfffe);
  // 0x1ffff folds to 0x10000, which needs a second fold.
  const std::uint8_t carry2[] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x01};
  CHECK(inet_checksum(carry2, sizeof carry2) == 0xfffe);
  // The IP header checksum keepalived put in golden packet (a) verifies.
  CHECK(inet_checksum(ka::golden::golden_pass_prio100, 20) == 0);
}

TEST_CASE("pass_auth_data keeps the first 8 bytes, zero padded") {
  CHECK(pass_auth_data("1111") == std::array<std::uint8_t, 8>{'1', '1', '1', '1', 0, 0, 0, 0});
  CHECK(pass_auth_data("abcdefghij") ==
        std::array<std::uint8_t, 8>{'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'});
  CHECK(pass_auth_data("") == std::array<std::uint8_t, 8>{});
}

TEST_CASE("encode_v2 lays out the RFC 3768 header") {
  vrrp_advert a = sample_advert();
  a.interval_cs = 300;
  a.addrs = {ip("192.0.2.100"), ip("192.0.2.101")};
  const bytes b = encode_v2(a);
  REQUIRE(b.size() == 8 + 2 * 4 + 8);
  CHECK(b[0] == 0x21);  // version 2, type 1
  CHECK(b[1] == 51);
  CHECK(b[2] == 100);
  CHECK(b[3] == 2);    // count IP addrs
  CHECK(b[4] == 1);    // PASS
  CHECK(b[5] == 3);    // seconds, not centiseconds
  CHECK(bytes(b.begin() + 8, b.begin() + 16) == bytes{192, 0, 2, 100, 192, 0, 2, 101});
  CHECK(bytes(b.begin() + 16, b.end()) == bytes{'1', '1', '1', '1', 0, 0, 0, 0});
  CHECK(inet_checksum(b.data(), b.size()) == 0);

  SUBCASE("no authentication sends zero auth data whatever the struct holds") {
    a.auth = auth_type::none;
    const bytes n = encode_v2(a);
    CHECK(n[4] == 0);
    CHECK(bytes(n.begin() + 16, n.end()) == bytes(8, 0));
    CHECK(inet_checksum(n.data(), n.size()) == 0);
  }
}

TEST_CASE("encode then decode round-trips") {
  vrrp_advert a = sample_advert();
  SUBCASE("one address, PASS") {}
  SUBCASE("no address, no auth, 5 s") {
    a.addrs.clear();
    a.auth = auth_type::none;
    a.auth_data = {};
    a.interval_cs = 500;
    a.priority = 1;
  }
  SUBCASE("many addresses, owner") {
    a.addrs.clear();
    for (std::uint8_t i = 1; i <= 20; ++i) a.addrs.push_back(ip_address::v4(192, 0, 2, i));
    a.priority = 255;
    a.vrid = 255;
  }
  const bytes pkt = wrap_ipv4(encode_v2(a), ip("192.0.2.7"));
  const decoded_advert d = decode_ipv4(pkt.data(), pkt.size());
  REQUIRE(d.error == rx_error::none);
  CHECK(d.src == ip("192.0.2.7"));
  CHECK(d.dst == vrrp_group_v4());
  CHECK(d.ttl == 255);
  CHECK(d.advert.version == 2);
  CHECK(d.advert.type == 1);
  CHECK(d.advert.vrid == a.vrid);
  CHECK(d.advert.priority == a.priority);
  CHECK(d.advert.auth == a.auth);
  CHECK(d.advert.interval_cs == a.interval_cs);
  CHECK(d.advert.addrs == a.addrs);
  CHECK(d.advert.auth_data == a.auth_data);
}

TEST_CASE("decode_ipv4 reports every malformed packet") {
  const bytes good = wrap_ipv4(encode_v2(sample_advert()));
  REQUIRE(decode_error(good) == rx_error::none);
  bytes p = good;

  SUBCASE("too_short: not even IP + VRRP headers") {
    CHECK(decode_ipv4(good.data(), 27).error == rx_error::too_short);
    CHECK(decode_ipv4(good.data(), 0).error == rx_error::too_short);
    CHECK(decode_ipv4(nullptr, 40).error == rx_error::too_short);
  }
  SUBCASE("too_short: IP options leave less than a VRRP header") {
    p.resize(28);
    p[0] = 0x46;  // 24-byte header: 4 bytes of VRRP remain
    put16(p, 2, 28);
    fix_ip_checksum(p);
    CHECK(decode_error(p) == rx_error::too_short);
  }
  SUBCASE("bad_ip_header: not IPv4") {
    p[0] = 0x65;
    fix_ip_checksum(p);
    CHECK(decode_error(p) == rx_error::bad_ip_header);
  }
  SUBCASE("bad_ip_header: IHL below 5") {
    p[0] = 0x44;
    fix_ip_checksum(p);  // over the 16 bytes the bad IHL claims
    CHECK(decode_error(p) == rx_error::bad_ip_header);
  }
  SUBCASE("bad_ip_header: IHL beyond the datagram") {
    p.resize(28);
    p[0] = 0x4f;
    put16(p, 2, 28);
    CHECK(decode_error(p) == rx_error::bad_ip_header);
  }
  SUBCASE("bad_ip_header: total length larger than received") {
    put16(p, 2, static_cast<std::uint16_t>(p.size() + 4));
    fix_ip_checksum(p);
    CHECK(decode_error(p) == rx_error::bad_ip_header);
  }
  SUBCASE("bad_ip_header: total length smaller than received") {
    put16(p, 2, static_cast<std::uint16_t>(p.size() - 4));
    fix_ip_checksum(p);
    CHECK(decode_error(p) == rx_error::bad_ip_header);
  }
  SUBCASE("bad_ip_header: header checksum") {
    p[10] ^= 0x01;
    CHECK(decode_error(p) == rx_error::bad_ip_header);
  }
  SUBCASE("bad_protocol") {
    p[9] = 51;  // AH
    fix_ip_checksum(p);
    CHECK(decode_error(p) == rx_error::bad_protocol);
  }
  SUBCASE("bad_ttl") {
    p[8] = 254;
    fix_ip_checksum(p);
    const decoded_advert d = decode_ipv4(p.data(), p.size());
    CHECK(d.error == rx_error::bad_ttl);
    CHECK(d.ttl == 254);
    CHECK(d.src == ip("192.0.2.1"));  // known, so the drop can be logged with it
  }
  SUBCASE("bad_version: v1 and v4 (v3 is decoded; a v2 instance drops it, test_codec_v3)") {
    for (std::uint8_t vt : {0x11, 0x41}) {
      p = good;
      p[20] = vt;
      fix_vrrp_checksum(p);
      CHECK(decode_error(p) == rx_error::bad_version);
    }
  }
  SUBCASE("bad_type") {
    p[20] = 0x22;
    fix_vrrp_checksum(p);
    CHECK(decode_error(p) == rx_error::bad_type);
  }
  SUBCASE("bad_length: count says more addresses than present") {
    p[23] = 2;
    CHECK(decode_error(p) == rx_error::bad_length);
  }
  SUBCASE("bad_length: VRRP header but no room for auth data") {
    p.resize(20 + 12);
    put16(p, 2, 32);
    fix_ip_checksum(p);
    CHECK(decode_error(p) == rx_error::bad_length);
  }
  SUBCASE("bad_checksum: a flipped password bit") {
    p[p.size() - 8] ^= 0x40;
    CHECK(decode_error(p) == rx_error::bad_checksum);
  }
  SUBCASE("bad_checksum: a changed priority") {
    p[22] = 101;
    CHECK(decode_error(p) == rx_error::bad_checksum);
  }
  SUBCASE("bad_length: trailing bytes after the auth data (keepalived drops them too)") {
    for (std::size_t extra : {1u, 4u, 200u}) {
      p = good;
      p.insert(p.end(), extra, 0xde);
      put16(p, 2, static_cast<std::uint16_t>(p.size()));
      fix_ip_checksum(p);
      const decoded_advert d = decode_ipv4(p.data(), p.size());
      CHECK(d.error == rx_error::bad_length);
      CHECK(d.src == ip("192.0.2.1"));
    }
  }
  SUBCASE("a truncated packet still names its sender when the header holds it") {
    CHECK(decode_ipv4(good.data(), 27).src == ip("192.0.2.1"));
    CHECK(decode_ipv4(good.data(), 16).src == ip("192.0.2.1"));
    CHECK(decode_ipv4(good.data(), 19).dst == ip_address{});
    CHECK(decode_ipv4(good.data(), 20).dst == vrrp_group_v4());
    CHECK(decode_ipv4(good.data(), 15).src == ip_address{});  // no room: unknown
    CHECK(decode_ipv4(good.data(), 15).error == rx_error::too_short);
  }
  SUBCASE("IP options are skipped") {
    bytes opt(good.begin(), good.begin() + 20);
    opt[0] = 0x46;
    opt.insert(opt.end(), {0x94, 0x04, 0x00, 0x00});  // router alert
    opt.insert(opt.end(), good.begin() + 20, good.end());
    put16(opt, 2, static_cast<std::uint16_t>(opt.size()));
    fix_ip_checksum(opt);
    const decoded_advert d = decode_ipv4(opt.data(), opt.size());
    CHECK(d.error == rx_error::none);
    CHECK(d.advert.vrid == 51);
  }
}

TEST_CASE("check_against applies the configuration checks") {
  vrrp_advert a = sample_advert();
  advert_expectation e = sample_expectation();
  CHECK(check_against(a, e) == rx_error::none);

  SUBCASE("unknown_vrid") {
    e.vrid = 52;
    CHECK(check_against(a, e) == rx_error::unknown_vrid);
  }
  SUBCASE("auth_type_mismatch both ways") {
    e.auth = auth_type::none;
    CHECK(check_against(a, e) == rx_error::auth_type_mismatch);
    a.auth = auth_type::none;
    e.auth = auth_type::pass;
    CHECK(check_against(a, e) == rx_error::auth_type_mismatch);
  }
  SUBCASE("auth_failure: password differs") {
    e.auth_data = pass_auth_data("1112");
    CHECK(check_against(a, e) == rx_error::auth_failure);
  }
  SUBCASE("auth_failure: a prefix of the password is not enough") {
    e.auth_data = pass_auth_data("11111");
    CHECK(check_against(a, e) == rx_error::auth_failure);
  }
  SUBCASE("no auth ignores the auth data") {
    a.auth = e.auth = auth_type::none;
    a.auth_data = pass_auth_data("junk");
    CHECK(check_against(a, e) == rx_error::none);
  }
  SUBCASE("interval_mismatch") {
    e.interval_cs = 200;
    CHECK(check_against(a, e) == rx_error::interval_mismatch);
  }
  SUBCASE("address_mismatch: different, missing and extra addresses") {
    e.vips = {ip("192.0.2.101")};
    CHECK(check_against(a, e) == rx_error::address_mismatch);
    e.vips = {ip("192.0.2.100"), ip("192.0.2.101")};
    CHECK(check_against(a, e) == rx_error::address_mismatch);
    e.vips = {};
    CHECK(check_against(a, e) == rx_error::address_mismatch);
  }
  SUBCASE("addresses compare as a set") {
    a.addrs = {ip("192.0.2.101"), ip("192.0.2.100")};
    e.vips = {ip("192.0.2.100"), ip("192.0.2.101")};
    CHECK(check_against(a, e) == rx_error::none);
  }
  SUBCASE("the owner's advert is accepted despite an address mismatch") {
    e.vips = {ip("192.0.2.101")};
    a.priority = 255;
    CHECK(check_against(a, e) == rx_error::none);
    a.priority = 254;
    CHECK(check_against(a, e) == rx_error::address_mismatch);
  }
}

TEST_CASE("rx_error names are the snake_case enum names") {
  CHECK(std::string(to_string(rx_error::none)) == "none");
  CHECK(std::string(to_string(rx_error::too_short)) == "too_short");
  CHECK(std::string(to_string(rx_error::bad_ip_header)) == "bad_ip_header");
  CHECK(std::string(to_string(rx_error::bad_protocol)) == "bad_protocol");
  CHECK(std::string(to_string(rx_error::bad_ttl)) == "bad_ttl");
  CHECK(std::string(to_string(rx_error::bad_version)) == "bad_version");
  CHECK(std::string(to_string(rx_error::bad_type)) == "bad_type");
  CHECK(std::string(to_string(rx_error::bad_length)) == "bad_length");
  CHECK(std::string(to_string(rx_error::bad_checksum)) == "bad_checksum");
  CHECK(std::string(to_string(rx_error::unknown_vrid)) == "unknown_vrid");
  CHECK(std::string(to_string(rx_error::auth_type_mismatch)) == "auth_type_mismatch");
  CHECK(std::string(to_string(rx_error::auth_failure)) == "auth_failure");
  CHECK(std::string(to_string(rx_error::interval_mismatch)) == "interval_mismatch");
  CHECK(std::string(to_string(rx_error::address_mismatch)) == "address_mismatch");
  // Every counter has its own JSON key.
  std::set<std::string> names;
  for (int i = 0; i < static_cast<int>(rx_error::count); ++i)
    names.insert(to_string(static_cast<rx_error>(i)));
  CHECK(names.size() == static_cast<std::size_t>(rx_error::count));
}

TEST_CASE("ip_address parses and prints") {
  CHECK(ip("192.0.2.1") == ip_address::v4(192, 0, 2, 1));
  CHECK(ip("192.0.2.1").to_string() == "192.0.2.1");
  CHECK(ip("192.0.2.1").size() == 4);
  const ip_address v6 = ip("2001:db8::1");
  CHECK_FALSE(v6.is_v4());
  CHECK(v6.size() == 16);
  CHECK(v6.to_string() == "2001:db8::1");
  CHECK(v6.bytes[0] == 0x20);
  CHECK(v6.bytes[15] == 0x01);
  CHECK_FALSE(ip_address::parse("").has_value());
  CHECK_FALSE(ip_address::parse("192.0.2").has_value());
  CHECK_FALSE(ip_address::parse("192.0.2.256").has_value());
  CHECK_FALSE(ip_address::parse("192.0.2.1/24").has_value());
  CHECK_FALSE(ip_address::parse(std::string_view("192.0.2.1\0x", 11)).has_value());
  CHECK_FALSE(ip_address::parse(std::string(100, '1')).has_value());
  // Numeric order decides the VRRP tie-break.
  CHECK(ip("192.0.2.9") < ip("192.0.2.10"));
  CHECK(ip("192.0.2.1") < ip("198.51.100.1"));
  CHECK_FALSE(ip("192.0.2.1") < ip("192.0.2.1"));
  CHECK(ip("192.0.2.1") != ip("192.0.2.2"));
  const std::uint8_t raw[] = {198, 51, 100, 7};
  CHECK(ip_address::v4_from_bytes(raw).to_string() == "198.51.100.7");
}

// --- Packets sent by real keepalived 2.2.7 (see golden_packets.hpp) ---------------

TEST_CASE("golden (a): keepalived PASS advert, priority 100, one VIP") {
  const bytes pkt = from_array(ka::golden::golden_pass_prio100);
  const decoded_advert d = decode_ipv4(pkt.data(), pkt.size());
  REQUIRE(d.error == rx_error::none);
  CHECK(d.src == ip("192.0.2.1"));
  CHECK(d.dst == ip("224.0.0.18"));
  CHECK(d.ttl == 255);
  CHECK(d.advert.version == 2);
  CHECK(d.advert.type == 1);
  CHECK(d.advert.vrid == 51);
  CHECK(d.advert.priority == 100);
  CHECK(d.advert.auth == auth_type::pass);
  CHECK(d.advert.interval_cs == 100);
  CHECK(d.advert.addrs == std::vector<ip_address>{ip("192.0.2.100")});
  CHECK(d.advert.auth_data == pass_auth_data("1111"));

  CHECK(check_against(d.advert, sample_expectation()) == rx_error::none);
  advert_expectation wrong_pw = sample_expectation();
  wrong_pw.auth_data = pass_auth_data("2222");
  CHECK(check_against(d.advert, wrong_pw) == rx_error::auth_failure);

  CHECK(encode_v2(d.advert) == bytes(pkt.begin() + 20, pkt.end()));
  // And from a hand-built advert, not just the decoded one.
  CHECK(encode_v2(sample_advert()) == bytes(pkt.begin() + 20, pkt.end()));
}

TEST_CASE("golden (b): keepalived advert without auth, priority 150, two VIPs") {
  const bytes pkt = from_array(ka::golden::golden_none_prio150_two_vips);
  const decoded_advert d = decode_ipv4(pkt.data(), pkt.size());
  REQUIRE(d.error == rx_error::none);
  CHECK(d.src == ip("192.0.2.1"));
  CHECK(d.advert.vrid == 51);
  CHECK(d.advert.priority == 150);
  CHECK(d.advert.auth == auth_type::none);
  CHECK(d.advert.interval_cs == 100);
  CHECK(d.advert.addrs == std::vector<ip_address>{ip("192.0.2.100"), ip("192.0.2.101")});
  CHECK(d.advert.auth_data == std::array<std::uint8_t, 8>{});

  advert_expectation e;
  e.vrid = 51;
  e.auth = auth_type::none;
  e.interval_cs = 100;
  e.vips = {ip("192.0.2.101"), ip("192.0.2.100")};
  CHECK(check_against(d.advert, e) == rx_error::none);
  CHECK(check_against(d.advert, sample_expectation()) == rx_error::auth_type_mismatch);

  CHECK(encode_v2(d.advert) == bytes(pkt.begin() + 20, pkt.end()));
}

TEST_CASE("golden (c): keepalived's priority-0 advert on SIGTERM") {
  SUBCASE("with PASS auth") {
    const bytes pkt = from_array(ka::golden::golden_pass_prio0);
    const decoded_advert d = decode_ipv4(pkt.data(), pkt.size());
    REQUIRE(d.error == rx_error::none);
    CHECK(d.advert.priority == 0);
    CHECK(d.advert.vrid == 51);
    CHECK(d.advert.auth == auth_type::pass);
    CHECK(d.advert.addrs == std::vector<ip_address>{ip("192.0.2.100")});
    CHECK(check_against(d.advert, sample_expectation()) == rx_error::none);
    CHECK(encode_v2(d.advert) == bytes(pkt.begin() + 20, pkt.end()));
    vrrp_advert ours = sample_advert();
    ours.priority = 0;
    CHECK(encode_v2(ours) == bytes(pkt.begin() + 20, pkt.end()));
  }
  SUBCASE("without auth, two VIPs") {
    const bytes pkt = from_array(ka::golden::golden_none_prio0_two_vips);
    const decoded_advert d = decode_ipv4(pkt.data(), pkt.size());
    REQUIRE(d.error == rx_error::none);
    CHECK(d.advert.priority == 0);
    CHECK(d.advert.addrs.size() == 2);
    CHECK(encode_v2(d.advert) == bytes(pkt.begin() + 20, pkt.end()));
  }
}

TEST_CASE("more than 255 virtual addresses: the first 255 are advertised") {
  std::vector<ip_address> vips;
  for (int i = 0; i < 300; ++i)
    vips.push_back(ip_address::v4(198, 51, static_cast<std::uint8_t>(100 + i / 200),
                                  static_cast<std::uint8_t>(i % 200 + 1)));
  const auto adv_addrs = advertised_addresses(vips);
  REQUIRE(adv_addrs.size() == max_advert_addresses);
  CHECK(std::equal(adv_addrs.begin(), adv_addrs.end(), vips.begin()));
  vrrp_advert a = sample_advert();
  a.addrs = adv_addrs;
  const bytes pkt = wrap_ipv4(encode_v2(a));
  CHECK(pkt[20 + 3] == 255);  // the count byte does not wrap
  const decoded_advert d = decode_ipv4(pkt.data(), pkt.size());
  REQUIRE(d.error == rx_error::none);
  CHECK(d.advert.addrs == adv_addrs);
  // Small lists are advertised whole.
  CHECK(advertised_addresses({ip("192.0.2.100")}).size() == 1);
  CHECK(advertised_addresses({}).empty());
}
