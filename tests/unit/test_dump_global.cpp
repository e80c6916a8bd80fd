// parser/dump_global.cpp: the --dump-config JSON of global_defs and the top-level daemon
// settings. A config that sets every global keyword must dump every one of them, under
// keepalived's keyword, with the value written (nothing left null or at its default).
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "parser/dump.hpp"
#include "parser/load.hpp"

using namespace ka::config;
using ka::json;

namespace {

// Every global_defs keyword with a value other than its default, one per line.
const char* const k_every_global = R"(global_defs {
 router_id lb1
 notification_email {
  ops@example.com
 }
 notification_email_from ka@example.com
 smtp_server 192.0.2.25 2525
 smtp_connect_timeout 12
 vrrp_version 3
 admin_socket /run/ka.sock
 admin_group adm
 vrrp_cpu_affinity 0
 vrrp_rt_priority 42
 vrrp_priority -7
 vrrp_no_swap
 vrrp_rlimit_rttime 5000
 checker_cpu_affinity 1
 checker_rt_priority 43
 checker_priority -8
 checker_no_swap
 checker_rlimit_rttime 5001
 bfd_cpu_affinity 0 1
 bfd_rt_priority 44
 bfd_priority 9
 bfd_no_swap
 bfd_rlimit_rttime 5002
 max_auto_priority 50
 min_auto_priority_delay 1000
 process_names
 process_name ka
 vrrp_process_name ka_vrrp
 checker_process_name ka_chk
 bfd_process_name ka_bfd
 tmp_config_directory /tmp
 config_save_dir /var/tmp
 startup_script /bin/true nobody
 startup_script_timeout 11
 shutdown_script /bin/false
 shutdown_script_timeout 12
 script_user nobody nogroup
 enable_script_security
 umask IWGRP|IWOTH
 random_seed 42
 reload_check_config /tmp/log
 include_check match
 reload_time_file /tmp/t
 reload_repeat
 reload_file /tmp/r
 data_use_instance
 smtp_helo_name lb.example.com
 smtp_alert
 smtp_alert_vrrp on
 smtp_alert_checker on
 checker_log_all_failures
 no_email_faults
 no_checker_emails
 vrrp_mcast_group4 224.0.0.19
 vrrp_mcast_group6 ff02::13
 default_interface eth1
 vrrp_garp_master_delay 10
 vrrp_garp_master_repeat 1
 vrrp_garp_lower_prio_delay 11
 vrrp_garp_lower_prio_repeat 2
 vrrp_garp_master_refresh 60
 vrrp_garp_master_refresh_repeat 3
 vrrp_garp_interval 0.001
 vrrp_gna_interval 0.002
 vrrp_min_garp
 vrrp_garp_extra_if all 100
 vrrp_down_timer_adverts 5
 vrrp_lower_prio_no_advert
 vrrp_higher_prio_send_advert
 vrrp_check_unicast_src
 vrrp_skip_check_adv_addr
 vrrp_strict
 vrrp_notify_priority_changes
 vrrp_startup_delay 5.5
 log_unknown_vrids
 vmac_prefix vrt
 vmac_addr_prefix vra
 vrrp_rx_bufs_policy 65536
 vrrp_rx_bufs_multiplier 4
 dynamic_interfaces allow_if_changes
 disable_local_igmp
 vrrp_iptables ka_in ka_out
 vrrp_ipsets ka
 nftables ka
 nftables_priority -2
 nftables_counters
 nftables_ifindex
 nftables_ipvs ka_ipvs
 nftables_ipvs_priority -3
 nftables_ipvs_start_fwmark 2000
 lvs_sync_daemon eth0 VI_1 id 1 maxlen 1400 port 8849 ttl 2 group 233.252.0.81
 lvs_timeouts tcp 900 tcpfin 30 udp 300
 lvs_flush
 lvs_flush_on_stop VS
 rs_init_notifies
 snmp_socket udp:192.0.2.1:705
 enable_snmp_vrrp
 enable_snmp_keepalived
 enable_snmp_checker
 enable_snmp_rfc
 enable_snmp_rfcv2
 enable_snmp_rfcv3
 enable_traps
 enable_dbus
 dbus_service_name ka
 notify_fifo /tmp/f
 notify_fifo_script /bin/true
 vrrp_notify_fifo /tmp/v
 vrrp_notify_fifo_script /bin/true
 lvs_notify_fifo /tmp/l
 lvs_notify_fifo_script /bin/true
 fifo_write_vrrp_states_on_reload
 vrrp_netlink_cmd_rcv_bufs 1048576
 vrrp_netlink_cmd_rcv_bufs_force
 vrrp_netlink_monitor_rcv_bufs 1048576
 vrrp_netlink_monitor_rcv_bufs_force
 lvs_netlink_cmd_rcv_bufs 1048576
 lvs_netlink_cmd_rcv_bufs_force
 lvs_netlink_monitor_rcv_bufs 1048576
 lvs_netlink_monitor_rcv_bufs_force
 process_monitor_rcv_bufs 1048576
 process_monitor_rcv_bufs_force
 metrics_listen [::1]:9650
}
net_namespace blue
net_namespace_ipvs red
namespace_with_ipsets
instance one
use_pid_dir
linkbeat_use_polling
child_wait_time 3
)";

// The keywords of the text above (the keys the dump must have), and smtp_port, which
// smtp_server's second word sets.
std::set<std::string> keywords_of(const std::string& text, bool top_level) {
  std::set<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    std::string line = text.substr(at, end - at);
    at = end + 1;
    bool top = !line.empty() && line[0] != ' ' && line[0] != '}';
    if (line.rfind(" ", 0) == 0 && line.rfind("  ", 0) != 0 && line != " }" && !top_level)
      out.insert(line.substr(1, line.find(' ', 1) - 1));
    if (top && top_level && line.rfind("global_defs", 0) != 0) out.insert(line.substr(0, line.find(' ')));
  }
  return out;
}

// A value that says nothing was read.
bool unset(const json& v) {
  return v.is_null() || v == json(false) || v == json("") || v == json::array() || v == json("no");
}

} // namespace

TEST_CASE("dump: every global_defs keyword is a key holding the value written") {
  config c = load_string(k_every_global, "t.conf");
  json j = c;
  const json& g = j.at("global_defs");
  std::set<std::string> expected = keywords_of(k_every_global, false);
  REQUIRE(expected.size() > 120);  // the parse of the text above found the keyword lines
  expected.insert({"smtp_port", "where"});
  std::set<std::string> keys;
  for (const auto& [k, v] : g.items()) {
    keys.insert(k);
    CAPTURE(k);
    CHECK_FALSE(unset(v));
  }
  CHECK(keys == expected);
  CHECK(g.at("where") == "t.conf:1:1");
  CHECK(g.at("umask") == 022);
  CHECK(g.at("lvs_sync_daemon") == json::parse(R"({"interface":"eth0","inst":"VI_1","id":1,"maxlen":1400,"port":8849,
      "ttl":2,"group":"233.252.0.81","where":"t.conf:94:2"})"));
  CHECK(g.at("lvs_timeouts") == json::parse(R"({"tcp":900,"tcpfin":30,"udp":300})"));
  CHECK(g.at("startup_script") == json::parse(R"({"path":"/bin/true","user":"nobody","group":null,"where":"t.conf:36:2"})"));
  CHECK(g.at("vrrp_rx_bufs_policy") == json::parse(R"({"policy":"size","size":65536})"));
  CHECK(g.at("checker_priority") == -8);
  CHECK(g.at("bfd_cpu_affinity") == json::parse("[0,1]"));
  CHECK(g.at("vrrp_netlink_cmd_rcv_bufs_force") == true);
}

TEST_CASE("dump: the top-level daemon settings") {
  config c = load_string(k_every_global, "t.conf");
  json j = c;
  const json& d = j.at("daemon");
  std::set<std::string> keys;
  for (const auto& [k, v] : d.items()) keys.insert(k);
  CHECK(keys == keywords_of(k_every_global, true));
  CHECK(d == json::parse(R"({"net_namespace":"blue","net_namespace_ipvs":"red","namespace_with_ipsets":true,
      "instance":"one","use_pid_dir":true,"linkbeat_use_polling":true,"child_wait_time":3})"));
}

TEST_CASE("dump: unset global values are null or their defaults") {
  json g = json(load_string("global_defs {\n router_id r\n}\n", "t.conf")).at("global_defs");
  CHECK(g.at("umask").is_null());
  CHECK(g.at("lvs_sync_daemon").is_null());
  CHECK(g.at("checker_rt_priority").is_null());
  CHECK(g.at("startup_script_timeout") == 10);
  CHECK(g.at("lvs_flush_on_stop") == "no");
  CHECK(g.at("dynamic_interfaces").is_null());
  json d = json(load_string("global_defs {\n router_id r\n}\n", "t.conf")).at("daemon");
  CHECK(d.at("net_namespace").is_null());
  CHECK(d.at("child_wait_time").is_null());
}
