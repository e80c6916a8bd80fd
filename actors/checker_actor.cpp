// One health checker: runs its probe on the shared probe engine when its schedule says so
// (protocol/checker_state.hpp), tells its pool each verdict the state reports (the first,
// then transitions), logs those once with the reason, and answers status. It never blocks:
// the probe runs on the engine's threads and its result comes back as a message.
// Timers are CAF's delayed_send: a check late by the clock thread's load costs nothing
// (docs/caf-facts.md), unlike VRRP adverts.
#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <random>

#include "actors/checkers.hpp"
#include "actors/supervisor.hpp"
#include "kernel/log.hpp"

namespace ka::act {
namespace {

struct checker_actor_state {
  checker_plan plan;
  checker_place place;
  kern::probe_engine* engine = nullptr;
  std::optional<proto::checker_state> st;
  std::optional<probe_outcome> last;
  bool in_flight = false;
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
  j["state"] = !s.st->has_run() ? "unknown" : s.st->up() ? "up" : "down";
  if (s.last) {
    j["last"] = {{"ok", s.last->ok}, {"reason", s.last->reason}, {"latency_us", s.last->latency_us}};
  }
  j["checks"] = s.st->checks();
  j["failures"] = s.st->failures();
  j["failures_in_row"] = s.st->failures_in_row();
  j["transitions"] = s.st->transitions();
  const auto& t = s.st->timing();
  j["delay_loop"] = seconds(t.delay_loop);
  j["connect_timeout"] = seconds(t.connect_timeout);
  j["retry"] = t.retry;
  j["delay_before_retry"] = seconds(t.delay_before_retry);
  j["warmup"] = seconds(t.warmup);
  j["alpha"] = t.alpha;
  return j;
}

std::chrono::milliseconds ms(std::chrono::microseconds d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d + std::chrono::microseconds(999));
}

checker_actor::behavior_type checker_behavior(checker_self self, checker_plan plan, checker_place place,
                                              kern::probe_engine* engine) {
  supervised_child(self);  // actors/supervisor.hpp
  auto& s = self->state;
  s.plan = std::move(plan);
  s.place = std::move(place);
  s.engine = engine;
  s.st.emplace(s.plan.timing);
  // warmup: a random start scatters checkers that were configured together.
  std::random_device rd;
  std::uniform_real_distribution<double> u(0.0, 1.0);
  self->delayed_send(self, ms(s.st->first_delay(u(rd))), check_atom::value);
  return {
    [=](check_atom) {
      auto& s = self->state;
      if (s.in_flight) return;
      s.in_flight = true;
      auto me = caf::actor_cast<checker_actor>(self);
      s.plan.start(*s.engine, [me](kern::probe_result r) {
        caf::anon_send(me, check_atom::value,
                       probe_outcome{r.ok, std::move(r.reason), r.latency.count(), r.weight});
      });
    },
    [=](check_atom, probe_outcome& o) {
      auto& s = self->state;
      s.in_flight = false;
      auto v = s.st->on_result(o.ok);
      s.last = o;
      if (v.report) {
        log::notice("%s %s of real server %s (virtual server %s): %s (%s, %.1f ms)", s.plan.kind.c_str(),
                    s.plan.target.c_str(), s.place.rs.c_str(), s.place.vs.c_str(), v.up ? "UP" : "DOWN",
                    o.reason.c_str(), static_cast<double>(o.latency_us) / 1000.0);
        check_report r;
        r.server = s.place.server;
        r.checker = s.place.checker;
        r.up = v.up;
        r.weight = o.weight;
        r.reason = o.reason;
        r.latency_us = o.latency_us;
        self->send(s.place.sink, check_atom::value, std::move(r));
      }
      self->delayed_send(self, ms(v.next), check_atom::value);
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
