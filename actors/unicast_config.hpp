// Unicast VRRP settings of one instance, from the config (no CAF, no I/O).
#pragma once
#include <optional>
#include <string>

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

} // namespace ka::act
