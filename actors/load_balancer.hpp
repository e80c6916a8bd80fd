// The daemon's load balancer: one pool actor per virtual_server (its IPVS services and
// real servers), one checker actor per checker block reporting to its pool, all probes on
// one probe engine. Owned by keepalive_main for the daemon's life.
#pragma once
#include <caf/fwd.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "parser/config.hpp"

namespace ka::kern { class probe_engine; }
namespace ka::config { struct reload_item; }

namespace ka::act {

class vs_address_watch;
struct probe_module_api;

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
  // reload: carries out the plan's virtual_server items (parser/reload_plan.hpp) against
  // the new config: a kept pool goes on untouched; an updated one stops, leaving its
  // services in the kernel, and its successor adopts and edits them to the new definition
  // (a pool's start-up reconciliation: only the differences are written), unless it had
  // services the new one does not (a group's ranges shrank): then those are deleted; a
  // removed pool deletes its services; an added one starts.
  void reload(caf::actor_system& sys, const config::config& before, const config::config& after,
              const std::vector<config::reload_item>& plan, std::chrono::milliseconds budget,
              std::vector<notify_fifo_actor> fifos);  // `fifos`: the pools' writers from now on
private:
  pool_entry start_pool(caf::actor_system& sys, const config::config& cfg, const config::virtual_server& vs,
                        std::size_t& n_checkers);
  // Stops a pool's checkers, then the pool (removing its services unless `keep`).
  void stop_pool(caf::actor_system& sys, const pool_entry& p, bool keep, std::chrono::milliseconds budget);
  void watch_suspends();
  const probe_module_api* probes_ = nullptr;    // loaded by the first checker (start or reload)
  bool no_probes_said_ = false;
  std::shared_ptr<kern::probe_engine> engine_;  // made by the probe module; null without checkers
  std::vector<pool_entry> pools_;
  std::unique_ptr<vs_address_watch> suspend_watch_;  // ha_suspend (actors/vs_address_watch.hpp)
  std::map<std::string, std::vector<proto::ip_address>> suspend_addrs_;  // by pool name: ha_suspend's
  ipvs_writer writer_;
  script_actor scripts_;
  unsigned probe_threads_ = 1;
  std::vector<notify_fifo_actor> fifos_;
};

} // namespace ka::act
