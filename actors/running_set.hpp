// The running set: every actor the configuration asks for (one per vrrp_instance, sync
// group, notify FIFO, tracked object, virtual_server and its checkers), the link watcher's
// routing and the admin socket's view of them, and the configuration they run. Started
// once by keepalive_main.cpp; a reload (SIGHUP, `keepalivectl reload`) loads the file
// again and applies only the difference (parser/reload_plan.hpp); shut down at exit.
// Lives beside the daemon-wide actors that no reload replaces (kernel, scripts, advert
// thread), which it is given. Instances, trackers, pools and checkers run under their
// supervisors (actors/supervised_spawns.hpp): the handles kept here are the supervisors'.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actors/load_balancer.hpp"
#include "actors/lvs_globals.hpp"
#include "actors/script_users.hpp"
#include "actors/spawn.hpp"
#include "actors/trackers.hpp"
#include "parser/config.hpp"
#include "parser/reload_plan.hpp"

namespace ka::act {

class metrics_server;

class running_set {
public:
  struct where_from {
    std::string config_file, config_id;  // as at start: -f and -i
  };
  // `cfg` with its script users settled (`ids`, actors/script_users.hpp).
  running_set(caf::actor_system& sys, where_from from, std::shared_ptr<const config::config> cfg,
              script_identities ids, kernel_actor kernel, advert_actor advert, script_actor scripts);
  ~running_set();
  // Spawns everything and starts the instances (all with one time basis).
  void start();
  std::shared_ptr<const config::config> config() const;

  // The admin socket's view; `reload` is wired to this set's reload. `admin` and
  // `metrics` (either may be null) get the new view after each reload.
  admin_targets targets(json daemon_info);
  void set_admin(admin_server* admin, json daemon_info);
  void set_metrics(metrics_server* metrics);

  struct outcome {
    bool ok = false;
    std::vector<std::string> errors;      // the load's findings, in file order (when !ok)
    config::reload_plan::counts counts;
    std::vector<std::string> restarted;   // "vrrp_instance VI_1: virtual_router_id changed"
    std::vector<std::string> not_reloaded;
    double ms = 0;
    std::string why;                      // who asked: "SIGHUP", "admin socket"
    std::uint64_t generation = 1;         // of the running configuration: 1 at start, +1 per reload applied
    std::shared_ptr<const config::config> running;  // the configuration running after it
  };
  // Loads the file again; invalid: nothing changes and the errors are returned (and
  // logged). Thread-safe: SIGHUP (main thread) and the admin socket (its thread) may ask
  // at once; one waits for the other. A reload after shut_down() does nothing.
  outcome reload(const std::string& why);
  static json to_json(const outcome& o);
  // Hooks around every reload, valid or not (systemd RELOADING=1 / READY=1, an event
  // stream): called on the reloading thread, under the reload lock.
  std::function<void()> on_reload_begin;
  std::function<void(const outcome&)> on_reload_end;

  // At exit: trackers stop, instances release (priority 0, STOP hooks), groups and
  // scripts drain, pools remove their services (unless `keep_ipvs`); within `budget`
  // for the VRRP part. Then exit_all() ends the actors.
  void shut_down(bool keep_ipvs);
  void exit_all();

private:
  void start_groups(const std::vector<bool>& which);
  void start_fifos();
  std::vector<watch_target> watch_targets() const;
  void start_instances(const std::vector<std::size_t>& which, proto::time_point basis);
  void apply(const config::reload_plan& plan, std::shared_ptr<const config::config> next,
             script_identities ids, outcome& out);

  caf::actor_system& sys_;
  where_from from_;
  mutable std::mutex mu_;
  bool stopped_ = false;
  std::uint64_t generation_ = 1;
  std::shared_ptr<const config::config> cfg_;
  script_identities ids_;
  kernel_actor kernel_;
  advert_actor advert_;
  script_actor scripts_;
  std::uint32_t next_id_ = 1;
  std::vector<instance_actor> instances_;  // by index in cfg_->instances
  std::vector<std::uint32_t> ids_of_;      // the advert actor's id of each
  std::vector<sync_group_actor> groups_;   // by index in cfg_->sync_groups (null: no member)
  std::vector<notify_fifo_actor> fifos_;
  std::unique_ptr<lvs_globals> lvs_;  // lvs_* of global_defs: as at start-up, not reloaded
  std::unique_ptr<load_balancer> lb_;
  std::unique_ptr<link_watcher> watcher_;
  std::unique_ptr<trackers> trackers_;
  std::vector<notify_fifo_actor> pool_fifos() const;
  admin_server* admin_ = nullptr;
  metrics_server* metrics_ = nullptr;
  json daemon_info_;
};

} // namespace ka::act
