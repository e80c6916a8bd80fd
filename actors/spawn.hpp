// How each actor comes to life. One definition per file: kernel_actor.cpp, script_actor.cpp,
// instance_actor.cpp, advert_actor.cpp, link_watcher.cpp, admin_server.cpp.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/load_balancer.hpp"
#include "actors/messages.hpp"
#include "actors/pool_config.hpp"
#include "actors/supervisor.hpp"  // child_start
#include "kernel/unix_socket.hpp"
#include "parser/config.hpp"
#include "protocol/garp_pacing.hpp"

namespace ka::act {

// accept mode: the nftables table of the no_accept instances' drop rules, and which
// families they use (a leftover table of those is removed at start-up).
struct firewall_config {
  proto::nft_options opts;
  bool v4 = false, v6 = false;
};

// Opens a netlink route socket and a packet socket first; throws when the kernel refuses.
// With `fw`, also a libnftables context (its failure is logged, not fatal: the instances
// still run, accepting).
// `garp_spacing`: how gratuitous ARPs / NAs are spaced per interface (protocol/garp_pacing.hpp).
kernel_actor spawn_kernel_actor(caf::actor_system& sys, std::optional<firewall_config> fw = std::nullopt,
                                proto::garp_spacing_table garp_spacing = {});
// Whom notify hooks run as: hook_identities (actors/messages.hpp).
script_actor spawn_script_actor(caf::actor_system& sys, std::chrono::milliseconds hook_timeout,
                                hook_identities hooks_as = {});
// `index`: the instance's place in all->instances. `how`: a restart by its supervisor
// resumes from what the advert thread holds; failed: FAULT for good (actors/supervisor.hpp).
instance_actor spawn_instance_actor(caf::actor_system& sys, std::shared_ptr<const config::config> all, std::size_t index,
                                    std::uint32_t id, kernel_actor kernel, advert_actor advert,
                                    script_actor scripts, child_start how = {});

// ---- sync groups and notify FIFOs ----
// `index`: the group's place in all->sync_groups; members in the group's order.
sync_group_actor spawn_sync_group_actor(caf::actor_system& sys,
                                        std::shared_ptr<const config::config> all,
                                        std::size_t index, std::vector<std::string> member_names,
                                        std::vector<instance_actor> members, script_actor scripts,
                                        std::vector<notify_fifo_actor> fifos);
// A FIFO from global_defs (notify_fifo, vrrp_notify_fifo) and its optional script.
// The script runs as `script_as` (nullopt: the daemon's own identity; actors/script_users.hpp).
notify_fifo_actor spawn_notify_fifo_actor(caf::actor_system& sys, const config::file_as& fifo,
                                          const std::optional<config::file_as>& script,
                                          std::optional<kern::credentials> script_as);
// SMTP alerts (actors/smtp_alert_actor.cpp): takes the same transition lines as a notify
// FIFO and mails those of blocks with smtp_alert. nullopt: no notification_email or
// smtp_server (or a server that is not an address, logged).
std::optional<notify_fifo_actor> spawn_smtp_alert_actor(caf::actor_system& sys,
                                                        std::shared_ptr<const config::config> cfg);

// ---- load balancing ----
// A pool for one virtual_server (actors/pool_config.hpp). It reconciles with the writer's
// dump first, then follows its checkers' reports; `scripts` runs notify_up/notify_down/
// quorum_up/quorum_down (may be a null handle: no scripts); `fifos` get its VS/RS lines
// (notify_fifo, lvs_notify_fifo).
pool_actor spawn_pool_actor(caf::actor_system& sys, pool_definition def, ipvs_writer writer,
                            script_actor scripts, std::vector<notify_fifo_actor> fifos = {});

// Threads with a CAF identity (advert) or none (watcher, admin): start() returns once the
// thread runs; stop() (also from the destructor) ends and joins it.
// How the advert thread runs: global_defs' vrrp_cpu_affinity, vrrp_rt_priority,
// vrrp_priority, vrrp_no_swap and vrrp_rlimit_rttime (see advert_actor.cpp for defaults).
struct advert_thread_options {
  std::vector<int> cpus;                // empty: the last CPU
  std::optional<int> rt_priority;       // SCHED_FIFO level; default 10
  std::optional<int> nice;              // nice value of the thread
  bool no_swap = false;                 // mlockall the whole process
  std::optional<long> rlimit_rttime_us; // default 10000 when realtime
};

class advert_thread {
public:
  advert_thread(caf::actor_system& sys, advert_thread_options opts);
  ~advert_thread();
  advert_actor handle() const;
  void stop();
  struct impl;
private:
  std::unique_ptr<impl> impl_;
};

// What the link watcher needs to know of an instance to route events to it.
struct watch_target {
  instance_actor handle;
  std::string ifname;
  std::vector<proto::ip_address> vips;
};

class link_watcher {
public:
  // Tells each instance about changes of its own interface (see link_watcher.cpp).
  link_watcher(std::vector<watch_target> targets);  // throws std::runtime_error
  ~link_watcher();
  void set_targets(std::vector<watch_target> targets);  // reload
  void stop();
  struct impl;
private:
  std::unique_ptr<impl> impl_;
};

// What the admin socket needs to answer "status".
struct admin_targets {
  std::vector<instance_actor> instances;
  advert_actor advert;
  script_actor scripts;
  kernel_actor kernel;
  json daemon_info;        // static facts: version, pid, config file, router_id
  // The effective configuration, for `config`: kept as the model and turned into JSON
  // (parser/dump.hpp) per request, because a JSON tree of 1,000 instances held for the
  // daemon's life cost several MB of RSS (bench/scale.sh).
  std::shared_ptr<const config::config> config;
  json not_in_effect;      // what the config asks for that this version does not do yet
  // load balancing: each virtual_server's pool and its checkers (actors/load_balancer.hpp)
  std::vector<load_balancer::pool_entry> pools;
  // notify FIFO writers and the SMTP alert mailer (their written / sent / dropped counts)
  std::vector<notify_fifo_actor> fifos;
  // sync groups: their state, for status and keepalived's dump files (actors/dump_files.hpp)
  std::vector<sync_group_actor> groups;
  // reload: {"cmd":"reload"} calls this (on the admin thread) and answers what it returns.
  std::function<json()> reload;
};

class admin_server {
public:
  // Serves an already bound listener: bind it before any thread exists, because binding
  // with the right mode changes the process-wide umask for an instant.
  admin_server(caf::actor_system& sys, std::unique_ptr<kern::unix_listener> listener,
               admin_targets targets);
  ~admin_server();
  void set_targets(admin_targets targets);  // reload: what `status` and `config` read from now on
  void stop();
  struct impl;
private:
  std::unique_ptr<impl> impl_;
};

} // namespace ka::act
