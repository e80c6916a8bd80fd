// The script actor: runs notify hooks without blocking any actor. Hooks of one instance
// queue up so they run in transition order, while different instances run side by side.
// The actor spawns each hook itself (posix_spawn does not block) and one reaper thread
// waits for all of them (a pidfd each, in epoll) and reports back. A thread per hook, as
// before, meant 1,000 threads at once when 1,000 instances start: their stacks and malloc
// arenas stayed in the daemon's RSS long after the hooks had ended.
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <caf/send.hpp>

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"

namespace ka::act {
namespace {

struct pending_hook {
  std::string instance;
  std::vector<std::string> argv;
  std::string key;  // whom it runs as (notify_job::keys)
};

// Waits for running hooks and sends each one's hook_run to the script actor.
class hook_reaper {
public:
  explicit hook_reaper(script_actor owner) : owner_(std::move(owner)) {
    epfd_ = epoll_create1(EPOLL_CLOEXEC);
    wakefd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epfd_ < 0 || wakefd_ < 0)
      throw std::system_error(errno, std::generic_category(), "hook reaper fds");
    add(wakefd_, 0);
    thread_ = std::thread([this] { loop(); });
  }
  ~hook_reaper() {
    quit_ = true;
    wake();
    thread_.join();
    for (auto& [pid, h] : running_)  // hooks still running outlive the daemon, as before
      ::close(h.child.pidfd);
    ::close(epfd_);
    ::close(wakefd_);
  }
  hook_reaper(const hook_reaper&) = delete;
  hook_reaper& operator=(const hook_reaper&) = delete;

  // Takes a started child; its report comes as done_atom to the owner.
  void watch(kern::child_process child, std::string instance, std::string command,
             std::chrono::milliseconds timeout) {
    if (child.pidfd < 0) {  // no pidfd (kernel < 5.3): a thread waits, without a timeout
      script_actor owner = owner_;
      std::thread([owner, child, instance, command]() mutable {
        caf::anon_send(owner, done_atom::value,
                       hook_run{instance, command, kern::reap_process(child, false)});
      }).detach();
      return;
    }
    std::lock_guard<std::mutex> guard(mutex_);
    incoming_.push_back({child, std::move(instance), std::move(command),
                         child.started + timeout});
    wake();
  }

private:
  struct hook {
    kern::child_process child;
    std::string instance, command;
    std::chrono::steady_clock::time_point deadline;
  };

  void add(int fd, std::uint64_t tag) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = tag;
    epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev);
  }
  void wake() {
    std::uint64_t one = 1;
    (void)!::write(wakefd_, &one, sizeof one);
  }
  void finish(int pid, bool kill_it) {
    auto it = running_.find(pid);
    epoll_ctl(epfd_, EPOLL_CTL_DEL, it->second.child.pidfd, nullptr);
    auto& h = it->second;
    caf::anon_send(owner_, done_atom::value,
                   hook_run{h.instance, h.command, kern::reap_process(h.child, kill_it)});
    running_.erase(it);
  }

  void loop() {
    pthread_setname_np(pthread_self(), "ka-hooks");
    epoll_event events[32];
    while (!quit_) {
      // Sleep until the first hook's deadline, or for good when none runs.
      int timeout_ms = -1;
      auto now = std::chrono::steady_clock::now();
      for (auto& [pid, h] : running_) {
        auto left = std::chrono::ceil<std::chrono::milliseconds>(h.deadline - now).count();
        int ms = static_cast<int>(std::max<long long>(0, left));
        timeout_ms = timeout_ms < 0 ? ms : std::min(timeout_ms, ms);
      }
      int n = epoll_wait(epfd_, events, 32, timeout_ms);
      for (int i = 0; i < n; ++i) {
        auto pid = static_cast<int>(events[i].data.u64);
        if (pid == 0) {
          std::uint64_t count;
          (void)!::read(wakefd_, &count, sizeof count);
          std::vector<hook> batch;
          {
            std::lock_guard<std::mutex> guard(mutex_);
            batch.swap(incoming_);
          }
          for (auto& h : batch) {
            add(h.child.pidfd, static_cast<std::uint64_t>(h.child.pid));
            running_.emplace(h.child.pid, std::move(h));
          }
        } else if (running_.count(pid)) {
          finish(pid, false);
        }
      }
      now = std::chrono::steady_clock::now();
      std::vector<int> late;
      for (auto& [pid, h] : running_)
        if (h.deadline <= now)
          late.push_back(pid);
      for (int pid : late)
        finish(pid, true);
    }
  }

  script_actor owner_;
  int epfd_ = -1, wakefd_ = -1;
  std::mutex mutex_;
  std::vector<hook> incoming_;
  std::map<int, hook> running_;  // by pid; only the reaper thread touches it
  std::atomic<bool> quit_{false};
  std::thread thread_;
};

struct script_state {
  std::chrono::milliseconds timeout{30000};
  hook_identities as;                                       // whom hooks run as
  // Per instance, only while it has hooks queued or running: an empty std::deque still
  // holds ~600 bytes, and 1,000 instances that each ran one hook at start-up kept 0.5 MB
  // of them for good (bench/scale.sh, valgrind massif).
  std::map<std::string, std::deque<pending_hook>> queues;
  std::map<std::string, bool> running;                     // absent: not running
  std::vector<caf::typed_response_promise<bool>> drains;
  std::uint64_t runs = 0, failures = 0, timeouts = 0;
  std::deque<json> recent;                                 // last few runs, for status
  struct in_flight_hook {
    std::string command;
    std::chrono::steady_clock::time_point since;
  };
  std::map<std::string, in_flight_hook> in_flight;          // admin status: running now, by instance
  std::unique_ptr<hook_reaper> reaper;                     // joined when the actor ends
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
  auto qi = self->state.queues.find(instance);
  if (qi == self->state.queues.end() || qi->second.empty()) {
    if (qi != self->state.queues.end())
      self->state.queues.erase(qi);
    self->state.running.erase(instance);
    if (idle(self->state)) {
      for (auto& rp : self->state.drains)
        rp.deliver(true);
      self->state.drains.clear();
    }
    return;
  }
  pending_hook hook = std::move(qi->second.front());
  qi->second.pop_front();
  if (qi->second.empty())
    self->state.queues.erase(qi);
  self->state.running[instance] = true;
  log::info("notify: %s: running %s", instance.c_str(), joined(hook.argv).c_str());
  auto& st = self->state;
  st.in_flight[instance] = {joined(hook.argv), std::chrono::steady_clock::now()};
  if (!st.reaper)
    st.reaper = std::make_unique<hook_reaper>(script_actor(self));
  kern::child_process child;
  const std::optional<kern::credentials>* as = &st.as.fallback;
  if (auto it = st.as.by_hook.find(hook.key); it != st.as.by_hook.end())
    as = &it->second;
  if (int err = kern::spawn_process(hook.argv, child, *as ? &**as : nullptr)) {
    kern::run_result failed;
    failed.code = err;
    self->send(self, done_atom::value, hook_run{hook.instance, joined(hook.argv), failed});
    return;
  }
  st.reaper->watch(child, hook.instance, joined(hook.argv), st.timeout);
}

script_actor::behavior_type script_behavior(script_self self, std::chrono::milliseconds timeout,
                                            hook_identities as) {
  self->state.timeout = timeout;
  self->state.as = std::move(as);
  return {
    [=](notify_atom, const notify_job& job) {
      auto& q = self->state.queues[job.instance];
      for (std::size_t i = 0; i < job.commands.size(); ++i)
        if (!job.commands[i].empty())
          q.push_back({job.instance, job.commands[i], i < job.keys.size() ? job.keys[i] : ""});
      if (!self->state.running.count(job.instance))
        start_next(self, job.instance);
    },
    [=](done_atom, const hook_run& run) {
      auto& st = self->state;
      ++st.runs;
      st.in_flight.erase(run.instance);
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
    // reload: hooks queued from now on run as the new config says.
    [=](reload_atom, const hook_identities& as) { self->state.as = as; },
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
      // Hooks running now (one at most per instance), the first few: a bounded reply.
      constexpr std::size_t listed = 16;
      json flying = json::array();
      for (const auto& [inst, h] : st.in_flight) {
        if (flying.size() == listed)
          break;
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - h.since);
        flying.push_back({{"instance", inst}, {"command", h.command}, {"running_ms", static_cast<long long>(ms.count())}});
      }
      v["in_flight"] = std::move(flying);
      return v;
    },
  };
}

} // namespace

script_actor spawn_script_actor(caf::actor_system& sys, std::chrono::milliseconds hook_timeout,
                                hook_identities hooks_as) {
  return sys.spawn(script_behavior, hook_timeout, std::move(hooks_as));
}

} // namespace ka::act
