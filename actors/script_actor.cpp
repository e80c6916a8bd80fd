// The script actor: runs notify hooks without blocking any actor. Each hook runs on a
// short-lived thread (it blocks in waitpid); hooks of one instance queue up so they run in
// transition order, while different instances run side by side.
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <caf/send.hpp>

#include <deque>
#include <map>
#include <thread>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"

namespace ka::act {
namespace {

struct pending_hook {
  std::string instance;
  std::vector<std::string> argv;
};

struct script_state {
  std::chrono::milliseconds timeout{30000};
  std::map<std::string, std::deque<pending_hook>> queues;  // per instance
  std::map<std::string, bool> running;                     // per instance
  std::vector<caf::typed_response_promise<bool>> drains;
  std::uint64_t runs = 0, failures = 0, timeouts = 0;
  std::deque<json> recent;                                 // last few runs, for status
  static constexpr const char* name = "scripts";
};

using script_self = script_actor::stateful_pointer<script_state>;

std::string joined(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv)
    s += (s.empty() ? "" : " ") + a;
  return s;
}

bool idle(const script_state& st) {
  for (const auto& [name, busy] : st.running)
    if (busy)
      return false;
  return true;
}

void start_next(script_self self, const std::string& instance) {
  auto& q = self->state.queues[instance];
  if (q.empty()) {
    self->state.running[instance] = false;
    if (idle(self->state)) {
      for (auto& rp : self->state.drains)
        rp.deliver(true);
      self->state.drains.clear();
    }
    return;
  }
  pending_hook hook = std::move(q.front());
  q.pop_front();
  self->state.running[instance] = true;
  log::info("notify: %s: running %s", instance.c_str(), joined(hook.argv).c_str());
  // The thread keeps a handle to this actor only to report back; if the actor is gone,
  // the report is dropped.
  script_actor me = self;
  auto timeout = self->state.timeout;
  std::thread([me, hook = std::move(hook), timeout] {
    hook_run run{hook.instance, joined(hook.argv), kern::run_and_wait(hook.argv, timeout)};
    caf::anon_send(me, done_atom::value, std::move(run));
  }).detach();
}

script_actor::behavior_type script_behavior(script_self self, std::chrono::milliseconds timeout) {
  self->state.timeout = timeout;
  return {
    [=](notify_atom, const notify_job& job) {
      auto& q = self->state.queues[job.instance];
      for (const auto& argv : job.commands)
        if (!argv.empty())
          q.push_back({job.instance, argv});
      if (!self->state.running[job.instance])
        start_next(self, job.instance);
    },
    [=](done_atom, const hook_run& run) {
      auto& st = self->state;
      ++st.runs;
      using oc = kern::run_result::outcome;
      const auto& r = run.result;
      if (r.how == oc::timed_out) {
        ++st.timeouts;
        log::error("notify: %s: '%s' still running after %lld ms: killed", run.instance.c_str(),
                   run.command.c_str(), static_cast<long long>(st.timeout.count()));
      } else if (r.how == oc::spawn_failed) {
        ++st.failures;
        log::error("notify: %s: cannot run '%s': %s", run.instance.c_str(), run.command.c_str(),
                   strerror(r.code));
      } else if (r.how == oc::signalled || r.code != 0) {
        ++st.failures;
        log::warning("notify: %s: '%s' %s %d", run.instance.c_str(), run.command.c_str(),
                     r.how == oc::signalled ? "killed by signal" : "exited with", r.code);
      }
      json rec;
      rec["instance"] = run.instance;
      rec["command"] = run.command;
      rec["outcome"] = kern::to_string(r.how);
      rec["code"] = r.code;
      rec["ms"] = static_cast<long long>(r.took.count());
      st.recent.push_back(std::move(rec));
      if (st.recent.size() > 8)
        st.recent.pop_front();
      start_next(self, run.instance);
    },
    [=](drain_atom) -> caf::typed_response_promise<bool> {
      auto rp = self->make_response_promise<bool>();
      bool queued = false;
      for (const auto& [name, q] : self->state.queues)
        queued = queued || !q.empty();
      if (idle(self->state) && !queued)
        rp.deliver(true);
      else
        self->state.drains.push_back(rp);
      return rp;
    },
    [=](status_atom) {
      auto& st = self->state;
      json v;
      std::size_t running = 0, queued = 0;
      for (const auto& [name, busy] : st.running)
        running += busy ? 1 : 0;
      for (const auto& [name, q] : st.queues)
        queued += q.size();
      v["runs"] = st.runs;
      v["running"] = running;
      v["queued"] = queued;
      v["failures"] = st.failures;
      v["timeouts"] = st.timeouts;
      v["timeout_ms"] = static_cast<long long>(st.timeout.count());
      v["recent"] = json::array_t(st.recent.begin(), st.recent.end());
      return v;
    },
  };
}

} // namespace

script_actor spawn_script_actor(caf::actor_system& sys, std::chrono::milliseconds hook_timeout) {
  return sys.spawn(script_behavior, hook_timeout);
}

} // namespace ka::act
