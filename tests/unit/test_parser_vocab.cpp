// parser/: every keyword of keepalived.conf(5) (keepalived 2.2.7) parsed into the model,
// one table row per keyword: a snippet and a check of the model. Also the validation
// rules across blocks, collected errors, "did you mean" and old names.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "parser/dump.hpp"
#include "parser/grammar.hpp"
#include "parser/load.hpp"
#include "parser/validate.hpp"

using namespace ka::config;

namespace {

struct row {
  std::string text;                          // a whole config
  std::function<bool(const config&)> check;  // the model holds the value
};

std::string G(const std::string& body) { return "global_defs {\n" + body + "\n}\n"; }
std::string I(const std::string& body) {
  return "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n virtual_ipaddress {\n 192.0.2.1\n }\n" + body + "\n}\n";
}
std::string VS(const std::string& body) { return "virtual_server 192.0.2.1 80 {\n" + body + "\n}\n"; }
std::string RS(const std::string& body) { return VS("real_server 198.51.100.1 80 {\n" + body + "\n}"); }
std::string CK(const std::string& kind, const std::string& body) { return RS(kind + " {\n" + body + "\n}"); }

const vrrp_instance& inst(const config& c) { return c.instances.at(0); }
const virtual_server& vs(const config& c) { return c.virtual_servers.at(0); }
const real_server& rs(const config& c) { return vs(c).real_servers.at(0); }
const checker& ck(const config& c) { return rs(c).checkers.at(0); }

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += s + "\n";
  return out;
}

// The diagnostics of one kind, each "file:line:column message" or just the message.
std::vector<std::string> said(const config& c, diagnostic::kind k, bool positions) {
  std::vector<std::string> out;
  for (const auto& d : c.diagnostics)
    if (d.what == k) out.push_back(positions ? d.where.to_string() + " " + d.message : d.message);
  return out;
}

// tests/unit/man_keywords.py asks which keywords of keepalived.conf(5) a row with a passing
// model check holds, at which block path ("virtual_server/real_server/weight"): with
// KA_VOCAB_INVENTORY naming a file, each such row appends them there. A statement counts
// only if the model depends on it: without it the row's text gives another model, or none
// (a required keyword). One parsed and dropped would not count.
std::string model_text(const syntax::tree& t) {
  try {
    return ka::json(validate(t)).dump();
  } catch (const config_error&) {
    return "refused";
  }
}

void note_level(syntax::tree& level, const syntax::tree& root, const std::string& base, const std::string& at,
                std::ofstream& out) {
  for (std::size_t i = 0; i < level.size(); ++i) {
    syntax::node n = level[i];
    level.erase(level.begin() + static_cast<std::ptrdiff_t>(i));
    bool matters = model_text(root) != base;
    level.insert(level.begin() + static_cast<std::ptrdiff_t>(i), n);
    if (matters) out << at << n.keyword.text << "\n";
    note_level(level[i].children, root, base, at + n.keyword.text + "/", out);
  }
}

void note_keywords(const row& r) {
  const char* path = std::getenv("KA_VOCAB_INVENTORY");
  if (path == nullptr) return;
  std::ofstream out(path, std::ios::app);
  syntax::tree tree;
  try {
    tree = syntax::parse(r.text, "t.conf");
  } catch (const config_error&) {
    return;  // text only the preprocessor makes a config of: not counted as any keyword's row
  }
  note_level(tree, tree, model_text(tree), "", out);
}

// A row passes when its text loads, no keyword in it is unknown, and the model holds it.
void run(const std::vector<row>& rows) {
  for (const row& r : rows) {
    CAPTURE(r.text);
    try {
      config c = load_string(r.text, "t.conf");
      for (const auto& d : c.diagnostics) {
        CAPTURE(d.message);
        CHECK(d.what != diagnostic::kind::unknown_keyword);
      }
      bool unknown = std::any_of(c.diagnostics.begin(), c.diagnostics.end(),
                                 [](const diagnostic& d) { return d.what == diagnostic::kind::unknown_keyword; });
      bool held = r.check(c);
      CHECK(held);
      if (held && !unknown) note_keywords(r);
    } catch (const config_error& e) {
      FAIL(e.what());
    }
  }
}

// The rest of global_defs (parsed, not acted on): each keyword with a value other than
// its default, and the typed field that must hold it.
const global_defs& gd(const config& c) { return c.global; }
using opt_s = std::optional<std::string>;
const std::vector<row> k_global_typed = {
    {G("checker_cpu_affinity 0 1"), [](const config& c) { return gd(c).checker.cpu_affinity == std::vector<int>{0, 1}; }},
    {G("bfd_cpu_affinity 1"), [](const config& c) { return gd(c).bfd.cpu_affinity == std::vector<int>{1}; }},
    {G("checker_rt_priority 50"), [](const config& c) { return gd(c).checker.rt_priority == 50; }},
    {G("bfd_rt_priority 51"), [](const config& c) { return gd(c).bfd.rt_priority == 51; }},
    {G("checker_priority -5"), [](const config& c) { return gd(c).checker.priority == -5; }},
    {G("bfd_priority 5"), [](const config& c) { return gd(c).bfd.priority == 5; }},
    {G("checker_no_swap"), [](const config& c) { return gd(c).checker.no_swap && !gd(c).bfd.no_swap; }},
    {G("bfd_no_swap"), [](const config& c) { return gd(c).bfd.no_swap && !gd(c).checker.no_swap; }},
    {G("checker_rlimit_rttime 10000"), [](const config& c) { return gd(c).checker.rlimit_rttime == 10000; }},
    {G("bfd_rlimit_rttime 10001"), [](const config& c) { return gd(c).bfd.rlimit_rttime == 10001; }},
    {G("max_auto_priority 50"), [](const config& c) { return gd(c).process.max_auto_priority == 50; }},
    {G("max_auto_priority"), [](const config& c) { return gd(c).process.max_auto_priority == 99; }},
    {G("max_auto_priority -1"), [](const config& c) { return gd(c).process.max_auto_priority == -1; }},
    {G("min_auto_priority_delay 1000"), [](const config& c) { return gd(c).process.min_auto_priority_delay == 1000; }},
    {G("process_names"), [](const config& c) { return gd(c).process.process_names; }},
    {G("process_name ka"), [](const config& c) { return gd(c).process.process_name == "ka"; }},
    {G("vrrp_process_name ka_vrrp"), [](const config& c) { return gd(c).process.vrrp_process_name == "ka_vrrp"; }},
    {G("checker_process_name ka_chk"), [](const config& c) { return gd(c).process.checker_process_name == "ka_chk"; }},
    {G("bfd_process_name ka_bfd"), [](const config& c) { return gd(c).process.bfd_process_name == "ka_bfd"; }},
    {G("tmp_config_directory /tmp"), [](const config& c) { return gd(c).process.tmp_config_directory == "/tmp"; }},
    {G("config_save_dir /var/tmp"), [](const config& c) { return gd(c).process.config_save_dir == "/var/tmp"; }},
    {G("startup_script /bin/true nobody nogroup"),
     [](const config& c) {
       auto& s = gd(c).process.startup_script;
       return s && s->path == "/bin/true" && s->as.user == "nobody" && s->as.group == "nogroup" && s->where.line == 2;
     }},
    {G("startup_script_timeout 11"), [](const config& c) { return gd(c).process.startup_script_timeout == 11; }},
    {G("shutdown_script \"/bin/echo x\" nobody"),
     [](const config& c) {
       auto& s = gd(c).process.shutdown_script;
       return s && s->path == "/bin/echo x" && s->as.user == "nobody" && s->as.group.empty();
     }},
    {G("shutdown_script_timeout 12"), [](const config& c) { return gd(c).process.shutdown_script_timeout == 12; }},
    {G("umask 0027"), [](const config& c) { return gd(c).process.umask == 027; }},
    {G("umask 0x12"), [](const config& c) { return gd(c).process.umask == 0x12; }},
    {G("umask 18"), [](const config& c) { return gd(c).process.umask == 18; }},
    {G("umask IWGRP|IWOTH"), [](const config& c) { return gd(c).process.umask == 022; }},
    {G("umask IRUSR | IXOTH |IWGRP"), [](const config& c) { return gd(c).process.umask == 0421; }},
    {G("random_seed 42"), [](const config& c) { return gd(c).process.random_seed == 42u; }},
    {G("reload_check_config /tmp/log"), [](const config& c) { return gd(c).process.reload_check_config == opt_s("/tmp/log"); }},
    {G("reload_check_config"), [](const config& c) { return gd(c).process.reload_check_config == opt_s(""); }},
    {G("include_check"),
     [](const config& c) {
       auto& i = gd(c).process.include_check;
       return i && i->match && i->wildcard_match && i->brace_match;
     }},
    {G("include_check match -wildcard_match +brace_match +wildcard_match -wildcard_match"),
     [](const config& c) {
       auto& i = gd(c).process.include_check;
       return i && i->match && !i->wildcard_match && i->brace_match;
     }},
    {G("reload_time_file /tmp/t"), [](const config& c) { return gd(c).process.reload_time_file == "/tmp/t"; }},
    {G("reload_repeat"), [](const config& c) { return gd(c).process.reload_repeat; }},
    {G("reload_file /tmp/r"), [](const config& c) { return gd(c).process.reload_file == opt_s("/tmp/r"); }},
    {G("reload_file"), [](const config& c) { return gd(c).process.reload_file == opt_s(""); }},
    {G("data_use_instance on"), [](const config& c) { return gd(c).process.data_use_instance; }},
    {G("smtp_alert_checker"), [](const config& c) { return gd(c).mail.smtp_alert_checker == true; }},
    {G("checker_log_all_failures true"), [](const config& c) { return gd(c).mail.checker_log_all_failures; }},
    {G("no_checker_emails"), [](const config& c) { return gd(c).mail.no_checker_emails; }},
    {G("vrrp_mcast_group4 224.0.0.19"),
     [](const config& c) { return gd(c).vrrp.vrrp_mcast_group4 && gd(c).vrrp.vrrp_mcast_group4->to_string() == "224.0.0.19"; }},
    {G("vrrp_mcast_group6 ff02::13"),
     [](const config& c) { return gd(c).vrrp.vrrp_mcast_group6 && gd(c).vrrp.vrrp_mcast_group6->to_string() == "ff02::13"; }},
    {G("default_interface eth1"), [](const config& c) { return gd(c).vrrp.default_interface == "eth1"; }},
    {G("vrrp_garp_extra_if all 100"),
     [](const config& c) { auto& e = gd(c).vrrp.vrrp_garp_extra_if; return e && e->all && e->interval == 100; }},
    {G("vrrp_garp_extra_if 300"),
     [](const config& c) { auto& e = gd(c).vrrp.vrrp_garp_extra_if; return e && !e->all && e->interval == 300; }},
    {G("vrrp_down_timer_adverts 5"), [](const config& c) { return gd(c).vrrp.vrrp_down_timer_adverts == 5; }},
    {G("vrrp_skip_check_adv_addr"), [](const config& c) { return gd(c).vrrp.vrrp_skip_check_adv_addr; }},
    {G("vrrp_notify_priority_changes yes"), [](const config& c) { return gd(c).vrrp.vrrp_notify_priority_changes; }},
    {G("vrrp_startup_delay 5.5"), [](const config& c) { return gd(c).vrrp.vrrp_startup_delay == 5.5; }},
    {G("log_unknown_vrids"), [](const config& c) { return gd(c).vrrp.log_unknown_vrids; }},
    {G("vrrp_rx_bufs_policy MTU"),
     [](const config& c) { return gd(c).vrrp.vrrp_rx_bufs_policy->what == rx_bufs_policy::kind::mtu; }},
    {G("vrrp_rx_bufs_policy advert"),
     [](const config& c) { return gd(c).vrrp.vrrp_rx_bufs_policy->what == rx_bufs_policy::kind::advert; }},
    {G("vrrp_rx_bufs_policy 65536"),
     [](const config& c) {
       auto& p = gd(c).vrrp.vrrp_rx_bufs_policy;
       return p->what == rx_bufs_policy::kind::size && p->size == 65536;
     }},
    {G("vrrp_rx_bufs_multiplier 4"), [](const config& c) { return gd(c).vrrp.vrrp_rx_bufs_multiplier == 4u; }},
    {G("dynamic_interfaces allow_if_changes"),
     [](const config& c) { return gd(c).vrrp.dynamic.on && gd(c).vrrp.dynamic.allow_if_changes; }},
    {G("dynamic_interfaces"), [](const config& c) { return gd(c).vrrp.dynamic.on && !gd(c).vrrp.dynamic.allow_if_changes; }},
    {G("disable_local_igmp"), [](const config& c) { return gd(c).vrrp.disable_local_igmp; }},
    {G("vrrp_iptables keepalived_in keepalived_out"),
     [](const config& c) { auto& t = gd(c).fw.vrrp_iptables; return t && t->in == "keepalived_in" && t->out == "keepalived_out"; }},
    {G("vrrp_iptables"), [](const config& c) { auto& t = gd(c).fw.vrrp_iptables; return t && t->in == "INPUT" && t->out == "OUTPUT"; }},
    {G("vrrp_ipsets ka ka6"), [](const config& c) { return gd(c).fw.vrrp_ipsets == std::vector<std::string>{"ka", "ka6"}; }},
    {G("nftables_ifindex"), [](const config& c) { return gd(c).fw.nftables_ifindex; }},
    {G("nftables_ipvs"), [](const config& c) { return gd(c).fw.nftables_ipvs == opt_s(""); }},
    {G("nftables_ipvs_priority -3"), [](const config& c) { return gd(c).fw.nftables_ipvs_priority == -3; }},
    {G("nftables_ipvs_start_fwmark 2000"), [](const config& c) { return gd(c).fw.nftables_ipvs_start_fwmark == 2000u; }},
    {G("snmp_socket udp:192.0.2.1:705"), [](const config& c) { return gd(c).snmp.snmp_socket == "udp:192.0.2.1:705"; }},
    {G("enable_snmp_vrrp"), [](const config& c) { return gd(c).snmp.enable_snmp_vrrp; }},
    {G("enable_snmp_keepalived"), [](const config& c) { return gd(c).snmp.enable_snmp_keepalived; }},
    {G("enable_snmp_checker"), [](const config& c) { return gd(c).snmp.enable_snmp_checker; }},
    {G("enable_snmp_rfc"), [](const config& c) { return gd(c).snmp.enable_snmp_rfc; }},
    {G("enable_snmp_rfcv2"), [](const config& c) { return gd(c).snmp.enable_snmp_rfcv2; }},
    {G("enable_snmp_rfcv3"), [](const config& c) { return gd(c).snmp.enable_snmp_rfcv3; }},
    {G("enable_traps"), [](const config& c) { return gd(c).snmp.enable_traps; }},
    {G("enable_dbus"), [](const config& c) { return gd(c).snmp.enable_dbus; }},
    {G("dbus_service_name ka"), [](const config& c) { return gd(c).snmp.dbus_service_name == "ka"; }},
    {G("fifo_write_vrrp_states_on_reload"), [](const config& c) { return gd(c).fifo.fifo_write_vrrp_states_on_reload; }},
    {G("vrrp_netlink_cmd_rcv_bufs 1048576"), [](const config& c) { return gd(c).netlink.vrrp_netlink_cmd.bytes == 1048576u; }},
    {G("vrrp_netlink_cmd_rcv_bufs_force on"), [](const config& c) { return gd(c).netlink.vrrp_netlink_cmd.force; }},
    {G("vrrp_netlink_monitor_rcv_bufs 1048577"), [](const config& c) { return gd(c).netlink.vrrp_netlink_monitor.bytes == 1048577u; }},
    {G("vrrp_netlink_monitor_rcv_bufs_force"), [](const config& c) { return gd(c).netlink.vrrp_netlink_monitor.force; }},
    {G("lvs_netlink_cmd_rcv_bufs 1048578"), [](const config& c) { return gd(c).netlink.lvs_netlink_cmd.bytes == 1048578u; }},
    {G("lvs_netlink_cmd_rcv_bufs_force yes"), [](const config& c) { return gd(c).netlink.lvs_netlink_cmd.force; }},
    {G("lvs_netlink_monitor_rcv_bufs 1048579"), [](const config& c) { return gd(c).netlink.lvs_netlink_monitor.bytes == 1048579u; }},
    {G("lvs_netlink_monitor_rcv_bufs_force true"), [](const config& c) { return gd(c).netlink.lvs_netlink_monitor.force; }},
    {G("process_monitor_rcv_bufs 500000"), [](const config& c) { return gd(c).netlink.process_monitor.bytes == 500000u; }},
    {G("process_monitor_rcv_bufs_force on"), [](const config& c) { return gd(c).netlink.process_monitor.force; }},
};

} // namespace

TEST_CASE("vocab: global_defs, typed keywords") {
  run({
      {G("router_id lb1"), [](const config& c) { return c.global.router_id == "lb1"; }},
      {G("notification_email {\n a@example.com\n b@example.com\n}"),
       [](const config& c) { return c.global.notification_email.size() == 2; }},
      {G("notification_email_from k@example.com"), [](const config& c) { return c.global.notification_email_from == "k@example.com"; }},
      {G("smtp_server 192.0.2.25 2525"), [](const config& c) { return c.global.smtp_server == "192.0.2.25" && c.global.smtp_port == 2525; }},
      {G("smtp_connect_timeout 12"), [](const config& c) { return c.global.smtp_connect_timeout == 12; }},
      // SMTP alerts of VRRP transitions (acted on: actors/smtp_alert_actor.cpp)
      {G("smtp_helo_name lb.example.com"), [](const config& c) { return gd(c).mail.smtp_helo_name == "lb.example.com"; }},
      {G("smtp_alert yes"), [](const config& c) { return gd(c).mail.smtp_alert == true; }},
      {G("smtp_alert_vrrp no"), [](const config& c) { return gd(c).mail.smtp_alert_vrrp == false; }},
      {G("no_email_faults"), [](const config& c) { return gd(c).mail.no_email_faults; }},
      {G("vrrp_version 3"), [](const config& c) { return c.global.vrrp_version == 3; }},
      {G("admin_socket /run/x.sock"), [](const config& c) { return c.global.admin_socket == "/run/x.sock"; }},
      {G("admin_group adm"), [](const config& c) { return c.global.admin_group == "adm"; }},
      {G("metrics_listen 127.0.0.1:9650"),
       [](const config& c) { return c.global.metrics_listen && c.global.metrics_listen->to_string() == "127.0.0.1:9650"; }},
      {G("metrics_listen [::1]:9651"),
       [](const config& c) { return c.global.metrics_listen && c.global.metrics_listen->to_string() == "[::1]:9651"; }},
      {G("vrrp_cpu_affinity 0 3"), [](const config& c) { return c.global.vrrp_cpu_affinity == std::vector<int>{0, 3}; }},
      {G("vrrp_rt_priority 42"), [](const config& c) { return c.global.vrrp_rt_priority == 42; }},
      {G("vrrp_priority -7"), [](const config& c) { return c.global.vrrp_priority == -7; }},
      {G("vrrp_no_swap"), [](const config& c) { return c.global.vrrp_no_swap; }},
      {G("vrrp_rlimit_rttime 5000"), [](const config& c) { return c.global.vrrp_rlimit_rttime == 5000; }},
      // accept mode and strict mode (protocol/accept_mode.hpp, kernel/nft_firewall.hpp)
      {G("vrrp_strict"), [](const config& c) { return gd(c).vrrp.vrrp_strict; }},
      {G("nftables ka_table"), [](const config& c) { return gd(c).fw.nftables == opt_s("ka_table"); }},
      {G("nftables_priority -2"), [](const config& c) { return gd(c).fw.nftables_priority == -2; }},
      {G("nftables_counters"), [](const config& c) { return gd(c).fw.nftables_counters; }},
      {G("vrrp_check_unicast_src"), [](const config& c) { return gd(c).vrrp.vrrp_check_unicast_src; }},
      {G("vrrp_garp_master_refresh 60"), [](const config& c) { return gd(c).vrrp.vrrp_garp_master_refresh == 60.0; }},
      {G("vrrp_garp_master_refresh_repeat 3"), [](const config& c) { return gd(c).vrrp.vrrp_garp_master_refresh_repeat == 3u; }},
      // GARP counts and delays (acted on: protocol/garp_timing.hpp)
      {G("vrrp_garp_master_delay 10"), [](const config& c) { return gd(c).vrrp.vrrp_garp_master_delay == 10.0; }},
      {G("vrrp_garp_master_repeat 1"), [](const config& c) { return gd(c).vrrp.vrrp_garp_master_repeat == 1u; }},
      {G("vrrp_garp_lower_prio_delay 11"), [](const config& c) { return gd(c).vrrp.vrrp_garp_lower_prio_delay == 11.0; }},
      {G("vrrp_garp_lower_prio_repeat 2"), [](const config& c) { return gd(c).vrrp.vrrp_garp_lower_prio_repeat == 2; }},
      {G("vrrp_min_garp true"), [](const config& c) { return gd(c).vrrp.vrrp_min_garp; }},
      // load balancing: notify_up/down of the real servers up at start (protocol/pool_rules.hpp)
      {G("rs_init_notifies"), [](const config& c) { return gd(c).lvs.rs_init_notifies; }},
      // GARP / NA spacing (acted on: protocol/garp_pacing.hpp)
      {G("vrrp_garp_interval 0.001"), [](const config& c) { return gd(c).vrrp.vrrp_garp_interval == 0.001; }},
      {G("vrrp_gna_interval 0.000001"), [](const config& c) { return gd(c).vrrp.vrrp_gna_interval == 0.000001; }},
      // a master's answer to lower / higher priority adverts (protocol/vrrp_state_machine.hpp)
      {G("vrrp_lower_prio_no_advert off"), [](const config& c) { return gd(c).vrrp.vrrp_lower_prio_no_advert == false; }},
      {G("vrrp_higher_prio_send_advert"), [](const config& c) { return gd(c).vrrp.vrrp_higher_prio_send_advert; }},
      // whom scripts run as (acted on: actors/script_users.cpp)
      {G("script_user nobody nogroup"),
     [](const config& c) { return gd(c).process.script_user && gd(c).process.script_user->user == "nobody" &&
                                  gd(c).process.script_user->group == "nogroup"; }},
      {G("script_user root"), [](const config& c) { return gd(c).process.script_user->group.empty(); }},
      {G("enable_script_security"), [](const config& c) { return gd(c).process.enable_script_security; }},
      // notify FIFOs (acted on: actors/notify_fifo_actor.cpp)
      {G("notify_fifo /tmp/f nobody nogroup"),
     [](const config& c) {
       auto& f = gd(c).fifo.notify.fifo;
       return f && f->path == "/tmp/f" && f->as.user == "nobody" && f->as.group == "nogroup" && !gd(c).fifo.notify.script;
     }},
      {G("notify_fifo_script /bin/true"), [](const config& c) { return gd(c).fifo.notify.script->path == "/bin/true"; }},
      {G("vrrp_notify_fifo /tmp/v"), [](const config& c) { return gd(c).fifo.vrrp.fifo->path == "/tmp/v"; }},
      // use_vmac (acted on: kernel/macvlan.cpp)
      {G("vmac_prefix vrt"), [](const config& c) { return gd(c).vrrp.vmac_prefix == "vrt"; }},
      {G("vmac_addr_prefix vra"), [](const config& c) { return gd(c).vrrp.vmac_addr_prefix == "vra"; }},
      {G("vrrp_notify_fifo_script /bin/cat root"),
     [](const config& c) { return gd(c).fifo.vrrp.script->path == "/bin/cat" && gd(c).fifo.vrrp.script->as.user == "root"; }},
      // IPVS-wide settings and the LVS FIFO (acted on: actors/lvs_globals.cpp)
      {G("lvs_sync_daemon eth0 VI_1 id 1 maxlen 1400 port 8849 ttl 2 group 233.252.0.81"),
       [](const config& c) {
       auto& d = gd(c).lvs.sync_daemon;
       return d && d->interface == "eth0" && d->instance == "VI_1" && d->id == 1 && d->maxlen == 1400 && d->port == 8849 &&
              d->ttl == 2 && d->group && d->group->to_string() == "233.252.0.81";
       }},
      {G("lvs_sync_daemon eth1 inst VI_2"),
       [](const config& c) {
       auto& d = gd(c).lvs.sync_daemon;
       return d && d->interface == "eth1" && d->instance == "VI_2" && !d->id && !d->port && !d->group;
       }},
      {G("lvs_sync_daemon eth2 id 0"),
       [](const config& c) { auto& d = gd(c).lvs.sync_daemon; return d && d->instance.empty() && d->id == 0; }},
      {G("lvs_timeouts tcp 900 udp 300"),
       [](const config& c) { auto& t = gd(c).lvs.timeouts; return t && t->tcp == 900u && !t->tcpfin && t->udp == 300u; }},
      {G("lvs_timeouts tcpfin 0 udp 2678400"), [](const config& c) { return gd(c).lvs.timeouts->tcpfin == 0u && gd(c).lvs.timeouts->udp == 2678400u; }},
      {G("lvs_flush"), [](const config& c) { return gd(c).lvs.lvs_flush; }},
      {G("lvs_flush_on_stop VS"), [](const config& c) { return gd(c).lvs.lvs_flush_on_stop == flush_on_stop::vs; }},
      {G("lvs_flush_on_stop"), [](const config& c) { return gd(c).lvs.lvs_flush_on_stop == flush_on_stop::all; }},
      {G("lvs_notify_fifo /tmp/l"), [](const config& c) { return gd(c).fifo.lvs.fifo->path == "/tmp/l"; }},
      {G("lvs_notify_fifo_script /bin/false"), [](const config& c) { return gd(c).fifo.lvs.script->path == "/bin/false"; }},
  });
}

TEST_CASE("vocab: global_defs, typed keywords not acted on yet") {
  for (const row& r : k_global_typed) {
    CAPTURE(r.text);
    config c = load_string(r.text);
    bool held = r.check(c);
    CHECK(held);
    REQUIRE(c.diagnostics.size() == 1);  // not acted on, and nothing else
    CHECK(c.diagnostics.at(0).what == diagnostic::kind::not_acted_on);
    if (held) note_keywords(r);
  }
}

// A `_force` flag written `off` must clear the flag another row set: the rows above only
// show that `on` is read.
TEST_CASE("vocab: global_defs, boolean values are stored, not just presence") {
  config c = load_string(G("vrrp_netlink_cmd_rcv_bufs_force off\n data_use_instance no\n vrrp_min_garp false\n"
                           " smtp_alert off\n vrrp_notify_priority_changes no"));
  CHECK_FALSE(c.global.netlink.vrrp_netlink_cmd.force);
  CHECK_FALSE(c.global.process.data_use_instance);
  CHECK_FALSE(c.global.vrrp.vrrp_min_garp);
  CHECK(c.global.mail.smtp_alert == false);
  CHECK_FALSE(c.global.vrrp.vrrp_notify_priority_changes);
}

TEST_CASE("vocab: global_defs, other spellings keepalived reads") {
  config c = load_string(G("vrrp_rlimit_rtime 5000\n checker_rlimit_rtime 6000\n bfd_rlimit_rtime 7000\n"
                           " lvs_flush_onstop\n lvs_process_name lvs\n vrrp_vmac_garp_intvl 30"));
  CHECK(c.global.vrrp_rlimit_rttime == 5000);
  CHECK(c.global.checker.rlimit_rttime == 6000);
  CHECK(c.global.bfd.rlimit_rttime == 7000);
  CHECK(c.global.lvs.lvs_flush_on_stop == flush_on_stop::all);
  CHECK(c.global.process.checker_process_name == "lvs");
  CHECK(c.global.vrrp.vrrp_garp_extra_if->interval == 30);
  CHECK(joined(said(c, diagnostic::kind::warning, false)) ==
        "'vrrp_vmac_garp_intvl' is an old name, read as 'vrrp_garp_extra_if'\n");
}

// What makes `keepalived -t` fail in a structured global keyword is an error at the word
// at fault (keepalived 2.2.7 tried on each line).
TEST_CASE("vocab: global_defs, errors in structured keywords") {
  auto err = [](const std::string& body) -> std::string {
    try {
      load_string(G(body), "t.conf");
    } catch (const config_error& e) {
      return e.what();
    }
    return "";
  };
  CHECK(err("umask 08") == "t.conf:2:7: found '08', expected a umask 0..0777 (octal 0NNN, hex 0xNN or decimal) for umask");
  CHECK(err("umask 01000") == "t.conf:2:7: found '01000', expected a umask 0..0777 (octal 0NNN, hex 0xNN or decimal) for umask");
  CHECK(err("umask 0777 IWGRP") == "t.conf:2:12: found 'IWGRP', expected end of line after a numeric umask");
  CHECK(err("umask IWGRP|IRWXU") ==
        "t.conf:2:13: found 'IRWXU', expected a umask bit (IRUSR, IWUSR, IXUSR, IRGRP, IWGRP, IXGRP, IROTH, IWOTH, IXOTH)");
  CHECK(err("umask IWGRP|") == "t.conf:2:12: found '|' at the end, expected a umask bit after '|'");
  CHECK(err("umask IWGRP IWOTH") == "t.conf:2:13: found 'IWOTH', expected '|' between umask bits");
  CHECK(err("max_auto_priority 100") == "t.conf:2:19: found '100', expected an integer -1..99 for max_auto_priority");
  CHECK(err("vrrp_garp_extra_if all") ==
        "t.conf:2:1: found no interval, expected a number of seconds 1..86400 for vrrp_garp_extra_if");
  CHECK(err("vrrp_garp_extra_if 86401") ==
        "t.conf:2:20: found '86401', expected an integer 1..86400 for the interval (or all) in vrrp_garp_extra_if");
  CHECK(err("vrrp_rx_bufs_policy foo") ==
        "t.conf:2:21: found 'foo', expected MTU, ADVERT or a size 0..4294967295 for vrrp_rx_bufs_policy");
  CHECK(err("vrrp_rx_bufs_policy MTU ADVERT") ==
        "t.conf:2:25: found 'ADVERT', expected end of line (one policy) for vrrp_rx_bufs_policy");
  CHECK(err("lvs_sync_daemon eth0 VI_1 id 300") == "t.conf:2:30: found '300', expected an integer 0..255 for id in lvs_sync_daemon");
  CHECK(err("lvs_sync_daemon eth0 maxlen 0") == "t.conf:2:29: found '0', expected an integer 1..65507 for maxlen in lvs_sync_daemon");
  CHECK(err("lvs_sync_daemon eth0 port 0") == "t.conf:2:27: found '0', expected an integer 1..65535 for port in lvs_sync_daemon");
  CHECK(err("lvs_sync_daemon eth0 ttl 256") == "t.conf:2:26: found '256', expected an integer 1..255 for ttl in lvs_sync_daemon");
  CHECK(err("lvs_sync_daemon eth0 group 192.0.2.300") ==
        "t.conf:2:28: found '192.0.2.300', expected a multicast address (224.0.0.0/4 or ff00::/8) for lvs_sync_daemon");
  CHECK(err("lvs_sync_daemon eth0 group 192.0.2.1") ==
        "t.conf:2:28: found '192.0.2.1', expected a multicast address (224.0.0.0/4 or ff00::/8) for lvs_sync_daemon");
  CHECK(err("vrrp_mcast_group4 ff02::12") ==
        "t.conf:2:19: found 'ff02::12', expected an IPv4 multicast address (224.0.0.0/4) for vrrp_mcast_group4");
  CHECK(err("vrrp_mcast_group6 ff05::1") ==
        "t.conf:2:19: found 'ff05::1', expected an IPv6 link-local multicast address (ff02::/16) for vrrp_mcast_group6");
  CHECK(err("vrrp_startup_delay 0") ==
        "t.conf:2:20: found '0', expected a number of seconds 0.001..4294.967295 (at most 6 decimals) for vrrp_startup_delay");
  CHECK(err("vrrp_garp_interval 1.0000001") ==
        "t.conf:2:20: found '1.0000001', expected a number of seconds 0.000001..4294.967295 (at most 6 decimals) for "
        "vrrp_garp_interval");
  CHECK(err("vrrp_gna_interval 4295") ==
        "t.conf:2:19: found '4295', expected a number of seconds 0.000001..4294.967295 (at most 6 decimals) for "
        "vrrp_gna_interval");
  CHECK(err("min_auto_priority_delay 0") == "t.conf:2:25: found '0', expected an integer 1..10000000 for min_auto_priority_delay");
  CHECK(err("checker_rlimit_rttime 0") == "t.conf:2:23: found '0', expected an integer 1..4294967295 for checker_rlimit_rttime");
  CHECK(err("nftables_ipvs_start_fwmark 0") ==
        "t.conf:2:28: found '0', expected an integer 1..4294967295 for nftables_ipvs_start_fwmark");
  CHECK(err("lvs_sync_daemon eth0 VI_1 5") == "t.conf:2:27: found '5', expected 'id' before the sync id in lvs_sync_daemon");
  CHECK(err("lvs_sync_daemon eth0 id 3 VI_1") == "t.conf:2:27: found 'VI_1', expected id, maxlen, port, ttl or group in lvs_sync_daemon");
  CHECK(err("lvs_sync_daemon eth0 inst") == "t.conf:2:22: found end of line, expected a value after inst in lvs_sync_daemon");
  CHECK(err("lvs_timeouts") == "t.conf:2:1: found end of line, expected at least one of tcp SECS, tcpfin SECS, udp SECS for lvs_timeouts");
  CHECK(err("lvs_timeouts udp 3 tcp") == "t.conf:2:20: found end of line, expected a value after tcp in lvs_timeouts");
  CHECK(err("lvs_timeouts foo 3") == "t.conf:2:14: found 'foo', expected tcp, tcpfin or udp in lvs_timeouts");
  CHECK(err("lvs_timeouts tcp 2678401") == "t.conf:2:18: found '2678401', expected an integer 0..2678400 for tcp in lvs_timeouts");
  CHECK(err("include_check match brace_match") ==
        "t.conf:2:21: found 'brace_match', expected +brace_match or -brace_match (only the first option of include_check may "
        "omit the sign)");
  CHECK(err("lvs_flush_on_stop vs") == "t.conf:2:19: found 'vs', expected VS or end of line for lvs_flush_on_stop");
  CHECK(err("dynamic_interfaces foo") == "t.conf:2:20: found 'foo', expected allow_if_changes or end of line for dynamic_interfaces");
  CHECK(err("include_check +readable") ==
        "t.conf:2:15: found '+readable', expected match, wildcard_match or brace_match (optionally after + or -) for include_check");
  CHECK(err("script_user") == "t.conf:2:1: found end of line, expected a value for script_user");
  CHECK(err("startup_script") == "t.conf:2:1: found end of line, expected a value for startup_script");
  // A repeat of 0 keepalived raises to 1, complaining.
  config r = load_string(G("vrrp_garp_master_repeat 0"), "t.conf");
  CHECK(r.global.vrrp.vrrp_garp_master_repeat == 1u);
  CHECK(joined(said(r, diagnostic::kind::warning, true)) ==
        "t.conf:2:25 vrrp_garp_master_repeat must be greater than 0, using 1\n");
  // The words keepalived ignores are warnings, the value kept.
  config c = load_string(G("nftables a b"), "t.conf");
  CHECK(c.global.fw.nftables == std::optional<std::string>("a"));
  CHECK(joined(said(c, diagnostic::kind::warning, true)) == "t.conf:2:12 extra argument 'b' to nftables ignored\n");
}

TEST_CASE("vocab: top-level settings, errors") {
  auto err = [](const std::string& text) -> std::string {
    try {
      load_string(text, "t.conf");
    } catch (const config_error& e) {
      return e.what();
    }
    return "";
  };
  CHECK(err("net_namespace\n") == "t.conf:1:1: found end of line, expected a value for net_namespace");
  CHECK(err("instance\n") == "t.conf:1:1: found end of line, expected a value for instance");
  CHECK(err("child_wait_time 1.5\n") == "t.conf:1:17: found '1.5', expected an integer 0..4294967295 for child_wait_time");
  CHECK(err("child_wait_time 4294967296\n") ==
        "t.conf:1:17: found '4294967296', expected an integer 0..4294967295 for child_wait_time");
}

TEST_CASE("vocab: top-level settings outside global_defs") {
  config c = load_string("net_namespace blue\nnet_namespace_ipvs red\nnamespace_with_ipsets\ninstance one\n"
                         "use_pid_dir\nlinkbeat_use_polling\nchild_wait_time 3\n");
  const daemon_settings& d = c.daemon;
  CHECK(d.net_namespace == std::optional<std::string>("blue"));
  CHECK(d.net_namespace_ipvs == std::optional<std::string>("red"));
  CHECK(d.namespace_with_ipsets);
  CHECK(d.instance == std::optional<std::string>("one"));
  CHECK(d.use_pid_dir);
  CHECK(d.linkbeat_use_polling);
  CHECK(d.child_wait_time == 3u);
  // Unset: keepalived's defaults.
  config e = load_string("net_namespace_ipvs\n");
  CHECK(e.daemon.net_namespace_ipvs == std::optional<std::string>(""));
  CHECK_FALSE(e.daemon.net_namespace);
  CHECK_FALSE(e.daemon.use_pid_dir);
  CHECK_FALSE(e.daemon.child_wait_time);
}

TEST_CASE("vocab: vrrp_instance") {
  using R = row;
  run({
      R{I("track_interface {\n eth1\n eth2 weight -10 reverse\n}"),
        [](const config& c) {
          auto& t = inst(c).track_interface;
          return t.size() == 2 && t[1].name == "eth2" && t[1].weight == -10 && t[1].reverse;
        }},
      R{"vrrp_script s {\n script /bin/true\n}\n" + I("track_script {\n s weight 5\n}"),
        [](const config& c) { return inst(c).track_script.at(0).weight == 5; }},
      R{"track_file f {\n file /tmp/f\n}\n" + I("track_file {\n f\n}"),
        [](const config& c) { return inst(c).track_file.at(0).name == "f"; }},
      R{"vrrp_track_process p {\n process nginx\n}\n" + I("track_process {\n p\n}"),
        [](const config& c) { return inst(c).track_process.at(0).name == "p"; }},
      R{"bfd_instance b {\n neighbor_ip 192.0.2.2\n}\n" + I("track_bfd {\n b\n}"),
        [](const config& c) { return inst(c).track_bfd.at(0).name == "b"; }},
      R{I("unicast_src_ip 192.0.2.5"), [](const config& c) { return inst(c).unicast_src_ip->to_string() == "192.0.2.5"; }},
      R{I("mcast_src_ip 192.0.2.6"), [](const config& c) { return inst(c).unicast_src_ip->to_string() == "192.0.2.6"; }},
      R{I("mcast_dst_ip 224.0.0.19"), [](const config& c) { return inst(c).mcast_dst_ip->to_string() == "224.0.0.19"; }},
      R{I("unicast_peer {\n 192.0.2.8 min_ttl 2 max_ttl 9\n 192.0.2.9\n}"),
        [](const config& c) {
          auto& p = inst(c).unicast_peers;
          return p.size() == 2 && p[0].min_ttl == 2 && p[0].max_ttl == 9 && !p[1].min_ttl;
        }},
      R{I("unicast_ttl 10"), [](const config& c) { return inst(c).unicast_ttl == 10; }},
      R{I("virtual_ipaddress_excluded {\n 192.0.2.50/24 dev eth0\n}"),
        [](const config& c) { return inst(c).vips_excluded.at(0).prefix_len == 24; }},
      R{I("virtual_routes {\n 198.51.100.0/24 via 192.0.2.254 dev eth0\n default via 192.0.2.1\n blackhole 203.0.113.0/24\n}"),
        [](const config& c) {
          auto& r = inst(c).virtual_routes;
          return r.size() == 3 && r[0].prefix_len == 24 && !r[1].first_address && r[2].first_address->to_string() == "203.0.113.0";
        }},
      R{I("virtual_rules {\n from 192.0.2.0/24 table 100 preference 10\n}"),
        [](const config& c) { return inst(c).virtual_rules.at(0).words.size() == 6; }},
      R{I("use_vmac vrrp7"), [](const config& c) { return inst(c).use_vmac == "vrrp7"; }},
      R{I("use_vmac"), [](const config& c) { return inst(c).use_vmac == ""; }},
      R{I("use_vmac_addr"), [](const config& c) { return inst(c).use_vmac_addr; }},
      R{I("accept"), [](const config& c) { return inst(c).accept == true; }},
      R{I(""), [](const config& c) { return !inst(c).accept && !inst(c).strict_mode; }},
      R{I("nopreempt"), [](const config& c) { return inst(c).nopreempt; }},
      R{I("nopreempt\n preempt"), [](const config& c) { return !inst(c).nopreempt; }},
      R{I("accept\n no_accept"), [](const config& c) { return inst(c).accept == false; }},
      R{I("strict_mode on"), [](const config& c) { return inst(c).strict_mode == true; }},
      R{I("strict_mode off"), [](const config& c) { return inst(c).strict_mode == false; }},
      R{I("dont_track_primary"), [](const config& c) { return inst(c).dont_track_primary; }},
      R{I("notify_deleted /bin/true"), [](const config& c) { return inst(c).notify_deleted == "/bin/true"; }},
      R{I("notify_master_rx_lower_pri /bin/true"), [](const config& c) { return inst(c).notify_master_rx_lower_pri == "/bin/true"; }},
  });
}

TEST_CASE("vocab: vrrp_instance, typed options") {
  using R = row;
  run({
      R{I("vrf blue"), [](const config& c) { return inst(c).vrf == "blue"; }},
      R{I("vmac_xmit_base"), [](const config& c) { return inst(c).vmac_xmit_base; }},
      R{I("use_vmac vrrp7 02:00:5E:00:01"),
        [](const config& c) { return inst(c).use_vmac == "vrrp7" && inst(c).vmac_mac == "02:00:5e:00:01"; }},
      R{I("use_vmac vrrp7 2:0:5e:0:1:7"), [](const config& c) { return inst(c).vmac_mac == "02:00:5e:00:01:07"; }},
      R{I("use_vmac 02:00:5e:00:01:07"), [](const config& c) { return inst(c).use_vmac == "" && inst(c).vmac_mac == "02:00:5e:00:01:07"; }},
      R{I("use_ipvlan ipv1 192.0.2.9/24 private"),
        [](const config& c) {
          auto& v = *inst(c).use_ipvlan;
          return v.name == "ipv1" && v.addr->to_string() == "192.0.2.9" && v.prefix_len == 24 && v.mode == "private";
        }},
      R{I("use_ipvlan 192.0.2.9"),
        [](const config& c) {
          auto& v = *inst(c).use_ipvlan;
          return v.name.empty() && v.addr && v.prefix_len == -1 && v.mode == "bridge";
        }},
      R{I("use_ipvlan"), [](const config& c) { return inst(c).use_ipvlan && !inst(c).use_ipvlan->addr; }},
      R{I("native_ipv6"), [](const config& c) { return inst(c).native_ipv6; }},
      R{I("track_src_ip"), [](const config& c) { return inst(c).track_src_ip; }},
      R{I("check_unicast_src"), [](const config& c) { return inst(c).check_unicast_src; }},
      R{I("unicast_fault_no_peer"), [](const config& c) { return inst(c).unicast_fault_no_peer; }},
      R{I("old_unicast_checksum"), [](const config& c) { return inst(c).old_unicast_checksum == old_checksum::on; }},
      R{I("old_unicast_checksum never"), [](const config& c) { return inst(c).old_unicast_checksum == old_checksum::never; }},
      R{I(""), [](const config& c) { return inst(c).old_unicast_checksum == old_checksum::off && !inst(c).garp_extra_if; }},
      R{I("garp_lower_prio_delay 7"), [](const config& c) { return inst(c).garp_lower_prio_delay == 7.0; }},
      R{I("garp_lower_prio_repeat 2"), [](const config& c) { return inst(c).garp_lower_prio_repeat == 2; }},
      R{I("garp_master_refresh 60"), [](const config& c) { return inst(c).garp_master_refresh == 60.0; }},
      R{I("garp_master_refresh_repeat 2"), [](const config& c) { return inst(c).garp_master_refresh_repeat == 2; }},
      R{I("garp_extra_if all 100"), [](const config& c) { return inst(c).garp_extra_if->all && inst(c).garp_extra_if->interval == 100; }},
      R{I("garp_extra_if 0"), [](const config& c) { return !inst(c).garp_extra_if->all && inst(c).garp_extra_if->interval == 0; }},
      R{I("down_timer_adverts 4"), [](const config& c) { return inst(c).down_timer_adverts == 4; }},
      R{I("lower_prio_no_advert on"), [](const config& c) { return inst(c).lower_prio_no_advert == true; }},
      R{I("higher_prio_send_advert"), [](const config& c) { return inst(c).higher_prio_send_advert == true; }},
      R{I("higher_prio_send_advert no"), [](const config& c) { return inst(c).higher_prio_send_advert == false; }},
      R{I(""), [](const config& c) { return !inst(c).higher_prio_send_advert && !inst(c).smtp_alert && !inst(c).debug; }},
      R{I("promote_secondaries"), [](const config& c) { return inst(c).promote_secondaries; }},
      R{I("skip_check_adv_addr"), [](const config& c) { return inst(c).skip_check_adv_addr == true; }},
      R{I("debug 2"), [](const config& c) { return inst(c).debug == 2; }},
      R{I("debug"), [](const config& c) { return !inst(c).debug; }},
      R{I("notify_priority_changes yes"), [](const config& c) { return inst(c).notify_priority_changes == true; }},
      R{I("smtp_alert no"), [](const config& c) { return inst(c).smtp_alert == false; }},
      R{I("kernel_rx_buf_size 65536"), [](const config& c) { return inst(c).kernel_rx_buf_size == 65536u; }},
      R{I("linkbeat_use_polling"), [](const config& c) { return inst(c).linkbeat_use_polling; }},
      R{I("virtual_ipaddress_excluded {\n 2001:db8::9/128 preferred_lft forever\n 2001:db8::a preferred_lft 30\n"
            " 2001:db8::b\n}"),
        [](const config& c) {
          auto& v = inst(c).vips_excluded;
          return v.at(0).preferred_lft == virtual_ip::forever && v.at(1).preferred_lft == 30u && !v.at(2).preferred_lft;
        }},
  });
}

TEST_CASE("vocab: vrrp_script, track_file, vrrp_track_process, bfd_instance") {
  run({
      {"vrrp_script s {\n script \"/bin/check a\"\n interval 3\n timeout 2\n weight -20 reverse\n rise 4\n fall 5\n"
       " user nobody nogroup\n init_fail\n}\n",
       [](const config& c) {
         auto& s = c.scripts.at(0);
         return s.script == "/bin/check a" && s.interval == 3 && s.timeout == 2 && s.weight == -20 && s.reverse &&
                s.rise == 4 && s.fall == 5 && s.user.size() == 2 && s.init_fail;
       }},
      {"track_file f {\n file /tmp/f\n weight -3 reverse\n init_file 7 overwrite\n}\n",
       [](const config& c) {
         auto& f = c.track_files.at(0);
         return f.file == "/tmp/f" && f.weight == -3 && f.reverse && f.init_file && f.init_value == 7 && f.init_overwrite;
       }},
      {"vrrp_track_process p {\n process \"/usr/sbin/a b\" -x\n param_match partial\n weight 10\n quorum 2\n"
       " quorum_max 3\n fork_delay 1\n terminate_delay 2\n delay 3\n full_command\n}\n",
       [](const config& c) {
         auto& p = c.track_processes.at(0);
         return p.process.size() == 2 && p.param_match == "partial" && p.weight == 10 && p.quorum == 2 &&
                p.quorum_max == 3 && p.fork_delay == 1 && p.terminate_delay == 2 && p.delay == 3 && p.full_command;
       }},
      {"bfd_instance b {\n neighbor_ip 192.0.2.2\n source_ip 192.0.2.1\n min_rx 20\n min_tx 30\n idle_tx 1900\n"
       " multiplier 4\n passive\n ttl 64\n max_hops 3\n weight 7 reverse\n vrrp\n checker\n}\n",
       [](const config& c) {
         auto& b = c.bfd_instances.at(0);
         return b.neighbor_ip && b.source_ip && b.min_rx == 20 && b.min_tx == 30 && b.idle_tx == 1900 &&
                b.multiplier == 4 && b.passive && b.ttl == 64 && b.max_hops == 3 && b.weight == 7 && b.reverse &&
                b.vrrp && b.checker;
       }},
      {"bfd_instance b {\n neighbor_ip 2001:db8::2\n hoplimit 9\n}\n", [](const config& c) { return c.bfd_instances.at(0).ttl == 9; }},
  });
}

TEST_CASE("vocab: vrrp_sync_group, garp_group, track_group, linkbeat, delays, static_*") {
  run({
      {I("") + "vrrp_script s {\n script /bin/true\n}\ntrack_file f {\n file /tmp/f\n}\n"
               "vrrp_track_process p {\n process x\n}\nbfd_instance b {\n neighbor_ip 192.0.2.2\n}\n"
               "vrrp_sync_group G {\n group {\n V\n }\n track_interface {\n eth1\n }\n track_script {\n s\n }\n"
               " track_file {\n f weight 0\n }\n track_process {\n p\n }\n track_bfd {\n b\n }\n"
               " notify /bin/n\n notify_master /bin/m\n notify_backup /bin/b\n notify_fault /bin/f\n notify_stop /bin/s\n"
               " notify_deleted\n notify_priority_changes on\n smtp_alert\n global_tracking\n sync_group_tracking_weight\n}\n",
       [](const config& c) {
         auto& g = c.sync_groups.at(0);
         return g.group.size() == 1 && g.track_interface.size() == 1 && g.track_script.size() == 1 &&
                g.track_file.at(0).weight_set && g.track_process.size() == 1 && g.track_bfd.size() == 1 &&
                g.notify == "/bin/n" && g.notify_master == "/bin/m" && g.notify_backup == "/bin/b" &&
                g.notify_fault == "/bin/f" && g.notify_stop == "/bin/s" && g.notify_deleted == "" &&
                g.notify_priority_changes == true && g.smtp_alert == true && g.global_tracking && g.sync_group_tracking_weight;
       }},
      {"garp_group {\n garp_interval 0.5\n gna_interval 0.25\n interface eth1\n interfaces {\n eth2\n eth3\n }\n}\n",
       [](const config& c) {
         auto& g = c.garp_groups.at(0);
         return g.garp_interval == 0.5 && g.gna_interval == 0.25 && g.interfaces.size() == 3;
       }},
      {I("") + "track_group T {\n group {\n V\n }\n}\n", [](const config& c) { return c.track_groups.at(0).group.size() == 1; }},
      {"linkbeat_interfaces {\n eth1\n eth2 ETHTOOL\n}\n",
       [](const config& c) { return c.linkbeat_interfaces.size() == 2 && c.linkbeat_interfaces[1].kind == "ETHTOOL"; }},
      {"interface_up_down_delays {\n eth1 2 1.5\n eth2 3\n}\n",
       [](const config& c) {
         auto& d = c.interface_up_down_delays;
         return d.size() == 2 && d[0].down == 2 && d[0].up == 1.5 && d[1].up == 3;
       }},
      {I("") + "track_group T {\n group {\n V\n }\n}\n"
               "static_ipaddress {\n 203.0.113.5/24 dev eth1 scope global track_group T peer 203.0.113.6 home\n}\n",
       [](const config& c) {
         auto& a = c.static_addresses.at(0);
         return a.prefix_len == 24 && a.scope == "global" && a.track_group == "T" && a.peer && a.flags.size() == 1;
       }},
      {"static_routes {\n 198.51.100.0/24 via 203.0.113.1 dev eth1\n 2001:db8:1::/64 dev eth1 table 10\n}\n",
       [](const config& c) { return c.static_routes.size() == 2 && c.static_routes[1].prefix_len == 64; }},
      {"static_rules {\n from 203.0.113.0/24 table 1 preference 5\n to all table 2 preference 6\n}\n",
       [](const config& c) { return c.static_rules.size() == 2 && c.static_rules[0].first_address && !c.static_rules[1].first_address; }},
  });
}

TEST_CASE("vocab: virtual_server_group and virtual_server") {
  run({
      {"virtual_server_group g {\n 192.0.2.1 80\n 192.0.2.10-20 443\n 2001:db8::1-ff 80\n fwmark 3 inet6\n}\n"
       "virtual_server group g {\n lvs_sched rr\n}\n",
       [](const config& c) {
         auto& e = c.vs_groups.at(0).entries;
         auto ip = [](const char* t) { return ka::proto::ip_address::parse(t); };
         return e.size() == 4 && e[1].range_end == ip("192.0.2.20") && e[1].port == 443 && e[2].range_end == ip("2001:db8::ff") &&
                !e[0].range_end && e[0].addr == ip("192.0.2.1") &&
                e[3].fwmark == 3 && e[3].family == ip_family::inet6 && e[0].family == ip_family::unset && vs(c).group == "g";
       }},
      {"virtual_server fwmark 5 {\n persistence_timeout\n}\n",
       [](const config& c) { return vs(c).fwmark == 5 && vs(c).persistence_timeout == 360; }},
      {VS("lvs_sched wrr\n flag-1\n flag-2\n flag-3\n sh-port\n sh-fallback\n mh-port\n mh-fallback\n ops"),
       [](const config& c) { return vs(c).sched == scheduler::wrr && vs(c).sched_flags == 0xff; }},
      {VS("lvs_sched sh\n sh-port\n ops"),
       [](const config& c) {
         return vs(c).has(sched_flag::sh_port) && vs(c).has(sched_flag::ops) && !vs(c).has(sched_flag::sh_fallback) &&
                !vs(c).has(sched_flag::flag_1);
       }},
      {VS("lvs_method TUN type gue port 6080 nocsum"),
       [](const config& c) {
         auto& m = vs(c).method;
         return m.method == lvs_method::tun && m.tun_type == tunnel_type::gue && m.tun_port == 6080 &&
                m.tun_flags == tunnel_csum::nocsum;
       }},
      {VS("lvs_method TUN type gre csum"),
       [](const config& c) { return vs(c).method.tun_type == tunnel_type::gre && vs(c).method.tun_flags == tunnel_csum::csum; }},
      {VS("lvs_method TUN remcsum"),
       [](const config& c) { return vs(c).method.tun_type == tunnel_type::unset && vs(c).method.tun_flags == tunnel_csum::remcsum; }},
      {VS("lvs_method DR"), [](const config& c) { return vs(c).method.method == lvs_method::dr; }},
      {VS("persistence_engine sip\n persistence_timeout 600\n persistence_granularity 255.255.255.0"),
       [](const config& c) {
         return vs(c).persistence_engine == "sip" && vs(c).persistence_timeout == 600 &&
                vs(c).persistence_granularity == ka::proto::ip_address::parse("255.255.255.0");
       }},
      {"virtual_server 2001:db8::1 80 {\n persistence_granularity 56\n}\n",
       [](const config& c) { return vs(c).persistence_granularity == ka::proto::ip_address::parse("ffff:ffff:ffff:ff00::"); }},
      {"virtual_server fwmark 1 {\n persistence_granularity 255.255.0.0\n}\n",
       [](const config& c) { return vs(c).persistence_granularity == ka::proto::ip_address::parse("255.255.0.0"); }},
      {VS("protocol SCTP"), [](const config& c) { return vs(c).protocol == lvs_protocol::sctp; }},
      {VS("lvs_sched twos\n protocol UDP"),
       [](const config& c) { return vs(c).sched == scheduler::twos && vs(c).protocol == lvs_protocol::udp; }},
      {VS("ha_suspend"), [](const config& c) { return vs(c).ha_suspend; }},
      {VS("smtp_alert on"), [](const config& c) { return vs(c).timers.flag(check_timers::smtp_alert) == true; }},
      {VS("virtualhost www.example.com\n snmp_name web"),
       [](const config& c) { return vs(c).virtualhost == "www.example.com" && vs(c).snmp_name == "web"; }},
      {VS("alpha\n omega"), [](const config& c) { return vs(c).timers.flag(check_timers::alpha) == true && vs(c).omega; }},
      {VS("quorum 2\n hysteresis 1\n quorum_up /bin/up\n quorum_down \"/bin/down x\" nobody"),
       [](const config& c) {
         return vs(c).quorum == 2 && vs(c).hysteresis == 1 && vs(c).quorum_up.command == "/bin/up" &&
                vs(c).quorum_up.user.empty() && vs(c).quorum_down.command == "/bin/down x" && vs(c).quorum_down.user == "nobody" &&
                vs(c).quorum_down.group.empty();
       }},
      {VS("ip_family inet6"), [](const config& c) { return vs(c).family == ip_family::inet6; }},
      {VS("sorry_server 198.51.100.9 8080\n sorry_server_inhibit\n sorry_server_lvs_method DR"),
       [](const config& c) {
         return rs(c).sorry && rs(c).port == 8080 && vs(c).sorry_server_inhibit &&
                vs(c).sorry_server_method->method == lvs_method::dr;
       }},
      {VS("connect_timeout 4\n retry 2\n delay_before_retry 1.5\n warmup 3\n delay_loop 6\n inhibit_on_failure"),
       [](const config& c) {
         auto& t = vs(c).timers;
         return t.seconds(t.connect_timeout) == 4 && t.retries() == 2 && t.seconds(t.delay_before_retry) == 1.5 &&
                t.seconds(t.warmup) == 3 && t.seconds(t.delay_loop) == 6 && t.flag(t.inhibit_on_failure) == true &&
                !t.flag(t.alpha) && !t.flag(t.smtp_alert);
       }},
  });
}

TEST_CASE("vocab: real_server") {
  run({
      {RS("weight 3\n lvs_method TUN\n notify_up /bin/up\n notify_down /bin/down nobody nogroup\n uthreshold 100\n lthreshold 10"),
       [](const config& c) {
         auto& n = rs(c).notes;
         return rs(c).weight == 3 && rs(c).method->method == lvs_method::tun && n->notify_up.command == "/bin/up" &&
                n->notify_down.command == "/bin/down" && n->notify_down.user == "nobody" && n->notify_down.group == "nogroup" && n->uthreshold == 100 && n->lthreshold == 10;
       }},
      {RS("weight 2"), [](const config& c) { return !rs(c).method && !rs(c).notes.present() && !rs(c).notes->uthreshold; }},
      {RS("lvs_method TUN type ipip"),
       [](const config& c) { return rs(c).method->tun_type == tunnel_type::ipip && rs(c).method->tun_flags == tunnel_csum::unset;
       }},
      {RS("smtp_alert no\n virtualhost h\n snmp_name s\n alpha yes\n connect_timeout 2\n retry 1\n"
          " delay_before_retry 2\n warmup 1\n delay_loop 3\n inhibit_on_failure off"),
       [](const config& c) {
         auto& t = rs(c).timers;
         return rs(c).notes->virtualhost == "h" && rs(c).notes->snmp_name == "s" && t.flag(t.smtp_alert) == false &&
                t.flag(t.alpha) == true && t.seconds(t.connect_timeout) == 2 && t.retries() == 1 &&
                t.seconds(t.delay_before_retry) == 2 && t.seconds(t.warmup) == 1 && t.seconds(t.delay_loop) == 3 &&
                t.flag(t.inhibit_on_failure) == false;
       }},
  });
}

TEST_CASE("vocab: checkers") {
  run({
      {CK("TCP_CHECK", "connect_ip 198.51.100.2\n connect_port 81\n bindto 192.0.2.3\n bind_if eth0\n bind_port 1000\n"
                       " fwmark 4\n alpha\n connect_timeout 3\n retry 2\n delay_before_retry 1\n warmup 2\n delay_loop 5\n"
                       " log_all_failures on"),
       [](const config& c) {
         auto& k = ck(c);
         auto& t = k.timers;
         return k.kind() == checker_kind::tcp && k.as<tcp_check>() && !k.as<http_check>() &&
                k.connect_ip == ka::proto::ip_address::parse("198.51.100.2") && k.connect_port == 81 &&
                k.source->bindto == ka::proto::ip_address::parse("192.0.2.3") && k.source->bind_if == "eth0" &&
                k.source->bind_port == 1000 && k.fwmark == 4u && t.flag(t.alpha) == true &&
                t.seconds(t.connect_timeout) == 3 && t.retries() == 2 && t.seconds(t.delay_before_retry) == 1 &&
                t.seconds(t.warmup) == 2 && t.seconds(t.delay_loop) == 5 && t.flag(t.log_all_failures) == true;
       }},
      {CK("TCP_CHECK", "connect_timeout 0.000001"),
       [](const config& c) {
         auto& t = ck(c).timers;
         return t.seconds(t.connect_timeout) == 1e-6 && !t.retries() && !ck(c).source.present() && !ck(c).connect_port;
       }},
      {CK("HTTP_GET", "http_protocol 1.1\n fast_recovery\n url {\n path /a\n digest abc\n status_code 200 300-399\n"
                      " virtualhost v\n regex ok\n regex_no_match\n regex_options caseless\n regex_stack 1 2\n"
                      " regex_min_offset 1\n regex_max_offset 9\n }"),
       [](const config& c) {
         auto* k = ck(c).as<http_check>();
         auto& u = k->urls.at(0);
         return k->http_protocol == http_version::v1_1 && k->fast_recovery && u.path == "/a" && u.digest == "abc" &&
                u.status_code.size() == 2 && u.status_code[0].first == 200 && u.status_code[0].last == 200 &&
                u.status_code[1].first == 300 && u.status_code[1].last == 399 && u.virtualhost == "v" && u.regex == "ok" &&
                u.regex_no_match && u.regex_options == 1u << static_cast<int>(regex_option::caseless) &&
                u.regex_stack_start == 1u && u.regex_stack_max == 2u && u.regex_min_offset == 1u && u.regex_max_offset == 9u;
       }},
      {CK("HTTP_GET", "http_protocol 1.0c\n url {\n path /\n regex_options utf ucp\n regex_options dotall\n }"),
       [](const config& c) {
         auto* k = ck(c).as<http_check>();
         auto& u = k->urls.at(0);
         auto bit = [](regex_option o) { return 1u << static_cast<int>(o); };
         return k->http_protocol == http_version::v1_0c && !u.regex_no_match && !u.regex_stack_start &&
                u.regex_options == (bit(regex_option::utf) | bit(regex_option::ucp) | bit(regex_option::dotall));
       }},
      {CK("SSL_GET", "enable_sni\n url {\n path /\n }"),
       [](const config& c) { return ck(c).kind() == checker_kind::ssl && ck(c).as<ssl_check>()->enable_sni && !ck(c).as<http_check>(); }},
      {CK("SMTP_CHECK", "helo_name lb.example.com\n host {\n connect_ip 198.51.100.7\n connect_port 25\n retry 4\n }"),
       [](const config& c) {
         auto* s = ck(c).as<smtp_check>();
         return s->helo_name == "lb.example.com" && s->hosts.size() == 1 &&
                s->hosts[0].connect_ip == ka::proto::ip_address::parse("198.51.100.7") && s->hosts[0].connect_port == 25 &&
                s->hosts[0].timers.retries() == 4;
       }},
      {CK("DNS_CHECK", "type aaaa\n name example.com"),
       [](const config& c) { return ck(c).as<dns_check>()->type == dns_type::aaaa && ck(c).as<dns_check>()->name == "example.com"; }},
      {CK("MISC_CHECK", "misc_path \"/bin/check x\"\n misc_timeout 5\n misc_dynamic\n user nobody nogroup"),
       [](const config& c) {
         auto* m = ck(c).as<misc_check>();
         return m->misc_path == "/bin/check x" && m->misc_timeout == 5 && m->misc_dynamic && m->user == "nobody" &&
                m->group == "nogroup";
       }},
      {"bfd_instance b {\n neighbor_ip 192.0.2.2\n}\n" + CK("BFD_CHECK", "name b"),
       [](const config& c) { return ck(c).as<bfd_check>()->name == "b"; }},
      {CK("PING_CHECK", ""), [](const config& c) { return ck(c).kind() == checker_kind::ping; }},
      {CK("UDP_CHECK", "payload Ab12f 3 456\n require_reply 0c1X x\n min_reply_length 1\n max_reply_length 100"),
       [](const config& c) {
         auto* u = ck(c).as<udp_check>();
         using b = std::vector<std::uint8_t>;
         return u->payload == b{0xab, 0x12, 0x0f, 0x03, 0x45, 0x06} && u->require_reply && u->reply == b{0x0c, 0x10, 0x00} &&
                u->reply_mask == b{0xff, 0xf0, 0xf0} && u->min_reply_length == 1 && u->max_reply_length == 100;
       }},
      {CK("UDP_CHECK", "require_reply"),
       [](const config& c) {
         auto* u = ck(c).as<udp_check>();
         return u->require_reply && u->reply.empty() && u->payload.empty() && !u->min_reply_length;
       }},
      {"track_file f {\n file /tmp/f\n}\n" + CK("FILE_CHECK", "track_file f\n dynamic\n weight -5 reverse"),
       [](const config& c) {
         auto* f = ck(c).as<file_check>();
         return f->track_file == "f" && f->dynamic && f->weight == -5 && f->reverse;
       }},
      {"SSL {\n password p\n ca /c\n certificate /t\n key /k\n}\n",
       [](const config& c) { return c.ssl && c.ssl->password == "p" && c.ssl->key == "/k"; }},
  });
}

// The generic checker options in every checker kind that reads them (keepalived.conf(5)'s
// CHECKER_TYPE block), with MISC_CHECK reading only those from alpha on, as keepalived 2.2.7.
TEST_CASE("vocab: generic checker options in every checker kind") {
  const std::string all = "connect_ip 198.51.100.2\n connect_port 81\n bindto 192.0.2.3\n bind_if eth0\n bind_port 1000\n"
                          " fwmark 4\n";
  const std::string from_alpha = "alpha\n retry 2\n delay_before_retry 1\n warmup 2\n delay_loop 5\n log_all_failures on\n";
  auto connection = [](const checker& k) {
    return k.connect_ip == ka::proto::ip_address::parse("198.51.100.2") && k.connect_port == 81 &&
           k.source->bindto == ka::proto::ip_address::parse("192.0.2.3") && k.source->bind_if == "eth0" &&
           k.source->bind_port == 1000 && k.fwmark == 4u;
  };
  auto timers = [](const checker& k) {
    auto& t = k.timers;
    return t.flag(t.alpha) == true && t.retries() == 2 && t.seconds(t.delay_before_retry) == 1 &&
           t.seconds(t.warmup) == 2 && t.seconds(t.delay_loop) == 5 && t.flag(t.log_all_failures) == true;
  };
  std::vector<row> rows;
  for (auto [kind, extra] : {std::pair{"HTTP_GET", " url {\n path /\n }"}, std::pair{"SSL_GET", " url {\n path /\n }"},
                             std::pair{"SMTP_CHECK", ""}, std::pair{"DNS_CHECK", ""}, std::pair{"UDP_CHECK", ""},
                             std::pair{"PING_CHECK", ""}}) {
    rows.push_back({CK(kind, all + from_alpha + " connect_timeout 3\n" + extra), [=](const config& c) {
                      const checker& k = ck(c);
                      return connection(k) && timers(k) && k.timers.seconds(k.timers.connect_timeout) == 3;
                    }});
  }
  rows.push_back({CK("MISC_CHECK", "misc_path /bin/true\n " + from_alpha),
                  [=](const config& c) { return timers(ck(c)) && !ck(c).timers.has(check_timers::connect_timeout); }});
  run(rows);
}

// SSL_GET reads everything HTTP_GET does (keepalived.conf(5)'s HTTP_GET|SSL_GET block).
TEST_CASE("vocab: SSL_GET reads the HTTP_GET keywords") {
  run({
      {CK("SSL_GET", "http_protocol 1.0\n fast_recovery yes\n url {\n path /s\n digest d1\n status_code 204\n virtualhost h\n"
                     " regex r\n regex_no_match\n regex_options caseless\n regex_stack 3 4\n regex_min_offset 2\n"
                     " regex_max_offset 8\n }"),
       [](const config& c) {
         auto* s = ck(c).as<ssl_check>();
         if (!s) return false;
         auto& u = s->urls.at(0);
         return s->http_protocol == http_version::v1_0 && s->fast_recovery && u.path == "/s" && u.digest == "d1" &&
                u.status_code.size() == 1 && u.status_code[0].first == 204 && u.virtualhost == "h" && u.regex == "r" &&
                u.regex_no_match && u.regex_options == 1u << static_cast<int>(regex_option::caseless) &&
                u.regex_stack_start == 3u && u.regex_stack_max == 4u && u.regex_min_offset == 2u && u.regex_max_offset == 8u;
       }},
  });
}

// The keywords of the VRRPv2 instance the daemon acts on, each alone in a row.
TEST_CASE("vocab: vrrp_instance, the keywords in effect") {
  using R = row;
  run({
      R{I("state MASTER"), [](const config& c) { return inst(c).initial_master; }},
      R{I("state BACKUP"), [](const config& c) { return !inst(c).initial_master; }},
      R{I("version 3"), [](const config& c) { return inst(c).version == 3; }},
      R{I("priority 150"), [](const config& c) { return inst(c).priority == 150; }},
      R{I("advert_int 0.5\n version 3"), [](const config& c) { return inst(c).advert_int == 0.5; }},
      R{I("advert_int 3"), [](const config& c) { return inst(c).advert_int == 3.0; }},
      R{I("authentication {\n auth_type PASS\n auth_pass secret1\n}"),
        [](const config& c) { return inst(c).auth == auth_kind::pass && inst(c).auth_pass == "secret1"; }},
      R{I("preempt_delay 30"), [](const config& c) { return inst(c).preempt_delay == 30.0; }},
      R{I("garp_master_delay 7"), [](const config& c) { return inst(c).garp_master_delay == 7.0; }},
      R{I("garp_master_repeat 3"), [](const config& c) { return inst(c).garp_master_repeat == 3; }},
      R{I("notify_master \"/bin/m a\""), [](const config& c) { return inst(c).notify_master == "/bin/m a"; }},
      R{I("notify_backup /bin/b"), [](const config& c) { return inst(c).notify_backup == "/bin/b"; }},
      R{I("notify_fault /bin/f"), [](const config& c) { return inst(c).notify_fault == "/bin/f"; }},
      R{I("notify_stop /bin/s"), [](const config& c) { return inst(c).notify_stop == "/bin/s"; }},
      R{I("notify /bin/n"), [](const config& c) { return inst(c).notify == "/bin/n"; }},
  });
}

// The top-level daemon settings, one row each (keepalived.conf(5) lists them before global_defs).
TEST_CASE("vocab: top-level settings, one row each") {
  const auto& d = [](const config& c) -> const daemon_settings& { return c.daemon; };
  run({
      {"net_namespace blue\n", [&](const config& c) { return d(c).net_namespace == std::optional<std::string>("blue"); }},
      {"net_namespace_ipvs red\n", [&](const config& c) { return d(c).net_namespace_ipvs == std::optional<std::string>("red"); }},
      {"namespace_with_ipsets\n", [&](const config& c) { return d(c).namespace_with_ipsets; }},
      {"instance one\n", [&](const config& c) { return d(c).instance == std::optional<std::string>("one"); }},
      {"use_pid_dir\n", [&](const config& c) { return d(c).use_pid_dir; }},
      {"linkbeat_use_polling\n", [&](const config& c) { return d(c).linkbeat_use_polling; }},
      {"child_wait_time 3\n", [&](const config& c) { return d(c).child_wait_time == 3u; }},
  });
}

// Other spellings keepalived reads, each read into the new name's field.
TEST_CASE("vocab: other spellings, read into the model") {
  run({
      {"vrrp_track_file f {\n file /tmp/f\n weight 3\n}\n",
       [](const config& c) { return c.track_files.at(0).name == "f" && c.track_files.at(0).weight == 3; }},
      {"bfd_instance b {\n neighbour_ip 192.0.2.2\n}\n",
       [](const config& c) { return c.bfd_instances.at(0).neighbor_ip == ka::proto::ip_address::parse("192.0.2.2"); }},
      {VS("lb_algo sh\n protocol TCP"), [](const config& c) { return vs(c).sched == scheduler::sh; }},
      {VS("lb_kind DR\n protocol TCP"), [](const config& c) { return vs(c).method.method == lvs_method::dr; }},
  });
}

// ---------------------------------------------------------------- validation rules

TEST_CASE("vocab: every error is collected, each with its position") {
  try {
    load_string("vrrp_script s {\n interval x\n script /bin/true\n}\n" + VS("lvs_sched nope\n protocol TCP") +
                    I("unicast_ttl 300\n track_interface {\n eth1 weight 999\n }"),
                "t.conf");
    FAIL("expected errors");
  } catch (const config_error& e) {
    auto all = e.all();
    REQUIRE(all.size() == 4);
    CHECK(std::string(all[0].what()) == "t.conf:2:11: found 'x', expected a number of seconds 0..4294 for interval");
    CHECK(std::string(all[1].what()) ==
          "t.conf:6:11: found 'nope', expected a scheduler (rr, wrr, lc, wlc, lblc, sh, mh, dh, fo, ovf, lblcr, "
          "sed, nq, twos) for lvs_sched");
    CHECK(all[2].where().to_string() == "t.conf:15:13");
    CHECK(all[2].expected() == "an integer 1..255 for unicast_ttl");
    CHECK(all[3].where().to_string() == "t.conf:17:14");
    CHECK(all[3].expected() == "an integer -253..253 for weight");
    CHECK(e.where().line == 2);
    CHECK(std::string(e.what()).find('\n') != std::string::npos);
  }
}

TEST_CASE("vocab: range and type errors") {
  auto err = [](const std::string& text) -> std::string {
    try {
      load_string(text, "t.conf");
    } catch (const config_error& e) {
      return e.what();
    }
    return "";
  };
  CHECK(err(G("smtp_alert maybe")) == "t.conf:2:12: found 'maybe', expected on, off, true, false, yes or no for smtp_alert");
  CHECK(err(G("vrrp_mcast_group4 224.0.0.x")) ==
        "t.conf:2:19: found '224.0.0.x', expected an IPv4 multicast address (224.0.0.0/4) for vrrp_mcast_group4");
  CHECK(err("bfd_instance b {\n neighbor_ip 192.0.2.1\n multiplier 0\n}\n") ==
        "t.conf:3:13: found '0', expected an integer 1..255 for multiplier");
  CHECK(err("bfd_instance b {\n min_rx 5\n}\n") ==
        "t.conf:1:1: found bfd_instance 'b' without neighbor_ip, expected a neighbor_ip (required)");
  CHECK(err("vrrp_script s {\n interval 1\n}\n") == "t.conf:1:1: found vrrp_script 's' without script, expected a script (required)");
  CHECK(err(VS("protocol ICMP")) == "t.conf:2:10: found 'ICMP', expected TCP, UDP or SCTP for protocol");
  CHECK(err(VS("lvs_method NAT x")) == "t.conf:2:16: found 'x', expected end of line after NAT");
  CHECK(err(CK("HTTP_GET", "url {\n status_code 200\n }")) == "t.conf:4:1: found url without path, expected a path (required)");
  CHECK(err(CK("HTTP_GET", "url {\n path /\n status_code 200-100\n }")) ==
        "t.conf:6:14: found '200-100', expected an HTTP status code 100..599 or a range of them for status_code");
  CHECK(err("virtual_server_group g {\n 192.0.2.1-300 80\n}\n") ==
        "t.conf:2:2: found '192.0.2.1-300', expected a last byte 0..255 or an address after the -");
  CHECK(err("linkbeat_interfaces {\n eth0 BEAT\n}\n") == "t.conf:2:7: found 'BEAT', expected MII, ETHTOOL or IOCTL after 'eth0'");
  CHECK(err(I("virtual_routes {\n 198.51.100.0/33 dev eth0\n}")) ==
        "t.conf:8:2: found '198.51.100.0/33', expected an address[/prefix] as the route's destination");
  CHECK(err("bfd_instance b {\n neighbor_ip 192.0.2.1\n}\nbfd_instance b {\n neighbor_ip 192.0.2.2\n}\n") ==
        "t.conf:4:14: found duplicate bfd_instance name 'b', expected a name not used before (first at t.conf:1:1)");
}

TEST_CASE("vocab: references to undefined blocks are warnings, the reference dropped (keepalived)") {
  config c = load_string(I("track_script {\n nope\n}\n track_file {\n none\n}") +
                         "vrrp_sync_group G {\n group {\n V\n W\n }\n}\n"
                         "virtual_server group missing {\n protocol TCP\n}\n");
  CHECK(inst(c).track_script.empty());
  CHECK(inst(c).track_file.empty());
  CHECK(c.sync_groups.at(0).group.size() == 1);
  std::vector<std::string> warnings;
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::warning && d.message.find("without real_server") == std::string::npos)
      warnings.push_back(d.where.to_string() + " " + d.message);
  REQUIRE(warnings.size() == 4);
  CHECK(warnings[0] == "<string>:8:2 (V): vrrp_script 'nope' is not defined; ignored");
  CHECK(warnings[1] == "<string>:11:2 (V): track_file 'none' is not defined; ignored");
  CHECK(warnings[2] == "<string>:17:2 vrrp_sync_group 'G': vrrp_instance 'W' is not defined; ignored");
  CHECK(warnings[3] == "<string>:20:1 virtual_server group 'missing' is not a virtual_server_group defined in the configuration");
}

TEST_CASE("vocab: what keepalived warns about and ignores in a virtual_server") {
  config c = load_string(VS("lvs_sched rr\n sh-port\n mh-fallback"));
  std::vector<std::string> warnings = said(c, diagnostic::kind::warning, false);
  CHECK(joined(warnings) == "sh-port only applies to the sh scheduler; ignored\n"
                            "mh-fallback only applies to the mh scheduler; ignored\n"
                            "virtual_server without real_server; ignored\n");
}

TEST_CASE("vocab: checker keywords belong to their checker kinds") {
  config c = load_string(CK("TCP_CHECK", "helo_name x\n connect_port 81") + CK("HTTP_GET", "url {\n path /\n }\n misc_pth /x"));
  std::vector<std::string> unknown = said(c, diagnostic::kind::unknown_keyword, true);
  CHECK(joined(unknown) == "<string>:4:1 unknown keyword 'helo_name'\n"
                           "<string>:15:2 unknown keyword 'misc_pth'\n");
  CHECK(ck(c).connect_port == 81);
}

TEST_CASE("vocab: a static address naming an undefined track_group is a warning (keepalived)") {
  config c = load_string("static_ipaddress {\n 203.0.113.5/24 dev eth0 track_group NOPE\n}\n");
  CHECK(c.static_addresses.at(0).track_group.empty());
  CHECK(joined(said(c, diagnostic::kind::warning, true)) ==
        "<string>:2:2 static_ipaddress: track_group 'NOPE' is not defined; ignored\n");
}

TEST_CASE("vocab: checkers naming undefined blocks are warnings (keepalived)") {
  config c = load_string(CK("FILE_CHECK", "track_file nof") + CK("BFD_CHECK", "name nob") + CK("FILE_CHECK", ""));
  std::vector<std::string> warnings;
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::warning && d.message.find("CHECK") != std::string::npos) warnings.push_back(d.message);
  CHECK(joined(warnings) == "FILE_CHECK without track_file; ignored\n"
                            "FILE_CHECK: track_file 'nof' is not defined; ignored\n"
                            "BFD_CHECK: bfd_instance 'nob' is not defined; ignored\n");
}

TEST_CASE("vocab: names keepalived accepts twice are warnings") {
  config c = load_string("vrrp_script s {\n script /bin/a\n}\nvrrp_script s {\n script /bin/b\n}\n"
                         "virtual_server_group g {\n 192.0.2.1 80\n}\nvirtual_server_group g {\n 192.0.2.2 80\n}\n");
  CHECK(c.scripts.size() == 2);
  CHECK(joined(said(c, diagnostic::kind::warning, true)) ==
        "<string>:4:13 vrrp_script 's' defined again (first at <string>:1:1); references name the first\n"
        "<string>:10:22 virtual_server_group 'g' defined again (first at <string>:7:1); references name the first\n");
}

TEST_CASE("vocab: duplicates keepalived warns about or accepts") {
  config c = load_string(I("") + "vrrp_sync_group A {\n group {\n V\n }\n}\nvrrp_sync_group B {\n group {\n V\n }\n}\n" +
                         VS("protocol TCP") + VS("protocol TCP") + VS("protocol UDP"));
  CHECK(c.sync_groups.at(1).group.empty());
  int vs_dups = 0, sg_dups = 0;
  for (const auto& d : c.diagnostics) {
    vs_dups += d.message.find("is already defined at <string>:19:1") != std::string::npos;
    sg_dups += d.message.find("is already in sync group 'A'") != std::string::npos;
  }
  std::vector<std::string> messages;
  for (const auto& d : c.diagnostics) messages.push_back(d.where.to_string() + " " + d.message);
  auto all = joined(messages);
  CAPTURE(all);
  CHECK(vs_dups == 1);
  CHECK(sg_dups == 1);
  // The second virtual server, at its keyword; the same address with another protocol is
  // another service. keepalived 2.2.7 -t says nothing of it; IPVS keeps one: a warning.
  CHECK(all.find("<string>:22:1 virtual_server 192.0.2.1 port 80 TCP is already defined at <string>:19:1; "
                 "IPVS will hold only one\n") != std::string::npos);
  CHECK(all.find(":25:1 virtual_server 192.0.2.1 port 80 UDP is already") == std::string::npos);
}

TEST_CASE("vocab: did you mean, per block") {
  config c = load_string(G("router_idd x\n vrrp_garp_intervl 1") + I("priorty 5\n unicst_peer {\n }") +
                         RS("HTTP_GTE {\n }") + "vrrp_scirpt s {\n}\nzzzz_qqqq 1\n");
  std::vector<std::string> unknown = said(c, diagnostic::kind::unknown_keyword, true);
  REQUIRE(unknown.size() == 7);
  CHECK(unknown[0] == "<string>:2:1 unknown keyword 'router_idd'; did you mean 'router_id'?");
  CHECK(unknown[1] == "<string>:3:2 unknown keyword 'vrrp_garp_intervl'; did you mean 'vrrp_garp_interval'?");
  CHECK(unknown[2] == "<string>:11:1 unknown keyword 'priorty'; did you mean 'priority'?");
  CHECK(unknown[3] == "<string>:12:2 unknown keyword 'unicst_peer'; did you mean 'unicast_peer'?");
  CHECK(unknown[4] == "<string>:17:1 unknown keyword 'HTTP_GTE'; did you mean 'HTTP_GET'?");
  CHECK(unknown[5] == "<string>:21:1 unknown keyword 'vrrp_scirpt'; did you mean 'vrrp_script'?");
  CHECK(unknown[6] == "<string>:23:1 unknown keyword 'zzzz_qqqq'");
}

TEST_CASE("vocab: old names load with a warning naming the new one") {
  config c = load_string(std::string("virtual_server 192.0.2.2 80 {\n lb_algo rr\n lb_kind DR\n sorry_server_lb_kind NAT\n"
                         " sorry_server 198.51.100.9 80\n}\n") +
                         "vrrp_track_file f {\n file /tmp/f\n}\n" + CK("HTTP_GET", "url {\n path /\n }\n nb_get_retry 3") +
                         I("mcast_src_ip 192.0.2.4"));
  CHECK(vs(c).sched == scheduler::rr);
  CHECK(vs(c).method.method == lvs_method::dr);
  CHECK(c.track_files.size() == 1);
  CHECK(c.virtual_servers.at(1).real_servers.at(0).checkers.at(0).timers.retries() == 3);
  std::vector<std::string> warnings;
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::warning && d.message.find("without real_server") == std::string::npos &&
        d.message.find("without protocol") == std::string::npos)
      warnings.push_back(d.message);
  // mcast_src_ip is a synonym in keepalived.conf(5), not an old name: no warning.
  auto all = joined(warnings);
  CAPTURE(all);
  REQUIRE(warnings.size() == 5);
  CHECK(warnings[0] == "'lb_algo' is an old name, read as 'lvs_sched'");
  CHECK(warnings[1] == "'lb_kind' is an old name, read as 'lvs_method'");
  CHECK(warnings[2] == "'sorry_server_lb_kind' is an old name, read as 'sorry_server_lvs_method'");
  CHECK(warnings[3] == "'vrrp_track_file' is an old name, read as 'track_file'");
  CHECK(warnings[4] == "'nb_get_retry' is an old name, read as 'retry'");
  // Each at the old word itself.
  std::vector<std::string> at;
  for (const auto& d : c.diagnostics)
    if (d.message.find("is an old name") != std::string::npos) at.push_back(d.where.to_string());
  CHECK(at == std::vector<std::string>{"<string>:2:2", "<string>:3:2", "<string>:4:2", "<string>:7:1", "<string>:16:2"});
}

TEST_CASE("vocab: one not_acted_on per keyword not in effect, none inside such a block") {
  config c = load_string(I("track_bfd {\n b1\n }\n priority 50") + VS("lvs_sched rr\n protocol TCP\n snmp_name vs1") +
                         "bfd_instance b1 {\n neighbor_ip 192.0.2.9\n}\n");
  std::vector<std::string> not_acted = said(c, diagnostic::kind::not_acted_on, true);
  auto all = joined(not_acted);
  CAPTURE(all);
  REQUIRE(not_acted.size() == 3);
  CHECK(not_acted[0] == "<string>:7:1 'track_bfd' is not acted on by this version (nor its block)");
  // virtual_server is acted on (actors/load_balancer.cpp): only its one word that is not
  CHECK(not_acted[1] == "<string>:15:2 'snmp_name' is not acted on by this version");
  CHECK(not_acted[2].find("'bfd_instance' is not acted on") != std::string::npos);
}

TEST_CASE("vocab: interfaces named are listed for the daemon's existence check") {
  config c = load_string(I("track_interface {\n eth5\n }") + "linkbeat_interfaces {\n eth6\n}\n");
  std::vector<std::string> names;
  for (const auto& i : c.interfaces) names.push_back(i.name + "@" + i.where.to_string());
  auto all = joined(names);
  CAPTURE(all);
  CHECK(names == std::vector<std::string>{"eth0@<string>:2:12", "eth5@<string>:8:2", "eth6@<string>:12:2"});
}

TEST_CASE("vocab: full configs that keepalived 2.2.7 accepts load without error") {
  for (const char* name : {"vrrp_full.conf", "lvs_full.conf", "director.conf"}) {
    CAPTURE(name);
    std::string path = std::string(KA_TEST_CONFIGS) + "/" + name;
    config c = load_file(path);
    for (const auto& d : c.diagnostics) {
      CAPTURE(d.message);
      CHECK(d.what != diagnostic::kind::unknown_keyword);
    }
  }
  config v = load_file(std::string(KA_TEST_CONFIGS) + "/vrrp_full.conf");
  CHECK(v.instances.size() == 3);
  CHECK(v.sync_groups.at(0).group.size() == 2);
  CHECK(v.instances.at(0).unicast_peers.size() == 2);
  config l = load_file(std::string(KA_TEST_CONFIGS) + "/lvs_full.conf");
  CHECK(l.virtual_servers.size() == 6);
  std::size_t checkers = 0;
  for (const auto& s : l.virtual_servers)
    for (const auto& r : s.real_servers) checkers += r.checkers.size();
  CHECK(checkers == 9);
  config d = load_file(std::string(KA_TEST_CONFIGS) + "/director.conf");
  CHECK(d.track_groups.at(0).group.size() == 1);
  CHECK(d.static_addresses.at(0).track_group == "TG");
  CHECK(d.instances.at(0).track_script.size() == 1);
  CHECK(d.virtual_servers.at(0).real_servers.size() == 2);
}

TEST_CASE("vocab: errors are bounded like diagnostics") {
  std::string text = "global_defs {\n";
  for (int i = 0; i < 1500; ++i) text += " vrrp_rt_priority 0\n";
  text += "}\n";
  try {
    load_string(text, "t.conf");
    FAIL("expected errors");
  } catch (const config_error& e) {
    auto all = e.all();
    REQUIRE(all.size() == 1001);
    CHECK(all[999].where().line == 1001);
    CHECK(all[1000].where().line == 1002);
    CHECK(all[1000].found() == "more errors from here on");
  }
}

TEST_CASE("vocab: forms of keepalived's own samples (/usr/share/doc/keepalived/samples)") {
  config c = load_string(CK("SMTP_CHECK", "helo_name h\n host {\n connect_ip 198.51.100.7\n connect_port 25\n }") +
                         "static_routes {\n src 192.0.2.1 198.51.100.0/24 via 192.0.2.254 dev eth0\n"
                         " 0.0.0.0/0 gw 192.0.2.1 table 100\n}\n" +
                         I("lvs_sync_daemon_interface eth0"));
  REQUIRE(ck(c).as<smtp_check>()->hosts.size() == 1);
  CHECK(ck(c).as<smtp_check>()->hosts[0].connect_port == 25);
  CHECK(c.static_routes.at(0).first_address->to_string() == "198.51.100.0");
  CHECK(c.static_routes.at(1).prefix_len == 0);
  CHECK(inst(c).lvs_sync_daemon_interface == "eth0");
  auto warnings = said(c, diagnostic::kind::warning, false);
  CHECK(std::count(warnings.begin(), warnings.end(), "'gw' is an old name, read as 'via'") == 1);
  CHECK(std::count_if(warnings.begin(), warnings.end(), [](const std::string& w) {
          return w.find("'lvs_sync_daemon_interface' in a vrrp_instance") == 0;
        }) == 1);
}

// routes-vmac: virtual_routes / virtual_rules are translated at load time, and a form the
// daemon cannot install is an error at its word; the three keywords are acted on.
TEST_CASE("vocab: virtual_routes and virtual_rules are translated, or refused at the word") {
  auto err = [](const std::string& text) -> std::string {
    try {
      load_string(text, "t.conf");
    } catch (const config_error& e) {
      return e.what();
    }
    return "";
  };
  config c = load_string(I("virtual_ipaddress_excluded {\n 192.0.2.50/24\n}\n"
                           "virtual_routes {\n 198.51.100.0/24 via 192.0.2.254 table 100\n blackhole 203.0.113.0/24\n}\n"
                           "virtual_rules {\n from 192.0.2.0/24 table 100 priority 100\n}"));
  REQUIRE(inst(c).virtual_routes.size() == 2);
  REQUIRE(inst(c).virtual_routes[0].route);
  CHECK(inst(c).virtual_routes[0].route->table == 100);
  CHECK(inst(c).virtual_routes[1].route->type == ka::proto::route_type::blackhole);
  REQUIRE(inst(c).virtual_rules.at(0).rule);
  CHECK(inst(c).virtual_rules[0].rule->priority == 100u);
  CHECK(c.diagnostics.empty());  // none of them "not acted on yet"
  config g = load_string("global_defs {\n vrrp_garp_master_refresh 10\n vrrp_garp_master_refresh_repeat 2\n}\n" +
                         I("garp_master_refresh 5\ngarp_master_refresh_repeat 3"));
  CHECK(g.diagnostics.empty());  // garp_master_refresh and its repeat are acted on too

  CHECK(err(I("virtual_routes {\n 198.51.100.0/24 via 192.0.2.254 mtu 1400\n}")) ==
        "t.conf:8:34: found 'mtu', expected a route option keepalive translates (via, dev, src, table, "
        "metric, scope, proto, onlink) (virtual_routes)");
  CHECK(err(I("virtual_routes {\n 198.51.100.0/24\n}")) ==
        "t.conf:8:2: found the end of the line after '198.51.100.0/24', expected 'via ADDRESS' or 'dev NAME' "
        "for a unicast route (virtual_routes)");
  CHECK(err(I("virtual_rules {\n from 192.0.2.0/24 goto 7\n}")) ==
        "t.conf:8:20: found 'goto', expected a rule selector or action keepalive translates (from, to, table, "
        "priority, fwmark, iif, oif) (virtual_rules)");
  // static_routes are not installed by the daemon: only their words are kept.
  config s = load_string("static_routes {\n 198.51.100.0/24 via 192.0.2.1 mtu 1400\n}\n");
  CHECK_FALSE(s.static_routes.at(0).route);
}
