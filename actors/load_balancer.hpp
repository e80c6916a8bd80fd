// The daemon's load balancer: one pool actor per virtual_server (its IPVS services and
// real servers), one checker actor per checker block reporting to its pool, all probes on
// one probe engine. Owned by keepalive_main for the daemon's life.
#pragma once
#include <caf/fwd.hpp>

#include <memory>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "parser/config.hpp"

namespace ka::kern { class probe_engine; }

namespace ka::act {

class vs_address_watch;

class load_balancer {
public:
  struct pool_entry {
    std::string name;                     // "TCP 192.0.2.1:80"
    pool_actor pool;
    std::vector<checker_actor> checkers;  // those that could be spawned
    std::vector<std::string> checker_errors;  // those that could not, and why
  };
  // Spawns every pool and checker of `cfg` (nothing without virtual_server blocks).
  // `probe_threads`: the probe engine's I/O threads.
  // `fifos`: where the pools write their VS/RS lines (notify_fifo, lvs_notify_fifo).
  load_balancer(caf::actor_system& sys, const config::config& cfg, ipvs_writer writer,
                script_actor scripts, unsigned probe_threads = 1,
                std::vector<notify_fifo_actor> fifos = {});
  ~load_balancer();
  const std::vector<pool_entry>& pools() const { return pools_; }
  bool empty() const { return pools_.empty(); }
  // Waits (up to `budget`) until every pool has reconciled with the kernel and sent its
  // first table, for the start-up log and tests.
  void settle(caf::actor_system& sys, std::chrono::milliseconds budget);
  // At exit: the checkers stop, then each pool removes its services unless `keep`
  // (keepalived's --dont-release-ipvs).
  void shut_down(caf::actor_system& sys, bool keep, std::chrono::milliseconds budget);
private:
  std::shared_ptr<kern::probe_engine> engine_;  // made by the probe module; null without checkers
  std::vector<pool_entry> pools_;
  std::unique_ptr<vs_address_watch> suspend_watch_;  // ha_suspend (actors/vs_address_watch.hpp)
};

} // namespace ka::act
