// tracking: one actor per vrrp_script that an instance tracks, shared by all of them. It
// runs the script every `interval`, kills it after `timeout`, counts the results against
// rise/fall and tells its instances each result. Detached: it waits for its script on a
// thread of its own, so a slow script delays nobody else (and nothing else delays it).
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <poll.h>

#include <chrono>
#include <cstring>
#include <optional>

#include "actors/event_bus.hpp"  // live events
#include "actors/trackers.hpp"
#include "kernel/log.hpp"
#include "kernel/process.hpp"
#include "protocol/track_priority.hpp"

namespace ka::act {
namespace {

using namespace std::chrono;

struct script_tracker_state {
  config::vrrp_script cfg;
  std::vector<std::string> argv;
  std::vector<instance_actor> subscribers;
  std::optional<kern::credentials> as;   // whom the script runs as (nullopt: the daemon)
  int stopfd = -1;
  std::optional<proto::rise_fall> health;
  std::uint64_t runs = 0;
  static constexpr const char* name = "track_script";
};

using script_tracker_self = tracker_actor::stateful_pointer<script_tracker_state>;

// One run: true when the script exited 0 within the timeout. `stopped`: shutdown came first.
bool run_once(script_tracker_state& st, std::string& detail, bool& stopped) {
  auto timeout = duration_cast<milliseconds>(duration<double>(st.cfg.timeout > 0 ? st.cfg.timeout
                                                                              : st.cfg.interval));
  kern::child_process child;
  if (int err = kern::spawn_process(st.argv, child, st.as ? &*st.as : nullptr)) {
    detail = std::string("cannot run: ") + std::strerror(err);
    return false;
  }
  bool kill_it = false;
  if (child.pidfd >= 0) {
    pollfd fds[2] = {{child.pidfd, POLLIN, 0}, {st.stopfd, POLLIN, 0}};
    int n;
    do {
      auto left = timeout - duration_cast<milliseconds>(steady_clock::now() - child.started);
      n = ::poll(fds, 2, left.count() > 0 ? static_cast<int>(left.count()) : 0);
    } while (n < 0 && errno == EINTR);
    stopped = n > 0 && fds[1].revents != 0 && fds[0].revents == 0;
    kill_it = n == 0 || stopped;
  }
  auto r = kern::reap_process(child, kill_it);
  using oc = kern::run_result::outcome;
  switch (r.how) {
    case oc::exited:
      detail = "exit " + std::to_string(r.code);
      return r.code == 0;
    case oc::signalled:
      detail = "killed by signal " + std::to_string(r.code);
      return false;
    case oc::timed_out:
      detail = "timed out after " + std::to_string(timeout.count()) + " ms";
      return false;
    case oc::spawn_failed:
      detail = std::string("cannot run: ") + std::strerror(r.code);
      return false;
  }
  return false;
}

tracker_actor::behavior_type script_tracker(script_tracker_self self, config::vrrp_script cfg,
                                            std::vector<instance_actor> subscribers, int stopfd,
                                            std::optional<kern::credentials> as) {
  auto& st = self->state;
  st.as = std::move(as);
  st.cfg = std::move(cfg);
  st.argv = kern::split_command(st.cfg.script);
  st.subscribers = std::move(subscribers);
  st.stopfd = stopfd;
  st.health.emplace(st.cfg.rise, st.cfg.fall, st.cfg.init_fail);
  self->send(self, poll_atom::value);
  return {
    [=](poll_atom) {
      auto& st = self->state;
      auto began = steady_clock::now();
      std::string detail;
      bool stopped = false;
      bool success = run_once(st, detail, stopped);
      if (stopped)
        return self->quit();
      ++st.runs;
      bool changed = st.health->on_result(success);
      if (changed) {
        log::notice("VRRP_Script(%s) %s (%s)", st.cfg.name.c_str(),
                    st.health->ok() ? "succeeded" : "failed", detail.c_str());
        publish_event(self->home_system(), {0, "tracker", "vrrp_script " + st.cfg.name,  // live events
                                            st.health->ok() ? "FAIL" : "OK", st.health->ok() ? "OK" : "FAIL", detail});
      }
      // Every result goes out, not only changes: the instances show the last one.
      track_update u{"script", st.cfg.name, st.health->ok(), 0,
                     detail + (success ? ", success" : ", failure") + " (run "
                       + std::to_string(st.runs) + ")"};
      for (const auto& i : st.subscribers)
        self->send(i, track_atom::value, u);
      auto interval = duration_cast<milliseconds>(duration<double>(st.cfg.interval));
      auto spent = duration_cast<milliseconds>(steady_clock::now() - began);
      self->delayed_send(self, interval > spent ? interval - spent : milliseconds(0), poll_atom::value);
    },
  };
}

} // namespace

tracker_actor spawn_script_tracker(caf::actor_system& sys, const config::vrrp_script& cfg,
                                   std::vector<instance_actor> subscribers, int stopfd,
                                   std::optional<kern::credentials> as) {
  return sys.spawn<caf::detached>(script_tracker, cfg, std::move(subscribers), stopfd, std::move(as));
}

} // namespace ka::act
