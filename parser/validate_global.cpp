// global_defs, and the daemon settings written outside it. The keywords the daemon acts
// on have typed fields (parser/config.hpp); the rest are checked by kind and range and
// kept (global_defs::other) until their behaviour exists.
#include <climits>

#include "parser/validate_blocks.hpp"

namespace ka::config::detail {
namespace {

using g = global_defs;

void g_email(context& c, global_defs& gd, const node& n) {
  no_args(c, n);
  for (const node& e : n.children) {
    c.attempt([&] {
      check_block(e, block_use::forbidden);
      gd.notification_email.push_back(e.keyword.text);
      no_more_args(c, e, 0);
    });
  }
}

void g_smtp_server(context& c, global_defs& gd, const node& n) {
  gd.smtp_server = arg(n, 0).text;
  if (n.args.size() > 1) gd.smtp_port = static_cast<int>(integer_arg(n, 1, 1, 65535));
  no_more_args(c, n, 2);
}

void g_smtp_timeout(context& c, global_defs& gd, const node& n) {
  // keepalived: unsigned 0..UINT_MAX/TIMER_HZ seconds; 0 is raised to 1.
  auto v = integer_arg(n, 0, 0, UINT_MAX / 1000000);
  if (v == 0) {
    c.diag(dkind::warning, n.args[0].where, "smtp_connect_timeout must be greater than 0, using 1");
    v = 1;
  }
  gd.smtp_connect_timeout = static_cast<double>(v);
  no_more_args(c, n, 1);
}

void g_admin_socket(context& c, global_defs& gd, const node& n) {
  const word& w = arg(n, 0);
  if (w.text.empty() || w.text[0] != '/') fail(w.where, q(w.text), "an absolute path for admin_socket");
  gd.admin_socket = w.text;
  no_more_args(c, n, 1);
}

// Scheduling of the advert thread: keepalived's VRRP process knobs, same ranges.
void g_cpu_affinity(context&, global_defs& gd, const node& n) {
  gd.vrrp_cpu_affinity.clear();
  arg(n, 0);  // at least one CPU
  for (std::size_t i = 0; i < n.args.size(); ++i)
    gd.vrrp_cpu_affinity.push_back(static_cast<int>(integer_arg(n, i, 0, 1023)));
}

void g_vrrp_no_swap(context& c, global_defs& gd, const node& n) {
  gd.vrrp_no_swap = true;
  no_args(c, n);
}

// Lists of CPUs for the other processes: kept, each CPU checked.
void g_other_affinity(context& c, global_defs& gd, const node& n) {
  arg(n, 0);
  for (std::size_t i = 0; i < n.args.size(); ++i) integer_arg(n, i, 0, 1023);
  keep<global_defs, kind::opt_words>(c, gd, n);
}

constexpr long long k_secs_max = UINT_MAX / 1000000;  // keepalived's timer range

constexpr handler<global_defs> k_global[] = {
    {"router_id", text_field<g, &g::router_id>},
    {"notification_email", g_email, block_use::required},
    {"notification_email_from", text_field<g, &g::notification_email_from>},
    {"smtp_server", g_smtp_server},
    {"smtp_connect_timeout", g_smtp_timeout},
    {"vrrp_version", uint_field<g, &g::vrrp_version, 2, 3>},
    {"admin_socket", g_admin_socket},                 // our extension
    {"admin_group", text_field<g, &g::admin_group>},  // our extension
    {"vrrp_cpu_affinity", g_cpu_affinity},
    {"vrrp_rt_priority", uint_field<g, &g::vrrp_rt_priority, 1, 99>},
    {"vrrp_priority", sint_field<g, &g::vrrp_priority, -20, 19>},
    {"vrrp_no_swap", g_vrrp_no_swap},
    {"vrrp_rlimit_rttime", uint_field<g, &g::vrrp_rlimit_rttime, 2, LONG_MAX / 2>},
    // Kept until acted on: the other processes' scheduling.
    {"checker_cpu_affinity", g_other_affinity},
    {"bfd_cpu_affinity", g_other_affinity},
    {"checker_rt_priority", keep<g, kind::uint, 1, 99>},
    {"bfd_rt_priority", keep<g, kind::uint, 1, 99>},
    {"checker_priority", keep<g, kind::sint, -20, 19>},
    {"bfd_priority", keep<g, kind::sint, -20, 19>},
    {"checker_no_swap", keep<g, kind::none>},
    {"bfd_no_swap", keep<g, kind::none>},
    {"checker_rlimit_rttime", keep<g, kind::uint, 2, LONG_MAX / 2>},
    {"bfd_rlimit_rttime", keep<g, kind::uint, 2, LONG_MAX / 2>},
    {"max_auto_priority", keep<g, kind::opt_words>},
    {"min_auto_priority_delay", keep<g, kind::uint, 0, INT_MAX>},
    // Processes, files, scripts.
    {"process_names", keep<g, kind::none>},
    {"process_name", keep<g, kind::word>},
    {"vrrp_process_name", keep<g, kind::word>},
    {"checker_process_name", keep<g, kind::word>},
    {"bfd_process_name", keep<g, kind::word>},
    {"tmp_config_directory", keep<g, kind::word>},
    {"config_save_dir", keep<g, kind::word>},
    {"startup_script", keep<g, kind::words>},
    {"startup_script_timeout", keep<g, kind::uint, 1, 1000>},
    {"shutdown_script", keep<g, kind::words>},
    {"shutdown_script_timeout", keep<g, kind::uint, 1, 1000>},
    {"script_user", keep<g, kind::words>},
    {"enable_script_security", keep<g, kind::none>},
    {"umask", keep<g, kind::words>},
    {"random_seed", keep<g, kind::uint, 0, UINT_MAX>},
    {"reload_check_config", keep<g, kind::opt_words>},
    {"include_check", keep<g, kind::opt_words>},
    {"reload_time_file", keep<g, kind::word>},
    {"reload_repeat", keep<g, kind::none>},
    {"reload_file", keep<g, kind::opt_words>},
    {"data_use_instance", keep<g, kind::flag>},
    // Mail.
    {"smtp_helo_name", keep<g, kind::word>},
    {"smtp_alert", keep<g, kind::flag>},
    {"smtp_alert_vrrp", keep<g, kind::flag>},
    {"smtp_alert_checker", keep<g, kind::flag>},
    {"checker_log_all_failures", keep<g, kind::flag>},
    {"no_email_faults", keep<g, kind::none>},
    {"no_checker_emails", keep<g, kind::none>},
    // VRRP defaults.
    {"vrrp_mcast_group4", keep<g, kind::address>},
    {"vrrp_mcast_group6", keep<g, kind::address>},
    {"default_interface", keep<g, kind::iface>},
    {"vrrp_garp_master_delay", keep<g, kind::uint, 0, k_secs_max>},
    {"vrrp_garp_master_repeat", keep<g, kind::uint, 0, INT_MAX>},
    {"vrrp_garp_lower_prio_delay", keep<g, kind::uint, 0, k_secs_max>},
    {"vrrp_garp_lower_prio_repeat", keep<g, kind::uint, 0, INT_MAX>},
    {"vrrp_garp_master_refresh", keep<g, kind::uint, 0, k_secs_max>},
    {"vrrp_garp_master_refresh_repeat", keep<g, kind::uint, 0, INT_MAX>},
    {"vrrp_garp_interval", keep<g, kind::secs, 0, 1000>},
    {"vrrp_gna_interval", keep<g, kind::secs, 0, 1000>},
    {"vrrp_min_garp", keep<g, kind::flag>},
    {"vrrp_garp_extra_if", keep<g, kind::words>},
    {"vrrp_down_timer_adverts", keep<g, kind::uint, 1, 100>},
    {"vrrp_lower_prio_no_advert", keep<g, kind::flag>},
    {"vrrp_higher_prio_send_advert", keep<g, kind::flag>},
    {"vrrp_check_unicast_src", keep<g, kind::none>},
    {"vrrp_skip_check_adv_addr", keep<g, kind::none>},
    {"vrrp_strict", keep<g, kind::none>},
    {"vrrp_notify_priority_changes", keep<g, kind::flag>},
    {"vrrp_startup_delay", keep<g, kind::secs, 0, 1000>},
    {"log_unknown_vrids", keep<g, kind::none>},
    {"vmac_prefix", keep<g, kind::word>},
    {"vmac_addr_prefix", keep<g, kind::word>},
    {"vrrp_rx_bufs_policy", keep<g, kind::words>},
    {"vrrp_rx_bufs_multiplier", keep<g, kind::uint, 1, UINT_MAX>},
    {"dynamic_interfaces", keep<g, kind::opt_words>},
    {"disable_local_igmp", keep<g, kind::none>},
    // Firewalling.
    {"vrrp_iptables", keep<g, kind::opt_words>},
    {"vrrp_ipsets", keep<g, kind::opt_words>},
    {"nftables", keep<g, kind::opt_words>},
    {"nftables_priority", keep<g, kind::sint, INT_MIN, INT_MAX>},
    {"nftables_counters", keep<g, kind::none>},
    {"nftables_ifindex", keep<g, kind::none>},
    {"nftables_ipvs", keep<g, kind::opt_words>},
    {"nftables_ipvs_priority", keep<g, kind::sint, INT_MIN, INT_MAX>},
    {"nftables_ipvs_start_fwmark", keep<g, kind::uint, 0, UINT_MAX>},
    // LVS.
    {"lvs_sync_daemon", keep<g, kind::words>},
    {"lvs_timeouts", keep<g, kind::words>},
    {"lvs_flush", keep<g, kind::none>},
    {"lvs_flush_on_stop", keep<g, kind::opt_words>},
    {"rs_init_notifies", keep<g, kind::none>},
    // SNMP, D-Bus, FIFOs.
    {"snmp_socket", keep<g, kind::word>},
    {"enable_snmp_vrrp", keep<g, kind::none>},
    {"enable_snmp_keepalived", keep<g, kind::none>},
    {"enable_snmp_checker", keep<g, kind::none>},
    {"enable_snmp_rfc", keep<g, kind::none>},
    {"enable_snmp_rfcv2", keep<g, kind::none>},
    {"enable_snmp_rfcv3", keep<g, kind::none>},
    {"enable_traps", keep<g, kind::none>},
    {"enable_dbus", keep<g, kind::none>},
    {"dbus_service_name", keep<g, kind::word>},
    {"notify_fifo", keep<g, kind::words>},
    {"notify_fifo_script", keep<g, kind::words>},
    {"vrrp_notify_fifo", keep<g, kind::words>},
    {"vrrp_notify_fifo_script", keep<g, kind::words>},
    {"lvs_notify_fifo", keep<g, kind::words>},
    {"lvs_notify_fifo_script", keep<g, kind::words>},
    {"fifo_write_vrrp_states_on_reload", keep<g, kind::none>},
    // Netlink buffers.
    {"vrrp_netlink_cmd_rcv_bufs", keep<g, kind::uint, 0, UINT_MAX>},
    {"vrrp_netlink_cmd_rcv_bufs_force", keep<g, kind::flag>},
    {"vrrp_netlink_monitor_rcv_bufs", keep<g, kind::uint, 0, UINT_MAX>},
    {"vrrp_netlink_monitor_rcv_bufs_force", keep<g, kind::flag>},
    {"lvs_netlink_cmd_rcv_bufs", keep<g, kind::uint, 0, UINT_MAX>},
    {"lvs_netlink_cmd_rcv_bufs_force", keep<g, kind::flag>},
    {"lvs_netlink_monitor_rcv_bufs", keep<g, kind::uint, 0, UINT_MAX>},
    {"lvs_netlink_monitor_rcv_bufs_force", keep<g, kind::flag>},
    {"process_monitor_rcv_bufs", keep<g, kind::uint, 0, UINT_MAX>},
    {"process_monitor_rcv_bufs_force", keep<g, kind::flag>},
};

// Other spellings keepalived 2.2.7 reads (found by trying its binary's strings as
// keywords with keepalived -t). It warns only about vrrp_vmac_garp_intvl.
const std::vector<alias> k_global_aliases = {
    {"vrrp_rlimit_rtime", "vrrp_rlimit_rttime", false},
    {"checker_rlimit_rtime", "checker_rlimit_rttime", false},
    {"bfd_rlimit_rtime", "bfd_rlimit_rttime", false},
    {"lvs_flush_onstop", "lvs_flush_on_stop", false},
    {"lvs_process_name", "checker_process_name", false},
    {"vrrp_vmac_garp_intvl", "vrrp_garp_extra_if"},
};

} // namespace

void global_defs_block(context& c, top_state& t, const node& n) {
  no_args(c, n);
  if (!t.global_seen) c.cfg.global.where = n.keyword.where;
  t.global_seen = true;
  dispatch(c, "global_defs", c.cfg.global, n.children, k_global, k_global_aliases);
}

void top_setting(context& c, top_state&, const node& n) {
  kept& k = c.cfg.other[n.keyword.text];
  k.where = n.keyword.where;
  for (const word& w : n.args) k.words.push_back(w.text);
}

} // namespace ka::config::detail
