// Asks every actor for its status at once (actors/status_gather.hpp): each request expires
// at the same deadline, so a status takes at most about that long however many instances
// there are (README "Admin socket").
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include <optional>

#include "actors/missing_interfaces.hpp"
#include "actors/status_gather.hpp"
#include "actors/supervisor.hpp"  // supervision
#include "parser/dump.hpp"

namespace ka::act {

namespace {

using clock = std::chrono::steady_clock;

// The kernel's view of one virtual service, as `ipvsadm -Ln --stats` shows it.
json ipvs_stats_json(const proto::ipvs_stats& st) {
  return {{"conns", st.conns}, {"inpkts", st.inpkts}, {"outpkts", st.outpkts},
          {"inbytes", st.inbytes}, {"outbytes", st.outbytes}, {"cps", st.cps}};
}
const char* forward_name(proto::ipvs_forward f) {
  switch (f) {
    case proto::ipvs_forward::masq: return "Masq";
    case proto::ipvs_forward::local: return "Local";
    case proto::ipvs_forward::tunnel: return "Tunnel";
    case proto::ipvs_forward::route: return "Route";
    case proto::ipvs_forward::bypass: return "Bypass";
  }
  return "?";
}
json ipvs_service_json(const proto::ipvs_service_state& s) {
  json j;
  j["service"] = s.service.key.to_string();
  j["scheduler"] = s.service.scheduler;
  j["flags"] = s.service.flags;
  if (s.service.flags & proto::ipvs_svc_flag::persistent) j["persistence_timeout"] = s.service.timeout;
  j["stats"] = ipvs_stats_json(s.stats);
  json dests = json::array();
  for (const auto& d : s.dests) {
    std::string a = d.dest.addr.to_string();
    if (!d.dest.addr.is_v4()) a = "[" + a + "]";
    dests.push_back({{"address", a + ":" + std::to_string(d.dest.port)},
                     {"forward", forward_name(d.dest.forward)},
                     {"weight", d.dest.weight},
                     {"active_conns", d.active_conns},
                     {"inactive_conns", d.inactive_conns},
                     {"stats", ipvs_stats_json(d.stats)}});
  }
  j["dests"] = std::move(dests);
  return j;
}

template <class Handle>
auto ask(caf::scoped_actor& self, const Handle& h, caf::duration deadline) {
  return self->request(h, deadline, status_atom::value);
}

template <class Pending>
json collect(Pending& p) {
  json result;
  p.receive([&](json& v) { result = std::move(v); },
            [&](caf::error& e) { result = proto::admin_error("no answer: " + to_string(e)); });
  return result;
}

} // namespace

json gather_status(caf::actor_system& sys, const admin_targets& targets,
                   std::chrono::steady_clock::time_point started,
                   std::chrono::steady_clock::duration deadline_ns) {
  caf::duration deadline{std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ns)};
  caf::scoped_actor self{sys};
  auto advert_p = ask(self, targets.advert, deadline);
  auto scripts_p = ask(self, targets.scripts, deadline);
  auto kernel_p = ask(self, targets.kernel, deadline);
  std::vector<decltype(ask(self, targets.instances.front(), deadline))> instances_p;
  for (const auto& i : targets.instances)
    instances_p.push_back(ask(self, i, deadline));
  // load balancing: every pool and checker at once, and the kernel's table with its
  // counters (read back over netlink) when there are pools
  std::vector<decltype(ask(self, std::declval<pool_actor>(), deadline))> pools_p;
  std::vector<std::vector<decltype(ask(self, std::declval<checker_actor>(), deadline))>> checkers_p;
  for (const auto& p : targets.pools) {
    pools_p.push_back(ask(self, p.pool, deadline));
    checkers_p.emplace_back();
    for (const auto& c : p.checkers)
      checkers_p.back().push_back(ask(self, c, deadline));
  }
  // notify FIFO writers and the SMTP mailer; sync groups
  std::vector<decltype(ask(self, std::declval<notify_fifo_actor>(), deadline))> fifos_p;
  for (const auto& f : targets.fifos)
    fifos_p.push_back(ask(self, f, deadline));
  std::vector<decltype(ask(self, std::declval<sync_group_actor>(), deadline))> groups_p;
  for (const auto& g : targets.groups)
    groups_p.push_back(ask(self, g, deadline));
  std::optional<decltype(self->request(ipvs_writer{targets.kernel}, deadline, ipvs_atom::value, dump_atom::value))> table_p;
  if (!targets.pools.empty())
    table_p.emplace(self->request(ipvs_writer{targets.kernel}, deadline, ipvs_atom::value, dump_atom::value));

  json reply;
  reply["ok"] = true;
  json daemon = targets.daemon_info;
  daemon["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(clock::now() - started).count();
  reply["daemon"] = daemon;
  reply["not_in_effect"] = targets.not_in_effect;
  // Asked now, not at start-up: an interface created since leaves the list.
  json missing = json::array();
  if (targets.config)
    for (const auto& m : missing_interfaces(*targets.config))
      missing.push_back({{"name", m.name}, {"where", m.where}});
  reply["missing_interfaces"] = missing;
  json advert = collect(advert_p);
  json instances = json::array();
  for (auto& p : instances_p) {
    json s = collect(p);
    if (s.contains("name") && s["name"].is_string() && advert.contains("instances")) {
      const json& per = advert["instances"];
      if (auto c = per.find(s["name"].get<std::string>()); c != per.end())
        s["counters"] = *c;
    }
    instances.push_back(std::move(s));
  }
  reply["instances"] = std::move(instances);
  if (advert.is_object())
    advert.erase("instances");
  reply["advert"] = std::move(advert);
  reply["scripts"] = collect(scripts_p);
  reply["kernel"] = collect(kernel_p);
  json pools = json::array();
  for (std::size_t i = 0; i < pools_p.size(); ++i) {
    json p = collect(pools_p[i]);
    json checkers = json::array();
    for (auto& c : checkers_p[i])
      checkers.push_back(collect(c));
    p["checkers"] = std::move(checkers);
    json errors = json::array();
    for (const auto& e : targets.pools[i].checker_errors)
      errors.push_back(e);
    p["checker_errors"] = std::move(errors);
    pools.push_back(std::move(p));
  }
  reply["virtual_servers"] = std::move(pools);
  json fifos = json::array();  // notify FIFOs and the SMTP alert mailer
  for (auto& p : fifos_p)
    fifos.push_back(collect(p));
  reply["notify_outlets"] = std::move(fifos);
  json groups = json::array();
  for (auto& p : groups_p)
    groups.push_back(collect(p));
  reply["sync_groups"] = std::move(groups);
  reply["supervision"] = supervision_status();  // every actor restarted at least once
  if (table_p) {
    json table = json::array();
    table_p->receive(
      [&](const ipvs_table& t) {
        for (const auto& s : t) table.push_back(ipvs_service_json(s));
      },
      [&](caf::error& e) { table = proto::admin_error("no answer: " + to_string(e)); });
    reply["ipvs"] = std::move(table);
  }
  return reply;
}

} // namespace ka::act
