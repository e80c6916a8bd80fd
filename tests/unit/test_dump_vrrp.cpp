// parser/dump_vrrp.cpp: the JSON dump of the VRRP side. tests/unit/configs/vrrp_full.conf
// writes every VRRP-side keyword keepalived 2.2.7 accepts without a warning; its dump must
// show each one set, with the value written. Also the errors of the structured keywords
// (use_ipvlan, use_vmac, garp_extra_if, ...), each at its position.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "parser/dump.hpp"
#include "parser/load.hpp"

using namespace ka::config;
using ka::json;

namespace {

const std::string k_full = std::string(KA_TEST_CONFIGS) + "/vrrp_full.conf";

const json& full() {
  static const json j = load_file(k_full);
  return j;
}

std::string at(int line, int column) { return k_full + ":" + std::to_string(line) + ":" + std::to_string(column); }

const json& named(const json& list, const std::string& name) {
  for (const json& e : list)
    if (e.value("name", "") == name) return e;
  FAIL("no block named " << name);
  static const json none;
  return none;
}

const json& instance(const std::string& name) { return named(full().at("vrrp_instance"), name); }

// A keyword of a block as written in the file: the block, its name, the keyword, the rest.
struct written {
  std::string block, name, keyword;
  std::vector<std::string> rest;
  int line = 0;
};

std::vector<std::string> words_of(const std::string& line) {
  std::istringstream in(line.substr(0, line.find_first_of("!#")));
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The keywords one level inside each top-level block (a plain reading of the file, not the
// parser's: so that a keyword the parser or the dump loses is still seen here).
std::vector<written> keywords_in(const std::string& path) {
  std::ifstream in(path);
  std::vector<written> out;
  std::string block, name;
  int depth = 0, line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    auto words = words_of(line);
    if (words.empty()) continue;
    if (depth == 0) {
      block = words[0];
      name = words.size() > 2 ? words[1] : "";
    } else if (depth == 1 && words[0] != "}") {
      out.push_back({block, name, words[0], {words.begin() + 1, words.end()}, line_no});
    }
    for (const auto& w : words) depth += (w == "{") - (w == "}");
  }
  return out;
}

// The dump's key for a keyword, where they differ.
std::string key_of(const written& w) {
  if (w.keyword == "authentication") return "auth_type";
  if (w.block == "garp_group" && w.keyword == "interface") return "interfaces";
  return w.keyword;
}

bool says_false(const std::vector<std::string>& rest) {
  return !rest.empty() && (rest[0] == "off" || rest[0] == "no" || rest[0] == "false");
}

std::string err(const std::string& text) {
  try {
    load_string(text, "t.conf");
  } catch (const config_error& e) {
    return e.what();
  }
  return "";
}

std::string I(const std::string& body) {
  return "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n virtual_ipaddress {\n 192.0.2.1\n }\n" + body + "\n}\n";
}

} // namespace

TEST_CASE("dump vrrp: every keyword written in vrrp_full.conf is set in the dump") {
  const std::vector<std::string> blocks = {"vrrp_instance", "vrrp_script",     "track_file", "vrrp_track_process",
                                           "bfd_instance",  "vrrp_sync_group", "garp_group", "track_group"};
  std::size_t seen = 0;
  for (const written& w : keywords_in(k_full)) {
    if (std::find(blocks.begin(), blocks.end(), w.block) == blocks.end()) continue;
    CAPTURE(w.block);
    CAPTURE(w.name);
    CAPTURE(w.keyword);
    CAPTURE(w.line);
    const json& list = full().at(w.block);
    const json& obj = w.name.empty() ? list.at(0) : named(list, w.name);
    std::string key = key_of(w);
    REQUIRE(obj.contains(key));
    const json& v = obj.at(key);
    CHECK_FALSE(v.is_null());
    if (v.is_string()) CHECK_FALSE(v.get<std::string>().empty());
    if (v.is_array()) CHECK_FALSE(v.empty());
    if (v.is_boolean() && !v.get<bool>()) CHECK(says_false(w.rest));
    ++seen;
  }
  CHECK(seen > 100);  // the reading above found the file's blocks
}

TEST_CASE("dump vrrp: vrrp_instance values") {
  const json& a = instance("VI_1");
  CHECK(a.at("where") == at(139, 1));
  CHECK(a.at("state") == "BACKUP");
  CHECK(a.at("interface") == "eth0");
  CHECK(a.at("virtual_router_id") == 51);
  CHECK(a.at("priority") == 150);
  CHECK(a.at("nopreempt") == true);
  CHECK(a.at("auth_type") == "PASS");
  CHECK(a.at("auth_pass") == "s3cret");
  CHECK(a.at("unicast_src_ip") == "192.0.2.11");
  REQUIRE(a.at("unicast_peer").size() == 2);
  CHECK(a.at("unicast_peer").at(0) == json{{"address", "192.0.2.12"}, {"min_ttl", nullptr}, {"max_ttl", nullptr}, {"where", at(148, 9)}});
  CHECK(a.at("unicast_peer").at(1) == json{{"address", "192.0.2.13"}, {"min_ttl", 2}, {"max_ttl", 9}, {"where", at(149, 9)}});
  const json& vip = a.at("virtual_ipaddress").at(0);
  CHECK(vip.at("address") == "192.0.2.100");
  CHECK(vip.at("prefix_len") == 24);
  CHECK(vip.at("dev") == "eth0");
  CHECK(vip.at("label") == "eth0:vip");
  CHECK(vip.at("brd").is_null());
  CHECK(vip.at("where") == at(156, 9));
  CHECK(a.at("virtual_ipaddress_excluded").at(0).at("address") == "192.0.2.101");
  const json& route = a.at("virtual_routes").at(0);
  CHECK(route.at("words") == json{"198.51.100.64/26", "via", "192.0.2.1", "dev", "eth0"});
  CHECK(route.at("address") == "198.51.100.64");
  CHECK(route.at("prefix_len") == 26);
  CHECK(a.at("track_script").at(0) == json{{"name", "chk_haproxy"}, {"weight", 0}, {"reverse", false}, {"where", at(165, 9)}});
  CHECK(a.at("track_process").at(0).at("weight").is_null());  // not written: the process's own
  CHECK(a.at("track_bfd").at(0).at("name") == "peer_b");
  CHECK(a.at("garp_master_refresh") == 60.0);
  CHECK(a.at("garp_master_refresh_repeat") == 2);
  CHECK(a.at("garp_lower_prio_delay") == 3.0);
  CHECK(a.at("garp_lower_prio_repeat") == 4);
  CHECK(a.at("garp_extra_if") == json{{"all", true}, {"interval", 100}, {"where", at(177, 5)}});
  CHECK(a.at("check_unicast_src") == true);
  CHECK(a.at("old_unicast_checksum") == "never");
  CHECK(a.at("unicast_fault_no_peer") == true);
  CHECK(a.at("unicast_ttl") == 10);
  CHECK(a.at("use_vmac") == json{{"name", "vrrp51"}, {"mac", "02:00:5e:10:00"}});
  CHECK(a.at("vmac_xmit_base") == true);
  CHECK(a.at("use_vmac_addr") == true);
  CHECK(a.at("down_timer_adverts") == 4);
  CHECK(a.at("lower_prio_no_advert") == true);
  CHECK(a.at("higher_prio_send_advert") == false);
  CHECK(a.at("skip_check_adv_addr") == true);
  CHECK(a.at("notify_priority_changes") == true);
  CHECK(a.at("smtp_alert") == false);
  CHECK(a.at("kernel_rx_buf_size") == 65536);
  // Not written in VI_1: null, the default applies.
  for (const char* k : {"vrf", "use_ipvlan", "debug", "accept", "strict_mode", "mcast_dst_ip", "notify", "notify_deleted"}) {
    CAPTURE(k);
    CHECK(a.at(k).is_null());
  }

  const json& b = instance("VI_2");
  CHECK(b.at("virtual_ipaddress").at(0).at("brd") == "203.0.113.255");
  CHECK(b.at("virtual_ipaddress").at(0).at("scope") == "global");
  CHECK(b.at("virtual_ipaddress").at(0).at("flags") == json{"home"});
  CHECK(b.at("use_ipvlan") == json{{"name", "ipvl2"}, {"address", "203.0.113.50"}, {"prefix_len", 24}, {"mode", "private"},
                                {"where", at(203, 5)}});
  CHECK(b.at("track_src_ip") == true);
  CHECK(b.at("debug") == 2);
  CHECK(b.at("virtual_rules").at(0).at("address") == "203.0.113.0");
  CHECK(b.at("preempt_delay") == 10.0);
  CHECK(b.at("garp_master_delay") == 2.0);
  CHECK(b.at("garp_master_repeat") == 3);
  CHECK(b.at("notify") == "/bin/true notify");
  CHECK(b.at("notify_stop") == "/bin/true stop");
  CHECK(b.at("strict_mode") == false);
  CHECK(b.at("dont_track_primary") == true);
  CHECK(b.at("notify_deleted") == "/bin/true deleted");
  CHECK(b.at("notify_master_rx_lower_pri") == "/bin/true lower");
  CHECK(b.at("old_unicast_checksum") == "off");
  CHECK(b.at("use_vmac").is_null());

  const json& c = instance("VI_6");
  CHECK(c.at("version") == 3);
  CHECK(c.at("advert_int") == 0.5);
  CHECK(c.at("accept") == true);
  CHECK(c.at("native_ipv6") == true);
  CHECK(c.at("promote_secondaries") == true);
  CHECK(c.at("mcast_dst_ip") == "ff02::12");
  CHECK(c.at("track_interface").at(0) == json{{"name", "lo"}, {"weight", -5}, {"reverse", true}, {"where", at(231, 9)}});
  CHECK(c.at("track_file").at(0).at("weight") == 3);
  CHECK(c.at("virtual_ipaddress").at(0).at("preferred_lft") == 30);
  CHECK(c.at("virtual_ipaddress").at(0).at("prefix_len") == 64);
}

TEST_CASE("dump vrrp: the blocks beside vrrp_instance") {
  const json& j = full();
  const json& s = named(j.at("vrrp_script"), "chk_haproxy");
  CHECK(s == json{{"name", "chk_haproxy"}, {"where", at(22, 1)}, {"script", "/bin/true"}, {"interval", 2.0},
                  {"timeout", 1.0}, {"weight", -20}, {"reverse", false}, {"rise", 2}, {"fall", 3},
                  {"user", {"root"}}, {"init_fail", false}});
  const json& up = named(j.at("vrrp_script"), "chk_up");
  CHECK(up.at("reverse") == true);
  CHECK(up.at("init_fail") == true);
  CHECK(up.at("timeout") == 0.0);  // not written: the interval (vrrp_script in config_vrrp.hpp)

  const json& f = named(j.at("track_file"), "maint");
  CHECK(f.at("file") == "/var/run/keepalived.maint");
  CHECK(f.at("init_file") == json{{"value", 0}, {"overwrite", true}});

  const json& p = named(j.at("vrrp_track_process"), "sshd");
  CHECK(p.at("process") == json{"/usr/sbin/sshd", "-D"});
  CHECK(p.at("param_match") == "initial");
  CHECK(p.at("weight") == -4);
  CHECK(p.at("reverse") == true);
  CHECK(p.at("quorum") == 2);
  CHECK(p.at("quorum_max") == 4);
  CHECK(p.at("fork_delay") == 1.5);
  CHECK(p.at("terminate_delay") == 0.5);
  CHECK(p.at("full_command") == true);
  CHECK(named(j.at("vrrp_track_process"), "nginx").at("quorum_max").is_null());

  const json& bfd = named(j.at("bfd_instance"), "peer_c");
  CHECK(bfd == json{{"name", "peer_c"}, {"where", at(70, 1)}, {"neighbor_ip", "2001:db8::12"}, {"source_ip", nullptr},
                    {"min_rx", 10}, {"min_tx", 10}, {"idle_tx", 2000}, {"multiplier", 5}, {"passive", true},
                    {"ttl", 64}, {"max_hops", 2}, {"weight", -10}, {"reverse", true}, {"vrrp", true},
                    {"checker", false}});
  CHECK(named(j.at("bfd_instance"), "peer_b").at("source_ip") == "192.0.2.11");

  const json& g = named(j.at("vrrp_sync_group"), "VG_1");
  CHECK(g.at("group").size() == 2);
  CHECK(g.at("group").at(1).at("name") == "VI_2");
  CHECK(g.at("track_interface").at(0).at("weight") == 10);
  CHECK(g.at("track_file").at(0).at("weight") == 0);
  CHECK(g.at("track_script").at(0).at("weight").is_null());
  CHECK(g.at("notify") == "/bin/true sg");
  CHECK(g.at("notify_master") == "/bin/true master");
  CHECK(g.at("notify_stop") == "/bin/true stop");
  CHECK(g.at("notify_deleted").is_null());
  CHECK(g.at("notify_priority_changes") == true);
  CHECK(g.at("smtp_alert") == true);
  CHECK(g.at("global_tracking") == false);
  CHECK(g.at("sync_group_tracking_weight") == true);

  CHECK(j.at("garp_group") == json::array({{{"where", at(88, 1)}, {"garp_interval", 0.5}, {"gna_interval", 0.25},
                                         {"interfaces", {"eth0"}}}}));
  CHECK(named(j.at("track_group"), "TG_1").at("group").at(0).at("name") == "VI_2");
  CHECK(j.at("linkbeat_interfaces") == json::array({{{"name", "eth0"}, {"kind", "ETHTOOL"}, {"where", at(81, 5)}}}));
  CHECK(j.at("interface_up_down_delays") ==
        json::array({{{"name", "eth0"}, {"down_delay", 2.0}, {"up_delay", 1.5}, {"where", at(85, 5)}}}));
  const json& st = j.at("static_ipaddress");
  REQUIRE(st.size() == 2);
  CHECK(st.at(0).at("scope") == "global");
  CHECK(st.at(1).at("address") == "2001:db8:5::1");
  CHECK(st.at(1).at("preferred_lft") == "forever");
  CHECK(st.at(1).at("track_group") == "TG_1");
  CHECK(st.at(1).at("flags") == json{"no_track"});
  CHECK(j.at("static_routes").at(0).at("address") == "198.51.100.0");
  CHECK(j.at("static_rules").at(0).at("words") == json{"from", "203.0.113.0/24", "table", "100", "preference", "100"});
}

TEST_CASE("dump vrrp: nothing written, nothing set") {
  json j = load_string(I(""), "t.conf");
  const json& i = j.at("vrrp_instance").at(0);
  for (const char* k : {"use_ipvlan", "garp_extra_if", "use_vmac", "down_timer_adverts", "debug", "kernel_rx_buf_size",
                        "lower_prio_no_advert", "accept", "unicast_ttl", "vrf", "notify_deleted", "auth_type"}) {
    CAPTURE(k);
    CHECK(i.at(k).is_null());
  }
  CHECK(i.at("old_unicast_checksum") == "off");
  CHECK(i.at("virtual_ipaddress").at(0).at("preferred_lft").is_null());
  for (const char* k : {"vrrp_script", "track_file", "vrrp_track_process", "bfd_instance", "vrrp_sync_group", "garp_group",
                        "track_group", "linkbeat_interfaces", "interface_up_down_delays", "static_ipaddress",
                        "static_routes", "static_rules"}) {
    CAPTURE(k);
    CHECK(j.at(k) == json::array());
  }
  json sync = load_string(I("") + "vrrp_sync_group G {\n group {\n V\n }\n}\n", "t.conf");
  const json& g = sync.at("vrrp_sync_group").at(0);
  for (const char* k : {"notify", "notify_deleted", "notify_priority_changes", "smtp_alert"}) {
    CAPTURE(k);
    CHECK(g.at(k).is_null());
  }
}

TEST_CASE("dump vrrp: an ipvlan address of the other family is dropped with a warning (keepalived)") {
  config c = load_string(I("use_ipvlan ipv1 2001:db8::5/64"), "t.conf");
  CHECK(c.instances.at(0).use_ipvlan->name == "ipv1");
  CHECK_FALSE(c.instances.at(0).use_ipvlan->addr);
  CHECK(c.instances.at(0).use_ipvlan->prefix_len == -1);
  std::vector<std::string> warnings;
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::warning) warnings.push_back(d.where.to_string() + " " + d.message);
  CHECK(warnings == std::vector<std::string>{
                        "t.conf:7:1 (V) use_ipvlan address 2001:db8::5 is not of the instance's address family; ignored"});
  config same = load_string(I("use_ipvlan ipv1 192.0.2.5/24"), "t.conf");
  CHECK(same.instances.at(0).use_ipvlan->addr->to_string() == "192.0.2.5");
}

TEST_CASE("dump vrrp: errors of the structured keywords, each at its position") {
  CHECK(err(I("use_ipvlan ipv1 192.0.2.9/33")) == "t.conf:7:27: found '33', expected a prefix length 0..32 after '/'");
  CHECK(err(I("use_ipvlan ipv1 bridge vepa")) == "t.conf:7:24: found 'vepa', expected one mode (bridge, private or vepa) for use_ipvlan");
  CHECK(err(I("use_ipvlan 192.0.2.9 198.51.100.9")) == "t.conf:7:22: found '198.51.100.9', expected one address for use_ipvlan");
  CHECK(err(I("use_ipvlan ipv1 ipv2")) ==
        "t.conf:7:17: found 'ipv2', expected an address[/prefix], bridge, private or vepa after the use_ipvlan name");
  CHECK(err(I("use_vmac vrrp7 00:00:5E:00:01:07")) ==
        "t.conf:7:16: found '00:00:5E:00:01:07', expected a MAC address outside 00:00:5e:00:01:XX (the VRRP one) for use_vmac");
  CHECK(err(I("use_vmac vrrp7 02:00:5e:00")) ==
        "t.conf:7:16: found '02:00:5e:00', expected a MAC address of 5 or 6 hex octets (xx:xx:xx:xx:xx[:xx]) for use_vmac");
  CHECK(err(I("use_vmac vrrp7 02:00:5e:0g:01")) ==
        "t.conf:7:16: found '02:00:5e:0g:01', expected a MAC address of 5 or 6 hex octets (xx:xx:xx:xx:xx[:xx]) for use_vmac");
  CHECK(err(I("use_vmac vrrp7 vrrp8")) == "t.conf:7:16: found 'vrrp8', expected a MAC address xx:xx:xx:xx:xx[:xx] after the use_vmac name");
  CHECK(err(I("garp_extra_if all")) == "t.conf:7:1: found end of line, expected a value for garp_extra_if");
  CHECK(err(I("garp_extra_if all 86401")) == "t.conf:7:19: found '86401', expected an integer 0..86400 for garp_extra_if");
  CHECK(err(I("garp_extra_if 1.5")) == "t.conf:7:15: found '1.5', expected an integer 0..86400 for garp_extra_if");
  CHECK(err(I("old_unicast_checksum always")) == "t.conf:7:22: found 'always', expected never or end of line after old_unicast_checksum");
  CHECK(err(I("debug 5")) == "t.conf:7:7: found '5', expected an integer 0..4 for debug");
  CHECK(err(I("down_timer_adverts 0")) == "t.conf:7:20: found '0', expected an integer 1..100 for down_timer_adverts");
  CHECK(err(I("kernel_rx_buf_size -1")) == "t.conf:7:20: found '-1', expected an integer 0..4294967295 for kernel_rx_buf_size");
  CHECK(err(I("vrf a/b")) == "t.conf:7:5: found 'a/b', expected an interface name of 1..15 bytes for vrf");
  CHECK(err(I("lower_prio_no_advert maybe")) ==
        "t.conf:7:22: found 'maybe', expected on, off, true, false, yes or no for lower_prio_no_advert");
  CHECK(err(I("virtual_ipaddress_excluded {\n 2001:db8::1 preferred_lft soon\n}")) ==
        "t.conf:8:28: found 'soon', expected a number of seconds 0..4294967295 or forever for preferred_lft");
}
