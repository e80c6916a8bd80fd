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
  std::optional<kern::credentials> lvs_notify_fifo_script;  // likewise
  // Each vrrp_script left in the config, by name; nullopt: the daemon's own.
  std::map<std::string, std::optional<kern::credentials>> scripts;
};

// Logs what it decides (one line per refused or unsafe script).
script_identities settle_script_users(config::config& cfg);

// The load-balancing hooks (each virtual_server's quorum_up/quorum_down, each real server's
// notify_up/notify_down, with their `USER [GROUP]`), by the keys the pool actors give them
// (actors/pool_config.hpp, pool_hook_key), into `ids.hooks`; a refused one is cleared in
// `cfg` and not run. Separate from settle_script_users only until pools are started by
// the daemon: then it is called right after it.
void settle_lvs_hooks(config::config& cfg, script_identities& ids);

} // namespace ka::act
