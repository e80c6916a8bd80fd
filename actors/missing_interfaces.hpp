// Interfaces the config names that the host does not have. keepalived warns about each at
// start-up and goes on (an interface may be created later: a VLAN, a VPN tunnel); so do
// `keepalive -t`, the daemon's start-up log and the admin socket's `status`.
#pragma once
#include <vector>

#include "parser/config.hpp"

namespace ka::act {

// Once per name, at its first mention in the config, in the config's order.
std::vector<config::interface_ref> missing_interfaces(const config::config& cfg);

// The warning said about one: "interface 'eth9' does not exist (it may appear later)".
config::diagnostic missing_interface_warning(const config::interface_ref& ref);

} // namespace ka::act
