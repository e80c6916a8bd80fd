// A pool actor: one per virtual_server. It owns what its services and real servers should
// look like in the kernel, turns its checkers' reports into that desired state through
// the pool rules (protocol/pool_rules.hpp), and sends only the difference from what it
// last wrote (protocol/ipvs_diff.hpp) to its ipvs_writer, the kernel actor, which
// serialises every netlink write. It never touches the kernel itself, so it can be run
// against a recording writer (tests/unit/test_pool_actor.cpp).
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <functional>
#include <memory>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"
#include "kernel/process.hpp"
#include "protocol/ipvs_diff.hpp"
#include "protocol/pool_rules.hpp"

namespace ka::act {
namespace {

// The last verdict on a real server, for the status.
struct server_record {
  bool has_report = false;
  bool up = false;
  std::uint32_t checker = 0;
  std::string reason;
  std::int64_t latency_us = 0;
  std::uint64_t reports = 0, ups = 0, downs = 0;
};

struct pool_state {
  pool_definition def;
  std::unique_ptr<proto::pool_rules> rules;
  ipvs_writer writer;
  script_actor scripts;
  std::vector<proto::ipvs_service_set> current;  // what the kernel has, as far as we know
  bool started = false;     // reconciled with the writer's dump
  bool stopped = false;
  bool suspended = false;   // ha_suspend and the address is not ours
  int inflight = 0;         // requests to the writer not answered yet
  std::uint64_t sent = 0;   // batches sent: a resync dump older than the last batch is stale
  std::vector<caf::typed_response_promise<bool>> drains;
  std::vector<server_record> records;            // by rules index
  std::uint64_t batches = 0, ops = 0, failed_ops = 0, ignored = 0, suspended_reports = 0;
  std::deque<std::string> recent_errors;
  std::vector<notify_fifo_actor> fifos;          // notify_fifo, lvs_notify_fifo
  // ha_suspend: the last report of each checker while suspended, acted on at resumption
  // (a checker reports only changes: a server that failed meanwhile would stay up).
  std::map<std::pair<std::uint32_t, std::uint32_t>, check_report> held;
  std::uint64_t fifo_lines = 0;
  static constexpr const char* name = "pool";
};

using pool_self = pool_actor::stateful_pointer<pool_state>;

std::vector<proto::ipvs_service_set> wanted(const pool_state& st) {
  std::vector<proto::ipvs_service_set> out;
  auto dests = st.rules->desired();
  for (const auto& s : st.def.services) out.push_back({s, dests});
  return out;
}

// The keys of the services this pool wants: it reads back only those (a whole-table dump
// per pool is quadratic in the number of pools).
ipvs_keys keys_of(const pool_state& st) {
  ipvs_keys keys;
  for (const auto& s : wanted(st)) keys.push_back(s.service.key);
  return keys;
}

void settle(pool_self self) {
  auto& st = self->state;
  if (!st.started || st.inflight > 0) return;
  for (auto& rp : st.drains) rp.deliver(true);
  st.drains.clear();
}

// After a failed write the kernel's table is not what we believe: read it back, so that
// the next change is diffed against the truth. No retry of its own: a write that fails
// for good (a scheduler the kernel lacks) is tried again only on the next change.
void resync(pool_self self) {
  auto& st = self->state;
  ++st.inflight;
  auto at = st.sent;
  self->request(st.writer, caf::infinite, ipvs_atom::value, dump_atom::value, keys_of(st))
    .then(
      [=](const ipvs_table& table) {
        auto& s = self->state;
        --s.inflight;
        if (s.sent == at) s.current = proto::ours_in(wanted(s), table);
        settle(self);
      },
      [=](caf::error& e) {
        --self->state.inflight;
        log::error("pool %s: cannot read the IPVS table back: %s", self->state.def.name.c_str(),
                   to_string(e).c_str());
        settle(self);
      });
}

void note_errors(pool_self self, const ipvs_errors& errors) {
  auto& st = self->state;
  st.failed_ops += errors.size();
  for (const auto& e : errors) {
    log::error("pool %s: %s", st.def.name.c_str(), e.message.c_str());
    st.recent_errors.push_back(e.message);
    if (st.recent_errors.size() > 8) st.recent_errors.pop_front();
  }
}

// Sends one batch; `done` (optional) learns whether every op went through.
void send_ops(pool_self self, ipvs_ops ops, std::function<void(bool)> done = nullptr) {
  auto& st = self->state;
  if (ops.empty()) {
    if (done) done(true);
    return;
  }
  ++st.inflight;
  ++st.sent;
  ++st.batches;
  st.ops += ops.size();
  self->request(st.writer, caf::infinite, ipvs_atom::value, std::move(ops))
    .then(
      [=](const ipvs_errors& errors) {
        --self->state.inflight;
        if (!errors.empty()) {
          note_errors(self, errors);
          if (!self->state.stopped) resync(self);
        }
        if (done) done(errors.empty());
        settle(self);
      },
      [=](caf::error& e) {
        --self->state.inflight;
        log::error("pool %s: IPVS writer: %s", self->state.def.name.c_str(), to_string(e).c_str());
        if (done) done(false);
        settle(self);
      });
}

// Brings the kernel to the desired state (after start-up only: before, the dump decides).
void apply(pool_self self) {
  auto& st = self->state;
  if (!st.started || st.stopped) return;
  auto want = wanted(st);
  auto ops = proto::diff_services(want, st.current);
  st.current = std::move(want);
  send_ops(self, std::move(ops));
}

void run_command(pool_self self, const config::lvs_command& cmd, const std::string& keyword) {
  auto& st = self->state;
  if (cmd.command.empty() || !st.scripts) return;
  notify_job job;
  job.instance = "virtual_server " + st.def.name;  // one queue per pool: its hooks run in order
  job.commands.push_back(kern::split_command(cmd.command));
  job.keys.push_back(pool_hook_key(st.def.name, keyword));
  self->send(st.scripts, notify_atom::value, std::move(job));
}

// notify_fifo / lvs_notify_fifo: "RS [203.0.113.2]:tcp:80 [192.0.2.100]:tcp:80 DOWN",
// "VS [192.0.2.100]:tcp:80 UP" (keepalived 2.2.7's lines, observed in the VM).
void fifo_line(pool_self self, const std::string& line) {
  auto& st = self->state;
  for (const auto& f : st.fifos)
    self->send(f, fifo_atom::value, line);
  if (!st.fifos.empty())
    ++st.fifo_lines;
}

// Logs each event once, with the reason of the report that caused it, and runs its command.
// `at_exit`: omega's events at shutdown, which change nothing in the table.
void handle(pool_self self, const std::vector<proto::pool_event>& events, const std::string& reason,
            bool at_exit = false) {
  auto& st = self->state;
  const char* name = st.def.name.c_str();
  using k = proto::pool_event::kind;
  for (const auto& e : events) {
    switch (e.what) {
      case k::server_up:
      case k::server_down: {
        const auto& srv = st.def.servers.at(e.server);
        bool up = e.what == k::server_up;
        if (at_exit)
          log::info("pool %s: real server %s down at exit (omega)", name, srv.name.c_str());
        else if (!e.transition && up)
          log::info("pool %s: real server %s up at start (rs_init_notifies)", name, srv.name.c_str());
        else if (!e.transition)
          log::info("pool %s: real server %s down at its first check (alpha): %s", name, srv.name.c_str(),
                    reason.c_str());
        else
          log::info("pool %s: real server %s %s: %s", name, srv.name.c_str(), up ? "up" : "down",
                    reason.c_str());
        if (e.transition && !at_exit && e.server < st.records.size()) ++(up ? st.records[e.server].ups : st.records[e.server].downs);
        run_command(self, up ? srv.notify_up : srv.notify_down,
                    "real_server " + srv.name + (up ? " notify_up" : " notify_down"));
        if (!at_exit)  // keepalived wrote no line at its exit
          fifo_line(self, "RS " + srv.fifo_name + " " + st.def.fifo_name + (up ? " UP" : " DOWN"));
        break;
      }
      case k::quorum_up:
      case k::quorum_down: {
        bool up = e.what == k::quorum_up;
        if (at_exit)
          log::info("pool %s: quorum down at exit (omega)", name);
        else
          log::info("pool %s: quorum %s: weight %ld, quorum %ld, hysteresis %ld%s%s", name, up ? "gained" : "lost",
                  e.weight_sum, st.rules->settings().quorum, st.rules->settings().hysteresis,
                  st.def.sorry_name.empty() ? "" : up ? "; sorry server out: " : "; sorry server in: ",
                  st.def.sorry_name.c_str());
        run_command(self, up ? st.def.quorum_up : st.def.quorum_down, up ? "quorum_up" : "quorum_down");
        if (!at_exit)
          fifo_line(self, "VS " + st.def.fifo_name + (up ? " UP" : " DOWN"));
        break;
      }
      case k::weight_change:
        log::info("pool %s: real server %s weight %d -> %d", name, st.def.servers.at(e.server).name.c_str(),
                  e.old_weight, e.new_weight);
        break;
    }
  }
}

json status_of(const pool_state& st) {
  json v;
  v["name"] = st.def.name;
  json services = json::array();
  for (const auto& s : st.def.services) {
    json j;
    j["service"] = s.key.to_string();
    j["scheduler"] = s.scheduler;
    j["flags"] = s.flags;
    if (s.flags & proto::ipvs_svc_flag::persistent) j["persistence_timeout"] = s.timeout;
    services.push_back(std::move(j));
  }
  v["services"] = std::move(services);
  v["programmed"] = st.started;
  v["suspended"] = st.suspended;
  const auto& rules = *st.rules;
  v["quorum"] = {{"up", rules.quorum_up()},
                 {"weight", rules.weight_sum()},
                 {"quorum", rules.settings().quorum},
                 {"hysteresis", rules.settings().hysteresis}};
  if (!st.def.sorry_name.empty())
    v["sorry_server"] = {{"address", st.def.sorry_name}, {"active", rules.sorry_active()}};
  json servers = json::array();
  auto dests = rules.desired();
  for (std::uint32_t i = 0; i < st.def.servers.size(); ++i) {
    const auto& rec = st.records[i];
    const auto& cfg = rules.settings().servers[i];
    json j;
    j["address"] = st.def.servers[i].name;
    j["up"] = rules.server_up(i);
    j["weight"] = rules.weight(i);
    j["in_table"] = false;
    for (const auto& d : dests)
      if (d.same_endpoint(cfg.dest)) {
        j["in_table"] = true;
        j["table_weight"] = d.weight;
      }
    j["inhibit_on_failure"] = cfg.inhibit;
    if (rec.has_report)
      j["last"] = {{"up", rec.up}, {"checker", rec.checker}, {"reason", rec.reason}, {"latency_us", rec.latency_us}};
    j["reports"] = rec.reports;
    j["ups"] = rec.ups;
    j["downs"] = rec.downs;
    servers.push_back(std::move(j));
  }
  v["real_servers"] = std::move(servers);
  v["batches"] = st.batches;
  v["ops"] = st.ops;
  v["failed_ops"] = st.failed_ops;
  v["ignored_reports"] = st.ignored;
  v["suspended_reports"] = st.suspended_reports;
  v["fifo_lines"] = st.fifo_lines;
  v["recent_errors"] = json::array_t(st.recent_errors.begin(), st.recent_errors.end());
  return v;
}

void on_report(pool_self self, const check_report& r) {
  auto& s = self->state;
  if (s.stopped) return;
  std::int32_t idx = r.server < s.def.rule_index.size() ? s.def.rule_index[r.server] : -1;
  if (idx < 0 || r.checker >= s.def.rules.servers[static_cast<std::size_t>(idx)].alpha.size()) {
    ++s.ignored;  // the sorry server's, or an index this pool does not have
    return;
  }
  if (s.suspended) {
    ++s.suspended_reports;
    s.held[{r.server, r.checker}] = r;
    return;
  }
  auto& rec = s.records[static_cast<std::size_t>(idx)];
  rec.has_report = true;
  rec.up = r.up;
  rec.checker = r.checker;
  rec.reason = r.reason;
  rec.latency_us = r.latency_us;
  ++rec.reports;
  handle(self, s.rules->report(static_cast<std::uint32_t>(idx), r.checker, r.up, r.weight), r.reason);
  apply(self);
}

pool_actor::behavior_type pool_behavior(pool_self self, pool_definition def, ipvs_writer writer,
                                        script_actor scripts, std::vector<notify_fifo_actor> fifos) {
  auto& st = self->state;
  st.fifos = std::move(fifos);
  st.rules = std::make_unique<proto::pool_rules>(def.rules);
  st.records.resize(def.servers.size());
  st.suspended = def.ha_suspend;  // until told the address is ours
  st.def = std::move(def);
  st.writer = std::move(writer);
  st.scripts = std::move(scripts);
  for (const auto& w : st.def.warnings) log::warning("pool %s: %s", st.def.name.c_str(), w.c_str());
  auto first = st.rules->start();
  handle(self, first, "starting");
  // keepalived writes "VS ... UP" at start when the quorum is there from the start (observed
  // in the VM, docs/ipvs-vm.md), where the rules see no transition (and run no quorum_up).
  if (st.rules->quorum_up() && std::none_of(first.begin(), first.end(), [](const proto::pool_event& e) {
        return e.what == proto::pool_event::kind::quorum_up;
      }))
    fifo_line(self, "VS " + st.def.fifo_name + " UP");
  // Reconcile with what the kernel has (our leftovers adopted, never duplicated), then
  // follow the reports. Reports before the dump's answer only change the desired state.
  ++st.inflight;
  self->request(st.writer, caf::infinite, ipvs_atom::value, dump_atom::value, keys_of(st))
    .then(
      [=](const ipvs_table& table) {
        auto& s = self->state;
        --s.inflight;
        s.started = true;
        if (s.stopped) return settle(self);
        auto want = wanted(s);
        auto ops = proto::reconcile(want, table);
        log::info("pool %s: %zu service(s), %zu op(s) to reconcile with the kernel", s.def.name.c_str(),
                  want.size(), ops.size());
        s.current = std::move(want);
        send_ops(self, std::move(ops));
        settle(self);
      },
      [=](caf::error& e) {
        auto& s = self->state;
        --s.inflight;
        s.started = true;
        log::error("pool %s: cannot read the IPVS table: %s; writing the whole pool", s.def.name.c_str(),
                   to_string(e).c_str());
        apply(self);
        settle(self);
      });
  return {
    [=](check_atom, const check_report& r) { on_report(self, r); },
    [=](suspend_atom, bool active) {
      auto& s = self->state;
      if (!s.def.ha_suspend || s.suspended == !active) return;
      s.suspended = !active;
      log::info("pool %s: checkers %s (ha_suspend: the service's address is %s)", s.def.name.c_str(),
                active ? "resumed" : "suspended", active ? "on this host" : "not on this host");
      if (active) {
        auto held = std::move(s.held);
        s.held.clear();
        for (const auto& [k, r] : held) on_report(self, r);
      }
    },
    [=](fifo_atom, std::vector<notify_fifo_actor> fifos) { self->state.fifos = std::move(fifos); },
    [=](drain_atom) -> caf::typed_response_promise<bool> {
      auto rp = self->make_response_promise<bool>();
      self->state.drains.push_back(rp);
      settle(self);
      return rp;
    },
    [=](status_atom) { return status_of(self->state); },
    [=](shutdown_atom, bool keep) -> caf::typed_response_promise<bool> {
      auto& s = self->state;
      auto rp = self->make_response_promise<bool>();
      if (s.stopped) {
        rp.deliver(true);
        return rp;
      }
      s.stopped = true;
      if (keep) {
        log::info("pool %s: left in the kernel at exit", s.def.name.c_str());
        rp.deliver(true);
        return rp;
      }
      handle(self, s.rules->stop(), "", true);
      auto ops = proto::remove_services(s.current);
      s.current.clear();
      send_ops(self, std::move(ops), [rp](bool ok) mutable { rp.deliver(ok); });
      return rp;
    },
  };
}

} // namespace

pool_actor spawn_pool_actor(caf::actor_system& sys, pool_definition def, ipvs_writer writer,
                            script_actor scripts, std::vector<notify_fifo_actor> fifos) {
  return sys.spawn(pool_behavior, std::move(def), std::move(writer), std::move(scripts), std::move(fifos));
}

} // namespace ka::act
