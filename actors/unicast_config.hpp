// Unicast VRRP settings of one instance, from the config (no CAF, no I/O).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "parser/config.hpp"
#include "protocol/unicast.hpp"

namespace ka::act {

// The instance's unicast settings, or nothing when it runs multicast (no unicast_peer).
std::optional<proto::unicast_settings> unicast_of(const config::config& all,
                                                  const config::vrrp_instance& c);

// keepalived 2.2.7 without peers: unicast_fault_no_peer puts the instance in FAULT;
// otherwise it runs multicast even if other unicast keywords are set (keepalived.conf(5):
// silently until 2.2.4). Returns the FAULT reason, or nothing.
std::optional<std::string> unicast_fault(const config::vrrp_instance& c);
// The warning to log when unicast keywords are set but there is no peer and no
// unicast_fault_no_peer (we say so rather than fall back silently), or nothing.
std::optional<std::string> unicast_fallback_warning(const config::vrrp_instance& c);

// Unicast settings that cannot apply to an instance of family `fam` (its VIPs' family): a
// peer or unicast_src_ip of the other family is ignored, and said so once at start-up.
std::vector<std::string> unicast_family_warnings(const config::vrrp_instance& c,
                                                 proto::ip_address::family fam);
// unicast_src_ip, when it applies (unicast, and of the instance's family).
const proto::ip_address* unicast_source(const config::vrrp_instance& c,
                                        proto::ip_address::family fam);

} // namespace ka::act
