#include "actors/running_set.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "actors/address_vmacs.hpp"  // use_vmac on addresses
#include "actors/instance_tracking.hpp"
#include "actors/metrics_server.hpp"
#include "actors/pool_config.hpp"
#include "actors/supervised_spawns.hpp"  // supervision: every instance under a supervisor
#include "kernel/log.hpp"
#include "parser/dump.hpp"
#include "parser/load.hpp"
#include "parser/report.hpp"
#include "protocol/vmac.hpp"

namespace ka::act {

using namespace std::chrono;

running_set::running_set(caf::actor_system& sys, where_from from, std::shared_ptr<const config::config> cfg,
                         script_identities ids, kernel_actor kernel, advert_actor advert, script_actor scripts)
  : sys_(sys), from_(std::move(from)), cfg_(std::move(cfg)), ids_(std::move(ids)), kernel_(kernel),
    advert_(advert), scripts_(scripts) {}

running_set::~running_set() = default;

std::shared_ptr<const config::config> running_set::config() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cfg_;
}

// What the link watcher routes to each instance: its interface's events and its
// addresses', its vmacs' and its tracked interfaces'.
std::vector<watch_target> running_set::watch_targets() const {
  std::vector<watch_target> targets;
  const auto& cfg = *cfg_;
  for (std::size_t i = 0; i < instances_.size(); ++i) {
    const auto& ic = cfg.instances[i];
    targets.push_back({instances_[i], ic.interface, {}});
    for (const auto& v : ic.vips)
      targets.back().vips.push_back(v.addr);
    for (const auto& v : ic.vips_excluded)  // routes-vmac: held alike
      targets.back().vips.push_back(v.addr);
    // use_vmac: the vmac's link events, and its virtual addresses' (they live there)
    if (ic.use_vmac) {
      auto vips = targets.back().vips;
      targets.push_back({instances_[i], proto::vmac_name(*ic.use_vmac, cfg.global.vrrp.vmac_prefix,
                                                         static_cast<unsigned>(ic.vrid)), vips});
    }
    // use_vmac on addresses, use_vmac_addr: each address vmac's link events, and the
    // addresses' (some live there); the last target is the instance's interface or its
    // vmac: the same addresses. A base interface's link events too: one missing at start
    // may appear later.
    for (const auto& v : address_vmacs_of(cfg, ic).vmacs) {
      auto vips = targets.back().vips;
      targets.push_back({instances_[i], v.name, vips});
      if (v.base != ic.interface)
        targets.push_back({instances_[i], v.base, {}});
    }
    // tracking: the link events of tracked interfaces go to the instance too (its own and
    // its sync group's)
    for (const auto& t : tracked_entries(cfg, ic).entries)
      if (t.kind == proto::track_kind::interface && t.name != ic.interface)
        targets.push_back({instances_[i], t.name, {}});
  }
  return targets;
}

// ---- sync groups and notify FIFOs ----
// A writer per configured VRRP notify FIFO (notify_fifo gets every line; vrrp_notify_fifo
// the VRRP ones, which are all we write).
void running_set::start_fifos() {
  const auto& cfg = *cfg_;
  for (const auto* f : {&cfg.global.fifo.notify, &cfg.global.fifo.vrrp})
    if (f->fifo) {
      auto as = f == &cfg.global.fifo.notify ? ids_.notify_fifo_script : ids_.vrrp_notify_fifo_script;
      fifos_.push_back(spawn_notify_fifo_actor(sys_, *f->fifo, f->script, as));
    }
  if (auto mailer = spawn_smtp_alert_actor(sys_, cfg_))  // SMTP alerts: one more outlet
    fifos_.push_back(*mailer);
}

// An actor per vrrp_sync_group in `which` (by index), telling each member its group.
// Before the members' init: their first transition already goes to it.
void running_set::start_groups(const std::vector<bool>& which) {
  const auto& cfg = *cfg_;
  groups_.resize(cfg.sync_groups.size());
  for (std::size_t g = 0; g < cfg.sync_groups.size(); ++g) {
    if (!which[g])
      continue;
    std::vector<std::string> names;
    std::vector<instance_actor> members;
    for (const auto& m : cfg.sync_groups[g].group)
      for (std::size_t i = 0; i < cfg.instances.size(); ++i)
        if (cfg.instances[i].name == m.name) {  // an undefined member was warned about and dropped
          names.push_back(m.name);
          members.push_back(instances_[i]);
        }
    groups_[g] = sync_group_actor{};
    if (members.empty())
      continue;
    auto group = spawn_sync_group_actor(sys_, cfg_, g, names, members, scripts_, fifos_);
    for (std::uint32_t k = 0; k < members.size(); ++k)
      caf::anon_send(members[k], sync_atom::value, group, k);
    groups_[g] = group;
  }
}

// Starts instances `which` (indexes in cfg_): one link lookup per interface, not per
// instance (each lookup dumps every address of the host; 1,000 in a row staggered the
// start by half a second), then every one with the same time basis, so that master-down
// timers do not depend on the order in which 1,000 instances got their start message.
void running_set::start_instances(const std::vector<std::size_t>& which, proto::time_point basis) {
  std::map<std::string, link_lookup> links;
  caf::scoped_actor self{sys_};
  for (auto i : which) {
    const auto& ic = cfg_->instances[i];
    if (links.count(ic.interface))
      continue;
    self->request(kernel_, seconds(5), lookup_atom::value, ic.interface)
      .receive([&](const link_lookup& l) { links[ic.interface] = l; },
               [&](caf::error& e) {
                 log::error("link lookup of %s: %s", ic.interface.c_str(), to_string(e).c_str());
                 links[ic.interface] = link_lookup{};
               });
  }
  if (basis == proto::time_point{})
    basis = proto::clock::now();
  for (auto i : which)
    caf::anon_send(instances_[i], init_atom::value, links[cfg_->instances[i].interface], basis);
}

void running_set::start() {
  std::lock_guard<std::mutex> lock(mu_);
  for (std::size_t i = 0; i < cfg_->instances.size(); ++i) {
    ids_of_.push_back(next_id_);
    instances_.push_back(spawn_supervised_instance(sys_, cfg_, i, next_id_++, kernel_, advert_, scripts_));
  }
  try {
    watcher_ = std::make_unique<link_watcher>(watch_targets());
  } catch (const std::exception& e) {
    log::error("link watcher: %s: interface and address changes will go unnoticed", e.what());
  }
  // tracking: one actor per tracked script, file and process, shared by its instances.
  try {
    trackers_ = std::make_unique<trackers>(sys_, *cfg_, instances_, ids_.scripts);
  } catch (const std::exception& e) {
    log::error("tracking: %s: tracked scripts, files and processes are not watched", e.what());
  }
  start_fifos();
  for (const auto& i : instances_)
    caf::anon_send(i, fifo_atom::value, fifos_);
  start_groups(std::vector<bool>(cfg_->sync_groups.size(), true));
  // load balancing: global_defs' IPVS settings first (lvs_flush before any pool reads the
  // table: actors/lvs_globals.hpp), then pools and checkers (actors/load_balancer.hpp); the
  // kernel actor is their IPVS writer.
  lvs_ = std::make_unique<lvs_globals>(sys_, *cfg_, kernel_, fifos_, ids_);
  lvs_->follow(*cfg_, instances_, fifos_);
  lb_ = std::make_unique<load_balancer>(sys_, *cfg_, ipvs_writer{kernel_}, scripts_, 1, lvs_->pool_fifos());
  std::vector<std::size_t> all(instances_.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  start_instances(all, {});
}

admin_targets running_set::targets(json daemon_info) {
  std::vector<sync_group_actor> groups;  // those with members (dump files, status)
  for (const auto& g : groups_)
    if (g) groups.push_back(g);
  admin_targets t{instances_, advert_, scripts_, kernel_, std::move(daemon_info), cfg_,
                  config::not_in_effect(*cfg_), lb_ ? lb_->pools() : std::vector<load_balancer::pool_entry>{},
                  fifos_, std::move(groups), {}};
  t.reload = [this] { return to_json(reload("admin socket")); };
  return t;
}

void running_set::set_admin(admin_server* admin, json daemon_info) {
  std::lock_guard<std::mutex> lock(mu_);
  admin_ = admin;
  daemon_info_ = std::move(daemon_info);
}

void running_set::set_metrics(metrics_server* metrics) {
  std::lock_guard<std::mutex> lock(mu_);
  metrics_ = metrics;
}

// Where the pools write their lines: notify_fifo's writer (replaced when its words change
// on a reload) and lvs_notify_fifo's (kept from start-up).
std::vector<notify_fifo_actor> running_set::pool_fifos() const {
  std::vector<notify_fifo_actor> out;
  if (cfg_->global.fifo.notify.fifo && !fifos_.empty())
    out.push_back(fifos_.front());
  if (lvs_)
    if (auto f = lvs_->lvs_fifo())
      out.push_back(f);
  return out;
}

json running_set::to_json(const outcome& o) {
  json j;
  j["ok"] = o.ok;
  if (!o.ok) {
    j["error"] = o.errors.empty() ? std::string("reload failed") : o.errors.front();
    j["errors"] = o.errors;
    return j;
  }
  j["kept"] = o.counts.kept;
  j["updated"] = o.counts.updated;
  j["restarted"] = o.counts.restarted;
  j["removed"] = o.counts.removed;
  j["added"] = o.counts.added;
  j["restarts"] = o.restarted;
  j["not_reloaded"] = o.not_reloaded;
  j["ms"] = o.ms;
  return j;
}

running_set::outcome running_set::reload(const std::string& why) {
  std::lock_guard<std::mutex> lock(mu_);
  outcome out;
  out.why = why;
  if (stopped_) {
    out.errors.push_back("the daemon is stopping");
    return out;
  }
  // ---- reload begins: the one place where a reload starts (systemd RELOADING=1) ----
  if (on_reload_begin)
    on_reload_begin();
  auto t0 = steady_clock::now();
  log::notice("Reloading the configuration from %s", from_.config_file.c_str());
  std::optional<config::config> next;
  double load_ms = 0, plan_ms = 0;
  auto since = [](steady_clock::time_point t) { return duration<double, std::milli>(steady_clock::now() - t).count(); };
  try {
    next = config::load_file(from_.config_file, from_.config_id);
    load_ms = since(t0);
  } catch (const config::config_error& e) {
    for (const auto& line : config::in_file_order(e.diagnostics(), e.all(), e.files()))
      if (line.kind == "error") {
        out.errors.push_back(line.to_string());
        log::error("reload: %s", line.to_string().c_str());
      }
    if (out.errors.empty())
      out.errors.push_back(e.what());
    log::error("reload: %s: configuration invalid (%zu error(s)); the running configuration is kept",
               from_.config_file.c_str(), out.errors.size());
  }
  if (next) {
    for (const auto& line : config::in_file_order(next->diagnostics, {}, next->files))
      if (line.kind != config::kind_text(config::diagnostic::kind::not_acted_on))
        log::warning("reload: %s", line.to_string().c_str());
    // Whom scripts run as; refused ones leave the config here (actors/script_users.hpp).
    auto ids = settle_script_users(*next);
    settle_lvs_hooks(*next, ids);
    auto t1 = steady_clock::now();
    auto plan = config::plan_reload(*cfg_, *next, [](const config::virtual_server& v) { return pool_name(v); });
    plan_ms = since(t1);
    apply(plan, std::make_shared<const config::config>(std::move(*next)), std::move(ids), out);
    out.ok = true;
    ++generation_;
  }
  out.generation = generation_;
  out.running = cfg_;
  out.ms = duration<double, std::milli>(steady_clock::now() - t0).count();
  if (out.ok)
    log::notice("Reload done in %.1f ms: %d kept, %d updated (%d restarted), %d removed, %d added "
                "(load %.1f ms, plan %.1f ms, apply %.1f ms)", out.ms, out.counts.kept, out.counts.updated,
                out.counts.restarted, out.counts.removed, out.counts.added, load_ms, plan_ms,
                out.ms - load_ms - plan_ms);
  // ---- reload ends: the one place where a reload ends (systemd READY=1) ----
  if (on_reload_end)
    on_reload_end(out);
  return out;
}

void running_set::apply(const config::reload_plan& plan, std::shared_ptr<const config::config> next,
                        script_identities ids, outcome& out) {
  using A = config::reload_action;
  out.counts = plan.count();
  out.not_reloaded = plan.not_reloaded;
  for (const auto& s : plan.not_reloaded)
    log::warning("reload: %s changed: it is read once at start-up; the daemon keeps the old value until it "
                 "restarts", s.c_str());
  auto restarted = [&](const char* kind, const config::reload_item& it) {
    std::string line = std::string(kind) + " " + it.name + ": " + it.why;
    log::notice("reload: %s restarted (%s)", (std::string(kind) + " " + it.name).c_str(), it.why.c_str());
    out.restarted.push_back(std::move(line));
  };
  // Whom hooks run as: before any instance can queue one under the new config.
  caf::anon_send(scripts_, reload_atom::value, ids.hooks);

  // ---- instances leaving (removed, restarted): as at shutdown, all at once: priority 0
  // on the wire, addresses released, notify_stop / notify ... STOP run.
  caf::scoped_actor self{sys_};
  std::vector<std::size_t> leaving;
  for (const auto& it : plan.instances)
    if (it.action == A::remove || it.action == A::restart) {
      leaving.push_back(*it.before);
      if (it.action == A::restart)
        restarted("vrrp_instance", it);
      else
        log::notice("reload: vrrp_instance %s removed", it.name.c_str());
    }
  {
    std::vector<std::pair<std::size_t, decltype(self->request(instances_[0], seconds(2), shutdown_atom::value))>> stops;
    for (auto i : leaving)
      stops.emplace_back(i, self->request(instances_[i], seconds(2), shutdown_atom::value));
    for (auto& [i, p] : stops)
      p.receive([](bool) {}, [&, i = i](caf::error& e) {
        log::error("reload: vrrp_instance %s did not stop: %s", cfg_->instances[i].name.c_str(), to_string(e).c_str());
      });
  }
  for (auto i : leaving) {
    caf::anon_send(advert_, del_atom::value, ids_of_[i]);
    caf::anon_send_exit(instances_[i], caf::exit_reason::user_shutdown);
  }
  // ---- sync groups leaving (removed, restarted): their STOP hooks after the members'
  std::map<std::string, sync_group_actor> groups_by_name;
  for (std::size_t g = 0; g < groups_.size(); ++g)
    groups_by_name[cfg_->sync_groups[g].name] = groups_[g];
  std::vector<bool> start_group(next->sync_groups.size(), false);
  for (const auto& it : plan.sync_groups) {
    if (it.action == A::keep)
      continue;
    if (it.after)
      start_group[*it.after] = true;
    if (it.action == A::restart)
      restarted("vrrp_sync_group", it);
    if (auto g = groups_by_name.find(it.name); it.before && g != groups_by_name.end() && g->second) {
      self->request(g->second, seconds(1), drain_atom::value).receive([](bool) {}, [](caf::error&) {});
      caf::anon_send_exit(g->second, caf::exit_reason::user_shutdown);
    }
  }
  for (const auto& it : plan.trackers)
    if (it.action == A::restart)
      restarted("tracker", it);
  for (const auto& it : plan.virtual_servers)
    if (it.action == A::update)
      log::notice("reload: virtual_server %s updated (%zu keyword(s) changed)", it.name.c_str(), it.changed.size());

  // ---- the new lists, in the new config's order ----
  auto old_cfg = cfg_;
  std::vector<instance_actor> instances(next->instances.size());
  std::vector<std::uint32_t> ids_of(next->instances.size());
  std::vector<std::size_t> fresh;
  std::vector<std::pair<std::size_t, std::size_t>> updated;  // (old, new)
  for (const auto& it : plan.instances) {
    if (!it.after)
      continue;
    auto j = *it.after;
    if (it.action == A::keep || it.action == A::update) {
      instances[j] = instances_[*it.before];
      ids_of[j] = ids_of_[*it.before];
      updated.emplace_back(*it.before, j);
    } else {
      ids_of[j] = next_id_;
      instances[j] = spawn_supervised_instance(sys_, next, j, next_id_++, kernel_, advert_, scripts_);
      fresh.push_back(j);
    }
  }
  // Every running instance moves to the new config (its index there); those with changes
  // apply them in place (priority, addresses, hooks) and answer when done.
  for (const auto& it : plan.instances)
    if (it.action == A::update)
      log::notice("reload: vrrp_instance %s updated in place (%zu keyword(s) changed)", it.name.c_str(),
                  it.changed.size());
  // Unchanged ones only swap the pointer (the old config is freed with the last of them):
  // told without waiting. Changed ones are asked all at once, then awaited.
  std::set<std::size_t> changed;
  for (const auto& it : plan.instances)
    if (it.action == A::update)
      changed.insert(*it.after);
  std::vector<std::pair<std::size_t, decltype(self->request(instances[0], seconds(2), reload_atom::value,
                                                             instance_reload{}))>> pending;
  for (const auto& [before, after] : updated) {
    (void)before;
    if (changed.count(after))
      pending.emplace_back(after, self->request(instances[after], seconds(2), reload_atom::value,
                                                instance_reload{next, after}));
  }
  for (auto& [after, p] : pending)
    p.receive([](bool) {}, [&, after = after](caf::error& e) {
      log::error("reload: vrrp_instance %s: %s", next->instances[after].name.c_str(), to_string(e).c_str());
    });
  // After the changed ones: 1,000 messages queued first would delay their answers.
  for (const auto& [before, after] : updated) {
    (void)before;
    if (!changed.count(after))
      caf::anon_send(instances[after], reload_atom::value, instance_reload{next, after});
  }
  std::vector<sync_group_actor> groups(next->sync_groups.size());
  for (const auto& it : plan.sync_groups)
    if (it.action == A::keep && it.after)
      groups[*it.after] = groups_by_name[it.name];

  cfg_ = next;
  ids_ = std::move(ids);
  instances_ = std::move(instances);
  ids_of_ = std::move(ids_of);
  groups_ = std::move(groups);

  // ---- notify FIFOs: replaced when their words changed (groups restart with them) ----
  if (plan.fifos_changed) {
    log::notice("reload: notify FIFOs changed: their writers are replaced");
    for (const auto& f : fifos_)
      caf::anon_send_exit(f, caf::exit_reason::user_shutdown);
    fifos_.clear();
    start_fifos();
    for (const auto& i : instances_)
      caf::anon_send(i, fifo_atom::value, fifos_);
  } else {
    for (auto j : fresh)
      caf::anon_send(instances_[j], fifo_atom::value, fifos_);
  }
  // lvs_sync_daemon inst NAME: its instance (maybe a new actor, maybe new FIFO writers)
  // hears the sync daemon's listener again, before a new one's init.
  if (lvs_)
    lvs_->follow(*cfg_, instances_, fifos_);
  start_groups(start_group);
  if (trackers_)
    trackers_->reload(sys_, *cfg_, instances_, ids_.scripts, plan.trackers);
  if (lb_)
    lb_->reload(sys_, *old_cfg, *cfg_, plan.virtual_servers, seconds(5), pool_fifos());
  start_instances(fresh, {});
  // The link watcher routes by interface and address: only instance changes move them.
  bool instances_changed = std::any_of(plan.instances.begin(), plan.instances.end(), [](const auto& it) {
    return it.action != config::reload_action::keep;
  });
  if (watcher_ && instances_changed)
    watcher_->set_targets(watch_targets());
  if (admin_ || metrics_) {
    auto t = targets(daemon_info_);
    if (metrics_)
      metrics_->set_targets(t);
    if (admin_)
      admin_->set_targets(std::move(t));
  }
}

void running_set::shut_down(bool keep_ipvs) {
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
  if (trackers_)  // tracking: no more results, and no script left running
    trackers_->stop();
  // Shutdown budget: the VRRP part must end within a second of the signal.
  auto deadline = steady_clock::now() + milliseconds(900);
  auto left = [&] { return std::max(milliseconds(1), duration_cast<milliseconds>(deadline - steady_clock::now())); };
  caf::scoped_actor self{sys_};
  // One after another: each takes a few milliseconds (one advert, one netlink delete).
  for (const auto& i : instances_)
    self->request(i, left(), shutdown_atom::value).receive([](bool) {}, [](caf::error& e) {
      log::error("shutdown: an instance did not finish: %s", to_string(e).c_str());
    });
  // The groups' STOP hooks, queued after their members' reports, before the scripts drain.
  for (const auto& g : groups_)
    if (g)
      self->request(g, left(), drain_atom::value).receive([](bool) {}, [](caf::error&) {});
  self->request(scripts_, left(), drain_atom::value).receive([](bool) {}, [](caf::error&) {
    log::warning("shutdown: notify hooks still running; not waiting for them");
  });
  // load balancing: checkers stop, pools remove their services (unless -I); 1,000
  // services take a few hundred ms of netlink writes.
  if (lb_)
    lb_->shut_down(sys_, keep_ipvs || (lvs_ && lvs_->flushes_on_stop()), seconds(5));
  if (lvs_)
    lvs_->stop(sys_, keep_ipvs);  // lvs_flush_on_stop, sync daemons, timeouts
}

void running_set::exit_all() {
  std::lock_guard<std::mutex> lock(mu_);
  watcher_.reset();
  for (const auto& i : instances_)
    caf::anon_send_exit(i, caf::exit_reason::user_shutdown);
  for (const auto& g : groups_)
    if (g)
      caf::anon_send_exit(g, caf::exit_reason::user_shutdown);
  for (const auto& f : fifos_)  // stops the FIFO scripts
    caf::anon_send_exit(f, caf::exit_reason::user_shutdown);
}

} // namespace ka::act
