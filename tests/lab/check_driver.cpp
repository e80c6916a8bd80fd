// Test helper for the checker labs (tests/lab/checks_*.sh), not installed: loads a
// keepalived.conf with the project's parser, spawns a checker actor for every checker of
// every real server (sorry servers have none), and prints one JSON line per check_report
// for SECONDS seconds; then one status line per checker.
//   check_driver CONFIG SECONDS [ENGINE_THREADS]
// Lines: {"event":"report","t":1.234,"vs":..,"rs":..,"checker":0,"kind":..,"up":true,
//         "reason":..,"latency_ms":..}; {"event":"error",...} for a checker that cannot run;
//         {"event":"status",...} at the end.
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <cmath>
#include <thread>

#include "actors/checkers.hpp"
#include "actors/pool_config.hpp"
#include "kernel/log.hpp"
#include "parser/load.hpp"

using namespace ka;

namespace {

std::mutex out_mutex;
const auto started = std::chrono::steady_clock::now();

void print(const ka::json& j) {
  std::lock_guard<std::mutex> lock(out_mutex);
  std::fputs((j.dump() + "\n").c_str(), stdout);
  std::fflush(stdout);
}

double since_start() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

struct sink_state {
  std::shared_ptr<const config::config> cfg;
  std::size_t vs = 0;
};

act::check_sink::behavior_type sink(act::check_sink::stateful_pointer<sink_state> self,
                                    std::shared_ptr<const config::config> cfg, std::size_t vs) {
  self->state.cfg = std::move(cfg);
  self->state.vs = vs;
  return {
    [=](act::check_atom, const act::check_report& r) {
      const auto& v = self->state.cfg->virtual_servers[self->state.vs];
      const auto& rs = v.real_servers[r.server];
      ka::json j;
      j["event"] = "report";
      j["t"] = std::round(since_start() * 1000) / 1000;
      j["vs"] = act::vs_name(v);
      j["rs"] = act::rs_name(rs);
      j["checker"] = r.checker;
      j["kind"] = config::checker_kind_name(rs.checkers[r.checker].kind());
      j["up"] = r.up;
      j["reason"] = r.reason;
      j["latency_ms"] = std::round(static_cast<double>(r.latency_us) / 10) / 100;
      if (r.weight) j["weight"] = *r.weight;
      print(j);
    },
  };
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: check_driver CONFIG SECONDS [ENGINE_THREADS]\n";
    return 2;
  }
  double seconds = std::atof(argv[2]);
  unsigned threads = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 2;
  log::init("check_driver", true, false);
  std::shared_ptr<const config::config> cfg;
  try {
    cfg = std::make_shared<const config::config>(config::load_file(argv[1]));
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  caf::actor_system_config sys_cfg;
  sys_cfg.set("scheduler.max-threads", 2);
  caf::actor_system sys{sys_cfg};
  // Destroyed before the actor system: a probe still pending holds its checker's handle,
  // which must be let go while the system exists (the actors have ended by then).
  kern::probe_engine engine(threads);

  std::vector<act::checker_actor> checkers;
  std::vector<act::check_sink> sinks;
  for (std::size_t v = 0; v < cfg->virtual_servers.size(); ++v) {
    const auto& vs = cfg->virtual_servers[v];
    auto s = sys.spawn(sink, cfg, v);
    sinks.push_back(s);
    for (std::size_t r = 0; r < vs.real_servers.size(); ++r) {
      const auto& rs = vs.real_servers[r];
      for (std::size_t c = 0; c < rs.checkers.size(); ++c) {
        act::checker_place place{s, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(c), act::vs_name(vs),
                                 act::rs_name(rs)};
        auto plan = act::plan_checker(*cfg, vs, rs, rs.checkers[c]);
        auto kind = plan.kind;
        auto got = act::spawn_checker_actor(sys, engine, std::move(plan), place);
        if (!got.error.empty()) {
          print({{"event", "error"}, {"vs", place.vs}, {"rs", place.rs}, {"checker", c}, {"kind", kind},
                 {"error", got.error}});
          continue;
        }
        checkers.push_back(got.actor);
      }
    }
  }
  print({{"event", "start"}, {"checkers", checkers.size()}, {"engine_threads", engine.threads()}});
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  {
    caf::scoped_actor self{sys};
    for (const auto& c : checkers) {
      self->request(c, std::chrono::seconds(5), act::status_atom::value)
          .receive([&](ka::json& j) {
                     j["event"] = "status";
                     print(j);
                   },
                   [&](caf::error& e) { print({{"event", "status_error"}, {"error", sys.render(e)}}); });
    }
    for (const auto& c : checkers) self->send_exit(c, caf::exit_reason::user_shutdown);
    for (const auto& s : sinks) self->send_exit(s, caf::exit_reason::user_shutdown);
  }
  checkers.clear();
  sinks.clear();
  sys.await_all_actors_done();
  return 0;
}
