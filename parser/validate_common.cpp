// Shared pieces of validation (parser/validate_common.hpp), and the one list of the
// keywords the daemon acts on.
#include "parser/validate_common.hpp"

#include <charconv>
#include <sstream>

namespace ka::config::detail {

// ------------------------------------------------------------------ in effect
// "block/keyword" for every keyword whose behaviour exists today (the VRRPv2 instance
// in actors/instance_actor.cpp, the advert thread's scheduling, the admin socket).
// Everything else is parsed and validated but reported as not acted on. As behaviour
// lands, its keywords are added here and nowhere else.
constexpr std::string_view k_in_effect[] = {
    "/global_defs", "/vrrp_instance",
    "global_defs/router_id", "global_defs/vrrp_version", "global_defs/admin_socket", "global_defs/metrics_listen",
    "global_defs/admin_group", "global_defs/vrrp_cpu_affinity", "global_defs/vrrp_rt_priority",
    "global_defs/vrrp_priority", "global_defs/vrrp_no_swap", "global_defs/vrrp_rlimit_rttime",
    "vrrp_instance/state", "vrrp_instance/interface", "vrrp_instance/virtual_router_id",
    "vrrp_instance/priority", "vrrp_instance/advert_int", "vrrp_instance/version",
    "vrrp_instance/authentication", "vrrp_instance/virtual_ipaddress", "vrrp_instance/nopreempt",
    "vrrp_instance/preempt", "vrrp_instance/preempt_delay", "vrrp_instance/garp_master_delay",
    "vrrp_instance/garp_master_repeat", "vrrp_instance/notify", "vrrp_instance/notify_master",
    "vrrp_instance/notify_backup", "vrrp_instance/notify_fault", "vrrp_instance/notify_stop",
    "authentication/auth_type", "authentication/auth_pass",
    // Unicast VRRP.
    "global_defs/vrrp_check_unicast_src", "vrrp_instance/unicast_src_ip",
    "vrrp_instance/unicast_peer", "vrrp_instance/check_unicast_src",
    "vrrp_instance/unicast_fault_no_peer", "vrrp_instance/unicast_ttl",
    "vrrp_instance/old_unicast_checksum",
    // tracking (actors/track_*.cpp, protocol/track_priority.hpp); vrrp_track_process's
    // `full_command` is not acted on yet.
    "vrrp_instance/track_interface", "vrrp_instance/track_script", "vrrp_instance/track_file",
    "vrrp_instance/track_process", "vrrp_instance/dont_track_primary",
    "/vrrp_script", "vrrp_script/script", "vrrp_script/interval", "vrrp_script/timeout",
    "vrrp_script/weight", "vrrp_script/rise", "vrrp_script/fall", "vrrp_script/init_fail",
    // whom scripts run as (actors/script_users.cpp, protocol/script_security.hpp)
    "vrrp_script/user", "global_defs/script_user", "global_defs/enable_script_security",
    "/track_file", "track_file/file", "track_file/weight", "track_file/init_file",
    "/vrrp_track_process", "vrrp_track_process/process", "vrrp_track_process/param_match",
    "vrrp_track_process/weight", "vrrp_track_process/quorum", "vrrp_track_process/quorum_max",
    "vrrp_track_process/fork_delay", "vrrp_track_process/terminate_delay",
    "vrrp_track_process/delay",
    // routes-vmac: added and removed with the master's addresses
    "vrrp_instance/virtual_ipaddress_excluded", "vrrp_instance/virtual_routes",
    "vrrp_instance/virtual_rules", "vrrp_instance/garp_master_refresh",
    "vrrp_instance/garp_master_refresh_repeat", "global_defs/vrrp_garp_master_refresh",
    "global_defs/vrrp_garp_master_refresh_repeat",
    // GARP counts and delays, instance over global (protocol/garp_timing.hpp)
    "global_defs/vrrp_garp_master_delay", "global_defs/vrrp_garp_master_repeat",
    "global_defs/vrrp_garp_lower_prio_delay", "global_defs/vrrp_garp_lower_prio_repeat",
    "global_defs/vrrp_min_garp", "vrrp_instance/garp_lower_prio_delay", "vrrp_instance/garp_lower_prio_repeat",
    "global_defs/vrrp_garp_interval", "global_defs/vrrp_gna_interval", "/garp_group",
    "garp_group/garp_interval", "garp_group/gna_interval", "garp_group/interface", "garp_group/interfaces",
    "global_defs/vrrp_lower_prio_no_advert", "global_defs/vrrp_higher_prio_send_advert",
    "vrrp_instance/lower_prio_no_advert", "vrrp_instance/higher_prio_send_advert",
    // sync groups and notify FIFOs
    "/vrrp_sync_group", "vrrp_sync_group/group", "vrrp_sync_group/notify",
    "vrrp_sync_group/notify_master", "vrrp_sync_group/notify_backup",
    "vrrp_sync_group/notify_fault", "vrrp_sync_group/notify_stop",
    // tracking on sync groups (protocol/sync_tracking.hpp): the group's objects are
    // tracked by every member; global_tracking works as sync_group_tracking_weight; track_bfd
    // is not acted on yet.
    "vrrp_sync_group/track_interface", "vrrp_sync_group/track_script",
    "vrrp_sync_group/track_file", "vrrp_sync_group/track_process",
    "vrrp_sync_group/sync_group_tracking_weight", "vrrp_sync_group/global_tracking",
    "global_defs/notify_fifo", "global_defs/notify_fifo_script",
    "global_defs/vrrp_notify_fifo", "global_defs/vrrp_notify_fifo_script",
    // accept mode (protocol/accept_mode.hpp, kernel/nft_firewall.hpp) and strict mode's
    // load-time checks (validate_strict.cpp); nftables_ifindex, vrrp_iptables and
    // vrrp_ipsets are not acted on yet.
    "vrrp_instance/accept", "vrrp_instance/no_accept", "vrrp_instance/strict_mode",
    "global_defs/vrrp_strict", "global_defs/nftables", "global_defs/nftables_priority",
    "global_defs/nftables_counters",
    // use_vmac (kernel/macvlan.cpp), and vmacs for addresses on other interfaces or of the
    // other family (protocol/vmac.hpp, plan_address_vmacs; `use_vmac` on an address is an
    // address option, see validate_address.cpp).
    "vrrp_instance/use_vmac", "vrrp_instance/vmac_xmit_base", "global_defs/vmac_prefix",
    "global_defs/rs_init_notifies",
    // load balancing (actors/load_balancer.cpp: pools, checkers, IPVS; ha_suspend:
    // actors/vs_address_watch.cpp; the global lvs_* settings: actors/lvs_globals.cpp); not
    // acted on yet: smtp_alert, snmp_name, log_all_failures, fast_recovery, regex_stack,
    // BFD_CHECK and the global checker settings.
    "virtual_server/ha_suspend", "global_defs/lvs_flush", "global_defs/lvs_flush_on_stop",
    "global_defs/lvs_flush_onstop", "global_defs/lvs_timeouts", "global_defs/lvs_sync_daemon",
    "global_defs/lvs_notify_fifo", "global_defs/lvs_notify_fifo_script",
    "/virtual_server", "/virtual_server_group", "/SSL", "SSL/password", "SSL/ca", "SSL/certificate",
    "SSL/key", "virtual_server/lvs_sched", "virtual_server/lb_algo", "virtual_server/ops",
    "virtual_server/lvs_method", "virtual_server/lb_kind", "virtual_server/persistence_engine",
    "virtual_server/persistence_timeout", "virtual_server/persistence_granularity",
    "virtual_server/protocol", "virtual_server/virtualhost", "virtual_server/alpha",
    "virtual_server/omega", "virtual_server/quorum", "virtual_server/hysteresis",
    "virtual_server/quorum_up", "virtual_server/quorum_down", "virtual_server/ip_family",
    "virtual_server/sorry_server", "virtual_server/sorry_server_inhibit",
    "virtual_server/sorry_server_lvs_method", "virtual_server/sorry_server_lb_kind",
    "virtual_server/connect_timeout", "virtual_server/delay_before_retry", "virtual_server/warmup",
    "virtual_server/delay_loop", "virtual_server/retry", "virtual_server/inhibit_on_failure",
    "virtual_server/real_server", "real_server/weight", "real_server/lvs_method",
    "real_server/notify_up", "real_server/notify_down", "real_server/uthreshold",
    "real_server/lthreshold", "real_server/virtualhost", "real_server/alpha",
    "real_server/inhibit_on_failure", "real_server/connect_timeout",
    "real_server/delay_before_retry", "real_server/warmup", "real_server/delay_loop",
    "real_server/retry", "real_server/TCP_CHECK", "real_server/HTTP_GET", "real_server/SSL_GET",
    "real_server/MISC_CHECK", "real_server/SMTP_CHECK", "real_server/DNS_CHECK",
    "real_server/UDP_CHECK", "real_server/PING_CHECK", "real_server/FILE_CHECK",
    "TCP_CHECK/connect_ip", "TCP_CHECK/connect_port", "TCP_CHECK/bindto", "TCP_CHECK/bind_if",
    "TCP_CHECK/bind_port", "TCP_CHECK/fwmark", "TCP_CHECK/connect_timeout", "TCP_CHECK/retry",
    "TCP_CHECK/delay_before_retry", "TCP_CHECK/warmup", "TCP_CHECK/delay_loop", "TCP_CHECK/alpha",
    "HTTP_GET/connect_ip", "HTTP_GET/connect_port", "HTTP_GET/bindto", "HTTP_GET/bind_if",
    "HTTP_GET/bind_port", "HTTP_GET/fwmark", "HTTP_GET/connect_timeout", "HTTP_GET/retry",
    "HTTP_GET/delay_before_retry", "HTTP_GET/warmup", "HTTP_GET/delay_loop", "HTTP_GET/alpha",
    "SSL_GET/connect_ip", "SSL_GET/connect_port", "SSL_GET/bindto", "SSL_GET/bind_if",
    "SSL_GET/bind_port", "SSL_GET/fwmark", "SSL_GET/connect_timeout", "SSL_GET/retry",
    "SSL_GET/delay_before_retry", "SSL_GET/warmup", "SSL_GET/delay_loop", "SSL_GET/alpha",
    "SMTP_CHECK/connect_ip", "SMTP_CHECK/connect_port", "SMTP_CHECK/bindto", "SMTP_CHECK/bind_if",
    "SMTP_CHECK/bind_port", "SMTP_CHECK/fwmark", "SMTP_CHECK/connect_timeout", "SMTP_CHECK/retry",
    "SMTP_CHECK/delay_before_retry", "SMTP_CHECK/warmup", "SMTP_CHECK/delay_loop",
    "SMTP_CHECK/alpha", "DNS_CHECK/connect_ip", "DNS_CHECK/connect_port", "DNS_CHECK/bindto",
    "DNS_CHECK/bind_if", "DNS_CHECK/bind_port", "DNS_CHECK/fwmark", "DNS_CHECK/connect_timeout",
    "DNS_CHECK/retry", "DNS_CHECK/delay_before_retry", "DNS_CHECK/warmup", "DNS_CHECK/delay_loop",
    "DNS_CHECK/alpha", "UDP_CHECK/connect_ip", "UDP_CHECK/connect_port", "UDP_CHECK/bindto",
    "UDP_CHECK/bind_if", "UDP_CHECK/bind_port", "UDP_CHECK/fwmark", "UDP_CHECK/connect_timeout",
    "UDP_CHECK/retry", "UDP_CHECK/delay_before_retry", "UDP_CHECK/warmup", "UDP_CHECK/delay_loop",
    "UDP_CHECK/alpha", "PING_CHECK/connect_ip", "PING_CHECK/connect_port", "PING_CHECK/bindto",
    "PING_CHECK/bind_if", "PING_CHECK/bind_port", "PING_CHECK/fwmark", "PING_CHECK/connect_timeout",
    "PING_CHECK/retry", "PING_CHECK/delay_before_retry", "PING_CHECK/warmup",
    "PING_CHECK/delay_loop", "PING_CHECK/alpha", "MISC_CHECK/retry",
    "MISC_CHECK/delay_before_retry", "MISC_CHECK/warmup", "MISC_CHECK/delay_loop",
    "MISC_CHECK/alpha", "HTTP_GET/url", "HTTP_GET/http_protocol", "SSL_GET/url",
    "SSL_GET/http_protocol", "SSL_GET/enable_sni", "url/path", "url/digest", "url/status_code",
    "url/virtualhost", "url/regex", "url/regex_no_match", "url/regex_options",
    "url/regex_min_offset", "url/regex_max_offset", "SMTP_CHECK/helo_name", "SMTP_CHECK/host",
    "host/connect_ip", "host/connect_port", "host/bindto", "host/bind_if", "host/bind_port",
    "host/fwmark", "host/connect_timeout", "host/retry", "host/delay_before_retry", "host/warmup",
    "host/delay_loop", "host/alpha", "DNS_CHECK/type", "DNS_CHECK/name", "MISC_CHECK/misc_path",
    "MISC_CHECK/misc_timeout", "MISC_CHECK/misc_dynamic", "MISC_CHECK/user",
    "FILE_CHECK/track_file", "FILE_CHECK/dynamic", "FILE_CHECK/weight", "UDP_CHECK/payload",
    "UDP_CHECK/require_reply", "UDP_CHECK/min_reply_length", "UDP_CHECK/max_reply_length",
    "vrrp_instance/use_vmac_addr", "global_defs/vmac_addr_prefix",
    // SMTP alerts of VRRP transitions (actors/smtp_alert_actor.cpp); the checkers' alerts
    // (smtp_alert_checker, virtual_server / real_server smtp_alert) are not sent yet.
    "global_defs/notification_email", "global_defs/notification_email_from",
    "global_defs/smtp_server", "global_defs/smtp_helo_name", "global_defs/smtp_connect_timeout",
    "global_defs/smtp_alert", "global_defs/smtp_alert_vrrp", "global_defs/no_email_faults",
    "vrrp_instance/smtp_alert", "vrrp_sync_group/smtp_alert",
};

bool in_effect(std::string_view block, std::string_view keyword) {
  for (std::string_view k : k_in_effect)
    if (k.size() == block.size() + 1 + keyword.size() && k.substr(0, block.size()) == block &&
        k[block.size()] == '/' && k.substr(block.size() + 1) == keyword)
      return true;
  return false;
}

// ------------------------------------------------------------------ messages
std::string q(const std::string& s) { return "'" + s + "'"; }

std::string num(double d) {
  std::ostringstream o;
  o << d;
  return o.str();
}

void fail(const source_pos& at, std::string found, std::string expected) {
  throw config_error(at, std::move(found), std::move(expected));
}

// A config of a million extra words must not keep a million messages: after
// k_max_diagnostics, the rest are only counted, and summarised by finish_diagnostics().
constexpr std::size_t k_max_diagnostics = 1000;

void context::diag(dkind k, const source_pos& at, std::string message, std::string keyword) {
  if (cfg.diagnostics.size() < k_max_diagnostics) {
    cfg.diagnostics.push_back(diagnostic{k, at, std::move(message), std::move(keyword)});
    return;
  }
  if (dropped++ == 0) first_dropped = at;
  dropped_unknown = dropped_unknown || k == dkind::unknown_keyword;  // -t fails on those too
}

// Errors are bounded like diagnostics: a million bad lines give 1000 errors and a count.
void context::error(const config_error& e) {
  if (errors.size() < k_max_diagnostics) {
    errors.push_back(e);
  } else if (dropped_errors++ == 0) {
    errors.push_back(config_error(e.where(), "more errors from here on", "a configuration with fewer errors"));
  }
}

bool context::full() const { return cfg.diagnostics.size() >= k_max_diagnostics; }

void context::finish_diagnostics() {
  if (dropped == 0) return;
  cfg.diagnostics.push_back(diagnostic{dropped_unknown ? dkind::unknown_keyword : dkind::warning, first_dropped,
                                       std::to_string(dropped) + " more diagnostics from here on not shown" +
                                           (dropped_unknown ? " (unknown keywords among them)" : "")});
}

// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions).
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// The closest candidate if it is close enough to be a typo: at most a third of the
// word's letters changed (at least one, at most three). Long words are not compared.
std::string closest(std::string_view typo, const std::vector<std::string_view>& candidates) {
  if (typo.size() > 64) return {};
  std::size_t limit = std::clamp<std::size_t>(typo.size() / 3, 1, 3), best = limit + 1;
  std::string_view found;
  for (std::string_view k : candidates) {
    if (k.size() > typo.size() + limit || typo.size() > k.size() + limit) continue;
    std::size_t d = distance(typo, k);
    if (d < best) best = d, found = k;
  }
  return std::string(found);
}

void report_unknown(context& c, const node& n, const std::vector<std::string_view>& candidates) {
  const std::string& kw = n.keyword.text;
  const source_pos& at = n.keyword.where;
  // @ID, $NAME and ~SEQ lines never get here (parser/preprocess.cpp): what still starts
  // with one of them is text keepalived would not take either, an unknown keyword.
  // Only for a message that will be shown: a million unknown words must stay cheap.
  std::string near = c.full() ? std::string() : closest(kw, candidates);
  c.diag(dkind::unknown_keyword, at,
         "unknown keyword " + q(kw) + (near.empty() ? "" : "; did you mean " + q(near) + "?"));
}

void report_deprecated(context& c, const node& n, std::string_view new_name) {
  c.diag(dkind::warning, n.keyword.where,
         q(n.keyword.text) + " is an old name, read as " + q(std::string(new_name)));
}

void check_block(const node& n, block_use use) {
  if (use == block_use::required && !n.has_block)
    fail(n.keyword.where, "end of line", "'{' starting the block of " + n.keyword.text);
  if (use == block_use::forbidden && n.has_block)
    fail(n.block_open, "'{'", "end of line (" + n.keyword.text + " takes no block)");
}

// ------------------------------------------------------------------ arguments
const word& arg(const node& n, std::size_t i) {
  if (i >= n.args.size()) fail(n.keyword.where, "end of line", "a value for " + n.keyword.text);
  return n.args[i];
}

void no_more_args(context& c, const node& n, std::size_t used) {
  for (std::size_t i = used; i < n.args.size(); ++i)
    c.diag(dkind::warning, n.args[i].where, "extra argument " + q(n.args[i].text) + " to " + n.keyword.text + " ignored");
}

void no_args(context& c, const node& n) { no_more_args(c, n, 0); }

std::string single_arg(context& c, const node& n) {
  std::string v = arg(n, 0).text;
  no_more_args(c, n, 1);
  return v;
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
  if (whole.size() + frac.size() == 0 || whole.size() > 12 || !digits(whole) || !digits(frac)) return std::nullopt;
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
    fail(w.where, q(w.text), "an integer " + std::to_string(lo) + ".." + std::to_string(hi) + " for " + n.keyword.text);
  return *v;
}

long long signed_arg(const node& n, std::size_t i, long long lo, long long hi, const std::string& what) {
  const word& w = arg(n, i);
  bool negative = !w.text.empty() && w.text[0] == '-';
  auto v = parse_uint(negative ? w.text.substr(1) : w.text);
  long long value = v ? (negative ? -*v : *v) : 0;
  if (!v || value < lo || value > hi)
    fail(w.where, q(w.text),
         "an integer " + std::to_string(lo) + ".." + std::to_string(hi) + " for " + (what.empty() ? n.keyword.text : what));
  return value;
}

double seconds_arg(const node& n, std::size_t i, double lo, double hi) {
  const word& w = arg(n, i);
  auto v = parse_decimal(w.text);
  if (!v || *v < lo || *v > hi)
    fail(w.where, q(w.text), "a number of seconds " + num(lo) + ".." + num(hi) + " for " + n.keyword.text);
  return *v;
}

bool bool_word(const node& n, const word& w) {
  for (const char* t : {"on", "true", "yes"})
    if (w.text == t) return true;
  for (const char* f : {"off", "false", "no"})
    if (w.text == f) return false;
  fail(w.where, q(w.text), "on, off, true, false, yes or no for " + n.keyword.text);
}

bool flag_arg(context& c, const node& n) {
  if (n.args.empty()) return true;
  bool v = bool_word(n, n.args[0]);
  no_more_args(c, n, 1);
  return v;
}

// Linux interface names: 1..15 bytes (IFNAMSIZ - 1), no '/', ':' or whitespace.
std::string interface_arg(const node& n, const word& w) {
  bool bad = w.text.empty() || w.text.size() > 15 || w.text.find_first_of("/: \t") != std::string::npos ||
             w.text == "." || w.text == "..";
  if (bad) fail(w.where, q(w.text), "an interface name of 1..15 bytes for " + n.keyword.text);
  return w.text;
}

proto::ip_address address_arg(const node& n, const word& w) {
  auto a = proto::ip_address::parse(w.text);
  if (!a) fail(w.where, q(w.text), "an IPv4 or IPv6 address for " + n.keyword.text);
  return *a;
}

int port_arg(const node& n, std::size_t i) { return static_cast<int>(integer_arg(n, i, 0, 65535)); }

void weight_args(context& c, const node& n, std::size_t i, long long lo, long long hi, int& weight,
                 bool& reverse) {
  weight = static_cast<int>(signed_arg(n, i, lo, hi, "weight"));
  std::size_t used = i + 1;
  if (used < n.args.size() && (n.args[used].text == "reverse" || n.args[used].text == "noreverse"))
    reverse = n.args[used++].text == "reverse";
  no_more_args(c, n, used);
}

void require(bool present, const node& block, const std::string& name, const std::string& keyword) {
  if (!present)
    fail(block.keyword.where, block.keyword.text + " " + q(name) + " without " + keyword,
         (keyword[0] == 'a' || keyword[0] == 'i' ? "an " : "a ") + keyword + " (required)");
}

void note_interface(context& c, const std::string& name, const source_pos& at) {
  c.cfg.interfaces.push_back(interface_ref{name, at});
}

} // namespace ka::config::detail
