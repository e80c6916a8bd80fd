#include "actors/load_balancer.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/checker_config.hpp"
#include "actors/checkers.hpp"
#include "actors/pool_config.hpp"
#include "actors/probe_module.hpp"
#include "actors/spawn.hpp"
#include "actors/vs_address_watch.hpp"
#include "kernel/log.hpp"
#include "kernel/probe.hpp"

namespace ka::act {

load_balancer::load_balancer(caf::actor_system& sys, const config::config& cfg, ipvs_writer writer,
                             script_actor scripts, unsigned probe_threads, std::vector<notify_fifo_actor> fifos) {
  if (cfg.virtual_servers.empty())
    return;
  // The probes are loaded only by a config that has checkers (actors/probe_module.hpp).
  bool any_checker = false;
  for (const auto& vs : cfg.virtual_servers)
    for (const auto& rs : vs.real_servers)
      any_checker = any_checker || (!rs.sorry && !rs.checkers.empty());
  const probe_module_api* probes = nullptr;
  std::string no_probes;
  if (any_checker && (probes = load_probe_module(no_probes)))
    engine_ = probes->make_engine(probe_threads);
  else if (any_checker)
    log::error("load balancing: %s: no real server is checked", no_probes.c_str());
  std::size_t n_checkers = 0;
  std::vector<suspend_target> suspend_targets;
  for (const auto& vs : cfg.virtual_servers) {
    pool_definition def = pool_of(cfg, vs);
    // ha_suspend: the address watcher below tells the pool when its address is here.
    suspend_target target;
    if (def.ha_suspend)
      for (const auto& svc : def.services)
        if (svc.key.fwmark == 0) target.addrs.push_back(svc.key.addr);
    for (const auto& w : def.warnings)
      log::warning("virtual_server %s: %s", def.name.c_str(), w.c_str());
    pool_entry e;
    e.name = def.name;
    e.pool = spawn_pool_actor(sys, std::move(def), writer, scripts, fifos);
    if (!target.addrs.empty()) {
      target.pool = e.pool;
      suspend_targets.push_back(std::move(target));
    }
    for (std::uint32_t i = 0; i < vs.real_servers.size(); ++i) {
      const auto& rs = vs.real_servers[i];
      if (rs.sorry)
        continue;  // the sorry server is not checked (keepalived neither)
      for (std::uint32_t j = 0; j < rs.checkers.size(); ++j) {
        checker_place place{e.pool, i, j, vs_name(vs), rs_name(rs)};
        spawned_checker sp;
        if (probes)
          sp = spawn_checker_actor(sys, *engine_, probes->plan(cfg, vs, rs, rs.checkers[j]), std::move(place));
        else
          sp.error = "no probe module";
        if (sp.actor) {
          e.checkers.push_back(sp.actor);
          ++n_checkers;
        } else {
          // A checker that cannot check must not pass for one that does: said once, and
          // the pool keeps the server as the checker's alpha says (never reported to).
          std::string why = rs_name(rs) + ": " + sp.error;
          log::error("virtual_server %s: real_server %s; not checked", e.name.c_str(), why.c_str());
          e.checker_errors.push_back(why);
        }
      }
    }
    pools_.push_back(std::move(e));
  }
  if (!suspend_targets.empty()) {
    try {
      suspend_watch_ = std::make_unique<vs_address_watch>(std::move(suspend_targets));
    } catch (const std::exception& e) {
      log::error("ha_suspend: %s: those virtual servers' checks stay suspended", e.what());
    }
  }
  log::info("load balancing: %zu virtual server(s), %zu checker(s) on %u probe thread(s)", pools_.size(),
            n_checkers, engine_ ? engine_->threads() : 0u);
}

load_balancer::~load_balancer() = default;

void load_balancer::settle(caf::actor_system& sys, std::chrono::milliseconds budget) {
  caf::scoped_actor self{sys};
  auto deadline = std::chrono::steady_clock::now() + budget;
  for (const auto& p : pools_) {
    auto left = std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                          deadline - std::chrono::steady_clock::now()));
    self->request(p.pool, left, drain_atom::value).receive([](bool) {}, [&](caf::error&) {
      log::warning("virtual_server %s: not programmed within %lld ms of start", p.name.c_str(),
                   static_cast<long long>(budget.count()));
    });
  }
}

void load_balancer::shut_down(caf::actor_system& sys, bool keep, std::chrono::milliseconds budget) {
  if (pools_.empty())
    return;
  suspend_watch_.reset();
  for (const auto& p : pools_)
    for (const auto& c : p.checkers)
      caf::anon_send_exit(c, caf::exit_reason::user_shutdown);
  caf::scoped_actor self{sys};
  auto deadline = std::chrono::steady_clock::now() + budget;
  for (const auto& p : pools_) {
    auto left = std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                          deadline - std::chrono::steady_clock::now()));
    self->request(p.pool, left, shutdown_atom::value, keep)
      .receive([&](bool ok) {
                 if (!ok) log::error("shutdown: virtual_server %s: some entries not removed", p.name.c_str());
               },
               [&](caf::error& e) {
                 log::error("shutdown: virtual_server %s: %s", p.name.c_str(), to_string(e).c_str());
               });
  }
  for (const auto& p : pools_)
    caf::anon_send_exit(p.pool, caf::exit_reason::user_shutdown);
  // Each checker's schedule lives on the engine (actors/checker_actor.cpp) and is stopped
  // when its actor ends: they all end before the engine's threads do.
  {
    caf::scoped_actor waiter{sys};
    for (const auto& p : pools_) waiter->wait_for(p.checkers);
  }
  engine_.reset();
}

} // namespace ka::act
