// tracking: starts one tracker actor per tracked object, with the instances that track it
// as its subscribers, and stops them all at shutdown.
#include "actors/trackers.hpp"
#include "actors/instance_tracking.hpp"
#include "actors/supervised_spawns.hpp"  // supervision

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
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

} // namespace

trackers::trackers(caf::actor_system& sys, const config::config& all,
                   const std::vector<instance_actor>& instances,
                   const std::map<std::string, std::optional<kern::credentials>>& script_as) {
  stopfd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stopfd_ < 0)
    throw std::system_error(errno, std::generic_category(), "eventfd");
  std::vector<proto::member_tracking> resolved;
  for (const auto& inst : all.instances)
    resolved.push_back(tracked_entries(all, inst));
  for (const auto& s : all.scripts) {
    auto subs = tracking(resolved, instances, proto::track_kind::script, s.name);
    if (!subs.empty())
      actors_.push_back(spawn_supervised_tracker(sys, "vrrp_script", s.name, [&sys, s, subs, fd = stopfd_,
                                                 as = script_as.count(s.name) ? script_as.at(s.name) : std::nullopt] {
        return spawn_script_tracker(sys, s, subs, fd, as);
      }, subs));
  }
  for (const auto& f : all.track_files) {
    auto subs = tracking(resolved, instances, proto::track_kind::file, f.name);
    if (!subs.empty())
      actors_.push_back(spawn_supervised_tracker(sys, "track_file", f.name, [&sys, f, subs, fd = stopfd_] {
        return spawn_file_tracker(sys, f, subs, fd);
      }, subs));
  }
  for (const auto& p : all.track_processes) {
    auto subs = tracking(resolved, instances, proto::track_kind::process, p.name);
    if (!subs.empty())
      actors_.push_back(spawn_supervised_tracker(sys, "vrrp_track_process", p.name, [&sys, p, subs, fd = stopfd_] {
        return spawn_process_tracker(sys, p, subs, fd);
      }, subs));
  }
}

trackers::~trackers() { stop(); }

void trackers::stop() {
  if (stopfd_ < 0)
    return;
  std::uint64_t one = 1;
  (void)!::write(stopfd_, &one, sizeof one);  // stays readable: every wait ends at once
  for (const auto& a : actors_)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  actors_.clear();
  // The fd stays open until the process ends: a detached tracker may still be between its
  // wait and its exit message, and must not poll a closed (or reused) descriptor.
}

} // namespace ka::act
