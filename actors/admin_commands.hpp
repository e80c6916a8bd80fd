// The admin socket's commands beyond status, config and ping: instances, garp, priority,
// stats clear, and what `status` adds about them (README "Admin socket"). Called on the
// admin thread (actors/admin_server.cpp); each asks the actors with a deadline.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "actors/spawn.hpp"

namespace ka::act {

struct admin_commands {
  caf::actor_system& sys;
  const admin_targets& targets;
  std::optional<double> stats_cleared;  // wall clock of the last `stats clear`

  // The answer to `cmd` (the request `line`), or nullopt when it is not one of these.
  std::optional<json> answer(const std::string& cmd, std::string_view line);
  // Adds to a status reply: the live events' bus and when counters were last cleared.
  void add_to_status(json& reply);
  // The command names, for the unknown-command error.
  static const char* names() { return "instances, garp, priority, stats, watch"; }
};

} // namespace ka::act
