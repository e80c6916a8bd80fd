// global_defs, and the daemon settings written outside it, into the typed fields of
// parser/config_global.hpp: one table row per keyword. Keywords with a grammar of their
// own are read in validate_global_args.cpp. Which of them the daemon acts on is decided
// in validate_common.cpp (k_in_effect), not here.
#include <climits>

#include "parser/validate_blocks.hpp"
#include "parser/validate_global.hpp"

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

// ---------------------------------------------------------------- nested fields
// Rows for the fields inside global_defs' nested structs: Ms is the path of member
// pointers (&g::checker, &process_sched::rt_priority), followed left to right.
template <auto... Ms>
auto& field(global_defs& gd) {
  return (gd .* ... .* Ms);
}

template <class F>
using value_t = typename value_of<std::decay_t<F>>::type;

// Microseconds as seconds for messages: 4294967295 -> "4294.967295", 1000 -> "0.001".
std::string micros(long long us) {
  std::string frac = std::to_string(us % 1000000);
  frac = std::string(6 - frac.size(), '0') + frac;
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return std::to_string(us / 1000000) + (frac.empty() ? "" : "." + frac);
}

template <long long Lo, long long Hi, auto... Ms>
void u(context& c, global_defs& gd, const node& n) {
  auto& f = field<Ms...>(gd);
  f = static_cast<value_t<decltype(f)>>(integer_arg(n, 0, Lo, Hi));
  no_more_args(c, n, 1);
}

template <long long Lo, long long Hi, auto... Ms>
void s(context& c, global_defs& gd, const node& n) {
  auto& f = field<Ms...>(gd);
  f = static_cast<value_t<decltype(f)>>(signed_arg(n, 0, Lo, Hi));
  no_more_args(c, n, 1);
}

// Seconds with a fraction, as keepalived reads them: at most six decimals (microseconds),
// Lo and Hi in microseconds.
template <long long LoUs, long long HiUs, auto... Ms>
void secs(context& c, global_defs& gd, const node& n) {
  const word& w = arg(n, 0);
  auto v = parse_decimal(w.text);
  auto dot = w.text.find('.');
  bool fine = v && (dot == std::string::npos || w.text.size() - dot - 1 <= 6) && *v * 1e6 >= LoUs - 0.5 &&
              *v * 1e6 <= HiUs + 0.5;
  if (!fine)
    fail(w.where, q(w.text),
         "a number of seconds " + micros(LoUs) + ".." + micros(HiUs) + " (at most 6 decimals) for " + n.keyword.text);
  field<Ms...>(gd) = *v;
  no_more_args(c, n, 1);
}

// A repeat count: keepalived raises 0 to 1, with a complaint.
template <long long Hi, auto... Ms>
void repeat(context& c, global_defs& gd, const node& n) {
  auto v = integer_arg(n, 0, 0, Hi);
  if (v == 0) {
    c.diag(dkind::warning, n.args[0].where, n.keyword.text + " must be greater than 0, using 1");
    v = 1;
  }
  auto& f = field<Ms...>(gd);
  f = static_cast<value_t<decltype(f)>>(v);
  no_more_args(c, n, 1);
}

// `KEYWORD [<BOOL>]`: absent means true.
template <auto... Ms>
void flag(context& c, global_defs& gd, const node& n) {
  field<Ms...>(gd) = flag_arg(c, n);
}

// `KEYWORD` alone.
template <auto... Ms>
void on(context& c, global_defs& gd, const node& n) {
  field<Ms...>(gd) = true;
  no_args(c, n);
}

template <auto... Ms>
void text(context& c, global_defs& gd, const node& n) {
  field<Ms...>(gd) = single_arg(c, n);
}

template <auto... Ms>
void opt_text(context& c, global_defs& gd, const node& n) {
  field<Ms...>(gd) = optional_word(c, n);
}

template <auto... Ms>
void file(context& c, global_defs& gd, const node& n) {
  field<Ms...>(gd) = file_as_args(c, n);
}

// CPU lists of the checker and BFD processes, checked as vrrp_cpu_affinity.
template <auto M>
void affinity(context&, global_defs& gd, const node& n) {
  auto& cpus = (gd.*M).cpu_affinity;
  cpus.clear();
  arg(n, 0);
  for (std::size_t i = 0; i < n.args.size(); ++i) cpus.push_back(static_cast<int>(integer_arg(n, i, 0, 1023)));
}

// ---------------------------------------------------------------- structured keywords
void g_umask(context&, global_defs& gd, const node& n) { gd.process.umask = umask_args(n); }
void g_include_check(context&, global_defs& gd, const node& n) { gd.process.include_check = include_check_args(n); }
void g_script_user(context& c, global_defs& gd, const node& n) { gd.process.script_user = script_user_args(c, n); }
void g_max_auto(context& c, global_defs& gd, const node& n) { gd.process.max_auto_priority = max_auto_priority_args(c, n); }
void g_sync_daemon(context&, global_defs& gd, const node& n) { gd.lvs.sync_daemon = lvs_sync_daemon_args(n); }
void g_lvs_timeouts(context&, global_defs& gd, const node& n) { gd.lvs.timeouts = lvs_timeouts_args(n); }
void g_flush_on_stop(context& c, global_defs& gd, const node& n) { gd.lvs.lvs_flush_on_stop = flush_on_stop_args(c, n); }
void g_rx_policy(context&, global_defs& gd, const node& n) { gd.vrrp.vrrp_rx_bufs_policy = rx_bufs_policy_args(n); }
void g_garp_extra_if(context&, global_defs& gd, const node& n) { gd.vrrp.vrrp_garp_extra_if = garp_extra_if_args(n); }
void g_dynamic(context& c, global_defs& gd, const node& n) { gd.vrrp.dynamic = dynamic_interfaces_args(c, n); }
void g_iptables(context& c, global_defs& gd, const node& n) { gd.fw.vrrp_iptables = iptables_args(c, n); }

void g_default_interface(context& c, global_defs& gd, const node& n) {
  gd.vrrp.default_interface = interface_arg(n, arg(n, 0));
  note_interface(c, n.args[0].text, n.args[0].where);
  no_more_args(c, n, 1);
}

// `vrrp_ipsets [NAME ...]`: up to five names; none means no ipsets.
void g_mcast4(context& c, global_defs& gd, const node& n) {
  gd.vrrp.vrrp_mcast_group4 = multicast_arg(n, arg(n, 0), multicast::v4);
  no_more_args(c, n, 1);
}

void g_mcast6(context& c, global_defs& gd, const node& n) {
  gd.vrrp.vrrp_mcast_group6 = multicast_arg(n, arg(n, 0), multicast::v6_link_local);
  no_more_args(c, n, 1);
}

void g_ipsets(context& c, global_defs& gd, const node& n) {
  auto& names = gd.fw.vrrp_ipsets.emplace();
  for (std::size_t i = 0; i < n.args.size() && i < 5; ++i) names.push_back(n.args[i].text);
  no_more_args(c, n, 5);
}

constexpr long long k_secs_max = UINT_MAX / 1000000;  // keepalived's timer range

using ps = process_sched;
using po = process_options;
using mo = mail_options;
using vd = vrrp_defaults;
using fw = firewall;
using lo = lvs_options;
using sd = snmp_dbus;
using nf = notify_fifo;
using nb = netlink_buffers;

constexpr handler<global_defs> k_global[] = {
    {"router_id", text_field<g, &g::router_id>},
    {"notification_email", g_email, block_use::required},
    {"notification_email_from", text_field<g, &g::notification_email_from>},
    {"smtp_server", g_smtp_server},
    {"smtp_connect_timeout", g_smtp_timeout},
    {"vrrp_version", uint_field<g, &g::vrrp_version, 2, 3>},
    {"admin_socket", g_admin_socket},                 // our extension
    {"admin_group", text_field<g, &g::admin_group>},  // our extension
    {"metrics_listen", g_metrics_listen},             // our extension: Prometheus metrics
    {"vrrp_cpu_affinity", g_cpu_affinity},
    {"vrrp_rt_priority", uint_field<g, &g::vrrp_rt_priority, 1, 99>},
    {"vrrp_priority", sint_field<g, &g::vrrp_priority, -20, 19>},
    {"vrrp_no_swap", g_vrrp_no_swap},
    {"vrrp_rlimit_rttime", uint_field<g, &g::vrrp_rlimit_rttime, 1, UINT_MAX>},
    // The other processes' scheduling.
    {"checker_cpu_affinity", affinity<&g::checker>},
    {"bfd_cpu_affinity", affinity<&g::bfd>},
    {"checker_rt_priority", u<1, 99, &g::checker, &ps::rt_priority>},
    {"bfd_rt_priority", u<1, 99, &g::bfd, &ps::rt_priority>},
    {"checker_priority", s<-20, 19, &g::checker, &ps::priority>},
    {"bfd_priority", s<-20, 19, &g::bfd, &ps::priority>},
    {"checker_no_swap", on<&g::checker, &ps::no_swap>},
    {"bfd_no_swap", on<&g::bfd, &ps::no_swap>},
    {"checker_rlimit_rttime", u<1, UINT_MAX, &g::checker, &ps::rlimit_rttime>},
    {"bfd_rlimit_rttime", u<1, UINT_MAX, &g::bfd, &ps::rlimit_rttime>},
    {"max_auto_priority", g_max_auto},
    {"min_auto_priority_delay", u<1, 10000000, &g::process, &po::min_auto_priority_delay>},
    // Processes, files, scripts.
    {"process_names", on<&g::process, &po::process_names>},
    {"process_name", text<&g::process, &po::process_name>},
    {"vrrp_process_name", text<&g::process, &po::vrrp_process_name>},
    {"checker_process_name", text<&g::process, &po::checker_process_name>},
    {"bfd_process_name", text<&g::process, &po::bfd_process_name>},
    {"tmp_config_directory", text<&g::process, &po::tmp_config_directory>},
    {"config_save_dir", text<&g::process, &po::config_save_dir>},
    {"startup_script", file<&g::process, &po::startup_script>},
    {"startup_script_timeout", u<1, 1000, &g::process, &po::startup_script_timeout>},
    {"shutdown_script", file<&g::process, &po::shutdown_script>},
    {"shutdown_script_timeout", u<1, 1000, &g::process, &po::shutdown_script_timeout>},
    {"script_user", g_script_user},
    {"enable_script_security", on<&g::process, &po::enable_script_security>},
    {"umask", g_umask},
    {"random_seed", u<0, UINT_MAX, &g::process, &po::random_seed>},
    {"reload_check_config", opt_text<&g::process, &po::reload_check_config>},
    {"include_check", g_include_check},
    {"reload_time_file", text<&g::process, &po::reload_time_file>},
    {"reload_repeat", on<&g::process, &po::reload_repeat>},
    {"reload_file", opt_text<&g::process, &po::reload_file>},
    {"data_use_instance", flag<&g::process, &po::data_use_instance>},
    // Mail.
    {"smtp_helo_name", text<&g::mail, &mo::smtp_helo_name>},
    {"smtp_alert", flag<&g::mail, &mo::smtp_alert>},
    {"smtp_alert_vrrp", flag<&g::mail, &mo::smtp_alert_vrrp>},
    {"smtp_alert_checker", flag<&g::mail, &mo::smtp_alert_checker>},
    {"checker_log_all_failures", flag<&g::mail, &mo::checker_log_all_failures>},
    {"no_email_faults", on<&g::mail, &mo::no_email_faults>},
    {"no_checker_emails", on<&g::mail, &mo::no_checker_emails>},
    // VRRP defaults.
    {"vrrp_mcast_group4", g_mcast4},
    {"vrrp_mcast_group6", g_mcast6},
    {"default_interface", g_default_interface},
    {"vrrp_garp_master_delay", u<0, k_secs_max, &g::vrrp, &vd::vrrp_garp_master_delay>},
    {"vrrp_garp_master_repeat", repeat<UINT_MAX, &g::vrrp, &vd::vrrp_garp_master_repeat>},
    {"vrrp_garp_lower_prio_delay", u<0, k_secs_max, &g::vrrp, &vd::vrrp_garp_lower_prio_delay>},
    {"vrrp_garp_lower_prio_repeat", u<0, INT_MAX, &g::vrrp, &vd::vrrp_garp_lower_prio_repeat>},
    {"vrrp_garp_master_refresh", u<0, UINT_MAX, &g::vrrp, &vd::vrrp_garp_master_refresh>},
    {"vrrp_garp_master_refresh_repeat", repeat<UINT_MAX, &g::vrrp, &vd::vrrp_garp_master_refresh_repeat>},
    {"vrrp_garp_interval", secs<1, UINT_MAX, &g::vrrp, &vd::vrrp_garp_interval>},
    {"vrrp_gna_interval", secs<1, UINT_MAX, &g::vrrp, &vd::vrrp_gna_interval>},
    {"vrrp_min_garp", flag<&g::vrrp, &vd::vrrp_min_garp>},
    {"vrrp_garp_extra_if", g_garp_extra_if},
    {"vrrp_down_timer_adverts", u<1, 100, &g::vrrp, &vd::vrrp_down_timer_adverts>},
    {"vrrp_lower_prio_no_advert", flag<&g::vrrp, &vd::vrrp_lower_prio_no_advert>},
    {"vrrp_higher_prio_send_advert", flag<&g::vrrp, &vd::vrrp_higher_prio_send_advert>},
    {"vrrp_check_unicast_src", on<&g::vrrp, &vd::vrrp_check_unicast_src>},
    {"vrrp_skip_check_adv_addr", on<&g::vrrp, &vd::vrrp_skip_check_adv_addr>},
    {"vrrp_strict", on<&g::vrrp, &vd::vrrp_strict>},
    {"vrrp_notify_priority_changes", flag<&g::vrrp, &vd::vrrp_notify_priority_changes>},
    {"vrrp_startup_delay", secs<1000, UINT_MAX, &g::vrrp, &vd::vrrp_startup_delay>},
    {"log_unknown_vrids", on<&g::vrrp, &vd::log_unknown_vrids>},
    {"vmac_prefix", text<&g::vrrp, &vd::vmac_prefix>},
    {"vmac_addr_prefix", text<&g::vrrp, &vd::vmac_addr_prefix>},
    {"vrrp_rx_bufs_policy", g_rx_policy},
    {"vrrp_rx_bufs_multiplier", u<1, UINT_MAX, &g::vrrp, &vd::vrrp_rx_bufs_multiplier>},
    {"dynamic_interfaces", g_dynamic},
    {"disable_local_igmp", on<&g::vrrp, &vd::disable_local_igmp>},
    // Firewalling.
    {"vrrp_iptables", g_iptables},
    {"vrrp_ipsets", g_ipsets},
    {"nftables", opt_text<&g::fw, &fw::nftables>},
    {"nftables_priority", s<INT_MIN, INT_MAX, &g::fw, &fw::nftables_priority>},
    {"nftables_counters", on<&g::fw, &fw::nftables_counters>},
    {"nftables_ifindex", on<&g::fw, &fw::nftables_ifindex>},
    {"nftables_ipvs", opt_text<&g::fw, &fw::nftables_ipvs>},
    {"nftables_ipvs_priority", s<INT_MIN, INT_MAX, &g::fw, &fw::nftables_ipvs_priority>},
    {"nftables_ipvs_start_fwmark", u<1, UINT_MAX, &g::fw, &fw::nftables_ipvs_start_fwmark>},
    // LVS.
    {"lvs_sync_daemon", g_sync_daemon},
    {"lvs_timeouts", g_lvs_timeouts},
    {"lvs_flush", on<&g::lvs, &lo::lvs_flush>},
    {"lvs_flush_on_stop", g_flush_on_stop},
    {"rs_init_notifies", on<&g::lvs, &lo::rs_init_notifies>},
    // SNMP, D-Bus, FIFOs.
    {"snmp_socket", text<&g::snmp, &sd::snmp_socket>},
    {"enable_snmp_vrrp", on<&g::snmp, &sd::enable_snmp_vrrp>},
    {"enable_snmp_keepalived", on<&g::snmp, &sd::enable_snmp_keepalived>},
    {"enable_snmp_checker", on<&g::snmp, &sd::enable_snmp_checker>},
    {"enable_snmp_rfc", on<&g::snmp, &sd::enable_snmp_rfc>},
    {"enable_snmp_rfcv2", on<&g::snmp, &sd::enable_snmp_rfcv2>},
    {"enable_snmp_rfcv3", on<&g::snmp, &sd::enable_snmp_rfcv3>},
    {"enable_traps", on<&g::snmp, &sd::enable_traps>},
    {"enable_dbus", on<&g::snmp, &sd::enable_dbus>},
    {"dbus_service_name", text<&g::snmp, &sd::dbus_service_name>},
    {"notify_fifo", file<&g::fifo, &fifos::notify, &nf::fifo>},
    {"notify_fifo_script", file<&g::fifo, &fifos::notify, &nf::script>},
    {"vrrp_notify_fifo", file<&g::fifo, &fifos::vrrp, &nf::fifo>},
    {"vrrp_notify_fifo_script", file<&g::fifo, &fifos::vrrp, &nf::script>},
    {"lvs_notify_fifo", file<&g::fifo, &fifos::lvs, &nf::fifo>},
    {"lvs_notify_fifo_script", file<&g::fifo, &fifos::lvs, &nf::script>},
    {"fifo_write_vrrp_states_on_reload", on<&g::fifo, &fifos::fifo_write_vrrp_states_on_reload>},
    // Netlink buffers.
    {"vrrp_netlink_cmd_rcv_bufs", u<0, UINT_MAX, &g::netlink, &nb::vrrp_netlink_cmd, &rcv_buf::bytes>},
    {"vrrp_netlink_cmd_rcv_bufs_force", flag<&g::netlink, &nb::vrrp_netlink_cmd, &rcv_buf::force>},
    {"vrrp_netlink_monitor_rcv_bufs", u<0, UINT_MAX, &g::netlink, &nb::vrrp_netlink_monitor, &rcv_buf::bytes>},
    {"vrrp_netlink_monitor_rcv_bufs_force", flag<&g::netlink, &nb::vrrp_netlink_monitor, &rcv_buf::force>},
    {"lvs_netlink_cmd_rcv_bufs", u<0, UINT_MAX, &g::netlink, &nb::lvs_netlink_cmd, &rcv_buf::bytes>},
    {"lvs_netlink_cmd_rcv_bufs_force", flag<&g::netlink, &nb::lvs_netlink_cmd, &rcv_buf::force>},
    {"lvs_netlink_monitor_rcv_bufs", u<0, UINT_MAX, &g::netlink, &nb::lvs_netlink_monitor, &rcv_buf::bytes>},
    {"lvs_netlink_monitor_rcv_bufs_force", flag<&g::netlink, &nb::lvs_netlink_monitor, &rcv_buf::force>},
    {"process_monitor_rcv_bufs", u<0, UINT_MAX, &g::netlink, &nb::process_monitor, &rcv_buf::bytes>},
    {"process_monitor_rcv_bufs_force", flag<&g::netlink, &nb::process_monitor, &rcv_buf::force>},
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

// The daemon settings keepalived reads at the top level (not inside global_defs), one
// function for all of them so that the top-level table lists them as before.
void top_setting(context& c, top_state&, const node& n) {
  daemon_settings& d = c.cfg.daemon;
  const std::string& k = n.keyword.text;
  if (k == "net_namespace") d.net_namespace = single_arg(c, n);
  else if (k == "net_namespace_ipvs") d.net_namespace_ipvs = optional_word(c, n);
  else if (k == "instance") d.instance = single_arg(c, n);
  else if (k == "child_wait_time") {
    d.child_wait_time = static_cast<unsigned>(integer_arg(n, 0, 0, UINT_MAX));
    no_more_args(c, n, 1);
  } else {
    bool* flag = k == "namespace_with_ipsets" ? &d.namespace_with_ipsets
                 : k == "use_pid_dir"         ? &d.use_pid_dir
                 : k == "linkbeat_use_polling" ? &d.linkbeat_use_polling
                                               : nullptr;
    if (!flag) fail(n.keyword.where, q(k), "a daemon setting known to top_setting()");  // a k_top row without a case here
    *flag = true;
    no_args(c, n);  // keepalived ignores words after these
  }
}

} // namespace ka::config::detail
