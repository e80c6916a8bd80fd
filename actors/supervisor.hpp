// Supervision: an actor that fails (an exception in one of its handlers ends a CAF 0.17
// actor) is restarted by its supervisor, and every other actor carries on.
//
// Many places hold an actor's handle (the link watcher, the sync group, the trackers, the
// admin socket, the pools' checkers...), so the handle they hold is the SUPERVISOR's: it
// stays the same for the daemon's life and forwards every message to the current child,
// keeping the sender and request id, so the child answers the requester directly. When the
// child dies for any reason but a normal stop, the supervisor spawns a new one from the
// same config slice and replays the "sticky" messages of the old one (the latest of each
// kind: the instance's sync group and FIFOs, its tracked objects' results, a pool's checker
// verdicts), so the new child knows what its peers told the old one.
//
// Restart intensity (protocol/restart_intensity.hpp): past the limit the supervisor gives
// up; a kind with a failed mode (an instance: FAULT, addresses released) is spawned one
// last time in it, else the kind's give-up action runs (a checker reports its server down).
// Every restart is logged, counted in a process-wide registry and shown by `status`.
#pragma once
#include <caf/fwd.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "actors/messages.hpp"
#include "protocol/restart_intensity.hpp"

namespace ka::act {

struct child_start {
  std::uint64_t restarts = 0;  // 0: the first start
  bool failed = false;         // the limit is reached: start in the kind's failed mode
};

struct child_spec {
  std::string kind;            // "vrrp_instance", "vrrp_script", "checker", "pool", ...
  std::string name;            // unique within its kind
  // Spawns the child. With start.failed: the child in its failed mode, or an invalid
  // handle when the kind has none.
  std::function<caf::actor(const child_start&)> spawn;
  // Which of the messages sent to the child are kept for a new one: a key (the latest
  // message of each key is kept, in the order keys first appeared), or nullopt.
  std::function<std::optional<std::string>(const caf::message&)> sticky;
  // When the supervisor gives up and there is no failed-mode child (or it failed too).
  std::function<void()> on_give_up;
};

// The returned handle is the supervisor; actor_cast it to the child's interface.
caf::actor spawn_supervisor(caf::actor_system& sys, child_spec spec, proto::restart_limit limit = {});
template <class Handle>
Handle supervise(caf::actor_system& sys, child_spec spec, proto::restart_limit limit = {}) {
  return caf::actor_cast<Handle>(spawn_supervisor(sys, std::move(spec), limit));
}

// Every supervised actor that has failed at least once: kind, name, restarts, failed
// (given up), the last reason. For `status`.
json supervision_status();
// Restarts of one supervised actor so far (0 when it never failed or is not supervised).
std::uint64_t supervision_restarts(const std::string& kind, const std::string& name);

// ---- fault injection, for tests ----
// Enabled only when the daemon was started with KEEPALIVE_FAULT_INJECTION=1 in its
// environment, and only in a build with the KA_FAULT_INJECTION option (on by default):
// then the admin command {"cmd":"fault","kind":K,"name":N} makes that actor throw on the
// message it sends it.
bool fault_injection_enabled();
// "" when the fault was sent, else why not.
std::string inject_fault(const std::string& kind, const std::string& name);
// The admin command {"cmd":"fault","kind":K,"name":N}: its reply.
json fault_command(const std::string& line);
// Called by every supervised child as it starts: its exceptions are logged with what()
// and end it with unhandled_exception (what its supervisor sees), and with fault
// injection enabled, fault_atom makes it throw.
void supervised_child(caf::scheduled_actor* self);

} // namespace ka::act
