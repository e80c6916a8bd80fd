// global_defs and the top-level daemon settings as JSON (dump.hpp). The keys are
// keepalived's keywords, so that the dump reads like the config: global_defs is one flat
// object, each nested struct of config_global.hpp adding its keywords to it; a keyword
// with structure has an object of its own parts. Unset optionals are null, positions
// "file:line:column".
#include "parser/dump.hpp"

namespace ka::config {

namespace {
template <class T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json opt(const std::optional<proto::ip_address>& a) { return a ? json(a->to_string()) : json(nullptr); }

const char* policy_name(rx_bufs_policy::kind k) {
  switch (k) {
    case rx_bufs_policy::kind::mtu: return "MTU";
    case rx_bufs_policy::kind::advert: return "ADVERT";
    case rx_bufs_policy::kind::size: return "size";
  }
  return "";
}

const char* flush_name(flush_on_stop f) {
  switch (f) {
    case flush_on_stop::no: return "no";
    case flush_on_stop::all: return "all";
    case flush_on_stop::vs: return "VS";
  }
  return "";
}

// `checker_*` / `bfd_*`: one struct, the process's prefix on each key.
void add_sched(json& j, const std::string& prefix, const process_sched& p) {
  j[prefix + "_cpu_affinity"] = p.cpu_affinity;
  j[prefix + "_rt_priority"] = opt(p.rt_priority);
  j[prefix + "_priority"] = opt(p.priority);
  j[prefix + "_no_swap"] = p.no_swap;
  j[prefix + "_rlimit_rttime"] = opt(p.rlimit_rttime);
}

void add_buf(json& j, const std::string& key, const rcv_buf& b) {
  j[key] = opt(b.bytes);
  j[key + "_force"] = b.force;
}
} // namespace

void to_json(json& j, const run_as& r) {
  j = json::object();
  j["user"] = r.user.empty() ? json(nullptr) : json(r.user);
  j["group"] = r.group.empty() ? json(nullptr) : json(r.group);
}

void to_json(json& j, const file_as& f) {
  j = json::object();
  j["path"] = f.path;
  j["user"] = f.as.user.empty() ? json(nullptr) : json(f.as.user);
  j["group"] = f.as.group.empty() ? json(nullptr) : json(f.as.group);
  j["where"] = f.where;
}

void to_json(json& j, const include_checks& i) {
  j = {{"match", i.match}, {"wildcard_match", i.wildcard_match}, {"brace_match", i.brace_match}};
}

void to_json(json& j, const rx_bufs_policy& p) {
  j = {{"policy", policy_name(p.what)}, {"size", p.what == rx_bufs_policy::kind::size ? json(p.size) : json(nullptr)}};
}

void to_json(json& j, const garp_extra_if& g) { j = {{"interval", g.interval}, {"all", g.all}}; }

void to_json(json& j, const iptables_chains& c) {
  j = {{"in", c.in}, {"out", c.out.empty() ? json(nullptr) : json(c.out)}};
}

void to_json(json& j, const lvs_sync_daemon& d) {
  j = json::object();
  j["interface"] = d.interface;
  j["inst"] = d.instance.empty() ? json(nullptr) : json(d.instance);
  j["id"] = opt(d.id);
  j["maxlen"] = opt(d.maxlen);
  j["port"] = opt(d.port);
  j["ttl"] = opt(d.ttl);
  j["group"] = opt(d.group);
  j["where"] = d.where;
}

void to_json(json& j, const lvs_timeouts& t) { j = {{"tcp", opt(t.tcp)}, {"tcpfin", opt(t.tcpfin)}, {"udp", opt(t.udp)}}; }

void to_json(json& j, const process_options& p) {
  j = json::object();
  j["max_auto_priority"] = opt(p.max_auto_priority);
  j["min_auto_priority_delay"] = opt(p.min_auto_priority_delay);
  j["process_names"] = p.process_names;
  j["process_name"] = p.process_name;
  j["vrrp_process_name"] = p.vrrp_process_name;
  j["checker_process_name"] = p.checker_process_name;
  j["bfd_process_name"] = p.bfd_process_name;
  j["tmp_config_directory"] = p.tmp_config_directory;
  j["config_save_dir"] = p.config_save_dir;
  j["startup_script"] = opt(p.startup_script);
  j["startup_script_timeout"] = p.startup_script_timeout;
  j["shutdown_script"] = opt(p.shutdown_script);
  j["shutdown_script_timeout"] = p.shutdown_script_timeout;
  j["script_user"] = opt(p.script_user);
  j["enable_script_security"] = p.enable_script_security;
  j["umask"] = opt(p.umask);
  j["random_seed"] = opt(p.random_seed);
  j["reload_check_config"] = opt(p.reload_check_config);
  j["include_check"] = opt(p.include_check);
  j["reload_time_file"] = p.reload_time_file;
  j["reload_repeat"] = p.reload_repeat;
  j["reload_file"] = opt(p.reload_file);
  j["data_use_instance"] = p.data_use_instance;
}

void to_json(json& j, const mail_options& m) {
  j = json::object();
  j["smtp_helo_name"] = m.smtp_helo_name;
  j["smtp_alert"] = opt(m.smtp_alert);
  j["smtp_alert_vrrp"] = opt(m.smtp_alert_vrrp);
  j["smtp_alert_checker"] = opt(m.smtp_alert_checker);
  j["checker_log_all_failures"] = m.checker_log_all_failures;
  j["no_email_faults"] = m.no_email_faults;
  j["no_checker_emails"] = m.no_checker_emails;
}

void to_json(json& j, const vrrp_defaults& v) {
  j = json::object();
  j["vrrp_mcast_group4"] = opt(v.vrrp_mcast_group4);
  j["vrrp_mcast_group6"] = opt(v.vrrp_mcast_group6);
  j["default_interface"] = v.default_interface;
  j["vrrp_garp_master_delay"] = opt(v.vrrp_garp_master_delay);
  j["vrrp_garp_master_repeat"] = opt(v.vrrp_garp_master_repeat);
  j["vrrp_garp_lower_prio_delay"] = opt(v.vrrp_garp_lower_prio_delay);
  j["vrrp_garp_lower_prio_repeat"] = opt(v.vrrp_garp_lower_prio_repeat);
  j["vrrp_garp_master_refresh"] = opt(v.vrrp_garp_master_refresh);
  j["vrrp_garp_master_refresh_repeat"] = opt(v.vrrp_garp_master_refresh_repeat);
  j["vrrp_garp_interval"] = opt(v.vrrp_garp_interval);
  j["vrrp_gna_interval"] = opt(v.vrrp_gna_interval);
  j["vrrp_min_garp"] = v.vrrp_min_garp;
  j["vrrp_garp_extra_if"] = opt(v.vrrp_garp_extra_if);
  j["vrrp_down_timer_adverts"] = opt(v.vrrp_down_timer_adverts);
  j["vrrp_lower_prio_no_advert"] = opt(v.vrrp_lower_prio_no_advert);
  j["vrrp_higher_prio_send_advert"] = v.vrrp_higher_prio_send_advert;
  j["vrrp_check_unicast_src"] = v.vrrp_check_unicast_src;
  j["vrrp_skip_check_adv_addr"] = v.vrrp_skip_check_adv_addr;
  j["vrrp_strict"] = v.vrrp_strict;
  j["vrrp_notify_priority_changes"] = v.vrrp_notify_priority_changes;
  j["vrrp_startup_delay"] = opt(v.vrrp_startup_delay);
  j["log_unknown_vrids"] = v.log_unknown_vrids;
  j["vmac_prefix"] = v.vmac_prefix;
  j["vmac_addr_prefix"] = v.vmac_addr_prefix;
  j["vrrp_rx_bufs_policy"] = opt(v.vrrp_rx_bufs_policy);
  j["vrrp_rx_bufs_multiplier"] = opt(v.vrrp_rx_bufs_multiplier);
  j["dynamic_interfaces"] =
      v.dynamic.on ? json{{"allow_if_changes", v.dynamic.allow_if_changes}} : json(nullptr);
  j["disable_local_igmp"] = v.disable_local_igmp;
}

void to_json(json& j, const firewall& f) {
  j = json::object();
  j["vrrp_iptables"] = opt(f.vrrp_iptables);
  j["vrrp_ipsets"] = opt(f.vrrp_ipsets);
  j["nftables"] = opt(f.nftables);
  j["nftables_priority"] = opt(f.nftables_priority);
  j["nftables_counters"] = f.nftables_counters;
  j["nftables_ifindex"] = f.nftables_ifindex;
  j["nftables_ipvs"] = opt(f.nftables_ipvs);
  j["nftables_ipvs_priority"] = opt(f.nftables_ipvs_priority);
  j["nftables_ipvs_start_fwmark"] = opt(f.nftables_ipvs_start_fwmark);
}

void to_json(json& j, const lvs_options& l) {
  j = json::object();
  j["lvs_sync_daemon"] = opt(l.sync_daemon);
  j["lvs_timeouts"] = opt(l.timeouts);
  j["lvs_flush"] = l.lvs_flush;
  j["lvs_flush_on_stop"] = flush_name(l.lvs_flush_on_stop);
  j["rs_init_notifies"] = l.rs_init_notifies;
}

void to_json(json& j, const snmp_dbus& s) {
  j = json::object();
  j["snmp_socket"] = s.snmp_socket;
  j["enable_snmp_vrrp"] = s.enable_snmp_vrrp;
  j["enable_snmp_keepalived"] = s.enable_snmp_keepalived;
  j["enable_snmp_checker"] = s.enable_snmp_checker;
  j["enable_snmp_rfc"] = s.enable_snmp_rfc;
  j["enable_snmp_rfcv2"] = s.enable_snmp_rfcv2;
  j["enable_snmp_rfcv3"] = s.enable_snmp_rfcv3;
  j["enable_traps"] = s.enable_traps;
  j["enable_dbus"] = s.enable_dbus;
  j["dbus_service_name"] = s.dbus_service_name;
}

void to_json(json& j, const fifos& f) {
  j = json::object();
  j["notify_fifo"] = opt(f.notify.fifo);
  j["notify_fifo_script"] = opt(f.notify.script);
  j["vrrp_notify_fifo"] = opt(f.vrrp.fifo);
  j["vrrp_notify_fifo_script"] = opt(f.vrrp.script);
  j["lvs_notify_fifo"] = opt(f.lvs.fifo);
  j["lvs_notify_fifo_script"] = opt(f.lvs.script);
  j["fifo_write_vrrp_states_on_reload"] = f.fifo_write_vrrp_states_on_reload;
}

void to_json(json& j, const netlink_buffers& n) {
  j = json::object();
  add_buf(j, "vrrp_netlink_cmd_rcv_bufs", n.vrrp_netlink_cmd);
  add_buf(j, "vrrp_netlink_monitor_rcv_bufs", n.vrrp_netlink_monitor);
  add_buf(j, "lvs_netlink_cmd_rcv_bufs", n.lvs_netlink_cmd);
  add_buf(j, "lvs_netlink_monitor_rcv_bufs", n.lvs_netlink_monitor);
  add_buf(j, "process_monitor_rcv_bufs", n.process_monitor);
}

void to_json(json& j, const global_defs& g) {
  j = json::object();
  j["router_id"] = g.router_id;
  j["notification_email"] = g.notification_email;
  j["notification_email_from"] = g.notification_email_from;
  j["smtp_server"] = g.smtp_server;
  j["smtp_port"] = g.smtp_port;
  j["smtp_connect_timeout"] = g.smtp_connect_timeout;
  j["vrrp_version"] = g.vrrp_version;
  j["admin_socket"] = g.admin_socket;
  j["admin_group"] = g.admin_group;
  j["metrics_listen"] = g.metrics_listen ? json(g.metrics_listen->to_string()) : json();
  j["vrrp_cpu_affinity"] = g.vrrp_cpu_affinity;
  j["vrrp_rt_priority"] = opt(g.vrrp_rt_priority);
  j["vrrp_priority"] = opt(g.vrrp_priority);
  j["vrrp_no_swap"] = g.vrrp_no_swap;
  j["vrrp_rlimit_rttime"] = opt(g.vrrp_rlimit_rttime);
  add_sched(j, "checker", g.checker);
  add_sched(j, "bfd", g.bfd);
  // Each group's keywords join the one flat object.
  for (const json& part : {json(g.process), json(g.mail), json(g.vrrp), json(g.fw), json(g.lvs), json(g.snmp),
                           json(g.fifo), json(g.netlink)})
    j.update(part);
  j["where"] = g.where;
}

void to_json(json& j, const daemon_settings& d) {
  j = json::object();
  j["net_namespace"] = opt(d.net_namespace);
  j["net_namespace_ipvs"] = opt(d.net_namespace_ipvs);
  j["namespace_with_ipsets"] = d.namespace_with_ipsets;
  j["instance"] = opt(d.instance);
  j["use_pid_dir"] = d.use_pid_dir;
  j["linkbeat_use_polling"] = d.linkbeat_use_polling;
  j["child_wait_time"] = opt(d.child_wait_time);
}

} // namespace ka::config
