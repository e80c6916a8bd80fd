#include "actors/load_balancer.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/checker_config.hpp"
#include "actors/checkers.hpp"
#include "actors/pool_config.hpp"
#include "actors/probe_module.hpp"
#include "actors/spawn.hpp"
#include "actors/supervised_spawns.hpp"  // supervision
#include "actors/vs_address_watch.hpp"
#include "kernel/log.hpp"
#include "kernel/probe.hpp"
#include "parser/reload_plan.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace ka::act {

load_balancer::load_balancer(caf::actor_system& sys, const config::config& cfg, ipvs_writer writer,
                             script_actor scripts, unsigned probe_threads, std::vector<notify_fifo_actor> fifos)
  : writer_(std::move(writer)), scripts_(std::move(scripts)), probe_threads_(probe_threads),
    fifos_(std::move(fifos)) {
  if (cfg.virtual_servers.empty())
    return;
  std::size_t n_checkers = 0;
  for (const auto& vs : cfg.virtual_servers)
    pools_.push_back(start_pool(sys, cfg, vs, n_checkers));
  watch_suspends();
  log::info("load balancing: %zu virtual server(s), %zu checker(s) on %u probe thread(s)", pools_.size(),
            n_checkers, engine_ ? engine_->threads() : 0u);
}

load_balancer::pool_entry load_balancer::start_pool(caf::actor_system& sys, const config::config& cfg,
                                                    const config::virtual_server& vs, std::size_t& n_checkers) {
  // The probes are loaded only by a config that has checkers (actors/probe_module.hpp):
  // the first such virtual_server, at start or by a reload.
  bool any_checker = false;
  for (const auto& rs : vs.real_servers)
    any_checker = any_checker || (!rs.sorry && !rs.checkers.empty());
  if (any_checker && !probes_) {
    std::string no_probes;
    if ((probes_ = load_probe_module(no_probes))) {
      if (!engine_)
        engine_ = probes_->make_engine(probe_threads_);
    } else if (!no_probes_said_) {
      no_probes_said_ = true;
      log::error("load balancing: %s: no real server is checked", no_probes.c_str());
    }
  }
  pool_definition def = pool_of(cfg, vs);
  // ha_suspend: the address watcher (watch_suspends) tells the pool when its address is here.
  std::vector<proto::ip_address> suspend_addrs;
  if (def.ha_suspend)
    for (const auto& svc : def.services)
      if (svc.key.fwmark == 0)
        suspend_addrs.push_back(svc.key.addr);
  for (const auto& w : def.warnings)
    log::warning("virtual_server %s: %s", def.name.c_str(), w.c_str());
  pool_entry e;
  e.name = def.name;
  e.pool = spawn_supervised_pool(sys, std::move(def), writer_, scripts_, fifos_);
  suspend_addrs_[e.name] = std::move(suspend_addrs);
  for (std::uint32_t i = 0; i < vs.real_servers.size(); ++i) {
    const auto& rs = vs.real_servers[i];
    if (rs.sorry)
      continue;  // the sorry server is not checked (keepalived neither)
    for (std::uint32_t j = 0; j < rs.checkers.size(); ++j) {
      checker_place place{e.pool, i, j, vs_name(vs), rs_name(rs)};
      spawned_checker sp;
      if (probes_ && engine_)
        sp = spawn_supervised_checker(sys, *engine_, probes_->plan(cfg, vs, rs, rs.checkers[j]), std::move(place));
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
  return e;
}

// ha_suspend: one address watcher for every pool that has the word; made again after a
// reload that started or stopped pools (it tells each pool at once whether its address
// is here, so a pool kept across the reload hears the same again).
void load_balancer::watch_suspends() {
  if (suspend_watch_) {
    suspend_watch_->stop();
    suspend_watch_.reset();
  }
  std::vector<suspend_target> targets;
  for (const auto& p : pools_)
    if (auto a = suspend_addrs_.find(p.name); a != suspend_addrs_.end() && !a->second.empty())
      targets.push_back({p.pool, a->second});
  if (targets.empty())
    return;
  try {
    suspend_watch_ = std::make_unique<vs_address_watch>(std::move(targets));
  } catch (const std::exception& e) {
    log::error("ha_suspend: %s: those virtual servers' checks stay suspended", e.what());
  }
}

void load_balancer::stop_pool(caf::actor_system& sys, const pool_entry& p, bool keep,
                              std::chrono::milliseconds budget) {
  for (const auto& c : p.checkers)
    caf::anon_send_exit(c, caf::exit_reason::user_shutdown);
  caf::scoped_actor self{sys};
  self->request(p.pool, budget, shutdown_atom::value, keep)
    .receive([&](bool ok) {
               if (!ok) log::error("reload: virtual_server %s: some entries not removed", p.name.c_str());
             },
             [&](caf::error& e) { log::error("reload: virtual_server %s: %s", p.name.c_str(), to_string(e).c_str()); });
  caf::anon_send_exit(p.pool, caf::exit_reason::user_shutdown);
}

void load_balancer::reload(caf::actor_system& sys, const config::config& before, const config::config& after,
                           const std::vector<config::reload_item>& plan, std::chrono::milliseconds budget,
                           std::vector<notify_fifo_actor> fifos) {
  using A = config::reload_action;
  fifos_ = std::move(fifos);
  std::map<std::string, pool_entry> running;
  for (auto& p : pools_)
    running.emplace(p.name, std::move(p));
  pools_.clear();
  auto keys = [](const pool_definition& d) {
    std::set<proto::ipvs_service_key> out;
    for (const auto& s : d.services)
      out.insert(s.key);
    return out;
  };
  std::size_t n_checkers = 0;
  for (const auto& it : plan) {
    auto r = running.find(it.name);
    if (it.action == A::remove || it.action == A::update || it.action == A::restart) {
      if (r != running.end()) {
        bool keep = false;
        if (it.action != A::remove) {
          auto old_keys = keys(pool_of(before, before.virtual_servers[*it.before]));
          auto new_keys = keys(pool_of(after, after.virtual_servers[*it.after]));
          keep = std::includes(new_keys.begin(), new_keys.end(), old_keys.begin(), old_keys.end());
          if (!keep)
            log::notice("reload: virtual_server %s: services changed; removed and programmed again",
                        it.name.c_str());
        }
        stop_pool(sys, r->second, keep, budget);
        running.erase(r);
      }
    }
  }
  // In the new config's order: kept entries move over, the others start.
  for (const auto& it : plan) {
    if (!it.after)
      continue;
    auto r = running.find(it.name);
    if (it.action == A::keep && r != running.end()) {
      pools_.push_back(std::move(r->second));
      running.erase(r);
    } else {
      pools_.push_back(start_pool(sys, after, after.virtual_servers[*it.after], n_checkers));
    }
  }
  for (auto& [name, p] : running)  // none: every old pool is in the plan
    stop_pool(sys, p, false, budget);
  bool pools_changed = std::any_of(plan.begin(), plan.end(), [](const auto& it) { return it.action != A::keep; });
  if (pools_changed) {
    for (auto a = suspend_addrs_.begin(); a != suspend_addrs_.end();)
      a = std::any_of(pools_.begin(), pools_.end(), [&](const auto& p) { return p.name == a->first; })
            ? std::next(a) : suspend_addrs_.erase(a);
    watch_suspends();
  }
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
