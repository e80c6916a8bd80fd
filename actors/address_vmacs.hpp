// use_vmac on addresses, use_vmac_addr: the address vmacs of one instance, from the config
// alone (protocol/vmac.hpp, plan_address_vmacs). The instance actor makes them and the
// link watcher's targets follow them (actors/keepalive_main.cpp): both must agree.
#pragma once
#include <algorithm>

#include "parser/config.hpp"
#include "protocol/vmac.hpp"

namespace ka::act {

inline proto::address_vmac_plan address_vmacs_of(const config::config& all, const config::vrrp_instance& ic) {
  // An instance's family is that of its virtual addresses (instance_actor.cpp does the same).
  auto fam = !ic.vips.empty() && !ic.vips.front().addr.is_v4() ? proto::ip_address::family::v6
                                                                : proto::ip_address::family::v4;
  auto vrid = static_cast<std::uint8_t>(ic.vrid);
  std::string own = ic.use_vmac ? proto::vmac_name(*ic.use_vmac, all.global.vrrp.vmac_prefix, vrid) : "";
  std::vector<proto::address_side> sides;
  for (const auto* list : {&ic.vips, &ic.vips_excluded})
    for (const auto& v : *list)
      sides.push_back({v.dev, v.addr.fam, std::find(v.flags.begin(), v.flags.end(), "use_vmac") != v.flags.end()});
  return proto::plan_address_vmacs(ic.interface, fam, own, ic.use_vmac_addr,
                                   proto::vmac_addr_prefix_of(all.global.vrrp.vmac_addr_prefix,
                                                              all.global.vrrp.vmac_prefix),
                                   vrid, sides);
}

} // namespace ka::act
