// tracking: one actor per vrrp_track_process that an instance tracks. It counts the
// matching processes (protocol/process_match.hpp) and tells its instances whether the
// count is within quorum..quorum_max, after fork_delay (quorum gained) or
// terminate_delay (quorum lost) when set. It scans /proc once a second rather than using
// the netlink process connector: simpler, and a second is within what the delays and
// VRRP's own timers already allow. Detached: the scan blocks only this actor's thread.
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <poll.h>

#include <chrono>

#include "actors/event_bus.hpp"  // live events
#include "actors/trackers.hpp"
#include "kernel/log.hpp"
#include "kernel/proc_scan.hpp"
#include "protocol/process_match.hpp"

namespace ka::act {
namespace {

using namespace std::chrono;

constexpr auto scan_period = seconds(1);

struct process_tracker_state {
  config::track_process cfg;
  std::vector<instance_actor> subscribers;
  int stopfd = -1;
  bool sent = false;
  bool reported = false;          // quorum state as told to the instances
  int last_count = -1;
  bool candidate = false;         // quorum state seen, waiting out its delay
  steady_clock::time_point candidate_since{};
  static constexpr const char* name = "track_process";
};

using process_tracker_self = tracker_actor::stateful_pointer<process_tracker_state>;

void scan(process_tracker_self self) {
  auto& st = self->state;
  int count = 0;
  for (const auto& p : kern::scan_processes())
    if (proto::process_matches(st.cfg.process, st.cfg.param_match, p.name, p.argv))
      ++count;
  bool met = proto::quorum_met(count, st.cfg.quorum, st.cfg.quorum_max.value_or(-1));
  auto now = steady_clock::now();
  if (met != st.candidate || !st.sent) {
    st.candidate = met;
    st.candidate_since = now;
  }
  double delay_s = met ? st.cfg.fork_delay : st.cfg.terminate_delay;
  if (delay_s <= 0)
    delay_s = st.cfg.delay;
  bool settled = !st.sent || now - st.candidate_since >= duration<double>(delay_s);
  bool state_changes = settled && (!st.sent || met != st.reported);
  if (!state_changes && count == st.last_count)
    return;
  if (state_changes) {
    if (st.sent) {
      log::notice("VRRP_Track_Process(%s): quorum %s (%d running)", st.cfg.name.c_str(),
                  met ? "gained" : "lost", count);
      publish_event(self->home_system(), {0, "tracker", "vrrp_track_process " + st.cfg.name,  // live events
                                          met ? "quorum lost" : "quorum met", met ? "quorum met" : "quorum lost",
                                          std::to_string(count) + " running"});
    }
    st.reported = met;
  }
  st.sent = true;
  st.last_count = count;
  std::string detail = std::to_string(count) + " running, quorum " + std::to_string(st.cfg.quorum)
                       + (st.cfg.quorum_max ? ".." + std::to_string(*st.cfg.quorum_max) : "")
                       + (met == st.reported ? "" : " (waiting out the delay)");
  track_update u{"process", st.cfg.name, st.reported, count, detail};
  for (const auto& i : st.subscribers)
    self->send(i, track_atom::value, u);
}

tracker_actor::behavior_type process_tracker(process_tracker_self self, config::track_process cfg,
                                             std::vector<instance_actor> subscribers, int stopfd) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.subscribers = std::move(subscribers);
  st.stopfd = stopfd;
  self->send(self, poll_atom::value);
  return {
    [=](poll_atom) {
      pollfd stop{self->state.stopfd, POLLIN, 0};
      if (::poll(&stop, 1, 0) > 0)
        return self->quit();
      scan(self);
      self->delayed_send(self, scan_period, poll_atom::value);
    },
  };
}

} // namespace

tracker_actor spawn_process_tracker(caf::actor_system& sys, const config::track_process& cfg,
                                    std::vector<instance_actor> subscribers, int stopfd) {
  return sys.spawn<caf::detached>(process_tracker, cfg, std::move(subscribers), stopfd);
}

} // namespace ka::act
