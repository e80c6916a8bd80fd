// Health checkers: one actor per checker block (actors/checker_actor.cpp), running its
// probes on the daemon's one probe engine (kernel/probe.hpp) and reporting to its pool.
#pragma once
#include <cstdint>
#include <string>

#include "actors/checker_config.hpp"
#include "actors/messages.hpp"

namespace ka::act {

// Where a checker sits: its pool, and its indices for the check_report.
struct checker_place {
  check_sink sink;
  std::uint32_t server = 0;     // index in the virtual_server's real_servers
  std::uint32_t checker = 0;    // index in that real server's checkers
  std::string vs, rs;           // names, for logs and status
};

struct spawned_checker {
  checker_actor actor;          // null when `error` is set
  std::string error;            // e.g. "checker kind DNS_CHECK not implemented"
};

// `engine` must outlive the actor's probes (the daemon's engine lives as long as it runs).
// A plan with an error spawns nothing and returns the error: the caller says it (a
// checker that cannot check must not look like one that does).
spawned_checker spawn_checker_actor(caf::actor_system& sys, kern::probe_engine& engine, checker_plan plan,
                                    checker_place place);

} // namespace ka::act
