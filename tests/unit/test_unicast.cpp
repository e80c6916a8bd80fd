// Unicast VRRP acceptance (peer list, TTL range) and the per-peer v3 checksum.
#include <doctest/doctest.h>

#include <vector>

#include "protocol/checksum.hpp"
#include "protocol/unicast.hpp"
#include "test_helpers.hpp"

using namespace ka::proto;

namespace {

using ka::test::ip;
unicast_settings two_peers(bool check) {
  unicast_settings s;
  s.check_src = check;
  s.peers.push_back({ip("192.0.2.2"), std::nullopt, std::nullopt});
  s.peers.push_back({ip("192.0.2.3"), std::uint8_t{250}, std::uint8_t{254}});
  return s;
}
} // namespace

TEST_CASE("unicast: without check_unicast_src any source and TTL are accepted") {
  auto s = two_peers(false);
  CHECK(check_unicast(s, ip("198.51.100.9"), 1) == rx_error::none);
  CHECK(check_unicast(s, ip("192.0.2.3"), 1) == rx_error::none);
}

TEST_CASE("unicast: check_unicast_src drops a sender that is not a peer") {
  auto s = two_peers(true);
  CHECK(check_unicast(s, ip("192.0.2.2"), 255) == rx_error::none);
  CHECK(check_unicast(s, ip("192.0.2.2"), 1) == rx_error::none);  // no range: any TTL
  CHECK(check_unicast(s, ip("192.0.2.4"), 255) == rx_error::not_a_peer);
  CHECK(check_unicast(s, ip("2001:db8::2"), 255) == rx_error::not_a_peer);
}

TEST_CASE("unicast: a peer's TTL range is inclusive at both ends") {
  auto s = two_peers(true);
  CHECK(check_unicast(s, ip("192.0.2.3"), 249) == rx_error::ttl_out_of_range);
  CHECK(check_unicast(s, ip("192.0.2.3"), 250) == rx_error::none);
  CHECK(check_unicast(s, ip("192.0.2.3"), 254) == rx_error::none);
  CHECK(check_unicast(s, ip("192.0.2.3"), 255) == rx_error::ttl_out_of_range);
  s.peers[1].max_ttl.reset();
  CHECK(check_unicast(s, ip("192.0.2.3"), 255) == rx_error::none);
  CHECK(check_unicast(s, ip("192.0.2.3"), 10) == rx_error::ttl_out_of_range);
}

TEST_CASE("unicast: an empty peer list with check_unicast_src accepts nobody") {
  unicast_settings s;
  s.check_src = true;
  CHECK(check_unicast(s, ip("192.0.2.2"), 255) == rx_error::not_a_peer);
}

TEST_CASE("unicast: drop reasons have names for the status counters") {
  CHECK(std::string(to_string(rx_error::not_a_peer)) == "not_a_peer");
  CHECK(std::string(to_string(rx_error::ttl_out_of_range)) == "ttl_out_of_range");
}

TEST_CASE("unicast: v3 adverts are re-summed per destination and decode at the peer") {
  vrrp_advert adv;
  adv.version = 3;
  adv.vrid = 7;
  adv.priority = 100;
  adv.interval_cs = 100;
  SUBCASE("IPv4") {
    adv.fam = ip_address::family::v4;
    adv.addrs = {ip("192.0.2.100")};
    auto src = ip("192.0.2.1"), peer = ip("192.0.2.2");
    auto group = encode_v3(adv, src, vrrp_group_v4());
    auto to_peer = resum_for(group, src, peer, v3_checksum::rfc5798);
    CHECK(to_peer != group);
    CHECK(to_peer == encode_v3(adv, src, peer));
    CHECK(pseudo_header_checksum(src, peer, vrrp_ip_protocol, to_peer.data(), to_peer.size()) == 0);
    // The old unicast form is summed for the group whatever the peer: nothing to change.
    auto old = encode_v3(adv, src, peer, v3_checksum::old_unicast);
    CHECK(old == group);
    CHECK(resum_for(group, src, peer, v3_checksum::old_unicast) == old);
  }
  SUBCASE("IPv6, decoded with a hop limit below 255 when not required") {
    adv.fam = ip_address::family::v6;
    adv.addrs = {ip("2001:db8::100")};
    auto src = ip("fe80::1"), peer = ip("2001:db8::2");
    auto pkt = resum_for(encode_v3(adv, src, vrrp_group_v6()), src, peer, v3_checksum::rfc5798);
    auto d = decode_ipv6(pkt.data(), pkt.size(), src, peer, 64, false);
    CHECK(d.error == rx_error::none);
    CHECK(d.advert.vrid == 7);
    CHECK(decode_ipv6(pkt.data(), pkt.size(), src, peer, 64).error == rx_error::bad_ttl);
  }
}

TEST_CASE("unicast: v2 adverts are the same for every peer") {
  vrrp_advert adv;
  adv.vrid = 1;
  adv.priority = 50;
  adv.addrs = {ip("192.0.2.100")};
  auto pkt = encode_v2(adv);
  CHECK(resum_for(pkt, ip("192.0.2.1"), ip("192.0.2.2"), v3_checksum::rfc5798) == pkt);
}
