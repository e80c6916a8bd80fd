// The supervisor (actors/supervisor.cpp) in a real CAF actor system, with a child that
// throws on demand: requests are answered by the child through the supervisor's handle,
// a child that throws is replaced and told again its sticky messages, the intensity
// limit ends the restarts and runs the give-up action, and the registry counts it all.
#include <doctest/doctest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/after.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/monitorable_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "actors/supervisor.hpp"

using namespace ka;
using namespace ka::act;
using namespace std::chrono_literals;

namespace {

// add_atom N: answers N + its generation (0 for the first child, 1 after a restart...).
// sync_atom N: keeps N (sticky); lookup_atom: answers it. stop_atom: throws.
caf::behavior test_child(caf::event_based_actor* self, std::uint64_t generation) {
  supervised_child(self);
  auto kept = std::make_shared<int>(-1);
  return {
    [=](add_atom, int n) { return n + static_cast<int>(generation); },
    [=](sync_atom, int n) { *kept = n; },
    [=](lookup_atom) { return *kept; },
    [=](stop_atom) { throw std::runtime_error("child failure for the test"); },
    [=](done_atom) { self->quit(); },  // a stop of its own, as a tracker's at shutdown
  };
}

int ask(caf::scoped_actor& self, const caf::actor& to, caf::message msg, bool& failed) {
  int out = -100;
  failed = false;
  self->request(to, 2s, std::move(msg)).receive([&](int v) { out = v; }, [&](caf::error&) { failed = true; });
  return out;
}

bool eventually(const std::function<bool()>& f) {
  for (int i = 0; i < 200; ++i) {
    if (f()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return f();
}

} // namespace

TEST_CASE("supervisor: forwards, restarts with its sticky messages, gives up past the limit") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto gave_up = std::make_shared<std::atomic<int>>(0);
  auto spawned = std::make_shared<std::atomic<int>>(0);
  child_spec spec;
  spec.kind = "test";
  spec.name = "child one";
  spec.spawn = [&sys, spawned](const child_start& how) {
    if (how.failed)
      return caf::actor{};  // no failed mode: the give-up action runs
    ++*spawned;
    return sys.spawn(test_child, how.restarts);
  };
  spec.sticky = [](const caf::message& m) -> std::optional<std::string> {
    if (m.match_elements<caf::atom_value, int>() && m.get_as<caf::atom_value>(0) == sync_atom::value)
      return "kept";
    return std::nullopt;
  };
  spec.on_give_up = [gave_up] { ++*gave_up; };
  auto sup = spawn_supervisor(sys, spec, proto::restart_limit{2, std::chrono::seconds(60)});
  caf::scoped_actor self{sys};
  bool failed = false;

  CHECK(ask(self, sup, caf::make_message(add_atom::value, 10), failed) == 10);  // generation 0
  CHECK_FALSE(failed);
  caf::anon_send(sup, sync_atom::value, 42);
  caf::anon_send(sup, add_atom::value, 0);  // not sticky: (add_atom, int) is not (sync_atom, int)
  CHECK(ask(self, sup, caf::make_message(lookup_atom::value), failed) == 42);
  CHECK(supervision_restarts("test", "child one") == 0);

  // First failure: a new child, told 42 again, answering through the same handle.
  caf::anon_send(sup, stop_atom::value);
  CHECK(eventually([&] { return supervision_restarts("test", "child one") == 1; }));
  CHECK(ask(self, sup, caf::make_message(add_atom::value, 10), failed) == 11);  // generation 1
  CHECK(ask(self, sup, caf::make_message(lookup_atom::value), failed) == 42);
  caf::anon_send(sup, sync_atom::value, 7);  // the latest of a key replaces the earlier one

  caf::anon_send(sup, stop_atom::value);
  CHECK(eventually([&] { return supervision_restarts("test", "child one") == 2; }));
  CHECK(ask(self, sup, caf::make_message(lookup_atom::value), failed) == 7);
  CHECK(*spawned == 3);
  CHECK(*gave_up == 0);

  // Third failure within 60 s, the limit being 2: given up.
  caf::anon_send(sup, stop_atom::value);
  CHECK(eventually([&] { return gave_up->load() == 1; }));
  CHECK(*spawned == 3);
  ask(self, sup, caf::make_message(add_atom::value, 1), failed);
  CHECK(failed);  // no child: a request gets an error, not silence
  auto status = supervision_status();
  bool found = false;
  for (const auto& e : status)
    if (e["kind"] == "test" && e["name"] == "child one") {
      found = true;
      CHECK(e["restarts"] == 2);
      CHECK(e["failed"] == true);
      CHECK(e["last_reason"].get<std::string>().find("child failure for the test") != std::string::npos);
    }
  CHECK(found);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

TEST_CASE("supervisor: an exit sent to the supervisor ends its child too, with no restart") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  child_spec spec;
  spec.kind = "test";
  spec.name = "child two";
  auto child = std::make_shared<caf::actor>();
  spec.spawn = [&sys, child](const child_start& how) {
    *child = sys.spawn(test_child, how.restarts);
    return *child;
  };
  auto sup = spawn_supervisor(sys, spec);
  caf::scoped_actor self{sys};
  bool failed = false;
  CHECK(ask(self, sup, caf::make_message(add_atom::value, 1), failed) == 1);
  self->monitor(sup);
  self->monitor(*child);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
  int downs = 0;
  self->receive_for(downs, 2)([&](caf::down_msg&) {});
  CHECK(downs == 2);
  CHECK(supervision_restarts("test", "child two") == 0);
}

TEST_CASE("supervisor: a child that stops on its own is not restarted; its supervisor ends") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto spawned = std::make_shared<std::atomic<int>>(0);
  child_spec spec;
  spec.kind = "test";
  spec.name = "child three";
  spec.spawn = [&sys, spawned](const child_start& how) {
    ++*spawned;
    return sys.spawn(test_child, how.restarts);
  };
  auto sup = spawn_supervisor(sys, spec);
  caf::scoped_actor self{sys};
  self->monitor(sup);
  caf::anon_send(sup, done_atom::value);
  bool down = false;
  self->receive([&](caf::down_msg&) { down = true; }, caf::after(2s) >> [] {});
  CHECK(down);
  CHECK(*spawned == 1);
  CHECK(supervision_restarts("test", "child three") == 0);
}

// A reload (actors/running_set.cpp) stops a supervisor and may start another of the same
// kind and name: the count goes on from the earlier one's (a Prometheus counter), and the
// new one is not "failed". An exit sent to a supervisor ends it only once its child has
// ended (the load balancer waits for its checkers' supervisors before freeing their engine).
TEST_CASE("supervisor: a replacement of the same name keeps counting; an exit ends the child first") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto child = std::make_shared<caf::actor>();
  child_spec spec;
  spec.kind = "test";
  spec.name = "child four";
  spec.spawn = [&sys, child](const child_start& how) {
    if (how.failed)
      return caf::actor{};
    *child = sys.spawn(test_child, how.restarts);
    return *child;
  };
  caf::scoped_actor self{sys};
  auto first = spawn_supervisor(sys, spec, proto::restart_limit{1, std::chrono::seconds(60)});
  caf::anon_send(first, stop_atom::value);
  CHECK(eventually([&] { return supervision_restarts("test", "child four") == 1; }));
  caf::anon_send(first, stop_atom::value);  // past the limit of 1: given up
  auto failed_now = [] {
    for (const auto& e : supervision_status())
      if (e["name"] == "child four") return e["failed"] == true;
    return false;
  };
  CHECK(eventually(failed_now));
  caf::anon_send_exit(first, caf::exit_reason::user_shutdown);

  auto second = spawn_supervisor(sys, spec);
  CHECK(eventually([&] { return !failed_now(); }));
  caf::anon_send(second, stop_atom::value);
  CHECK(eventually([&] { return supervision_restarts("test", "child four") == 2; }));
  bool failed = false;
  CHECK(ask(self, second, caf::make_message(add_atom::value, 10), failed) == 11);
  auto last_child = *child;
  self->monitor(second);
  caf::anon_send_exit(second, caf::exit_reason::user_shutdown);
  bool down = false;
  self->receive([&](caf::down_msg&) { down = true; }, caf::after(2s) >> [] {});
  CHECK(down);
  // The child's exit reason is set before its down message reaches the supervisor.
  auto* ptr = dynamic_cast<caf::monitorable_actor*>(caf::actor_cast<caf::abstract_actor*>(last_child));
  REQUIRE(ptr != nullptr);
  CHECK(ptr->fail_state() == caf::exit_reason::user_shutdown);
}
