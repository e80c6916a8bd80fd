// Live events: the event bus actor (actors/event_bus.cpp), the sink through which the
// admin thread receives a watcher's events, and publish_event() for any actor that has
// something to tell the watchers (an instance's transition, a tracker's change, a reload).
// The bus is found through CAF's actor registry, so publishers need no handle passed in.
#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "protocol/admin_events.hpp"

namespace ka::act {

// One watcher's queue, shared by the bus (which pushes) and the admin thread (which
// takes). Bounded (protocol/admin_events.hpp): the bus never waits for a slow watcher
// beyond this mutex, and a watcher that falls behind loses events, counted.
// The admin thread's eventfd, written when lines arrive after a take. Shared by the sinks:
// the bus may still hold one for a moment after the admin thread is gone, and must never
// write to a closed (or reused) descriptor.
struct event_wake {
  event_wake();   // throws std::system_error
  ~event_wake();
  event_wake(const event_wake&) = delete;
  event_wake& operator=(const event_wake&) = delete;
  int fd = -1;
};

struct event_sink {
  event_sink(std::shared_ptr<event_wake> wake, std::size_t cap) : wake_(std::move(wake)), queue_(cap) {}
  void push(std::string line);
  // Every pending line, and a "lost" line after them when some were dropped.
  std::vector<std::string> take();
  std::uint64_t lost_total();

private:
  std::mutex mutex_;
  std::shared_ptr<event_wake> wake_;
  bool armed_ = true;  // the next push writes wakefd
  proto::event_queue queue_;
};

// Spawns the bus and registers it; stop_event_bus() ends it (before the actor system).
event_bus_actor spawn_event_bus(caf::actor_system& sys);
void stop_event_bus(caf::actor_system& sys);
// The bus for as long as this lives: declared right after the actor system, it ends the
// bus before the system waits for its actors, on every return path.
struct event_bus_scope {
  explicit event_bus_scope(caf::actor_system& s) : sys(s) { spawn_event_bus(sys); }
  ~event_bus_scope() { stop_event_bus(sys); }
  event_bus_scope(const event_bus_scope&) = delete;
  event_bus_scope& operator=(const event_bus_scope&) = delete;
  caf::actor_system& sys;
};

// The registered bus, or an invalid handle when there is none (unit tests, shutdown).
event_bus_actor event_bus(caf::actor_system& sys);

// Seconds since the epoch, wall clock: the `ts` of events.
double event_clock();

// Sends `ev` (its ts set now when 0) to the bus; nothing when there is no bus.
// For example a reload: publish_event(sys, {0, "reload", "daemon", "config 3", "config 4",
// "SIGHUP"}).
void publish_event(caf::actor_system& sys, proto::admin_event ev);

} // namespace ka::act
