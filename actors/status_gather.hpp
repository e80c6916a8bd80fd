// The daemon's status, asked of every actor at once with a deadline: what the admin
// socket answers to `status` (actors/admin_server.cpp) and what the metrics listener
// turns into Prometheus series (actors/metrics_server.cpp) and what keepalived's dump
// files are rendered from (actors/dump_files.cpp): one gathering for all three. Called from those threads,
// never from an actor: it blocks until every answer is in or the deadline has passed.
#pragma once
#include <chrono>

#include "actors/spawn.hpp"

namespace ka::act {

// `started`: when the caller's server started, for the daemon's uptime_s. A part that
// does not answer within `deadline` is {"ok": false, "error": "no answer: ..."}.
json gather_status(caf::actor_system& sys, const admin_targets& targets,
                   std::chrono::steady_clock::time_point started,
                   std::chrono::steady_clock::duration deadline);

} // namespace ka::act
