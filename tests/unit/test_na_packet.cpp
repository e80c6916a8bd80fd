// Unsolicited neighbour advertisements, virtual router MACs and multicast MACs.
#include <doctest/doctest.h>

#include <vector>

#include "protocol/checksum.hpp"
#include "protocol/mac_address.hpp"
#include "protocol/na_packet.hpp"
#include "protocol/vrrp_packet.hpp"
#include "golden_packets.hpp"
#include "test_helpers.hpp"

using namespace ka::proto;

namespace {

using ka::test::bytes;
using ka::test::ip;

bytes slice(const bytes& b, std::size_t at, std::size_t n) {
  REQUIRE(at + n <= b.size());
  return bytes(b.begin() + static_cast<std::ptrdiff_t>(at), b.begin() + static_cast<std::ptrdiff_t>(at + n));
}

const mac_address mac{0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};

} // namespace

TEST_CASE("virtual router MACs: 00-00-5E-00-01-VRID (IPv4), 00-00-5E-00-02-VRID (IPv6)") {
  CHECK(vrrp_virtual_mac(ip_address::family::v4, 51) == mac_address{0x00, 0x00, 0x5e, 0x00, 0x01, 51});
  CHECK(vrrp_virtual_mac(ip_address::family::v6, 51) == mac_address{0x00, 0x00, 0x5e, 0x00, 0x02, 51});
  CHECK(vrrp_virtual_mac(ip_address::family::v6, 255) == mac_address{0x00, 0x00, 0x5e, 0x00, 0x02, 0xff});
  CHECK(vrrp_virtual_mac(ip_address::family::v4, 1) != vrrp_virtual_mac(ip_address::family::v6, 1));
}

TEST_CASE("multicast MACs of the VRRP and all-nodes groups") {
  CHECK(multicast_mac(vrrp_group_v6()) == mac_address{0x33, 0x33, 0x00, 0x00, 0x00, 0x12});
  CHECK(multicast_mac(all_nodes_v6()) == mac_address{0x33, 0x33, 0x00, 0x00, 0x00, 0x01});
  CHECK(all_nodes_v6() == ip("ff02::1"));
  // The low 32 bits, whatever the scope and the upper bits.
  CHECK(multicast_mac(ip("ff05::1:3")) == mac_address{0x33, 0x33, 0x00, 0x01, 0x00, 0x03});
  CHECK(multicast_mac(ip("ff02::1:ff12:3456")) == mac_address{0x33, 0x33, 0xff, 0x12, 0x34, 0x56});
  // IPv4: 01-00-5E and the low 23 bits (the top bit of the second octet is dropped).
  CHECK(multicast_mac(vrrp_group_v4()) == mac_address{0x01, 0x00, 0x5e, 0x00, 0x00, 0x12});
  CHECK(multicast_mac(ip("239.129.2.3")) == mac_address{0x01, 0x00, 0x5e, 0x01, 0x02, 0x03});
  // The keepalived adverts captured in golden_packets.hpp went to exactly these.
}

TEST_CASE("unsolicited NA: byte-identical to the one keepalived 2.2.7 sent") {
  const bytes f = unsolicited_na_frame(mac, ip("2001:db8::100"));
  const bytes golden(std::begin(ka::golden::golden_na_2001_db8__100),
                     std::end(ka::golden::golden_na_2001_db8__100));
  CHECK(f == golden);
}

TEST_CASE("unsolicited NA: every field (RFC 4861 4.4)") {
  const ip_address target = ip("2001:db8::100");
  const bytes f = unsolicited_na_frame(mac, target);
  REQUIRE(f.size() == 14 + 40 + 32);
  // Ethernet: all-nodes multicast MAC, our MAC, IPv6.
  CHECK(slice(f, 0, 6) == bytes{0x33, 0x33, 0x00, 0x00, 0x00, 0x01});
  CHECK(slice(f, 6, 6) == bytes(mac.begin(), mac.end()));
  CHECK(slice(f, 12, 2) == bytes{0x86, 0xdd});
  // IPv6 header.
  CHECK(slice(f, 14, 4) == bytes{0x60, 0, 0, 0});      // version 6, class 0, flow 0
  CHECK(slice(f, 18, 2) == bytes{0, 32});              // payload: NA 24 + option 8
  CHECK(f[20] == 58);                                   // next header ICMPv6
  CHECK(f[21] == 255);                                  // hop limit (RFC 4861 7.1.2)
  CHECK(slice(f, 22, 16) == bytes(target.bytes.begin(), target.bytes.end()));
  const ip_address all_nodes = all_nodes_v6();
  CHECK(slice(f, 38, 16) == bytes(all_nodes.bytes.begin(), all_nodes.bytes.end()));
  // ICMPv6 neighbour advertisement.
  const std::size_t icmp = 54;
  CHECK(f[icmp] == 136);
  CHECK(f[icmp + 1] == 0);
  CHECK(f[icmp + 4] == 0x20);                           // Override only
  CHECK((f[icmp + 4] & 0x40) == 0);                     // Solicited clear
  CHECK((f[icmp + 4] & 0x80) == 0);                     // Router clear by default
  CHECK(slice(f, icmp + 5, 3) == bytes{0, 0, 0});
  CHECK(slice(f, icmp + 8, 16) == bytes(target.bytes.begin(), target.bytes.end()));
  // Target link-layer address option: type 2, one 8-octet unit, the MAC.
  CHECK(f[icmp + 24] == 2);
  CHECK(f[icmp + 25] == 1);
  CHECK(slice(f, icmp + 26, 6) == bytes(mac.begin(), mac.end()));
  // The checksum verifies over the pseudo-header, and not without it.
  CHECK(pseudo_header_checksum(target, all_nodes_v6(), 58, f.data() + icmp, 32) == 0);
  CHECK(inet_checksum(f.data() + icmp, 32) != 0);

  SUBCASE("router flag") {
    const bytes r = unsolicited_na_frame(mac, target, true);
    CHECK(r[icmp + 4] == 0xa0);
    CHECK(pseudo_header_checksum(target, all_nodes_v6(), 58, r.data() + icmp, 32) == 0);
    CHECK(slice(r, icmp + 2, 2) != slice(f, icmp + 2, 2));
  }
  SUBCASE("another target and MAC change the addresses and the checksum only") {
    const mac_address vmac = vrrp_virtual_mac(ip_address::family::v6, 52);
    const ip_address t2 = ip("2001:db8::101");
    const bytes g = unsolicited_na_frame(vmac, t2);
    CHECK(slice(g, 6, 6) == bytes(vmac.begin(), vmac.end()));
    CHECK(slice(g, 22, 16) == bytes(t2.bytes.begin(), t2.bytes.end()));
    CHECK(slice(g, icmp + 8, 16) == bytes(t2.bytes.begin(), t2.bytes.end()));
    CHECK(slice(g, icmp + 26, 6) == bytes(vmac.begin(), vmac.end()));
    CHECK(pseudo_header_checksum(t2, all_nodes_v6(), 58, g.data() + icmp, 32) == 0);
  }
}
