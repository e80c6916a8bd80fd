// use_vmac: the macvlan's name and MAC, and when a leftover interface may be adopted.
#include <doctest/doctest.h>

#include "protocol/vmac.hpp"

using namespace ka::proto;

TEST_CASE("vmac name: use_vmac's NAME, else vmac_prefix (or vrrp) and the VRID") {
  CHECK(vmac_name("", "", 51) == "vrrp.51");
  CHECK(vmac_name("", "vrt", 7) == "vrt.7");
  CHECK(vmac_name("vmac51", "vrt", 51) == "vmac51");
  CHECK(vmac_name("", "", 255) == "vrrp.255");
}

TEST_CASE("vmac MAC: the family's virtual router MAC, or use_vmac's MAC") {
  using f = ip_address::family;
  CHECK(vmac_mac("", f::v4, 51) == mac_address{0x00, 0x00, 0x5e, 0x00, 0x01, 0x33});
  CHECK(vmac_mac("", f::v6, 52) == mac_address{0x00, 0x00, 0x5e, 0x00, 0x02, 0x34});
  // Five octets: the VRID is the sixth.
  CHECK(vmac_mac("02:00:5e:00:01", f::v4, 7) == mac_address{0x02, 0x00, 0x5e, 0x00, 0x01, 0x07});
  CHECK(vmac_mac("02:00:5e:10:00:aa", f::v6, 7) == mac_address{0x02, 0x00, 0x5e, 0x10, 0x00, 0xaa});
  CHECK_FALSE(vmac_mac("02:00:5e", f::v4, 7));
  CHECK_FALSE(vmac_mac("02:00:5e:00:01:02:03", f::v4, 7));
  CHECK_FALSE(vmac_mac("02:00:5g:00:01", f::v4, 7));
  CHECK_FALSE(vmac_mac("02:00:5e:00:1", f::v4, 7));
  CHECK(to_string(mac_address{0x00, 0x00, 0x5e, 0x00, 0x01, 0x33}) == "00:00:5e:00:01:33");
}

TEST_CASE("vmac adoption: only a macvlan on the instance's interface with the vmac's MAC") {
  const mac_address want{0x00, 0x00, 0x5e, 0x00, 0x01, 0x33};
  CHECK_FALSE(adoption_refusal({"macvlan", 2, want}, 2, want));
  auto veth = adoption_refusal({"veth", 0, want}, 2, want);
  REQUIRE(veth);
  CHECK(*veth == "it is a veth, not a macvlan");
  auto plain = adoption_refusal({"", 0, want}, 2, want);
  REQUIRE(plain);
  CHECK(*plain == "it is not a macvlan (no link kind)");
  auto other_base = adoption_refusal({"macvlan", 5, want}, 2, want);
  REQUIRE(other_base);
  CHECK(*other_base == "it is a macvlan on ifindex 5, not on the instance's interface (ifindex 2)");
  auto other_mac = adoption_refusal({"macvlan", 2, {0x02, 0x11, 0x22, 0x33, 0x44, 0x55}}, 2, want);
  REQUIRE(other_mac);
  CHECK(*other_mac == "its MAC is 02:11:22:33:44:55, not 00:00:5e:00:01:33");
}

// The cases below are the ones watched with keepalived 2.2.7 in a lab (README, "Virtual
// MAC interfaces"): which vmacs it made, with which names, for which addresses.
TEST_CASE("address vmacs: use_vmac on an address, use_vmac_addr, names as keepalived's") {
  using f = ip_address::family;
  const auto v4mac = vrrp_virtual_mac(f::v4, 51), v6mac = vrrp_virtual_mac(f::v6, 51);
  SUBCASE("use_vmac on an address on another interface, no use_vmac on the instance") {
    auto p = plan_address_vmacs("eth0", f::v4, "", false, "vrrp", 51,
                                {{"", f::v4, false}, {"eth1", f::v4, true}});
    REQUIRE(p.vmacs.size() == 1);
    CHECK(p.vmacs[0].base == "eth1");
    CHECK(p.vmacs[0].name == "vrrp.51");
    CHECK(p.vmacs[0].mac == v4mac);
    CHECK(p.of_address == std::vector<int>{-1, 0});
  }
  SUBCASE("the instance's own vmac has the name: the next is vrrp1.51") {
    auto p = plan_address_vmacs("eth0", f::v4, "vrrp.51", false, "vrrp", 51,
                                {{"", f::v4, false}, {"eth1", f::v4, true}});
    REQUIRE(p.vmacs.size() == 1);
    CHECK(p.vmacs[0].name == "vrrp1.51");
  }
  SUBCASE("vmac_addr_prefix names them, the instance's vmac keeps vmac_prefix") {
    auto p = plan_address_vmacs("eth0", f::v4, "vrrp.51", false, vmac_addr_prefix_of("va", ""), 51,
                                {{"eth1", f::v4, true}});
    CHECK(p.vmacs.at(0).name == "va.51");
    auto q = plan_address_vmacs("eth0", f::v4, "vrrp.51", true, "va", 51,
                                {{"", f::v4, false}, {"eth1", f::v4, false}, {"eth1", f::v6, false}});
    REQUIRE(q.vmacs.size() == 2);
    CHECK(q.vmacs[0].name == "va.51");
    CHECK(q.vmacs[1].name == "va6.51");  // IPv6, PREFIX.VRID taken: PREFIX6.VRID first
    CHECK(vmac_addr_prefix_of("", "vp") == "vp");
    CHECK(vmac_addr_prefix_of("", "") == "vrrp");
  }
  SUBCASE("use_vmac_addr: other interfaces and the other family, one vmac per pair") {
    auto p = plan_address_vmacs("eth0", f::v4, "", true, "vrrp", 51,
                                {{"", f::v4, false},                // stays on eth0
                                 {"eth1", f::v4, false},            // vrrp.51@eth1
                                 {"eth1", f::v4, false},            // the same one
                                 {"eth0", f::v6, false},            // vrrp6.51@eth0
                                 {"eth1", f::v6, false}});          // vrrp1.51@eth1, IPv6 MAC
    REQUIRE(p.vmacs.size() == 3);
    CHECK(p.of_address == std::vector<int>{-1, 0, 0, 1, 2});
    CHECK(p.vmacs[0].name == "vrrp.51");
    CHECK(p.vmacs[1].name == "vrrp6.51");
    CHECK(p.vmacs[1].base == "eth0");
    CHECK(p.vmacs[1].mac == v6mac);
    CHECK(p.vmacs[2].name == "vrrp1.51");
    CHECK(p.vmacs[2].mac == v6mac);
  }
  SUBCASE("an IPv6 address alone gets plain PREFIX.VRID, on any interface") {
    auto p = plan_address_vmacs("eth0", f::v4, "", true, "vrrp", 51, {{"eth1", f::v6, false}});
    CHECK(p.vmacs.at(0).name == "vrrp.51");
    p = plan_address_vmacs("eth0", f::v4, "", true, "vrrp", 51, {{"eth0", f::v6, false}});
    CHECK(p.vmacs.at(0).name == "vrrp.51");
  }
  SUBCASE("an IPv6 instance: an IPv4 address on its interface gets PREFIX.VRID") {
    auto p = plan_address_vmacs("eth0", f::v6, "", true, "vrrp", 51,
                                {{"", f::v6, false}, {"", f::v4, false}, {"eth1", f::v4, false}});
    REQUIRE(p.vmacs.size() == 2);
    CHECK(p.vmacs[0].name == "vrrp.51");
    CHECK(p.vmacs[0].base == "eth0");
    CHECK(p.vmacs[1].name == "vrrp1.51");
  }
  SUBCASE("use_vmac on an address where the instance's vmac is: it goes on that one") {
    auto p = plan_address_vmacs("eth0", f::v4, "vrrp.51", false, "vrrp", 51,
                                {{"", f::v4, true}, {"eth0", f::v4, true}});
    CHECK(p.vmacs.empty());
    CHECK(p.of_address == std::vector<int>{-1, -1});
  }
  SUBCASE("use_vmac on an address of the instance's interface without use_vmac: a vmac there") {
    auto p = plan_address_vmacs("eth0", f::v4, "", false, "vrrp", 51, {{"", f::v4, false}, {"", f::v4, true}});
    REQUIRE(p.vmacs.size() == 1);
    CHECK(p.vmacs[0].base == "eth0");
    CHECK(p.vmacs[0].name == "vrrp.51");
    CHECK(p.of_address == std::vector<int>{-1, 0});
  }
  SUBCASE("an address on another interface without use_vmac or use_vmac_addr: no vmac") {
    auto p = plan_address_vmacs("eth0", f::v4, "vrrp.51", false, "vrrp", 51, {{"eth1", f::v4, false}});
    CHECK(p.vmacs.empty());
    CHECK(p.of_address == std::vector<int>{-1});
  }
}
