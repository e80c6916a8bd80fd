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
