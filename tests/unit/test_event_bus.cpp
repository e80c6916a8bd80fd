// The event bus with a real actor system: a watcher's sink gets every event in order, is
// woken through its eventfd, and loses (and counts) what it cannot hold; a sink that goes
// is forgotten; with no bus, publishing is a no-op.
#include <doctest/doctest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include <poll.h>

#include <memory>
#include <optional>

#include "actors/event_bus.hpp"

using namespace ka;
using namespace ka::act;

namespace {
json bus_status(caf::actor_system& sys) {
  caf::scoped_actor self{sys};
  json out;
  self->request(event_bus(sys), caf::infinite, status_atom::value)
    .receive([&](json& v) { out = std::move(v); }, [](caf::error&) {});
  return out;
}
bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}
} // namespace

TEST_CASE("event bus: in order to a watcher, bounded, counted, forgotten when it goes") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  {
    event_bus_scope scope{sys};
    REQUIRE(event_bus(sys));
    auto wake = std::make_shared<event_wake>();
    auto sink = std::make_shared<event_sink>(wake, 256);
    caf::anon_send(event_bus(sys), watch_atom::value, sink);
    CHECK(bus_status(sys)["watchers"] == 1);
    CHECK_FALSE(readable(wake->fd));
    for (int i = 0; i < 300; ++i)
      publish_event(sys, {0, "instance", "vrrp_instance VI_" + std::to_string(i), "BACKUP", "MASTER", "test"});
    json st = bus_status(sys);  // after the 300: one sender, one mailbox, in order
    CHECK(st["published"] == 300);
    CHECK(st["lost_by_current_watchers"] == 44);
    CHECK(readable(wake->fd));
    auto lines = sink->take();
    REQUIRE(lines.size() == 257);
    for (int i = 0; i < 256; ++i) {
      json ev = json::parse(lines[static_cast<std::size_t>(i)]);
      CHECK(ev["actor"] == "vrrp_instance VI_" + std::to_string(i));
      CHECK(ev["ts"].get<double>() > 1.6e9);
    }
    json lost = json::parse(lines.back());
    CHECK(lost["type"] == "lost");
    CHECK(lost["lost"] == 44);
    CHECK(sink->take().empty());
    // the watcher goes: the bus forgets it at its next event
    sink.reset();
    publish_event(sys, {0, "reload", "daemon", "1", "2", "test"});
    st = bus_status(sys);
    CHECK(st["watchers"] == 0);
    CHECK(st["watchers_total"] == 1);
  }
  CHECK_FALSE(event_bus(sys));
  publish_event(sys, {0, "instance", "x", "a", "b", "no bus: nothing happens"});
}
