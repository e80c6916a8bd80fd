// parser/: every keyword of keepalived.conf(5) (keepalived 2.2.7) parsed into the model,
// one table row per keyword: a snippet and a check of the model. Also the validation
// rules across blocks, collected errors, "did you mean" and old names.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "parser/load.hpp"

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

bool kept_as(const kept_map& m, const std::string& k, const std::vector<std::string>& words) {
  auto it = m.find(k);
  return it != m.end() && it->second.words == words;
}

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

void run(const std::vector<row>& rows) {
  for (const row& r : rows) {
    CAPTURE(r.text);
    try {
      config c = load_string(r.text, "t.conf");
      for (const auto& d : c.diagnostics) {
        CAPTURE(d.message);
        CHECK(d.what != diagnostic::kind::unknown_keyword);
      }
      CHECK(r.check(c));
    } catch (const config_error& e) {
      FAIL(e.what());
    }
  }
}

// Kept global_defs keywords: keyword, value as written ("" for none).
const std::pair<const char*, const char*> k_global_kept[] = {
    {"checker_cpu_affinity", "0 1"}, {"bfd_cpu_affinity", "1"}, {"checker_rt_priority", "50"},
    {"bfd_rt_priority", "50"}, {"checker_priority", "-5"}, {"bfd_priority", "5"}, {"checker_no_swap", ""},
    {"bfd_no_swap", ""}, {"checker_rlimit_rttime", "10000"}, {"bfd_rlimit_rttime", "10000"},
    {"max_auto_priority", "50"}, {"min_auto_priority_delay", "1000"}, {"process_names", ""},
    {"process_name", "ka"}, {"vrrp_process_name", "ka_vrrp"}, {"checker_process_name", "ka_chk"},
    {"bfd_process_name", "ka_bfd"}, {"tmp_config_directory", "/tmp"}, {"config_save_dir", "/tmp"},
    {"startup_script", "/bin/true"}, {"startup_script_timeout", "10"}, {"shutdown_script", "/bin/true"},
    {"shutdown_script_timeout", "10"}, {"script_user", "root"}, {"enable_script_security", ""},
    {"umask", "0022"}, {"random_seed", "42"}, {"reload_check_config", "/tmp/log"}, {"include_check", ""},
    {"reload_time_file", "/tmp/t"}, {"reload_repeat", ""}, {"reload_file", "/tmp/r"},
    {"data_use_instance", "on"}, {"smtp_helo_name", "lb.example.com"}, {"smtp_alert", "yes"},
    {"smtp_alert_vrrp", "no"}, {"smtp_alert_checker", "true"}, {"checker_log_all_failures", "off"},
    {"no_email_faults", ""}, {"no_checker_emails", ""}, {"vrrp_mcast_group4", "224.0.0.18"},
    {"vrrp_mcast_group6", "ff02::12"}, {"default_interface", "eth0"}, {"vrrp_garp_master_delay", "10"},
    {"vrrp_garp_master_repeat", "1"}, {"vrrp_garp_lower_prio_delay", "10"},
    {"vrrp_garp_lower_prio_repeat", "1"}, {"vrrp_garp_master_refresh", "60"},
    {"vrrp_garp_master_refresh_repeat", "2"}, {"vrrp_garp_interval", "0.001"},
    {"vrrp_gna_interval", "0.000001"}, {"vrrp_min_garp", "true"}, {"vrrp_garp_extra_if", "all 100"},
    {"vrrp_down_timer_adverts", "5"}, {"vrrp_lower_prio_no_advert", "on"},
    {"vrrp_higher_prio_send_advert", ""}, {"vrrp_check_unicast_src", ""}, {"vrrp_skip_check_adv_addr", ""},
    {"vrrp_strict", ""}, {"vrrp_notify_priority_changes", "yes"}, {"vrrp_startup_delay", "5.5"},
    {"log_unknown_vrids", ""}, {"vmac_prefix", "vrt"}, {"vmac_addr_prefix", "vrt"},
    {"vrrp_rx_bufs_policy", "MTU"}, {"vrrp_rx_bufs_multiplier", "4"}, {"dynamic_interfaces", "allow_if_changes"},
    {"disable_local_igmp", ""}, {"vrrp_iptables", "keepalived_in keepalived_out"}, {"vrrp_ipsets", "keepalived"},
    {"nftables", "keepalived"}, {"nftables_priority", "-1"}, {"nftables_counters", ""}, {"nftables_ifindex", ""},
    {"nftables_ipvs", ""}, {"nftables_ipvs_priority", "-1"}, {"nftables_ipvs_start_fwmark", "1000"},
    {"lvs_sync_daemon", "eth0 VI_1 id 1"}, {"lvs_timeouts", "tcp 900 udp 300"}, {"lvs_flush", ""},
    {"lvs_flush_on_stop", "VS"}, {"rs_init_notifies", ""}, {"snmp_socket", "udp:192.0.2.1:705"},
    {"enable_snmp_vrrp", ""}, {"enable_snmp_keepalived", ""}, {"enable_snmp_checker", ""}, {"enable_snmp_rfc", ""}, {"enable_snmp_rfcv2", ""},
    {"enable_snmp_rfcv3", ""}, {"enable_traps", ""}, {"enable_dbus", ""}, {"dbus_service_name", "ka"},
    {"notify_fifo", "/tmp/f"}, {"notify_fifo_script", "/bin/true"}, {"vrrp_notify_fifo", "/tmp/v"},
    {"vrrp_notify_fifo_script", "/bin/true"}, {"lvs_notify_fifo", "/tmp/l"}, {"lvs_notify_fifo_script", "/bin/true"},
    {"fifo_write_vrrp_states_on_reload", ""}, {"vrrp_netlink_cmd_rcv_bufs", "1048576"},
    {"vrrp_netlink_cmd_rcv_bufs_force", "on"}, {"vrrp_netlink_monitor_rcv_bufs", "1048576"},
    {"vrrp_netlink_monitor_rcv_bufs_force", ""}, {"lvs_netlink_cmd_rcv_bufs", "1048576"},
    {"lvs_netlink_cmd_rcv_bufs_force", "off"}, {"lvs_netlink_monitor_rcv_bufs", "1048576"},
    {"lvs_netlink_monitor_rcv_bufs_force", "yes"}, {"process_monitor_rcv_bufs", "1048576"},
    {"process_monitor_rcv_bufs_force", "no"},
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::string w;
  for (char ch : s + " ")
    if (ch == ' ') {
      if (!w.empty()) out.push_back(w);
      w.clear();
    } else {
      w += ch;
    }
  return out;
}

} // namespace

TEST_CASE("vocab: global_defs, typed keywords") {
  run({
      {G("router_id lb1"), [](const config& c) { return c.global.router_id == "lb1"; }},
      {G("notification_email {\n a@example.com\n b@example.com\n}"),
       [](const config& c) { return c.global.notification_email.size() == 2; }},
      {G("notification_email_from k@example.com"), [](const config& c) { return c.global.notification_email_from == "k@example.com"; }},
      {G("smtp_server 192.0.2.25 2525"), [](const config& c) { return c.global.smtp_server == "192.0.2.25" && c.global.smtp_port == 2525; }},
      {G("smtp_connect_timeout 12"), [](const config& c) { return c.global.smtp_connect_timeout == 12; }},
      {G("vrrp_version 3"), [](const config& c) { return c.global.vrrp_version == 3; }},
      {G("admin_socket /run/x.sock"), [](const config& c) { return c.global.admin_socket == "/run/x.sock"; }},
      {G("admin_group adm"), [](const config& c) { return c.global.admin_group == "adm"; }},
      {G("vrrp_cpu_affinity 0 3"), [](const config& c) { return c.global.vrrp_cpu_affinity == std::vector<int>{0, 3}; }},
      {G("vrrp_rt_priority 42"), [](const config& c) { return c.global.vrrp_rt_priority == 42; }},
      {G("vrrp_priority -7"), [](const config& c) { return c.global.vrrp_priority == -7; }},
      {G("vrrp_no_swap"), [](const config& c) { return c.global.vrrp_no_swap; }},
      {G("vrrp_rlimit_rttime 5000"), [](const config& c) { return c.global.vrrp_rlimit_rttime == 5000; }},
  });
}

TEST_CASE("vocab: global_defs, kept keywords") {
  for (const auto& [kw, value] : k_global_kept) {
    CAPTURE(kw);
    config c = load_string(G(std::string(kw) + " " + value));
    CHECK(kept_as(c.global.other, kw, split(value)));
    CHECK(c.diagnostics.size() == 1);  // not acted on, and nothing else
    CHECK(c.diagnostics.at(0).what == diagnostic::kind::not_acted_on);
  }
}

TEST_CASE("vocab: global_defs, other spellings keepalived reads") {
  config c = load_string(G("vrrp_rlimit_rtime 5000\n checker_rlimit_rtime 6000\n bfd_rlimit_rtime 7000\n"
                           " lvs_flush_onstop\n lvs_process_name lvs\n vrrp_vmac_garp_intvl 30"));
  CHECK(c.global.vrrp_rlimit_rttime == 5000);
  CHECK(kept_as(c.global.other, "checker_rlimit_rttime", {"6000"}));
  CHECK(kept_as(c.global.other, "bfd_rlimit_rttime", {"7000"}));
  CHECK(kept_as(c.global.other, "lvs_flush_on_stop", {}));
  CHECK(kept_as(c.global.other, "checker_process_name", {"lvs"}));
  CHECK(joined(said(c, diagnostic::kind::warning, false)) ==
        "'vrrp_vmac_garp_intvl' is an old name, read as 'vrrp_garp_extra_if'\n");
}

TEST_CASE("vocab: top-level settings outside global_defs") {
  config c = load_string("net_namespace blue\nnet_namespace_ipvs red\nnamespace_with_ipsets\ninstance one\n"
                         "use_pid_dir\nlinkbeat_use_polling\nchild_wait_time 3\n");
  for (const char* kw : {"net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "instance", "use_pid_dir",
                         "linkbeat_use_polling", "child_wait_time"})
    CHECK(c.other.count(kw) == 1);
  CHECK(c.other.at("net_namespace").words == std::vector<std::string>{"blue"});
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
      R{I("accept"), [](const config& c) { return inst(c).accept == true; }},
      R{I(""), [](const config& c) { return !inst(c).accept && !inst(c).strict_mode; }},
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
      R{I("use_vmac_addr"), [](const config& c) { return inst(c).use_vmac_addr; }},
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
      R{I("garp_lower_prio_delay 5"), [](const config& c) { return inst(c).garp_lower_prio_delay == 5.0; }},
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
         return e.size() == 4 && e[1].range_last == 20 && e[1].port == 443 && e[2].range_last == 255 &&
                e[3].fwmark == 3 && e[3].family == "inet6" && vs(c).group == "g";
       }},
      {"virtual_server fwmark 5 {\n persistence_timeout\n}\n",
       [](const config& c) { return vs(c).fwmark == 5 && vs(c).persistence_timeout == 360; }},
      {VS("lvs_sched wrr\n flag-1\n flag-2\n flag-3\n sh-port\n sh-fallback\n mh-port\n mh-fallback\n ops"),
       [](const config& c) { return vs(c).sched == "wrr" && vs(c).sched_flags.size() == 8; }},
      {VS("lvs_method TUN type gue port 6080 nocsum"),
       [](const config& c) { return vs(c).method == lvs_method::tun && vs(c).method_options.size() == 5; }},
      {VS("lvs_method DR"), [](const config& c) { return vs(c).method == lvs_method::dr; }},
      {VS("persistence_engine sip\n persistence_timeout 600\n persistence_granularity 255.255.255.0"),
       [](const config& c) {
         return vs(c).persistence_engine == "sip" && vs(c).persistence_timeout == 600 &&
                vs(c).persistence_granularity == "255.255.255.0";
       }},
      {VS("protocol SCTP"), [](const config& c) { return vs(c).protocol == "SCTP"; }},
      {VS("ha_suspend"), [](const config& c) { return vs(c).ha_suspend; }},
      {VS("smtp_alert on"), [](const config& c) { return vs(c).timers.smtp_alert == true; }},
      {VS("virtualhost www.example.com\n snmp_name web"),
       [](const config& c) { return vs(c).virtualhost == "www.example.com" && vs(c).snmp_name == "web"; }},
      {VS("alpha\n omega"), [](const config& c) { return vs(c).timers.alpha == true && vs(c).omega; }},
      {VS("quorum 2\n hysteresis 1\n quorum_up /bin/up\n quorum_down \"/bin/down x\" nobody"),
       [](const config& c) {
         return vs(c).quorum == 2 && vs(c).hysteresis == 1 && vs(c).quorum_up == "/bin/up" && vs(c).quorum_down == "/bin/down x";
       }},
      {VS("ip_family inet6"), [](const config& c) { return vs(c).ip_family == "inet6"; }},
      {VS("sorry_server 198.51.100.9 8080\n sorry_server_inhibit\n sorry_server_lvs_method DR"),
       [](const config& c) {
         return rs(c).sorry && rs(c).port == 8080 && vs(c).sorry_server_inhibit && vs(c).sorry_server_method == lvs_method::dr;
       }},
      {VS("connect_timeout 4\n retry 2\n delay_before_retry 1.5\n warmup 3\n delay_loop 6\n inhibit_on_failure"),
       [](const config& c) {
         auto& t = vs(c).timers;
         return t.connect_timeout == 4 && t.retry == 2 && t.delay_before_retry == 1.5 && t.warmup == 3 &&
                t.delay_loop == 6 && t.inhibit_on_failure == true;
       }},
  });
}

TEST_CASE("vocab: real_server") {
  run({
      {RS("weight 3\n lvs_method TUN\n notify_up /bin/up\n notify_down /bin/down\n uthreshold 100\n lthreshold 10"),
       [](const config& c) {
         return rs(c).weight == 3 && rs(c).method == lvs_method::tun && rs(c).notify_up == "/bin/up" &&
                rs(c).notify_down == "/bin/down" && rs(c).uthreshold == 100 && rs(c).lthreshold == 10;
       }},
      {RS("smtp_alert no\n virtualhost h\n snmp_name s\n alpha yes\n connect_timeout 2\n retry 1\n"
          " delay_before_retry 2\n warmup 1\n delay_loop 3\n inhibit_on_failure off"),
       [](const config& c) {
         auto& t = rs(c).timers;
         return rs(c).virtualhost == "h" && rs(c).snmp_name == "s" && t.smtp_alert == false && t.alpha == true &&
                t.connect_timeout == 2 && t.retry == 1 && t.delay_before_retry == 2 && t.warmup == 1 &&
                t.delay_loop == 3 && t.inhibit_on_failure == false;
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
         return k.kind == "TCP_CHECK" && k.connect_ip && k.connect_port == 81 && k.bindto && k.bind_if == "eth0" &&
                k.bind_port == 1000 && k.fwmark == 4 && k.timers.alpha == true && k.timers.connect_timeout == 3 &&
                k.timers.retry == 2 && k.timers.delay_before_retry == 1 && k.timers.warmup == 2 &&
                k.timers.delay_loop == 5 && k.timers.log_all_failures == true;
       }},
      {CK("HTTP_GET", "http_protocol 1.1\n fast_recovery\n url {\n path /a\n digest abc\n status_code 200 300-399\n"
                      " virtualhost v\n regex ok\n regex_no_match\n regex_options caseless\n regex_stack 1 2\n"
                      " regex_min_offset 1\n regex_max_offset 9\n }"),
       [](const config& c) {
         auto& k = ck(c);
         auto& u = k.urls.at(0);
         return k.http_protocol == "1.1" && k.fast_recovery && u.path == "/a" && u.digest == "abc" &&
                u.status_code.size() == 2 && u.virtualhost == "v" && u.regex == "ok" && u.other.size() == 5;
       }},
      {CK("SSL_GET", "enable_sni\n url {\n path /\n }"), [](const config& c) { return ck(c).enable_sni; }},
      {CK("SMTP_CHECK", "helo_name lb.example.com"), [](const config& c) { return ck(c).helo_name == "lb.example.com"; }},
      {CK("DNS_CHECK", "type AAAA\n name example.com"),
       [](const config& c) { return ck(c).dns_type == "AAAA" && ck(c).name == "example.com"; }},
      {CK("MISC_CHECK", "misc_path \"/bin/check x\"\n misc_timeout 5\n misc_dynamic\n user nobody"),
       [](const config& c) {
         return ck(c).misc_path == "/bin/check x" && ck(c).misc_timeout == 5 && ck(c).misc_dynamic && ck(c).user.size() == 1;
       }},
      {"bfd_instance b {\n neighbor_ip 192.0.2.2\n}\n" + CK("BFD_CHECK", "name b"), [](const config& c) { return ck(c).name == "b"; }},
      {CK("PING_CHECK", ""), [](const config& c) { return ck(c).kind == "PING_CHECK"; }},
      {CK("UDP_CHECK", "payload 0a0b\n require_reply 0c\n min_reply_length 1\n max_reply_length 100"),
       [](const config& c) { return ck(c).other.size() == 4; }},
      {"track_file f {\n file /tmp/f\n}\n" + CK("FILE_CHECK", "track_file f\n dynamic\n weight -5 reverse"),
       [](const config& c) { return ck(c).track_file == "f" && ck(c).dynamic && ck(c).weight == -5 && ck(c).reverse; }},
      {"SSL {\n password p\n ca /c\n certificate /t\n key /k\n}\n",
       [](const config& c) { return c.ssl && c.ssl->password == "p" && c.ssl->key == "/k"; }},
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
        "t.conf:2:19: found '224.0.0.x', expected an IPv4 or IPv6 address for vrrp_mcast_group4");
  CHECK(err("bfd_instance b {\n neighbor_ip 192.0.2.1\n multiplier 0\n}\n") ==
        "t.conf:3:13: found '0', expected an integer 1..255 for multiplier");
  CHECK(err("bfd_instance b {\n min_rx 5\n}\n") ==
        "t.conf:1:1: found bfd_instance 'b' without neighbor_ip, expected a neighbor_ip (required)");
  CHECK(err("vrrp_script s {\n interval 1\n}\n") == "t.conf:1:1: found vrrp_script 's' without script, expected a script (required)");
  CHECK(err(VS("protocol ICMP")) == "t.conf:2:10: found 'ICMP', expected TCP, UDP or SCTP for protocol");
  CHECK(err(VS("lvs_method NAT x")) == "t.conf:2:16: found 'x', expected end of line after NAT");
  CHECK(err("virtual_server 192.0.2.1 {\n}\n") ==
        "t.conf:1:16: found '192.0.2.1' without a port, expected a port after the address (only a persistent "
        "virtual server may omit it)");
  CHECK(err(CK("HTTP_GET", "url {\n status_code 200\n }")) == "t.conf:4:1: found url without path, expected a path (required)");
  CHECK(err(CK("HTTP_GET", "url {\n path /\n status_code 200-100\n }")) ==
        "t.conf:6:14: found '200-100', expected an HTTP status code 100..599 or a range of them for status_code");
  CHECK(err("virtual_server_group g {\n 192.0.2.1-300 80\n}\n") ==
        "t.conf:2:2: found '192.0.2.1-300', expected an address, an address range (ADDR-LAST) or fwmark in virtual_server_group");
  CHECK(err("linkbeat_interfaces {\n eth0 BEAT\n}\n") == "t.conf:2:7: found 'BEAT', expected MII, ETHTOOL or IOCTL after 'eth0'");
  CHECK(err(I("virtual_routes {\n 198.51.100.0/33 dev eth0\n}")) ==
        "t.conf:8:2: found '198.51.100.0/33', expected an address[/prefix] as the route's destination");
  CHECK(err("bfd_instance b {\n neighbor_ip 192.0.2.1\n}\nbfd_instance b {\n neighbor_ip 192.0.2.2\n}\n") ==
        "t.conf:4:14: found duplicate bfd_instance name 'b', expected a name not used before (first at t.conf:1:1)");
}

TEST_CASE("vocab: references to undefined blocks are warnings, the reference dropped (keepalived)") {
  config c = load_string(I("track_script {\n nope\n}\n track_file {\n none\n}") +
                         "vrrp_sync_group G {\n group {\n V\n W\n }\n}\n"
                         "virtual_server group missing {\n}\n");
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
  CHECK(vs(c).sched == "rr");
  CHECK(vs(c).method == lvs_method::dr);
  CHECK(c.track_files.size() == 1);
  CHECK(c.virtual_servers.at(1).real_servers.at(0).checkers.at(0).timers.retry == 3);
  std::vector<std::string> warnings;
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::warning && d.message.find("without real_server") == std::string::npos)
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
}

TEST_CASE("vocab: one not_acted_on per keyword not in effect, none inside such a block") {
  config c = load_string(I("unicast_peer {\n 192.0.2.9\n }\n priority 50") + VS("lvs_sched rr\n protocol TCP"));
  std::vector<std::string> not_acted = said(c, diagnostic::kind::not_acted_on, true);
  REQUIRE(not_acted.size() == 2);
  CHECK(not_acted[0] == "<string>:7:1 'unicast_peer' is not acted on by this version (nor its block)");
  CHECK(not_acted[1] == "<string>:12:1 'virtual_server' is not acted on by this version (nor its block)");
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
  REQUIRE(ck(c).hosts.size() == 1);
  CHECK(ck(c).hosts[0].connect_port == 25);
  CHECK(c.static_routes.at(0).first_address->to_string() == "198.51.100.0");
  CHECK(c.static_routes.at(1).prefix_len == 0);
  CHECK(inst(c).lvs_sync_daemon_interface == "eth0");
  auto warnings = said(c, diagnostic::kind::warning, false);
  CHECK(std::count(warnings.begin(), warnings.end(), "'gw' is an old name, read as 'via'") == 1);
  CHECK(std::count_if(warnings.begin(), warnings.end(), [](const std::string& w) {
          return w.find("'lvs_sync_daemon_interface' in a vrrp_instance") == 0;
        }) == 1);
}
