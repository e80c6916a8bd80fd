// tracking: starts one tracker actor per tracked object, with the instances that track it
// as its subscribers, and stops them all at shutdown; on a reload, only those the plan
// names (parser/reload_plan.hpp).
#include "actors/trackers.hpp"
#include "actors/instance_tracking.hpp"
#include "actors/supervised_spawns.hpp"  // supervision
#include "parser/reload_plan.hpp"

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <set>
#include <system_error>

namespace ka::act {

namespace {

// The instances that track object `name` of kind `k`, themselves or through their sync group.
std::vector<instance_actor> tracking(const std::vector<proto::member_tracking>& resolved,
                                     const std::vector<instance_actor>& instances,
                                     proto::track_kind k, const std::string& name) {
  std::vector<instance_actor> out;
  for (std::size_t i = 0; i < resolved.size() && i < instances.size(); ++i)
    for (const auto& e : resolved[i].entries)
      if (e.kind == k && e.name == name) {
        out.push_back(instances[i]);
        break;
      }
  return out;
}

int new_stopfd() {
  int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0)
    throw std::system_error(errno, std::generic_category(), "eventfd");
  return fd;
}

} // namespace

trackers::trackers(caf::actor_system& sys, const config::config& all,
                   const std::vector<instance_actor>& instances,
                   const std::map<std::string, std::optional<kern::credentials>>& script_as) {
  start_all(sys, all, instances, script_as, [](const std::string&) { return true; });
}

void trackers::start_all(caf::actor_system& sys, const config::config& all,
                         const std::vector<instance_actor>& instances,
                         const std::map<std::string, std::optional<kern::credentials>>& script_as,
                         const std::function<bool(const std::string&)>& wanted) {
  std::vector<proto::member_tracking> resolved;
  for (const auto& inst : all.instances)
    resolved.push_back(tracked_entries(all, inst));
  // supervision: each tracker under its supervisor (actors/supervised_spawns.hpp), whose
  // handle is the one kept here, so a reload stops the supervisor and its child together.
  // `spawn` is kept by the supervisor for restarts: it captures by value.
  auto start = [&](const std::string& key, proto::track_kind k, const char* kind, const std::string& name,
                   auto spawn) {
    if (!wanted(key))
      return;
    auto subs = tracking(resolved, instances, k, name);
    if (subs.empty())
      return;
    running r;
    r.stopfd = new_stopfd();
    r.actor = spawn_supervised_tracker(sys, kind, name, [spawn, subs, fd = r.stopfd] { return spawn(subs, fd); },
                                       subs);
    actors_[key] = r;
  };
  for (const auto& s : all.scripts)
    start("script " + s.name, proto::track_kind::script, "vrrp_script", s.name,
          [&sys, s, as = script_as.count(s.name) ? script_as.at(s.name) : std::nullopt](auto subs, int fd) {
            return spawn_script_tracker(sys, s, std::move(subs), fd, as);
          });
  for (const auto& f : all.track_files)
    start("file " + f.name, proto::track_kind::file, "track_file", f.name,
          [&sys, f](auto subs, int fd) { return spawn_file_tracker(sys, f, std::move(subs), fd); });
  for (const auto& p : all.track_processes)
    start("process " + p.name, proto::track_kind::process, "vrrp_track_process", p.name,
          [&sys, p](auto subs, int fd) { return spawn_process_tracker(sys, p, std::move(subs), fd); });
}

trackers::~trackers() { stop(); }

// The fd stays open until the process ends: a detached tracker may still be between its
// wait and its exit message, and must not poll a closed (or reused) descriptor. One
// eventfd per tracker restarted by a reload is the cost.
void trackers::stop_one(running& r) {
  std::uint64_t one = 1;
  (void)!::write(r.stopfd, &one, sizeof one);  // stays readable: every wait ends at once
  caf::anon_send_exit(r.actor, caf::exit_reason::user_shutdown);
}

void trackers::stop() {
  if (stopped_)
    return;
  stopped_ = true;
  for (auto& [key, r] : actors_)
    stop_one(r);
  actors_.clear();
}

void trackers::reload(caf::actor_system& sys, const config::config& all,
                      const std::vector<instance_actor>& instances,
                      const std::map<std::string, std::optional<kern::credentials>>& script_as,
                      const std::vector<config::reload_item>& plan) {
  if (stopped_)
    return;
  std::set<std::string> to_start;
  for (const auto& it : plan) {
    using A = config::reload_action;
    if (it.action == A::keep || it.action == A::update) {
      // Kept: its subscribers are the same actors. One that had none (no actor) may now
      // have some only if they changed, which the plan calls a restart.
      continue;
    }
    if (auto r = actors_.find(it.name); r != actors_.end()) {
      stop_one(r->second);
      actors_.erase(r);
    }
    if (it.action != A::remove)
      to_start.insert(it.name);
  }
  if (!to_start.empty())
    start_all(sys, all, instances, script_as, [&](const std::string& key) { return to_start.count(key) > 0; });
}

} // namespace ka::act
