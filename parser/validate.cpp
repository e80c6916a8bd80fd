// Syntax tree -> config model. One table of keyword handlers per block kind
// (top level, global_defs, vrrp_instance, authentication); everything the tables
// do not handle goes to report_unhandled(): a not_acted_on diagnostic for the
// keepalived.conf(5) vocabulary listed below, unknown_keyword otherwise.
#include "parser/validate.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string_view>
#include <tuple>

#include "parser/load.hpp"

namespace ka::config {
namespace {

using syntax::node;
using syntax::word;
using dkind = diagnostic::kind;

// ------------------------------------------------------------------ vocabulary
// Keywords of keepalived.conf(5) (keepalived 2.2.7) that we recognise but do not
// act on yet, per block. Their blocks are skipped without looking inside.
constexpr std::string_view k_top_not_acted[] = {
    // global daemon facilities (outside global_defs)
    "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "instance", "use_pid_dir",
    "linkbeat_use_polling", "child_wait_time",
    // other top-level blocks
    "linkbeat_interfaces", "track_group", "static_ipaddress", "static_routes", "static_rules",
    "track_file", "vrrp_track_file", "vrrp_track_process", "bfd_instance", "vrrp_script",
    "vrrp_sync_group", "garp_group", "interface_up_down_delays", "virtual_server_group",
    "virtual_server"};

constexpr std::string_view k_global_not_acted[] = {
    "tmp_config_directory", "config_save_dir", "process_names", "process_name",
    "vrrp_process_name", "checker_process_name", "bfd_process_name", "startup_script",
    "startup_script_timeout", "shutdown_script", "shutdown_script_timeout", "smtp_helo_name",
    "smtp_alert", "smtp_alert_vrrp", "smtp_alert_checker", "checker_log_all_failures",
    "no_email_faults", "vrrp_mcast_group4", "vrrp_mcast_group6", "default_interface",
    "lvs_sync_daemon", "lvs_timeouts", "lvs_flush", "lvs_flush_on_stop", "vrrp_garp_master_delay",
    "vrrp_garp_master_repeat", "vrrp_garp_lower_prio_delay", "vrrp_down_timer_adverts",
    "vrrp_garp_lower_prio_repeat", "vrrp_garp_master_refresh", "vrrp_garp_master_refresh_repeat",
    "vrrp_garp_interval", "vrrp_gna_interval", "vrrp_min_garp", "vrrp_garp_extra_if",
    "vrrp_lower_prio_no_advert", "vrrp_higher_prio_send_advert", "nftables", "nftables_priority",
    "nftables_counters", "nftables_ifindex", "nftables_ipvs", "nftables_ipvs_priority",
    "nftables_ipvs_start_fwmark", "vrrp_iptables", "vrrp_ipsets", "disable_local_igmp",
    "vrrp_check_unicast_src", "vrrp_skip_check_adv_addr", "vrrp_strict",
    "vrrp_notify_priority_changes", "max_auto_priority", "min_auto_priority_delay",
    "checker_priority", "bfd_priority", "checker_no_swap",
    "bfd_no_swap", "checker_cpu_affinity", "bfd_cpu_affinity",
    "checker_rt_priority", "bfd_rt_priority",
    "checker_rlimit_rttime", "bfd_rlimit_rttime", "snmp_socket", "enable_snmp_vrrp",
    "enable_snmp_checker", "enable_snmp_rfc", "enable_snmp_rfcv2", "enable_snmp_rfcv3",
    "enable_traps", "enable_dbus", "dbus_service_name", "script_user", "enable_script_security",
    "notify_fifo", "notify_fifo_script", "vrrp_notify_fifo", "vrrp_notify_fifo_script",
    "lvs_notify_fifo", "lvs_notify_fifo_script", "fifo_write_vrrp_states_on_reload",
    "dynamic_interfaces", "vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force",
    "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force",
    "lvs_netlink_cmd_rcv_bufs", "lvs_netlink_cmd_rcv_bufs_force", "lvs_netlink_monitor_rcv_bufs",
    "lvs_netlink_monitor_rcv_bufs_force", "process_monitor_rcv_bufs",
    "process_monitor_rcv_bufs_force", "vrrp_rx_bufs_policy", "vrrp_rx_bufs_multiplier",
    "rs_init_notifies", "no_checker_emails", "umask", "vrrp_startup_delay", "log_unknown_vrids",
    "vmac_prefix", "vmac_addr_prefix", "random_seed", "reload_check_config", "include_check",
    "reload_time_file", "reload_repeat", "reload_file", "data_use_instance"};

constexpr std::string_view k_instance_not_acted[] = {
    "vrf", "use_vmac", "use_vmac_addr", "vmac_xmit_base", "use_ipvlan", "native_ipv6",
    "dont_track_primary", "track_interface", "track_script", "track_file", "track_process",
    "track_bfd", "mcast_src_ip", "unicast_src_ip", "mcast_dst_ip", "track_src_ip",
    "check_unicast_src", "unicast_peer", "unicast_fault_no_peer", "unicast_ttl",
    "old_unicast_checksum", "garp_lower_prio_delay", "garp_lower_prio_repeat",
    "garp_master_refresh", "garp_master_refresh_repeat", "garp_extra_if", "down_timer_adverts",
    "lower_prio_no_advert", "higher_prio_send_advert", "virtual_ipaddress_excluded",
    "promote_secondaries", "virtual_routes", "virtual_rules", "accept", "no_accept",
    "skip_check_adv_addr", "strict_mode", "debug", "notify_master_rx_lower_pri",
    "notify_deleted", "notify_priority_changes", "smtp_alert", "kernel_rx_buf_size",
    "linkbeat_use_polling"};

constexpr std::string_view k_no_words[] = {"{"};  // a block with no extra vocabulary

// virtual_ipaddress entry options (man page) that take a value / are flags, not acted on.
constexpr std::string_view k_vip_valued_not_acted[] = {"peer", "preferred_lft"};
constexpr std::string_view k_vip_flags_not_acted[] = {
    "use_vmac", "home", "-nodad", "mngtmpaddr", "noprefixroute", "autojoin", "no_track"};
constexpr std::string_view k_scopes[] = {"host", "link", "site", "global", "nowhere"};

template <std::size_t N>
bool listed(const std::string_view (&list)[N], std::string_view keyword) {
  return std::find(std::begin(list), std::end(list), keyword) != std::end(list);
}

// ------------------------------------------------------------------ helpers
std::string q(const std::string& s) { return "'" + s + "'"; }

std::string num(double d) {
  std::ostringstream o;
  o << d;
  return o.str();
}

[[noreturn]] void fail(const source_pos& at, std::string found, std::string expected) {
  throw config_error(at, std::move(found), std::move(expected));
}

// A config of a million extra words must not keep a million messages: after
// k_max_diagnostics, the rest are only counted, and summarised by finish_diagnostics().
constexpr std::size_t k_max_diagnostics = 1000;

struct context {
  config& cfg;
  std::size_t dropped = 0;
  bool dropped_unknown = false;  // -t fails on unknown keywords, also on the dropped ones
  source_pos first_dropped;
  void diag(dkind k, const source_pos& at, std::string message) {
    if (cfg.diagnostics.size() < k_max_diagnostics) {
      cfg.diagnostics.push_back(diagnostic{k, at, std::move(message)});
      return;
    }
    if (dropped++ == 0) first_dropped = at;
    dropped_unknown = dropped_unknown || k == dkind::unknown_keyword;
  }
  void finish_diagnostics() {
    if (dropped == 0) return;
    cfg.diagnostics.push_back(diagnostic{dropped_unknown ? dkind::unknown_keyword : dkind::warning,
                                         first_dropped,
                                         std::to_string(dropped) + " more diagnostics from here on not shown" +
                                             (dropped_unknown ? " (unknown keywords among them)" : "")});
  }
};

const word& arg(const node& n, std::size_t i) {
  if (i >= n.args.size()) fail(n.keyword.where, "end of line", "a value for " + n.keyword.text);
  return n.args[i];
}

void no_more_args(context& c, const node& n, std::size_t used) {
  for (std::size_t i = used; i < n.args.size(); ++i)
    c.diag(dkind::warning, n.args[i].where,
           "extra argument " + q(n.args[i].text) + " to " + n.keyword.text + " ignored");
}

// Decimal digits only, as keepalived's read_unsigned (no sign, no base prefix).
std::optional<long long> parse_uint(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  long long v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  return v;
}

// digits[.digits] or .digits; no sign, no exponent.
std::optional<double> parse_decimal(const std::string& s) {
  auto dot = s.find('.');
  std::string whole = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  auto digits = [](const std::string& t) {
    return std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  };
  if (whole.size() + frac.size() == 0 || whole.size() > 12 || !digits(whole) || !digits(frac))
    return std::nullopt;
  if (dot != std::string::npos && frac.empty()) return std::nullopt;
  // from_chars, not stod: a value too small for a double (`0.000...1`, 310 zeros) must
  // be an error in the config, not an exception that aborts the daemon.
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

long long integer_arg(const node& n, std::size_t i, long long lo, long long hi) {
  const word& w = arg(n, i);
  auto v = parse_uint(w.text);
  if (!v || *v < lo || *v > hi)
    fail(w.where, q(w.text),
         "an integer " + std::to_string(lo) + ".." + std::to_string(hi) + " for " + n.keyword.text);
  return *v;
}

double seconds_arg(const node& n, std::size_t i, double lo, double hi) {
  const word& w = arg(n, i);
  auto v = parse_decimal(w.text);
  if (!v || *v < lo || *v > hi)
    fail(w.where, q(w.text), "a number of seconds " + num(lo) + ".." + num(hi) + " for " + n.keyword.text);
  return *v;
}

std::string single_arg(context& c, const node& n) {
  std::string v = arg(n, 0).text;
  no_more_args(c, n, 1);
  return v;
}

void no_args(context& c, const node& n) { no_more_args(c, n, 0); }

// Linux interface names: 1..15 bytes (IFNAMSIZ - 1), no '/', ':' or whitespace.
std::string interface_arg(const node& n, const word& w) {
  bool bad = w.text.empty() || w.text.size() > 15 ||
             w.text.find_first_of("/: \t") != std::string::npos || w.text == "." || w.text == "..";
  if (bad) fail(w.where, q(w.text), "an interface name of 1..15 bytes for " + n.keyword.text);
  return w.text;
}

// ------------------------------------------------------------------ tables
enum class block_use { forbidden, required };

template <class Target>
struct handler {
  std::string_view keyword;
  void (*fn)(context&, Target&, const node&);
  block_use block;
};

void check_block(const node& n, block_use use) {
  if (use == block_use::required && !n.has_block)
    fail(n.keyword.where, "end of line", "'{' starting the block of " + n.keyword.text);
  if (use == block_use::forbidden && n.has_block)
    fail(n.block_open, "'{'", "end of line (" + n.keyword.text + " takes no block)");
}

void report_unhandled(context& c, const node& n, bool recognised) {
  const std::string& kw = n.keyword.text;
  const source_pos& at = n.keyword.where;
  // @ID, $NAME and ~SEQ lines never get here (parser/preprocess.cpp): what still starts
  // with one of them is text keepalived would not take either, an unknown keyword.
  if (recognised)
    c.diag(dkind::not_acted_on, at,
           "keyword " + q(kw) + " is not acted on by this version" + (n.has_block ? "; block skipped" : ""));
  else
    c.diag(dkind::unknown_keyword, at, "unknown keyword " + q(kw));
}

template <class Target, std::size_t N, std::size_t M>
void dispatch(context& c, Target& target, const std::vector<node>& nodes, const handler<Target> (&table)[N],
              const std::string_view (&not_acted)[M]) {
  for (const node& n : nodes) {
    auto h = std::find_if(std::begin(table), std::end(table),
                          [&](const handler<Target>& e) { return e.keyword == n.keyword.text; });
    if (h == std::end(table)) {
      report_unhandled(c, n, listed(not_acted, n.keyword.text));
      continue;
    }
    check_block(n, h->block);
    h->fn(c, target, n);
  }
}

// ------------------------------------------------------------------ global_defs
void g_router_id(context& c, global_defs& g, const node& n) { g.router_id = single_arg(c, n); }
// The mail settings are kept in the model for the SMTP alerts still to come; until then
// the operator is told that no mail will be sent.
void mail_not_sent(context& c, const node& n) {
  c.diag(dkind::not_acted_on, n.keyword.where,
         q(n.keyword.text) + " is kept but not acted on yet: this version sends no e-mail");
}

void g_email_from(context& c, global_defs& g, const node& n) {
  g.notification_email_from = single_arg(c, n);
  mail_not_sent(c, n);
}

void g_email(context& c, global_defs& g, const node& n) {
  mail_not_sent(c, n);
  for (const node& e : n.children) {
    check_block(e, block_use::forbidden);
    g.notification_email.push_back(e.keyword.text);
    for (const word& extra : e.args)
      c.diag(dkind::warning, extra.where, "extra word " + q(extra.text) + " in notification_email ignored");
  }
}

void g_smtp_server(context& c, global_defs& g, const node& n) {
  mail_not_sent(c, n);
  g.smtp_server = arg(n, 0).text;
  if (n.args.size() > 1) g.smtp_port = static_cast<int>(integer_arg(n, 1, 1, 65535));
  no_more_args(c, n, 2);
}

void g_smtp_timeout(context& c, global_defs& g, const node& n) {
  // keepalived: unsigned 0..UINT_MAX/TIMER_HZ seconds; 0 is raised to 1.
  mail_not_sent(c, n);
  auto v = integer_arg(n, 0, 0, UINT_MAX / 1000000);
  if (v == 0) {
    c.diag(dkind::warning, n.args[0].where, "smtp_connect_timeout must be greater than 0, using 1");
    v = 1;
  }
  g.smtp_connect_timeout = static_cast<double>(v);
  no_more_args(c, n, 1);
}

void g_vrrp_version(context& c, global_defs& g, const node& n) {
  g.vrrp_version = static_cast<int>(integer_arg(n, 0, 2, 3));
  no_more_args(c, n, 1);
}

void g_admin_socket(context& c, global_defs& g, const node& n) {
  const word& w = arg(n, 0);
  if (w.text.empty() || w.text[0] != '/') fail(w.where, q(w.text), "an absolute path for admin_socket");
  g.admin_socket = w.text;
  no_more_args(c, n, 1);
}

void g_admin_group(context& c, global_defs& g, const node& n) { g.admin_group = single_arg(c, n); }

// Scheduling of the advert thread: keepalived's VRRP process knobs, same ranges.
void g_vrrp_cpu_affinity(context&, global_defs& g, const node& n) {
  g.vrrp_cpu_affinity.clear();
  arg(n, 0);  // at least one CPU
  for (std::size_t i = 0; i < n.args.size(); ++i)
    g.vrrp_cpu_affinity.push_back(static_cast<int>(integer_arg(n, i, 0, 1023)));
}

void g_vrrp_rt_priority(context& c, global_defs& g, const node& n) {
  g.vrrp_rt_priority = static_cast<int>(integer_arg(n, 0, 1, 99));
  no_more_args(c, n, 1);
}

void g_vrrp_priority(context& c, global_defs& g, const node& n) {
  const word& w = arg(n, 0);
  bool negative = !w.text.empty() && w.text[0] == '-';
  auto v = parse_uint(negative ? w.text.substr(1) : w.text);
  if (!v || (negative ? *v > 20 : *v > 19))
    fail(w.where, q(w.text), "an integer -20..19 for " + n.keyword.text);
  g.vrrp_priority = static_cast<int>(negative ? -*v : *v);
  no_more_args(c, n, 1);
}

void g_vrrp_no_swap(context& c, global_defs& g, const node& n) {
  g.vrrp_no_swap = true;
  no_args(c, n);
}

void g_vrrp_rlimit_rttime(context& c, global_defs& g, const node& n) {
  g.vrrp_rlimit_rttime = static_cast<long>(integer_arg(n, 0, 2, LONG_MAX / 2));
  no_more_args(c, n, 1);
}

constexpr handler<global_defs> k_global_handlers[] = {
    {"router_id", g_router_id, block_use::forbidden},
    {"notification_email", g_email, block_use::required},
    {"notification_email_from", g_email_from, block_use::forbidden},
    {"smtp_server", g_smtp_server, block_use::forbidden},
    {"smtp_connect_timeout", g_smtp_timeout, block_use::forbidden},
    {"vrrp_version", g_vrrp_version, block_use::forbidden},
    {"admin_socket", g_admin_socket, block_use::forbidden},  // our extension
    {"admin_group", g_admin_group, block_use::forbidden},    // our extension
    {"vrrp_cpu_affinity", g_vrrp_cpu_affinity, block_use::forbidden},
    {"vrrp_rt_priority", g_vrrp_rt_priority, block_use::forbidden},
    {"vrrp_priority", g_vrrp_priority, block_use::forbidden},
    {"vrrp_no_swap", g_vrrp_no_swap, block_use::forbidden},
    {"vrrp_rlimit_rttime", g_vrrp_rlimit_rttime, block_use::forbidden},
};

// ------------------------------------------------------------------ vrrp_instance
struct instance_state {
  vrrp_instance inst;
  std::optional<source_pos> interface_at, vrid_at, version_at, auth_type_at, auth_pass_at;
  bool priority_set = false, state_set = false;
};

void i_state(context& c, instance_state& s, const node& n) {
  const word& w = arg(n, 0);
  if (w.text != "MASTER" && w.text != "BACKUP") fail(w.where, q(w.text), "MASTER or BACKUP for state");
  s.inst.initial_master = w.text == "MASTER";
  s.state_set = true;
  no_more_args(c, n, 1);
}

void i_interface(context& c, instance_state& s, const node& n) {
  s.inst.interface = interface_arg(n, arg(n, 0));
  s.interface_at = n.args[0].where;
  no_more_args(c, n, 1);
}

void i_vrid(context& c, instance_state& s, const node& n) {
  s.inst.vrid = static_cast<int>(integer_arg(n, 0, 1, 255));
  s.vrid_at = n.args[0].where;
  no_more_args(c, n, 1);
}

void i_priority(context& c, instance_state& s, const node& n) {
  s.inst.priority = static_cast<int>(integer_arg(n, 0, 1, 255));
  s.priority_set = true;
  no_more_args(c, n, 1);
}

void i_advert_int(context& c, instance_state& s, const node& n) {
  // keepalived reads 0.01..255 s; the version-dependent rounding is done in finish_instance().
  s.inst.advert_int = seconds_arg(n, 0, 0.01, 255);
  no_more_args(c, n, 1);
}

void i_version(context& c, instance_state& s, const node& n) {
  s.inst.version = static_cast<int>(integer_arg(n, 0, 2, 3));
  s.version_at = n.args[0].where;
  no_more_args(c, n, 1);
}

void i_nopreempt(context& c, instance_state& s, const node& n) {
  s.inst.nopreempt = true;
  no_args(c, n);
}

void i_preempt(context& c, instance_state& s, const node& n) {  // backwards compatibility
  s.inst.nopreempt = false;
  no_args(c, n);
}

void i_preempt_delay(context& c, instance_state& s, const node& n) {
  s.inst.preempt_delay = seconds_arg(n, 0, 0, 1000);
  no_more_args(c, n, 1);
}

void i_garp_delay(context& c, instance_state& s, const node& n) {
  s.inst.garp_master_delay = static_cast<double>(integer_arg(n, 0, 0, UINT_MAX / 1000000));
  no_more_args(c, n, 1);
}

void i_garp_repeat(context& c, instance_state& s, const node& n) {
  auto v = integer_arg(n, 0, 0, INT_MAX);
  if (v == 0) {
    c.diag(dkind::warning, n.args[0].where, "garp_master_repeat must be greater than 0, using 1");
    v = 1;
  }
  s.inst.garp_master_repeat = static_cast<int>(v);
  no_more_args(c, n, 1);
}

// notify* SCRIPT [username [groupname]]
std::string script_arg(context& c, const node& n) {
  if (n.args.size() > 1)
    c.diag(dkind::not_acted_on, n.args[1].where,
           "script user/group for " + n.keyword.text + " is not acted on by this version");
  no_more_args(c, n, 3);
  return arg(n, 0).text;
}

template <std::string vrrp_instance::*Hook>
void i_hook(context& c, instance_state& s, const node& n) {
  s.inst.*Hook = script_arg(c, n);
}

// authentication { auth_type PASS|AH  auth_pass SECRET }
void a_type(context& c, instance_state& s, const node& n) {
  const word& w = arg(n, 0);
  if (w.text == "AH")
    fail(w.where, q(w.text), "PASS for auth_type (IPsec AH authentication is not supported)");
  if (w.text != "PASS") fail(w.where, q(w.text), "PASS or AH for auth_type");
  s.inst.auth = auth_kind::pass;
  s.auth_type_at = n.keyword.where;
  no_more_args(c, n, 1);
}

void a_pass(context& c, instance_state& s, const node& n) {
  const word& w = arg(n, 0);
  s.inst.auth_pass = w.text;
  if (s.inst.auth_pass.size() > 8) {
    c.diag(dkind::warning, w.where, "auth_pass longer than 8 bytes: only the first 8 are used");
    s.inst.auth_pass.resize(8);
  }
  s.auth_pass_at = n.keyword.where;
  no_more_args(c, n, 1);
}

constexpr handler<instance_state> k_auth_handlers[] = {
    {"auth_type", a_type, block_use::forbidden},
    {"auth_pass", a_pass, block_use::forbidden},
};

void i_authentication(context& c, instance_state& s, const node& n) {
  no_args(c, n);
  dispatch(c, s, n.children, k_auth_handlers, k_no_words);
  if (s.inst.auth == auth_kind::pass && !s.auth_pass_at)
    fail(n.keyword.where, "auth_type PASS without auth_pass", "an auth_pass in the authentication block");
  if (s.inst.auth == auth_kind::none && s.auth_pass_at)
    c.diag(dkind::warning, *s.auth_pass_at, "auth_pass without auth_type PASS is ignored");
}

// virtual_ipaddress entries: ADDR[/PREFIX] [dev IF] [label L] [brd ADDR|+|-] [scope S] ...
void vip_address(virtual_ip& v, const word& w) {
  auto slash = w.text.find('/');
  auto addr = proto::ip_address::parse(w.text.substr(0, slash));
  if (!addr) fail(w.where, q(w.text), "an IPv4 or IPv6 address[/prefix] in virtual_ipaddress");
  v.addr = *addr;
  int max_prefix = addr->is_v4() ? 32 : 128;
  v.prefix_len = max_prefix;
  if (slash == std::string::npos) return;
  std::string prefix = w.text.substr(slash + 1);
  auto len = parse_uint(prefix);
  if (!len || *len > max_prefix) {
    source_pos at = w.where;
    at.column += static_cast<int>(slash) + 1 + (w.quoted ? 1 : 0);
    fail(at, q(prefix), "a prefix length 0.." + std::to_string(max_prefix) + " after '/'");
  }
  v.prefix_len = static_cast<int>(*len);
}

proto::ip_address host_bits(const virtual_ip& v, bool set) {
  proto::ip_address r = v.addr;
  for (int bit = v.prefix_len; bit < 32; ++bit) {
    auto mask = static_cast<std::uint8_t>(0x80u >> (bit % 8));
    auto& byte = r.bytes[static_cast<std::size_t>(bit / 8)];
    byte = static_cast<std::uint8_t>(set ? (byte | mask) : (byte & ~mask));
  }
  return r;
}

void vip_broadcast(virtual_ip& v, const word& w) {
  if (!v.addr.is_v4()) fail(w.where, q(w.text), "no brd for an IPv6 address");
  if (w.text == "+" || w.text == "-") {
    v.broadcast = host_bits(v, w.text == "+");
    return;
  }
  auto b = proto::ip_address::parse(w.text);
  if (!b || !b->is_v4()) fail(w.where, q(w.text), "an IPv4 broadcast address, '+' or '-' after brd");
  v.broadcast = *b;
}

void vip_option(context& c, virtual_ip& v, const node& e, std::size_t& i) {
  const word& opt = e.args[i];
  auto value = [&]() -> const word& {
    if (i + 1 >= e.args.size()) fail(opt.where, "end of line", "a value for " + opt.text);
    return e.args[++i];
  };
  if (opt.text == "dev") {
    v.dev = interface_arg(e, value());
  } else if (opt.text == "label") {
    v.label = value().text;
  } else if (opt.text == "brd") {
    vip_broadcast(v, value());
  } else if (opt.text == "scope") {
    const word& s = value();
    if (!listed(k_scopes, s.text)) fail(s.where, q(s.text), "host, link, site, global or nowhere for scope");
    v.scope = s.text;
  } else if (listed(k_vip_valued_not_acted, opt.text)) {
    value();
    c.diag(dkind::not_acted_on, opt.where, "virtual_ipaddress option " + q(opt.text) + " is not acted on by this version");
  } else if (listed(k_vip_flags_not_acted, opt.text)) {
    c.diag(dkind::not_acted_on, opt.where, "virtual_ipaddress option " + q(opt.text) + " is not acted on by this version");
  } else {
    c.diag(dkind::unknown_keyword, opt.where, "unknown virtual_ipaddress option " + q(opt.text));
  }
}

void i_vips(context& c, instance_state& s, const node& n) {
  no_args(c, n);
  for (const node& e : n.children) {
    check_block(e, block_use::forbidden);
    virtual_ip v;
    v.where = e.keyword.where;
    vip_address(v, e.keyword);
    for (std::size_t i = 0; i < e.args.size(); ++i) vip_option(c, v, e, i);
    const auto& vips = s.inst.vips;
    if (!vips.empty() && vips.front().addr.fam != v.addr.fam)
      fail(v.where, q(e.keyword.text),
           std::string(vips.front().addr.is_v4() ? "an IPv4" : "an IPv6") +
               " address like the first virtual_ipaddress entry (one address family per instance)");
    s.inst.vips.push_back(std::move(v));
  }
}

constexpr handler<instance_state> k_instance_handlers[] = {
    {"state", i_state, block_use::forbidden},
    {"interface", i_interface, block_use::forbidden},
    {"virtual_router_id", i_vrid, block_use::forbidden},
    {"priority", i_priority, block_use::forbidden},
    {"advert_int", i_advert_int, block_use::forbidden},
    {"version", i_version, block_use::forbidden},
    {"authentication", i_authentication, block_use::required},
    {"virtual_ipaddress", i_vips, block_use::required},
    {"nopreempt", i_nopreempt, block_use::forbidden},
    {"preempt", i_preempt, block_use::forbidden},
    {"preempt_delay", i_preempt_delay, block_use::forbidden},
    {"garp_master_delay", i_garp_delay, block_use::forbidden},
    {"garp_master_repeat", i_garp_repeat, block_use::forbidden},
    {"notify", i_hook<&vrrp_instance::notify>, block_use::forbidden},
    {"notify_master", i_hook<&vrrp_instance::notify_master>, block_use::forbidden},
    {"notify_backup", i_hook<&vrrp_instance::notify_backup>, block_use::forbidden},
    {"notify_fault", i_hook<&vrrp_instance::notify_fault>, block_use::forbidden},
    {"notify_stop", i_hook<&vrrp_instance::notify_stop>, block_use::forbidden},
};

// ------------------------------------------------------------------ top level
struct top_state {
  std::vector<instance_state> instances;
  bool global_seen = false;
};

void t_global_defs(context& c, top_state& t, const node& n) {
  no_args(c, n);
  if (!t.global_seen) c.cfg.global.where = n.keyword.where;
  t.global_seen = true;
  dispatch(c, c.cfg.global, n.children, k_global_handlers, k_global_not_acted);
}

void t_vrrp_instance(context& c, top_state& t, const node& n) {
  const word& name = arg(n, 0);
  no_more_args(c, n, 1);
  for (const auto& other : t.instances)
    if (other.inst.name == name.text)
      fail(name.where, "duplicate vrrp_instance name " + q(name.text),
           "a name not used before (first at " + other.inst.where.to_string() + ")");
  instance_state s;
  s.inst.name = name.text;
  s.inst.where = n.keyword.where;
  s.inst.version = 0;  // 0: not set in the instance, take global vrrp_version
  dispatch(c, s, n.children, k_instance_handlers, k_instance_not_acted);
  if (!s.interface_at)
    fail(n.keyword.where, "vrrp_instance " + q(name.text) + " without interface", "an interface (required)");
  if (!s.vrid_at)
    fail(n.keyword.where, "vrrp_instance " + q(name.text) + " without virtual_router_id",
         "a virtual_router_id (required)");
  t.instances.push_back(std::move(s));
}

constexpr handler<top_state> k_top_handlers[] = {
    {"global_defs", t_global_defs, block_use::required},
    {"vrrp_instance", t_vrrp_instance, block_use::required},
};

// ------------------------------------------------------------------ completion
void finish_version(context& c, instance_state& s, int global_version) {
  vrrp_instance& i = s.inst;
  bool v6 = !i.vips.empty() && !i.vips.front().addr.is_v4();
  if (i.version == 0) i.version = global_version;
  if (v6 && i.version == 2) {
    if (s.version_at) c.diag(dkind::warning, *s.version_at, "IPv6 instance " + q(i.name) + " needs VRRP version 3; using 3");
    i.version = 3;
  }
  if (i.version == 3)
    c.diag(dkind::not_acted_on, i.where, "(" + i.name + ") VRRP version 3 is not supported yet: "
                                           "the instance will stay in FAULT");
}

// keepalived: v2 adverts are whole seconds (rounded half up, at least 1);
// v3 adverts are centiseconds below 40.96 s.
void finish_advert_int(context& c, vrrp_instance& i) {
  auto us = std::llround(i.advert_int * 1e6);
  if (i.version == 2 && us % 1000000 != 0) {
    auto rounded = std::max<long long>(1, (us + 500000) / 1000000);
    c.diag(dkind::warning, i.where, "(" + i.name + ") VRRPv2 advert_int " + num(i.advert_int) +
                                        "s must be an integer; rounded to " + std::to_string(rounded) + "s");
    i.advert_int = static_cast<double>(rounded);
  } else if (i.version == 3 && us >= 4096 * 10000) {
    c.diag(dkind::warning, i.where, "(" + i.name + ") VRRPv3 advert_int " + num(i.advert_int) +
                                        "s must be less than 40.96s; using 40.95s");
    i.advert_int = 40.95;
  } else if (i.version == 3 && us % 10000 != 0) {
    auto cs = std::max<long long>(1, (us + 5000) / 10000);
    c.diag(dkind::warning, i.where, "(" + i.name + ") VRRPv3 advert_int " + num(i.advert_int) +
                                        "s has a resolution of 0.01s; rounded to " + num(static_cast<double>(cs) / 100) + "s");
    i.advert_int = static_cast<double>(cs) / 100;
  }
}

// keepalived: `state MASTER` without priority means priority 255 (address owner);
// priority 255 without state means MASTER.
void finish_state(context& c, instance_state& s) {
  vrrp_instance& i = s.inst;
  if (!s.priority_set && i.initial_master) i.priority = 255;
  if (!s.state_set && i.priority == 255) i.initial_master = true;
  if (i.initial_master && i.nopreempt)
    c.diag(dkind::warning, i.where, "(" + i.name + ") nopreempt has no effect with state MASTER");
  if (i.vips.empty()) c.diag(dkind::warning, i.where, "(" + i.name + ") no virtual_ipaddress configured");
}

void check_unique_vrids(const std::vector<instance_state>& all) {
  std::map<std::tuple<std::string, int, bool>, const instance_state*> seen;
  for (const auto& s : all) {
    bool v4 = s.inst.vips.empty() || s.inst.vips.front().addr.is_v4();
    auto [it, fresh] = seen.emplace(std::make_tuple(s.inst.interface, s.inst.vrid, v4), &s);
    if (!fresh)
      fail(*s.vrid_at,
           "virtual_router_id " + std::to_string(s.inst.vrid) + " again on " + s.inst.interface + " (" +
               (v4 ? "IPv4" : "IPv6") + ")",
           "a virtual_router_id unique per interface and address family (also used by " +
               q(it->second->inst.name) + " at " + it->second->inst.where.to_string() + ")");
  }
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

} // namespace

config validate(const syntax::tree& root) {
  config cfg;
  context c{cfg, 0, false, {}};
  top_state top;
  dispatch(c, top, root, k_top_handlers, k_top_not_acted);
  if (cfg.global.router_id.empty()) cfg.global.router_id = host_name();
  for (auto& s : top.instances) {
    finish_version(c, s, cfg.global.vrrp_version);
    finish_advert_int(c, s.inst);
    finish_state(c, s);
  }
  check_unique_vrids(top.instances);
  for (auto& s : top.instances) cfg.instances.push_back(std::move(s.inst));
  c.finish_diagnostics();
  return cfg;
}

} // namespace ka::config
