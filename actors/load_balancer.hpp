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
namespace ka::config { struct reload_item; }

namespace ka::act {

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
  load_balancer(caf::actor_system& sys, const config::config& cfg, ipvs_writer writer,
                script_actor scripts, unsigned probe_threads = 1);
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
              const std::vector<config::reload_item>& plan, std::chrono::milliseconds budget);
private:
  pool_entry start_pool(caf::actor_system& sys, const config::config& cfg, const config::virtual_server& vs,
                        std::size_t& n_checkers);
  // Stops a pool's checkers, then the pool (removing its services unless `keep`).
  void stop_pool(caf::actor_system& sys, const pool_entry& p, bool keep, std::chrono::milliseconds budget);
  std::unique_ptr<kern::probe_engine> engine_;
  std::vector<pool_entry> pools_;
  ipvs_writer writer_;
  script_actor scripts_;
  unsigned probe_threads_ = 1;
};

} // namespace ka::act
