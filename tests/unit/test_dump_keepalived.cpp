// parser/dump_keepalived.cpp: keepalived's data, stats and JSON dumps rendered from the
// config and a running state, in keepalived 2.2.7's layout (README "Dump files").
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "parser/dump_keepalived.hpp"
#include "parser/load.hpp"

using namespace ka::config;
using ka::json;

namespace {

const char* k_conf = R"(global_defs {
  router_id r1
  notification_email {
    root@example.com
  }
  smtp_server 192.0.2.25 2525
  smtp_alert
}
vrrp_script chk {
  script "/bin/true"
  weight 0
}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
  }
}
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority 100
  authentication {
    auth_type PASS
    auth_pass secret
  }
  virtual_ipaddress {
    192.0.2.100/24
  }
  virtual_ipaddress_excluded {
    192.0.2.110/24
  }
  track_script {
    chk
  }
}
vrrp_instance VI_2 {
  interface eth0
  virtual_router_id 52
  priority 90
  nopreempt
  smtp_alert off
  virtual_ipaddress {
    192.0.2.101/24
  }
}
)";

json running() {
  json r;
  r["now"] = 1796677518.5;
  r["host"] = "vm";
  json i1 = {{"name", "VI_1"}, {"state", "MASTER"}, {"priority", {{"effective", 100}}}, {"vips_held", true},
             {"in_state_s", 0.5}, {"master_priority", 100}, {"primary_address", "192.0.2.11"},
             {"became_master", 1}, {"released_master", 0}, {"priority_zero_received", 2},
             {"priority_zero_sent", 1},
             {"counters", {{"adverts_sent", 9}, {"adverts_received", 3},
                           {"bad", {{"bad_ttl", 1}, {"ttl_out_of_range", 1}, {"auth_failure", 4},
                                    {"bad_length", 5}, {"too_short", 1}}}}}};
  json i2 = {{"name", "VI_2"}, {"state", "BACKUP"}, {"priority", {{"effective", 90}}}, {"vips_held", false},
             {"master", "192.0.2.12"}, {"master_priority", 150}, {"in_state_s", 2.0}};
  r["instances"] = json::array({i1, i2});
  r["groups"] = json::array({{{"name", "G1"}, {"state", "MASTER"}}});
  return r;
}

} // namespace

TEST_CASE("dump_keepalived: the stats dump, counter for counter") {
  config c = load_string(k_conf);
  std::string s = keepalived_stats_dump(c, running());
  CHECK(s.rfind("VRRP Instance: VI_1\n"
                "  Advertisements:\n"
                "    Received: 3\n"
                "    Sent: 9\n"
                "  Became master: 1\n"
                "  Released master: 0\n"
                "  Packet Errors:\n"
                "    Length: 6\n"
                "    TTL: 2\n"
                "    Invalid Type: 0\n"
                "    Advertisement Interval: 0\n"
                "    Address List: 0\n"
                "  Authentication Errors:\n"
                "    Invalid Type: 0\n"
                "    Type Mismatch: 0\n"
                "    Failure: 4\n"
                "  Priority Zero:\n"
                "    Received: 2\n"
                "    Sent: 1\n"
                "VRRP Instance: VI_2\n", 0) == 0);
}

TEST_CASE("dump_keepalived: the JSON dump has keepalived's keys and types") {
  config c = load_string(k_conf);
  json j = json::parse(keepalived_json_dump(c, running()));
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 2);
  const json& d = j[0]["data"];
  std::set<std::string> keys;
  for (auto it = d.begin(); it != d.end(); ++it) keys.insert(it.key());
  // keepalived 2.2.7's keys for this instance (observed with the same config).
  CHECK(keys == std::set<std::string>{
    "iname", "dont_track_primary", "skip_check_adv_addr", "strict_mode", "vmac_ifname", "ifp_ifname",
    "master_priority", "last_transition", "garp_delay", "garp_refresh", "garp_rep", "garp_refresh_rep",
    "garp_lower_prio_delay", "garp_lower_prio_rep", "lower_prio_no_advert", "higher_prio_send_advert",
    "vrid", "base_priority", "effective_priority", "vipset", "promote_secondaries", "adver_int",
    "master_adver_int", "accept", "nopreempt", "preempt_delay", "state", "wantstate", "version",
    "smtp_alert", "notify_deleted", "vips", "evips", "track_script", "auth_type", "auth_data"});
  CHECK(d["state"] == 2);
  CHECK(d["vipset"] == true);
  CHECK(d["auth_type"] == 1);
  CHECK(d["auth_data"] == "secret");
  CHECK(d["vips"][0] == "192.0.2.100/24 dev eth0 scope global set");
  CHECK(d["track_script"][0] == "'/bin/true'");
  CHECK(d["last_transition"].get<double>() == doctest::Approx(1796677518.0));
  CHECK(d["smtp_alert"] == true);
  const json& d2 = j[1]["data"];
  CHECK(d2["state"] == 1);
  CHECK(d2["nopreempt"] == true);
  CHECK(d2["smtp_alert"] == false);
  CHECK_FALSE(d2.contains("auth_data"));
  CHECK_FALSE(d2.contains("evips"));
  CHECK(j[0]["stats"]["advert_sent"] == 9);
  CHECK(j[0]["stats"]["ip_ttl_err"] == 2);
  CHECK(j[0]["stats"].size() == 14);
}

TEST_CASE("dump_keepalived: the data dump's sections and lines") {
  config c = load_string(k_conf);
  std::string d = keepalived_data_dump(c, running());
  CHECK(d.rfind("------< Global definitions >------\n", 0) == 0);
  for (const char* line : {
         " Router ID = r1\n", " Smtp server = 192.0.2.25\n", " Smtp server port = 2525\n",
         " Smtp HELO name = vm\n", " Email notification from = keepalived@vm\n",
         " Email notification to:\n   root@example.com\n", " Default smtp_alert = on\n",
         "------< VRRP Topology >------\n VRRP Instance = VI_1\n   VRRP Version = 2\n   Sync group = G1\n   State = MASTER\n",
         "   Authentication type = SIMPLE_PASSWORD\n   Password = secret\n",
         "   Virtual IP (1):\n     192.0.2.100/24 dev eth0 scope global set\n",
         "   Virtual IP Excluded :\n     192.0.2.110/24 dev eth0 scope global set\n",
         "   Tracked scripts :\n     chk weight 0\n",
         " VRRP Instance = VI_2\n", "   State = BACKUP\n   Master router = 192.0.2.12\n   Master priority = 150\n",
         "   Preempt = disabled\n", "   Using smtp notification = no\n",
         "------< VRRP Sync groups >------\n VRRP Sync Group = G1, MASTER\n   VRRP member instances :\n     VI_1\n     VI_2\n",
         "------< VRRP Scripts >------\n VRRP Script = chk\n   Command = '/bin/true'\n",
         "   Tracking instances :\n     VI_1, weight 0\n"}) {
    INFO(line);
    CHECK(d.find(line) != std::string::npos);
  }
}

TEST_CASE("dump_keepalived: an instance that did not answer still has its section") {
  config c = load_string(k_conf);
  json r = running();
  r["instances"][1] = {{"ok", false}, {"error", "no answer: timeout"}};
  std::string d = keepalived_data_dump(c, r);
  CHECK(d.find(" VRRP Instance = VI_2\n   VRRP Version = 2\n   Sync group = G1\n   State = INIT\n") != std::string::npos);
  std::string s = keepalived_stats_dump(c, r);
  CHECK(s.find("VRRP Instance: VI_2\n  Advertisements:\n    Received: 0\n") != std::string::npos);
}
