// tracking: the tracker actors (actors/track_script.cpp, track_file.cpp, track_process.cpp)
// and the object that starts and stops them (actors/trackers.cpp).
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "parser/config.hpp"

namespace ka::config { struct reload_item; }

namespace ka::act {

// Every tracker's wait also watches `stopfd` (an eventfd): written at shutdown, it ends
// the waits at once, so a hanging script does not hold the daemon's exit.
// `as`: whom the script runs as (nullopt: the daemon's own identity).
tracker_actor spawn_script_tracker(caf::actor_system& sys, const config::vrrp_script& cfg,
                                   std::vector<instance_actor> subscribers, int stopfd,
                                   std::optional<kern::credentials> as);
tracker_actor spawn_file_tracker(caf::actor_system& sys, const config::track_file& cfg,
                                 std::vector<instance_actor> subscribers, int stopfd);
tracker_actor spawn_process_tracker(caf::actor_system& sys, const config::track_process& cfg,
                                    std::vector<instance_actor> subscribers, int stopfd);

class trackers {
public:
  // `instances[i]` runs all.instances[i]. Objects no instance tracks get no actor (as
  // keepalived, which reads a track file only when something tracks it).
  // `script_as`: whom each vrrp_script runs as, by name (actors/script_users.hpp).
  trackers(caf::actor_system& sys, const config::config& all,
           const std::vector<instance_actor>& instances,
           const std::map<std::string, std::optional<kern::credentials>>& script_as);  // throws std::system_error
  ~trackers();
  trackers(const trackers&) = delete;
  trackers& operator=(const trackers&) = delete;
  void stop();
  // reload: carries out the plan's tracker items (parser/reload_plan.hpp, named "script
  // NAME", "file NAME", "process NAME"): kept ones go on, restarted and removed ones are
  // stopped, restarted and added ones start with the new config and its instances.
  void reload(caf::actor_system& sys, const config::config& all, const std::vector<instance_actor>& instances,
              const std::map<std::string, std::optional<kern::credentials>>& script_as,
              const std::vector<config::reload_item>& plan);

private:
  struct running {
    tracker_actor actor;
    int stopfd = -1;  // its own, so that one can be stopped alone (reload)
  };
  void start_all(caf::actor_system& sys, const config::config& all, const std::vector<instance_actor>& instances,
                 const std::map<std::string, std::optional<kern::credentials>>& script_as,
                 const std::function<bool(const std::string&)>& wanted);
  void stop_one(running& r);
  bool stopped_ = false;
  std::map<std::string, running> actors_;  // by "KIND NAME"
};

} // namespace ka::act
