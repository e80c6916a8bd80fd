#include "protocol/keepalive_metrics.hpp"

#include <initializer_list>

namespace ka::proto {

namespace {

using prom::labels;
using prom::metric_type;

// A number (or a boolean as 0/1) at j[key], if there is one.
std::optional<double> num(const json& j, const char* key) {
  if (!j.is_object())
    return std::nullopt;
  auto it = j.find(key);
  if (it == j.end())
    return std::nullopt;
  if (it->is_boolean())
    return it->get<bool>() ? 1.0 : 0.0;
  if (it->is_number())
    return it->get<double>();
  return std::nullopt;
}

std::string str(const json& j, const char* key) {
  if (!j.is_object())
    return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json& member(const json& j, const char* key) {
  static const json none;
  if (!j.is_object())
    return none;
  auto it = j.find(key);
  return it == j.end() ? none : *it;
}

// An actor's part of the status that did not come: {"ok": false, "error": "..."}.
bool unanswered(const json& j) {
  return !j.is_object() || (j.contains("ok") && j["ok"].is_boolean() && !j["ok"].get<bool>());
}

labels with(labels base, std::initializer_list<prom::label> more) {
  base.insert(base.end(), more);
  return base;
}

// Every state of protocol/vrrp_state_machine.hpp's to_string, so that each instance has
// one series per state (1 for the current one): Prometheus' way of exporting an enum.
constexpr const char* k_states[] = {"INIT", "BACKUP", "MASTER", "FAULT", "STOP"};

// The label is vrrp_instance, not instance: Prometheus gives every scraped series an
// `instance` label of its own (the target) and would rename ours to exported_instance.
void add_instance(prom::exposition& out, const json& in) {
  labels id{{"vrrp_instance", str(in, "name")}};
  std::string state = str(in, "state");
  labels where = with(id, {{"interface", str(in, "interface")}});
  if (auto vrid = num(in, "vrid"))
    where.push_back({"vrid", prom::format_value(*vrid)});
  for (const char* s : k_states)
    out.gauge("keepalive_vrrp_state",
              "1 for the VRRP instance's current state, 0 for the others", with(where, {{"state", s}}),
              state == s ? 1 : 0);
  const json& prio = member(in, "priority");
  if (auto v = num(prio, "configured"))
    out.gauge("keepalive_vrrp_priority", "The priority configured for the VRRP instance", id, *v);
  if (auto v = num(prio, "effective"))
    out.gauge("keepalive_vrrp_effective_priority",
              "The VRRP instance's priority after tracking adjustments, as advertised", id, *v);
  const json& to = member(in, "transitions_to");
  for (const char* s : k_states)
    if (auto v = num(to, s))
      out.counter("keepalive_vrrp_transitions_total", "State transitions of the VRRP instance, by the state entered",
                  with(id, {{"to_state", s}}), *v);
  if (auto v = num(in, "master_priority"))
    out.gauge("keepalive_vrrp_master_priority", "Priority of the master last heard (our own when master)", id, *v);
  const json& c = member(in, "counters");
  if (auto v = num(c, "adverts_sent"))
    out.counter("keepalive_vrrp_adverts_sent_total", "VRRP adverts sent by the instance", id, *v);
  if (auto v = num(c, "adverts_received"))
    out.counter("keepalive_vrrp_adverts_received_total",
                "VRRP adverts received for the instance that passed every check", id, *v);
  if (auto v = num(c, "send_errors"))
    out.counter("keepalive_vrrp_advert_send_errors_total", "VRRP adverts the kernel refused to send", id, *v);
  if (auto v = num(c, "master_down_fired"))
    out.counter("keepalive_vrrp_master_down_timer_fired_total",
                "Times the instance's master-down timer expired", id, *v);
  const json& bad = member(c, "bad");
  if (bad.is_object())
    for (const auto& [reason, n] : bad.items())
      if (n.is_number())
        out.counter("keepalive_vrrp_bad_adverts_total", "Received VRRP packets dropped, by reason",
                    with(id, {{"reason", reason}}), n.get<double>());
}

void add_advert(prom::exposition& out, const json& adv) {
  const json& h = member(adv, "lateness_histogram");
  if (h.is_object() && h["bounds_s"].is_array() && h["counts"].is_array()) {
    prom::histogram hist;
    for (const auto& b : h["bounds_s"]) hist.bounds.push_back(b.get<double>());
    for (const auto& n : h["counts"]) hist.counts.push_back(n.get<std::uint64_t>());
    hist.sum = num(h, "sum_s").value_or(0);
    hist.count = static_cast<std::uint64_t>(num(h, "count").value_or(0));
    out.add_histogram("keepalive_advert_send_lateness_seconds",
                      "How late the advert thread sent each scheduled VRRP advert", {}, hist);
  }
  const json& bad = member(adv, "unattributed_bad");
  if (bad.is_object())
    for (const auto& [reason, n] : bad.items())
      if (n.is_number())
        out.counter("keepalive_vrrp_unattributed_bad_adverts_total",
                    "Received VRRP packets dropped that belong to no instance, by reason",
                    {{"reason", reason}}, n.get<double>());
}

void add_scripts(prom::exposition& out, const json& s) {
  if (auto v = num(s, "runs"))
    out.counter("keepalive_notify_script_runs_total", "Notify scripts run", {}, *v);
  if (auto v = num(s, "failures"))
    out.counter("keepalive_notify_script_failures_total",
                "Notify scripts that failed (non-zero exit, signal, timeout, could not start)", {}, *v);
  if (auto v = num(s, "timeouts"))
    out.counter("keepalive_notify_script_timeouts_total", "Notify scripts killed for running too long", {}, *v);
  if (auto v = num(s, "running"))
    out.gauge("keepalive_notify_scripts_running", "Notify scripts running now", {}, *v);
  if (auto v = num(s, "queued"))
    out.gauge("keepalive_notify_scripts_queued", "Notify scripts waiting for an earlier one of their instance", {}, *v);
}

void add_pool(prom::exposition& out, const json& p, int& unanswered_parts) {
  labels vs{{"virtual_server", str(p, "name")}};
  if (auto v = num(member(p, "quorum"), "up"))
    out.gauge("keepalive_lvs_quorum_up", "1 while the virtual server's quorum is met", vs, *v);
  if (auto v = num(p, "suspended"))
    out.gauge("keepalive_lvs_suspended", "1 while ha_suspend holds the virtual server's checkers", vs, *v);
  const json& servers = member(p, "real_servers");
  if (servers.is_array())
    for (const auto& r : servers) {
      labels rs = with(vs, {{"real_server", str(r, "address")}});
      if (auto v = num(r, "up"))
        out.gauge("keepalive_lvs_real_server_up", "1 while the real server's checkers say it is up", rs, *v);
      if (auto v = num(r, "weight"))
        out.gauge("keepalive_lvs_real_server_weight", "The real server's weight as its pool wants it", rs, *v);
      if (auto v = num(r, "in_table"))
        out.gauge("keepalive_lvs_real_server_in_table", "1 while its pool wants the real server in the IPVS table (the kernel's own view: keepalive_ipvs_destination_*)", rs, *v);
    }
  const json& checkers = member(p, "checkers");
  if (checkers.is_array()) {
    std::size_t index = 0;
    for (const auto& c : checkers) {
      if (unanswered(c)) {
        ++unanswered_parts;
        ++index;
        continue;
      }
      // index: a real server may have two checkers of one kind on one target
      labels ck{{"virtual_server", str(p, "name")}, {"real_server", str(c, "real_server")},
                {"checker", str(c, "kind")}, {"target", str(c, "target")}, {"index", std::to_string(index++)}};
      std::string state = str(c, "state");
      out.gauge("keepalive_lvs_checker_up", "1 while the checker's last verdict is up (0 before its first)",
                ck, state == "up" ? 1 : 0);
      auto checks = num(c, "checks"), failures = num(c, "failures");
      if (checks && failures) {
        const char* help = "Checks run by the checker, by result";
        out.counter("keepalive_lvs_checks_total", help, with(ck, {{"result", "success"}}), *checks - *failures);
        out.counter("keepalive_lvs_checks_total", help, with(ck, {{"result", "failure"}}), *failures);
      }
    }
  }
}

// The kernel's counters, as `ipvsadm -Ln --stats` reads them (the admin status' "ipvs").
void add_ipvs_stats(prom::exposition& out, const char* prefix, const labels& ls, const json& st) {
  struct row { const char* key; const char* suffix; const char* help; };
  static const row rows[] = {
    {"conns", "connections_total", "Connections the kernel scheduled"},
    {"inpkts", "in_packets_total", "Packets in, as the kernel counts them"},
    {"outpkts", "out_packets_total", "Packets out, as the kernel counts them"},
    {"inbytes", "in_bytes_total", "Bytes in, as the kernel counts them"},
    {"outbytes", "out_bytes_total", "Bytes out, as the kernel counts them"},
  };
  for (const auto& r : rows)
    if (auto v = num(st, r.key))
      out.counter(std::string(prefix) + r.suffix, r.help, ls, *v);
}

void add_ipvs(prom::exposition& out, const json& table) {
  for (const auto& s : table) {
    labels svc{{"service", str(s, "service")}};
    add_ipvs_stats(out, "keepalive_ipvs_service_", svc, member(s, "stats"));
    const json& dests = member(s, "dests");
    if (!dests.is_array())
      continue;
    for (const auto& d : dests) {
      labels dl = with(svc, {{"destination", str(d, "address")}});
      add_ipvs_stats(out, "keepalive_ipvs_destination_", dl, member(d, "stats"));
      if (auto v = num(d, "weight"))
        out.gauge("keepalive_ipvs_destination_weight", "The destination's weight in the kernel's table", dl, *v);
      if (auto v = num(d, "active_conns"))
        out.gauge("keepalive_ipvs_destination_active_connections", "Active connections to the destination", dl, *v);
      if (auto v = num(d, "inactive_conns"))
        out.gauge("keepalive_ipvs_destination_inactive_connections", "Inactive connections to the destination", dl, *v);
    }
  }
}

} // namespace

void add_status_metrics(prom::exposition& out, const json& status) {
  int unanswered_parts = 0;
  const json& daemon = member(status, "daemon");
  out.gauge("keepalive_build_info", "Always 1; the version as a label", {{"version", str(daemon, "version")}}, 1);
  const json& instances = member(status, "instances");
  if (instances.is_array())
    for (const auto& in : instances) {
      if (unanswered(in))
        ++unanswered_parts;
      else
        add_instance(out, in);
    }
  if (const json& adv = member(status, "advert"); unanswered(adv))
    ++unanswered_parts;
  else
    add_advert(out, adv);
  if (const json& s = member(status, "scripts"); unanswered(s))
    ++unanswered_parts;
  else
    add_scripts(out, s);
  const json& pools = member(status, "virtual_servers");
  if (pools.is_array())
    for (const auto& p : pools) {
      if (unanswered(p) && !p.contains("checkers"))
        ++unanswered_parts;
      else
        add_pool(out, p, unanswered_parts);
    }
  if (const json& table = member(status, "ipvs"); table.is_array())
    add_ipvs(out, table);
  else if (table.is_object())
    ++unanswered_parts;
  out.gauge("keepalive_status_unanswered",
            "Parts of this scrape (instances, pools, checkers, threads) that did not answer within 1 s",
            {}, unanswered_parts);
}

void add_process_metrics(prom::exposition& out, const process_facts& p) {
  if (p.start_time_s)
    out.gauge("keepalive_process_start_time_seconds", "Start time of the process since the Unix epoch", {},
              *p.start_time_s);
  if (p.rss_bytes)
    out.gauge("keepalive_process_resident_memory_bytes", "Resident memory of the process", {}, *p.rss_bytes);
}

std::string render_metrics(const json& status, const process_facts& p) {
  prom::exposition out;
  add_status_metrics(out, status);
  add_process_metrics(out, p);
  return out.text();
}

} // namespace ka::proto
