// How each actor comes to life. One definition per file: kernel_actor.cpp, script_actor.cpp,
// instance_actor.cpp, advert_actor.cpp, link_watcher.cpp, admin_server.cpp.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "kernel/unix_socket.hpp"
#include "parser/config.hpp"

namespace ka::act {

// Opens a netlink route socket and a packet socket first; throws when the kernel refuses.
kernel_actor spawn_kernel_actor(caf::actor_system& sys);
script_actor spawn_script_actor(caf::actor_system& sys, std::chrono::milliseconds hook_timeout);
instance_actor spawn_instance_actor(caf::actor_system& sys, config::vrrp_instance cfg,
                                    std::uint32_t id, kernel_actor kernel, advert_actor advert,
                                    script_actor scripts);

// Threads with a CAF identity (advert) or none (watcher, admin): start() returns once the
// thread runs; stop() (also from the destructor) ends and joins it.
class advert_thread {
public:
  explicit advert_thread(caf::actor_system& sys);
  ~advert_thread();
  advert_actor handle() const;
  void stop();
  struct impl;
private:
  std::unique_ptr<impl> impl_;
};

class link_watcher {
public:
  // Broadcasts link and address changes to every instance.
  link_watcher(std::vector<instance_actor> instances);  // throws std::runtime_error
  ~link_watcher();
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
  json config;             // the effective configuration (parser/dump.hpp), for `config`
  json not_in_effect;      // what the config asks for that this version does not do yet
};

class admin_server {
public:
  // Serves an already bound listener: bind it before any thread exists, because binding
  // with the right mode changes the process-wide umask for an instant.
  admin_server(caf::actor_system& sys, std::unique_ptr<kern::unix_listener> listener,
               admin_targets targets);
  ~admin_server();
  void stop();
  struct impl;
private:
  std::unique_ptr<impl> impl_;
};

} // namespace ka::act
