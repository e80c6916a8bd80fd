// One health checker: runs its probe on the shared probe engine when its schedule says so
// (protocol/checker_state.hpp), tells its pool each verdict the state reports (the first,
// then transitions), logs those once with the reason, and answers status. It never blocks.
// The schedule runs on the probe engine's thread itself (an asio timer, then the probe,
// then the verdict and the next timer), and the actor hears only of the verdicts to report:
// with CAF timers each check crossed four threads (clock thread, a CAF worker, the engine,
// a CAF worker again), and with 1,000 checkers those wake-ups were the daemon's CPU
// (perf on the development machine: futex waits and wake-ups on top; 1.5 ms of CPU per
// check) and, on the VM's one saturated vCPU, probes waited 5-23 s in the engine's queue
// (README, bench/lb.sh).
#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <random>

#include "actors/checkers.hpp"
#include "kernel/log.hpp"

namespace ka::act {
namespace {

// The schedule, run on the engine's thread(s): timer, probe, verdict, timer... One step at a
// time, so the state is touched by one thread at a time; `m` guards it for the status.
struct probe_loop : std::enable_shared_from_this<probe_loop> {
  probe_loop(kern::probe_engine& e, probe_starter s, const proto::checker_timing& t)
      : engine(e), start(std::move(s)), timer(boost::asio::make_strand(e.io())), st(t) {}
  kern::probe_engine& engine;
  probe_starter start;
  // On a strand of its own: with several engine threads, the verdict (on the probe's
  // strand) and stop() (another thread) reach the timer only through it.
  boost::asio::steady_timer timer;
  std::mutex m;
  proto::checker_state st;                 // under m
  std::optional<probe_outcome> last;        // under m
  std::function<void(probe_outcome)> report;  // under m; cleared at stop
  std::atomic<bool> stopped{false};

  void schedule(std::chrono::microseconds d) {
    timer.expires_after(d);
    timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec && !self->stopped) self->check();
    });
  }
  void check() {
    start(engine, [self = shared_from_this()](kern::probe_result r) { self->result(std::move(r)); });
  }
  void result(kern::probe_result r) {
    if (stopped) return;
    probe_outcome o{r.ok, std::move(r.reason), r.latency.count(), r.weight};
    proto::checker_state::verdict v;
    std::function<void(probe_outcome)> tell;
    {
      std::lock_guard<std::mutex> g(m);
      v = st.on_result(o.ok);
      last = o;
      if (v.report) tell = report;
    }
    if (tell) {
      o.ok = v.up;  // a reported verdict is the result that decided it
      tell(std::move(o));
    }
    boost::asio::post(timer.get_executor(), [self = shared_from_this(), next = v.next] { self->schedule(next); });
  }
  void stop() {
    stopped = true;
    {
      std::lock_guard<std::mutex> g(m);
      report = nullptr;  // the actor's handle: no cycle left
    }
    boost::asio::post(timer.get_executor(), [self = shared_from_this()] { self->timer.cancel(); });
  }
};

struct checker_actor_state {
  checker_plan plan;
  checker_place place;
  std::shared_ptr<probe_loop> loop;
  ~checker_actor_state() {
    if (loop) loop->stop();
  }
  static constexpr const char* name = "checker";
};

using checker_self = checker_actor::stateful_pointer<checker_actor_state>;

double seconds(std::chrono::microseconds d) { return static_cast<double>(d.count()) / 1e6; }

json status_of(const checker_actor_state& s) {
  json j;
  j["kind"] = s.plan.kind;
  j["virtual_server"] = s.place.vs;
  j["real_server"] = s.place.rs;
  j["target"] = s.plan.target;
  std::lock_guard<std::mutex> g(s.loop->m);
  const auto& st = s.loop->st;
  j["state"] = !st.has_run() ? "unknown" : st.up() ? "up" : "down";
  if (const auto& last = s.loop->last) {
    j["last"] = {{"ok", last->ok}, {"reason", last->reason}, {"latency_us", last->latency_us}};
  }
  j["checks"] = st.checks();
  j["failures"] = st.failures();
  j["failures_in_row"] = st.failures_in_row();
  j["transitions"] = st.transitions();
  const auto& t = st.timing();
  j["delay_loop"] = seconds(t.delay_loop);
  j["connect_timeout"] = seconds(t.connect_timeout);
  j["retry"] = t.retry;
  j["delay_before_retry"] = seconds(t.delay_before_retry);
  j["warmup"] = seconds(t.warmup);
  j["alpha"] = t.alpha;
  return j;
}

checker_actor::behavior_type checker_behavior(checker_self self, checker_plan plan, checker_place place,
                                              kern::probe_engine* engine) {
  auto& s = self->state;
  s.plan = std::move(plan);
  s.place = std::move(place);
  s.loop = std::make_shared<probe_loop>(*engine, s.plan.start, s.plan.timing);
  auto me = caf::actor_cast<checker_actor>(self);
  s.loop->report = [me](probe_outcome o) { caf::anon_send(me, check_atom::value, std::move(o)); };
  // warmup: a random start scatters checkers that were configured together.
  std::random_device rd;
  std::uniform_real_distribution<double> u(0.0, 1.0);
  auto first = s.loop->st.first_delay(u(rd));
  boost::asio::post(s.loop->timer.get_executor(), [loop = s.loop, first] { loop->schedule(first); });
  return {
    [=](check_atom) {},  // the schedule runs on the engine (probe_loop)
    // A verdict to report (the first, or a change), decided on the engine's thread.
    [=](check_atom, probe_outcome& o) {
      auto& s = self->state;
      log::notice("%s %s of real server %s (virtual server %s): %s (%s, %.1f ms)", s.plan.kind.c_str(),
                  s.plan.target.c_str(), s.place.rs.c_str(), s.place.vs.c_str(), o.ok ? "UP" : "DOWN",
                  o.reason.c_str(), static_cast<double>(o.latency_us) / 1000.0);
      check_report r;
      r.server = s.place.server;
      r.checker = s.place.checker;
      r.up = o.ok;
      r.weight = o.weight;
      r.reason = o.reason;
      r.latency_us = o.latency_us;
      self->send(s.place.sink, check_atom::value, std::move(r));
    },
    [=](status_atom) -> json { return status_of(self->state); },
  };
}

} // namespace

spawned_checker spawn_checker_actor(caf::actor_system& sys, kern::probe_engine& engine, checker_plan plan,
                                    checker_place place) {
  spawned_checker out;
  if (!plan.error.empty() || !plan.start) {
    out.error = plan.error.empty() ? plan.kind + ": no probe" : plan.error;
    return out;
  }
  out.actor = sys.spawn(checker_behavior, std::move(plan), std::move(place), &engine);
  return out;
}

} // namespace ka::act
