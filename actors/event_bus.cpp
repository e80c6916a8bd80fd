// The event bus: one actor that fans published events out to the admin socket's watchers.
// It formats each event once, pushes the line into every live sink (a mutex and a deque
// push: a watcher that does not read never holds it), and forgets sinks whose admin
// client has gone (weak pointers: no unsubscribe message to lose).
#include <caf/actor_registry.hpp>
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <system_error>
#include <memory>

#include "actors/event_bus.hpp"

namespace ka::act {

namespace {

using event_bus_key = caf::atom_constant<caf::atom("eventbus")>;

struct bus_state {
  std::vector<std::weak_ptr<event_sink>> sinks;
  std::uint64_t published = 0, watchers_total = 0;
  static constexpr const char* name = "event_bus";
};

// `watchers`: the sinks' room reserved up front (the admin socket's client limit). It is
// also why this behaviour takes an argument at all: CAF 0.17 spawns a function actor with
// no argument through a null shared_ptr<std::tuple<>> that it dereferences
// (caf/detail/init_fun_factory.hpp; UBSan: "reference binding to null pointer").
event_bus_actor::behavior_type bus_behavior(event_bus_actor::stateful_pointer<bus_state> self,
                                            std::size_t watchers) {
  self->state.sinks.reserve(watchers);
  return {
    [=](event_atom, const proto::admin_event& ev) {
      auto& st = self->state;
      ++st.published;
      if (st.sinks.empty())
        return;
      std::string line = proto::admin_line(proto::event_json(ev));
      std::size_t live = 0;
      for (auto& w : st.sinks)
        if (auto s = w.lock()) {
          s->push(line);
          st.sinks[live++] = w;
        }
      st.sinks.resize(live);
    },
    [=](watch_atom, const event_sink_ptr& sink) {
      self->state.sinks.push_back(sink);
      ++self->state.watchers_total;
    },
    [=](status_atom) {
      auto& st = self->state;
      json v;
      std::size_t live = 0;
      std::uint64_t lost = 0;
      for (auto& w : st.sinks)
        if (auto s = w.lock()) {
          ++live;
          lost += s->lost_total();
        }
      v["published"] = st.published;
      v["watchers"] = live;
      v["watchers_total"] = st.watchers_total;
      v["lost_by_current_watchers"] = lost;
      return v;
    },
  };
}

} // namespace

event_wake::event_wake() : fd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (fd < 0)
    throw std::system_error(errno, std::generic_category(), "eventfd");
}
event_wake::~event_wake() { ::close(fd); }

void event_sink::push(std::string line) {
  std::lock_guard<std::mutex> guard(mutex_);
  queue_.push(std::move(line));  // full: dropped and counted
  if (armed_) {
    armed_ = false;
    std::uint64_t one = 1;
    (void)!::write(wake_->fd, &one, sizeof one);
  }
}

std::vector<std::string> event_sink::take() {
  std::lock_guard<std::mutex> guard(mutex_);
  armed_ = true;
  return queue_.take([](std::uint64_t n) { return proto::admin_line(proto::lost_json(event_clock(), n)); });
}

std::uint64_t event_sink::lost_total() {
  std::lock_guard<std::mutex> guard(mutex_);
  return queue_.lost_total();
}

event_bus_actor spawn_event_bus(caf::actor_system& sys) {
  auto bus = sys.spawn(bus_behavior, std::size_t{32});
  sys.registry().put(event_bus_key::value, bus);
  return bus;
}

void stop_event_bus(caf::actor_system& sys) {
  if (auto bus = event_bus(sys)) {
    sys.registry().erase(event_bus_key::value);
    caf::anon_send_exit(bus, caf::exit_reason::user_shutdown);
  }
}

event_bus_actor event_bus(caf::actor_system& sys) {
  return sys.registry().get<event_bus_actor>(event_bus_key::value);
}

double event_clock() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

void publish_event(caf::actor_system& sys, proto::admin_event ev) {
  auto bus = event_bus(sys);
  if (!bus)
    return;
  if (ev.ts == 0)
    ev.ts = event_clock();
  caf::anon_send(bus, event_atom::value, std::move(ev));
}

} // namespace ka::act
