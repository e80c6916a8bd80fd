// Configuration reload as a pure difference: the running config against the newly loaded
// one gives, per vrrp_instance, vrrp_sync_group, tracked object (vrrp_script, track_file,
// vrrp_track_process) and virtual_server, whether it is kept, updated in place, restarted
// (released and created again), removed or added. No I/O, no actors: the daemon's running
// set (actors/running_set.cpp) carries the plan out. Unit-tested in
// tests/unit/test_reload_plan.cpp.
//
// Objects are matched by name (a virtual_server by the key the caller gives, its service
// name). Two objects are equal when their JSON dumps (parser/dump.hpp) are equal with
// every source position ("where") removed: moving a block in the file changes nothing.
#pragma once
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "parser/config.hpp"

namespace ka::config {

enum class reload_action { keep, update, restart, remove, add };
const char* to_string(reload_action a);

struct reload_item {
  std::string name;
  reload_action action = reload_action::keep;
  std::optional<std::size_t> before, after;  // indexes in the old / new config's list
  std::vector<std::string> changed;          // the keywords that differ (update, restart)
  std::string why;                           // restart: why not in place
};

struct reload_plan {
  std::vector<reload_item> instances, sync_groups, trackers, virtual_servers;
  // notify_fifo / vrrp_notify_fifo or their scripts changed: the FIFO writers are replaced.
  bool fifos_changed = false;
  // Settings read once at start (the advert thread's scheduling, the kernel actor's GARP
  // spacing and nftables table, the admin socket): changed ones stay as they were until
  // the daemon restarts; each is logged.
  std::vector<std::string> not_reloaded;

  struct counts {
    int kept = 0, updated = 0, restarted = 0, removed = 0, added = 0;
  };
  // Over every list; `updated` includes the restarted ones.
  counts count() const;
  bool unchanged() const;
};

// The name a virtual_server goes by (actors/pool_config.hpp's pool_name): given by the
// caller so that parser/ does not depend on actors/.
using vs_key_fn = std::function<std::string(const virtual_server&)>;

reload_plan plan_reload(const config& before, const config& after, const vs_key_fn& vs_key);

// The instance keywords a running instance takes without restarting: its priority (not to
// or from 255, the owner), its virtual_ipaddress list (when it accepts, without vmacs or
// addresses on other interfaces), its notify hooks and GARP timing.
bool instance_update_in_place(const std::vector<std::string>& changed);

} // namespace ka::config
