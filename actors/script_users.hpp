// Whom the daemon's scripts run as (vrrp_script `user`, global_defs `script_user`, the
// user keepalived_script) and which ones it refuses (enable_script_security), settled once
// at start-up by protocol/script_security.hpp's rules. Refused scripts are taken out of
// the config before any actor sees it, as keepalived removes them: an instance tracking a
// removed vrrp_script does not track it, a removed notify hook does not run.
// Not an actor: called by keepalive_main.cpp before the actors start.
#pragma once
#include <map>
#include <optional>
#include <string>

#include "actors/spawn.hpp"
#include "kernel/process.hpp"
#include "parser/config.hpp"

namespace ka::act {

struct script_identities {
  // Notify hooks (instances' and sync groups'): by notify_job key ("vrrp_instance VI_1
  // notify_master"), and the default identity for the rest. nullopt: the daemon's own.
  hook_identities hooks;
  // notify_fifo_script and vrrp_notify_fifo_script: their `user [group]`, else the default.
  std::optional<kern::credentials> notify_fifo_script, vrrp_notify_fifo_script;
  // Each vrrp_script left in the config, by name; nullopt: the daemon's own.
  std::map<std::string, std::optional<kern::credentials>> scripts;
};

// Logs what it decides (one line per refused or unsafe script).
script_identities settle_script_users(config::config& cfg);

} // namespace ka::act
