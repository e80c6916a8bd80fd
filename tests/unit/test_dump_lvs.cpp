// parser/dump_lvs.cpp: the LVS side of --dump-config (virtual_server_group, virtual_server,
// real_server, sorry_server, every checker kind, SSL), keyed by keepalived's keywords;
// and the errors, with their positions, of the keywords the typed model reads.
#include <doctest/doctest.h>

#include <string>

#include "parser/dump.hpp"
#include "parser/load.hpp"

using namespace ka::config;
using ka::json;

namespace {

json dump_file(const std::string& name) {
  json j = load_file(std::string(KA_TEST_CONFIGS) + "/" + name);
  return j;
}

json dump_string(const std::string& text) {
  json j = load_string(text, "t.conf");
  return j;
}

std::string at(const std::string& file, int line, int column) {
  return std::string(KA_TEST_CONFIGS) + "/" + file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string error_of(const std::string& text) {
  try {
    load_string(text, "t.conf");
  } catch (const config_error& e) {
    return e.what();
  }
  return "";
}

std::string VS(const std::string& body) { return "virtual_server 192.0.2.1 80 {\n" + body + "\n}\n"; }
std::string CK(const std::string& kind, const std::string& body) {
  return VS("real_server 198.51.100.1 80 {\n" + kind + " {\n" + body + "\n}\n}");
}

// The common keywords of a checker nobody set, as the dump writes them.
json unset_common() {
  return json::parse(R"({"connect_ip": null, "connect_port": null, "bindto": null, "bind_port": null,
    "bind_if": null, "fwmark": null, "connect_timeout": null, "retry": null, "delay_before_retry": null,
    "warmup": null, "delay_loop": null, "alpha": null, "log_all_failures": null})");
}

// The common keywords MISC_CHECK has (alpha onwards), unset; FILE_CHECK has none, BFD_CHECK alpha.
json unset_misc() {
  return json::parse(R"({"retry": null, "delay_before_retry": null, "warmup": null, "delay_loop": null, "alpha": null,
    "log_all_failures": null})");
}

// A checker's expected object: kind, position, the common keywords (unset unless given), then the kind's.
json checker_json(const std::string& kind, const std::string& where, const json& common, const json& own,
                  const json& unset = unset_common()) {
  json j = {{"kind", kind}, {"where", where}};
  j.update(unset);
  j.update(common);
  j.update(own);
  return j;
}

} // namespace

TEST_CASE("dump lvs: lvs_full.conf, every block and field") {
  const std::string f = "lvs_full.conf";
  json j = dump_file(f);
  REQUIRE(j.contains("virtual_server_group"));
  CHECK(j["virtual_server_group"] == json::parse(R"([{"name": "web_group", "where": ")" + at(f, 9, 1) + R"(", "entries": [
      {"address": "192.0.2.10", "range_end": null, "port": 80, "fwmark": null, "family": null, "where": ")" + at(f, 10, 5) + R"("},
      {"address": "192.0.2.20", "range_end": "192.0.2.29", "port": 80, "fwmark": null, "family": null, "where": ")" + at(f, 11, 5) + R"("}]}])"));
  CHECK(j["SSL"] == json::parse(R"({"password": null, "ca": "/etc/keepalived/ca.pem", "certificate": "/etc/keepalived/cert.pem",
      "key": "/etc/keepalived/key.pem", "where": ")" + at(f, 118, 1) + R"("})"));

  const json& vs = j["virtual_server"];
  REQUIRE(vs.size() == 6);
  // virtual_server group web_group
  CHECK(vs[0]["group"] == "web_group");
  CHECK(vs[0]["address"].is_null());
  CHECK(vs[0]["port"].is_null());
  CHECK(vs[0]["where"] == at(f, 14, 1));
  CHECK(vs[0]["lvs_sched"] == "wlc");
  CHECK(vs[0]["lvs_method"] == "DR");
  CHECK(vs[0]["tun_type"].is_null());
  CHECK(vs[0]["protocol"] == "TCP");
  CHECK(vs[0]["delay_loop"] == 6.0);
  CHECK(vs[0]["connect_timeout"].is_null());
  CHECK(vs[0]["sorry_server"] == json::array());
  REQUIRE(vs[0]["real_server"].size() == 1);
  const json& r0 = vs[0]["real_server"][0];
  CHECK(r0["address"] == "198.51.100.10");
  CHECK(r0["port"] == 80);
  CHECK(r0["weight"] == 2);
  CHECK(r0["lvs_method"].is_null());
  CHECK(r0["notify_up"].is_null());
  CHECK(r0["uthreshold"].is_null());
  CHECK(r0["checkers"] == json::array({checker_json("TCP_CHECK", at(f, 21, 9),
                                                    {{"connect_timeout", 3.0}, {"retry", 2}, {"delay_before_retry", 1.0}}, json::object())}));

  // 192.0.2.30 80: old names, persistence, a sorry server, HTTP_GET and MISC_CHECK
  CHECK(vs[1]["address"] == "192.0.2.30");
  CHECK(vs[1]["port"] == 80);
  CHECK(vs[1]["lvs_sched"] == "rr");
  CHECK(vs[1]["lvs_method"] == "NAT");
  CHECK(vs[1]["persistence_timeout"] == 300);
  CHECK(vs[1]["delay_loop"] == 10.0);
  CHECK(vs[1]["sorry_server"] == json::parse(R"([{"address": "198.51.100.99", "port": 80, "where": ")" + at(f, 35, 5) + R"("}])"));
  REQUIRE(vs[1]["real_server"].size() == 2);
  CHECK(vs[1]["real_server"][0]["checkers"][0] ==
        checker_json("HTTP_GET", at(f, 38, 9), {{"connect_timeout", 3.0}},
                     json::parse(R"({"http_protocol": null, "fast_recovery": false, "url": [{"path": "/health", "digest": null,
                       "status_code": ["200"], "virtualhost": null, "regex": null, "regex_no_match": false, "regex_options": [],
                       "regex_stack": null, "regex_min_offset": null, "regex_max_offset": null, "where": ")" +
                                 at(f, 39, 13) + R"("}]})")));
  CHECK(vs[1]["real_server"][1]["checkers"][0] ==
        checker_json("MISC_CHECK", at(f, 47, 9), json::object(),
                     {{"misc_path", "/bin/true 198.51.100.12"}, {"misc_timeout", 5.0}, {"misc_dynamic", false},
                      {"user", nullptr}, {"group", nullptr}},
                     unset_misc()));

  // 192.0.2.31 443: sh with sh-port, TUN, SSL_GET and PING_CHECK
  CHECK(vs[2]["lvs_sched"] == "sh");
  CHECK(vs[2]["sh-port"] == true);
  CHECK(vs[2]["sh-fallback"] == false);
  CHECK(vs[2]["flag-1"] == false);
  CHECK(vs[2]["lvs_method"] == "TUN");
  CHECK(vs[2]["tun_type"].is_null());
  CHECK(vs[2]["tun_flags"].is_null());
  const json& ssl = vs[2]["real_server"][0]["checkers"][0];
  CHECK(ssl["kind"] == "SSL_GET");
  CHECK(ssl["enable_sni"] == false);
  CHECK(ssl["url"][0]["path"] == "/");
  CHECK(ssl["url"][0]["digest"] == "9b3a0c85a887a256d6939da88aabd8cd");
  CHECK(ssl["url"][0]["status_code"].is_null());
  CHECK(vs[2]["real_server"][1]["checkers"][0] == checker_json("PING_CHECK", at(f, 68, 9), json::object(), json::object()));

  // 192.0.2.32 25: SMTP_CHECK
  CHECK(vs[3]["real_server"][0]["checkers"][0] ==
        checker_json("SMTP_CHECK", at(f, 78, 9), {{"connect_timeout", 5.0}},
                     {{"helo_name", "lvs.example.com"}, {"host", json::array()}}));

  // 192.0.2.33 53 UDP: DNS_CHECK and UDP_CHECK
  CHECK(vs[4]["protocol"] == "UDP");
  CHECK(vs[4]["real_server"][0]["checkers"][0] ==
        checker_json("DNS_CHECK", at(f, 90, 9), json::object(), {{"type", "A"}, {"name", "example.com"}}));
  CHECK(vs[4]["real_server"][1]["checkers"][0] ==
        checker_json("UDP_CHECK", at(f, 96, 9), {{"connect_timeout", 2.0}},
                     {{"payload", nullptr}, {"require_reply", nullptr}, {"min_reply_length", nullptr}, {"max_reply_length", nullptr}}));

  // fwmark 9: persistence_timeout without a value, FILE_CHECK on an IPv6 real server
  CHECK(vs[5]["fwmark"] == 9);
  CHECK(vs[5]["address"].is_null());
  CHECK(vs[5]["persistence_timeout"] == 360);
  CHECK(vs[5]["real_server"][0]["address"] == "2001:db8::10");
  CHECK(vs[5]["real_server"][0]["checkers"][0] ==
        checker_json("FILE_CHECK", at(f, 111, 9), json::object(),
                     {{"track_file", "rs_weight"}, {"dynamic", false}, {"weight", 1}, {"reverse", false}}, json::object()));
}

TEST_CASE("dump lvs: director.conf") {
  const std::string f = "director.conf";
  json j = dump_file(f);
  CHECK(j["virtual_server_group"] == json::array());
  CHECK(j["SSL"].is_null());
  REQUIRE(j["virtual_server"].size() == 1);
  const json& v = j["virtual_server"][0];
  CHECK(v["address"] == "192.0.2.80");
  CHECK(v["port"] == 80);
  CHECK(v["where"] == at(f, 60, 1));
  CHECK(v["delay_loop"] == 5.0);
  CHECK(v["lvs_sched"] == "wrr");
  CHECK(v["lvs_method"] == "DR");
  CHECK(v["quorum"] == 1);
  CHECK(v["hysteresis"] == 0);
  REQUIRE(v["real_server"].size() == 2);
  const json& a = v["real_server"][0];
  CHECK(a["weight"] == 3);
  CHECK(a["inhibit_on_failure"] == true);
  CHECK(a["alpha"].is_null());
  CHECK(a["checkers"][0]["kind"] == "HTTP_GET");
  CHECK(a["checkers"][0]["url"][0]["status_code"] == json::array({"200-204"}));
  CHECK(a["checkers"][0]["connect_timeout"] == 2.0);
  CHECK(a["checkers"][0]["retry"] == 3);
  CHECK(a["checkers"][0]["delay_before_retry"] == 1.0);
  const json& b = v["real_server"][1];
  CHECK(b["weight"] == 1);
  CHECK(b["inhibit_on_failure"].is_null());
  CHECK(b["checkers"] == json::array({checker_json("TCP_CHECK", at(f, 82, 9), {{"connect_timeout", 2.0}}, json::object())}));
}

TEST_CASE("dump lvs: every virtual_server and real_server keyword") {
  json j = dump_string(
      "virtual_server 192.0.2.1 80 {\n"
      " lvs_sched mh\n mh-port\n mh-fallback\n flag-1\n flag-2\n flag-3\n ops\n"
      " lvs_method TUN type gue port 6080 remcsum\n"
      " persistence_engine sip\n persistence_timeout 60\n persistence_granularity 255.255.255.0\n"
      " protocol UDP\n ha_suspend\n smtp_alert yes\n virtualhost www.example.com\n snmp_name vs1\n alpha\n omega\n"
      " quorum 3\n hysteresis 1\n quorum_up /bin/up\n quorum_down \"/bin/down now\" nobody nogroup\n ip_family inet\n"
      " connect_timeout 4\n retry 2\n delay_before_retry 1.5\n warmup 0\n delay_loop 7.25\n inhibit_on_failure\n"
      " sorry_server 198.51.100.9 8080\n sorry_server_inhibit\n sorry_server_lvs_method TUN type gre nocsum\n"
      " real_server 198.51.100.1 81 {\n"
      "  weight 4\n lvs_method DR\n notify_up /bin/rs_up root\n notify_down /bin/rs_down\n uthreshold 100\n lthreshold 10\n"
      "  smtp_alert off\n virtualhost rs.example.com\n snmp_name rs1\n alpha no\n connect_timeout 2\n retry 5\n"
      "  delay_before_retry 3\n warmup 1\n delay_loop 9\n inhibit_on_failure yes\n"
      " }\n"
      "}\n");
  const json& v = j["virtual_server"][0];
  // Ports 8080 and 81 as written: TUN and DR servers keep the service's port (keepalived).
  json expected = json::parse(R"({"address": "192.0.2.1", "port": 80, "fwmark": null, "group": null, "where": "t.conf:1:1",
    "ip_family": "inet", "protocol": "UDP", "lvs_sched": "mh", "flag-1": true, "flag-2": true, "flag-3": true,
    "sh-port": false, "sh-fallback": false, "mh-port": true, "mh-fallback": true, "ops": true,
    "lvs_method": "TUN", "tun_type": "gue", "tun_port": 6080, "tun_flags": "remcsum",
    "persistence_engine": "sip", "persistence_timeout": 60, "persistence_granularity": "255.255.255.0",
    "ha_suspend": true, "virtualhost": "www.example.com", "snmp_name": "vs1", "omega": true, "quorum": 3, "hysteresis": 1,
    "quorum_up": {"command": "/bin/up", "user": null, "group": null},
    "quorum_down": {"command": "/bin/down now", "user": "nobody", "group": "nogroup"}, "connect_timeout": 4.0, "retry": 2, "delay_before_retry": 1.5,
    "warmup": 0.0, "delay_loop": 7.25, "alpha": true, "inhibit_on_failure": true, "smtp_alert": true,
    "sorry_server_inhibit": true,
    "sorry_server_lvs_method": {"lvs_method": "TUN", "tun_type": "gre", "tun_port": null, "tun_flags": "nocsum"},
    "sorry_server": [{"address": "198.51.100.9", "port": 80, "where": "t.conf:31:2"}],
    "real_server": [{"address": "198.51.100.1", "port": 80, "where": "t.conf:34:2", "weight": 4,
      "lvs_method": "DR", "tun_type": null, "tun_port": null, "tun_flags": null,
      "notify_up": {"command": "/bin/rs_up", "user": "root", "group": null},
      "notify_down": {"command": "/bin/rs_down", "user": null, "group": null}, "uthreshold": 100, "lthreshold": 10,
      "virtualhost": "rs.example.com", "snmp_name": "rs1", "connect_timeout": 2.0, "retry": 5, "delay_before_retry": 3.0,
      "warmup": 1.0, "delay_loop": 9.0, "alpha": false, "inhibit_on_failure": true, "smtp_alert": false, "checkers": []}]})");
  for (auto it = expected.begin(); it != expected.end(); ++it) {
    CAPTURE(it.key());
    CHECK(v[it.key()] == it.value());
  }
  CHECK(v.size() == expected.size());
  CHECK(dump_string("virtual_server 2001:db8::1 80 {\n persistence_granularity 64\n}\n")["virtual_server"][0]["persistence_granularity"] ==
        "ffff:ffff:ffff:ffff::");
}

TEST_CASE("dump lvs: every checker keyword") {
  json j = dump_string(
      "bfd_instance b {\n neighbor_ip 192.0.2.2\n}\n"                                         // 1-3
      "track_file tf {\n file /tmp/tf\n}\n"                                                   // 4-6
      "virtual_server fwmark 3 {\n real_server 198.51.100.1 80 {\n"                           // 7-8
      "  TCP_CHECK {\n connect_ip 198.51.100.2\n connect_port 81\n bindto 192.0.2.3\n bind_if eth0\n"  // 9-13
      " bind_port 1000\n fwmark 4\n alpha\n connect_timeout 3\n retry 2\n delay_before_retry 1\n warmup 2\n"  // 14-20
      " delay_loop 5\n log_all_failures on\n }\n"                                            // 21-23
      "  HTTP_GET {\n http_protocol 1.0C\n fast_recovery\n url {\n path /a\n digest abc\n status_code 200 300-399\n"  // 24-30
      " virtualhost v\n regex ok\n regex_no_match\n regex_options caseless utf\n regex_stack 100 200\n"  // 31-35
      " regex_min_offset 1\n regex_max_offset 9\n }\n }\n"                                   // 36-39
      "  SSL_GET {\n enable_sni\n url {\n path /\n }\n }\n"                                  // 40-45
      "  SMTP_CHECK {\n helo_name lb.example.com\n host {\n connect_ip 198.51.100.7\n connect_port 25\n }\n }\n"  // 46-52
      "  DNS_CHECK {\n type txt\n name example.com\n }\n"                                    // 53-56
      "  MISC_CHECK {\n misc_path \"/bin/check x\"\n misc_timeout 5\n misc_dynamic\n user nobody nogroup\n }\n"  // 57-62
      "  UDP_CHECK {\n payload Ab12f 3\n require_reply 0c1X\n min_reply_length 2\n max_reply_length 64\n }\n"  // 63-68
      "  PING_CHECK {\n }\n"                                                                 // 69-70
      "  FILE_CHECK {\n track_file tf\n dynamic\n weight -5 reverse\n }\n"                   // 71-75
      "  BFD_CHECK {\n name b\n }\n"                                                         // 76-78
      " }\n}\n");
  const json& k = j["virtual_server"][0]["real_server"][0]["checkers"];
  REQUIRE(k.size() == 10);
  CHECK(k[0] == checker_json("TCP_CHECK", "t.conf:9:3",
                             json::parse(R"({"connect_ip": "198.51.100.2", "connect_port": 81, "bindto": "192.0.2.3",
                               "bind_port": 1000, "bind_if": "eth0", "fwmark": 4, "connect_timeout": 3.0, "retry": 2,
                               "delay_before_retry": 1.0, "warmup": 2.0, "delay_loop": 5.0, "alpha": true,
                               "log_all_failures": true})"),
                             json::object()));
  CHECK(k[1] == checker_json("HTTP_GET", "t.conf:24:3", json::object(),
                             json::parse(R"({"http_protocol": "1.0C", "fast_recovery": true, "url": [{"path": "/a",
                               "digest": "abc", "status_code": ["200", "300-399"], "virtualhost": "v", "regex": "ok",
                               "regex_no_match": true, "regex_options": ["caseless", "utf"], "regex_stack": [100, 200],
                               "regex_min_offset": 1, "regex_max_offset": 9, "where": "t.conf:27:2"}]})")));
  CHECK(k[2]["kind"] == "SSL_GET");
  CHECK(k[2]["enable_sni"] == true);
  CHECK(k[2]["http_protocol"].is_null());
  json host = {{"where", "t.conf:48:2"}};
  host.update(unset_common());
  host["connect_ip"] = "198.51.100.7";
  host["connect_port"] = 25;
  CHECK(k[3] == checker_json("SMTP_CHECK", "t.conf:46:3", json::object(),
                             {{"helo_name", "lb.example.com"}, {"host", json::array({host})}}));
  CHECK(k[4] == checker_json("DNS_CHECK", "t.conf:53:3", json::object(), {{"type", "TXT"}, {"name", "example.com"}}));
  CHECK(k[5] == checker_json("MISC_CHECK", "t.conf:57:3", json::object(),
                             {{"misc_path", "/bin/check x"}, {"misc_timeout", 5.0}, {"misc_dynamic", true},
                              {"user", "nobody"}, {"group", "nogroup"}},
                             unset_misc()));
  CHECK(k[6] == checker_json("UDP_CHECK", "t.conf:63:3", json::object(),
                             {{"payload", "ab120f03"}, {"require_reply", "0c1x"}, {"min_reply_length", 2}, {"max_reply_length", 64}}));
  CHECK(k[7] == checker_json("PING_CHECK", "t.conf:69:3", json::object(), json::object()));
  CHECK(k[8] == checker_json("FILE_CHECK", "t.conf:71:3", json::object(),
                             {{"track_file", "tf"}, {"dynamic", true}, {"weight", -5}, {"reverse", true}}, json::object()));
  CHECK(k[9] == checker_json("BFD_CHECK", "t.conf:76:3", json::object(), {{"name", "b"}}, {{"alpha", nullptr}}));
}

TEST_CASE("dump lvs: errors of the typed LVS keywords, with their positions") {
  CHECK(error_of(VS("lvs_method TUN type gue")) == "t.conf:2:21: found 'gue' at end of line, expected port N after type gue");
  CHECK(error_of(VS("lvs_method TUN type gue csum")) == "t.conf:2:25: found 'csum', expected port N after type gue");
  CHECK(error_of(VS("lvs_method TUN type gue port 0")) == "t.conf:2:30: found '0', expected a port 1..65535 for the gue tunnel");
  CHECK(error_of(VS("lvs_method TUN type ipip port 5")) == "t.conf:2:26: found 'port', expected no port for a ipip tunnel (gue only)");
  CHECK(error_of(VS("lvs_method TUN type gre remcsum")) == "t.conf:2:25: found 'remcsum', expected nocsum or csum (gre tunnels have no remcsum)");
  CHECK(error_of(VS("lvs_method TUN type vxlan")) == "t.conf:2:21: found 'vxlan', expected a tunnel type (ipip, gue or gre) after type");
  CHECK(error_of(VS("lvs_method TUN fast")) == "t.conf:2:16: found 'fast', expected type, nocsum, csum or remcsum after TUN");
  CHECK(error_of(VS("sorry_server_lvs_method DR x")) == "t.conf:2:28: found 'x', expected end of line after DR");
  CHECK(error_of(VS("persistence_granularity 24")) ==
        "t.conf:2:25: found '24', expected an IPv4 netmask (e.g. 255.255.255.0) for persistence_granularity");
  CHECK(error_of("virtual_server 2001:db8::1 80 {\n persistence_granularity 255.255.255.0\n}\n") ==
        "t.conf:2:26: found '255.255.255.0', expected an IPv6 prefix length 1..128 for persistence_granularity");
  CHECK(error_of("virtual_server fwmark 1 {\n persistence_granularity 129\n}\n") ==
        "t.conf:2:26: found '129', expected an IPv4 netmask or an IPv6 prefix length 1..128 for persistence_granularity");
  CHECK(error_of(CK("UDP_CHECK", "payload 0a zz")) == "t.conf:4:12: found 'zz', expected hex digits for payload");
  CHECK(error_of(CK("UDP_CHECK", "payload X1")) == "t.conf:4:9: found 'X1', expected hex digits for payload");
  CHECK(error_of(CK("UDP_CHECK", "require_reply 1g")) == "t.conf:4:15: found '1g', expected hex digits (x: any) for require_reply");
  CHECK(error_of(CK("UDP_CHECK", "payload")) == "t.conf:4:1: found end of line, expected a value for payload");
  CHECK(error_of(CK("UDP_CHECK", "max_reply_length 70000")) ==
        "t.conf:4:18: found '70000', expected an integer 0..65535 for max_reply_length");
  CHECK(error_of(CK("HTTP_GET", "http_protocol 2.0")) == "t.conf:4:15: found '2.0', expected 1.0, 1.0C or 1.1 for http_protocol");
  CHECK(error_of(CK("HTTP_GET", "url {\n path /\n regex_options caseless nocase\n }")) ==
        "t.conf:6:25: found 'nocase', expected a regex option (allow_empty_class, alt_bsux, auto_callout, caseless, "
        "dollar_endonly, dotall, dupnames, extended, firstline, match_unset_backref, multiline, never_ucp, never_utf, "
        "no_auto_capture, no_auto_possess, no_dotstar_anchor, no_start_optimize, ucp, ungreedy, utf, never_backslash_c, "
        "alt_circumflex, alt_verbnames, use_offset_limit)");
  CHECK(error_of(CK("HTTP_GET", "url {\n path /\n regex_stack 100\n }")) ==
        "t.conf:6:2: found end of line, expected a value for regex_stack");
  CHECK(error_of(CK("HTTP_GET", "url {\n path /\n regex_stack 200 100\n }")) ==
        "t.conf:6:18: found '100', expected a maximum no smaller than the start 200 for regex_stack");
  CHECK(error_of(CK("HTTP_GET", "url {\n path /\n regex_min_offset -1\n }")) ==
        "t.conf:6:19: found '-1', expected an integer 0..4294967295 for regex_min_offset");
  CHECK(error_of(CK("DNS_CHECK", "type SRV")) ==
        "t.conf:4:6: found 'SRV', expected a DNS query type (A, NS, CNAME, SOA, MX, TXT or AAAA) for type");
  CHECK(error_of(CK("SMTP_CHECK", "host {\n connect_ip 198.51.100.7\n connect_port x\n }")) ==
        "t.conf:6:15: found 'x', expected an integer 0..65535 for connect_port");
}

TEST_CASE("dump lvs: what keepalived warns about in the typed keywords") {
  config c = load_string(CK("UDP_CHECK", "min_reply_length 20\n max_reply_length 10") +
                         CK("HTTP_GET", "url {\n path /\n regex_min_offset 9\n regex_max_offset 3\n }"));
  std::string warnings;
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::warning && d.message.find("already defined") == std::string::npos &&
        d.message.find("without protocol") == std::string::npos)
      warnings += d.where.to_string() + " " + d.message + "\n";
  CHECK(warnings == "<string>:3:1 UDP_CHECK: min_reply_length 20 > max_reply_length 10; the check always fails\n"
                    "<string>:12:1 url: regex_max_offset is below regex_min_offset; the regex never matches\n");
}

TEST_CASE("dump lvs: extra words after the typed keywords are warnings, as elsewhere (keepalived ignores them)") {
  config c = load_string(VS("lvs_method TUN csum x\n ops y") + CK("MISC_CHECK", "misc_path /bin/true\n user a b c") +
                         CK("HTTP_GET", "url {\n path /\n regex_no_match yes\n }"));
  std::string warnings;
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::warning && d.message.find("extra argument") == 0)
      warnings += d.where.to_string() + " " + d.message + "\n";
  CHECK(warnings == "<string>:2:21 extra argument 'x' to lvs_method ignored\n"
                    "<string>:3:6 extra argument 'y' to ops ignored\n"
                    "<string>:9:11 extra argument 'c' to user ignored\n"
                    "<string>:18:17 extra argument 'yes' to regex_no_match ignored\n");
  CHECK(c.virtual_servers.at(0).method.tun_flags == tunnel_csum::csum);
  CHECK(c.virtual_servers.at(1).real_servers.at(0).checkers.at(0).as<misc_check>()->group == "b");
}

// bench/parse.sh's director has 40,000 real servers each with a TCP_CHECK: their model
// was 928 bytes each before the checker became a common part plus per-kind data. A
// bound, so that a field added to the common part is a decision, not an accident.
TEST_CASE("model: a real server with a TCP_CHECK stays small") {
  CHECK(sizeof(real_server) + sizeof(checker) <= 256);
  CHECK(sizeof(check_timers) <= 24);
  config c = load_string(CK("TCP_CHECK", "connect_timeout 3"));
  const real_server& r = c.virtual_servers.at(0).real_servers.at(0);
  CHECK(r.checkers.capacity() == 1);
  CHECK(!r.notes.present());
  CHECK(!r.checkers[0].source.present());
  CHECK(c.virtual_servers.at(0).real_servers.capacity() == 1);
}

TEST_CASE("dump lvs: virtual_server_group ranges in keepalived.conf(5)'s forms") {
  json j = dump_string("virtual_server_group g {\n 192.0.2.250-192.0.3.10 80\n 192.0.2.8/29\n 2001:db8::/120 443\n"
                       " 2001:db8::1-2001:db8::10 80\n 2001:db8::a-1f 80\n 192.0.2.5-192.0.2.5 80\n fwmark 7\n}\n");
  const json& e = j["virtual_server_group"][0]["entries"];
  REQUIRE(e.size() == 7);
  CHECK(e[0] == json::parse(R"({"address": "192.0.2.250", "range_end": "192.0.3.10", "port": 80, "fwmark": null, "family": null,
                                "where": "t.conf:2:2"})"));
  CHECK(e[1]["range_end"] == "192.0.2.15");
  CHECK(e[1]["port"] == 0);
  CHECK(e[2]["range_end"] == "2001:db8::ff");
  CHECK(e[3]["range_end"] == "2001:db8::10");
  CHECK(e[4]["range_end"] == "2001:db8::1f");
  CHECK(e[5]["range_end"] == "192.0.2.5");
  CHECK(e[6] == json::parse(R"({"address": null, "range_end": null, "port": null, "fwmark": 7, "family": null, "where": "t.conf:8:2"})"));

  auto entry = [](const std::string& text) { return error_of("virtual_server_group g {\n " + text + "\n}\n"); };
  CHECK(entry("192.0.2.20-192.0.2.1 80") == "t.conf:2:2: found '192.0.2.20-192.0.2.1', expected a range end not below its start");
  CHECK(entry("192.0.2.20-10 80") == "t.conf:2:2: found '192.0.2.20-10', expected a range end above its start");
  CHECK(entry("192.0.2.20-20 80") == "t.conf:2:2: found '192.0.2.20-20', expected a range end above its start");
  CHECK(entry("192.0.2.8/33 80") == "t.conf:2:2: found '192.0.2.8/33', expected a prefix length 0..32 after the /");
  CHECK(entry("192.0.2.9/29 80") == "t.conf:2:2: found '192.0.2.9/29', expected an address with no bits set past the /29");
  CHECK(entry("192.0.2.1-2001:db8::1 80") == "t.conf:2:2: found '192.0.2.1-2001:db8::1', expected an IPv4 address after the - (as the first)");
  CHECK(entry("2001:db8::1-fffff 80") == "t.conf:2:2: found '2001:db8::1-fffff', expected a last group (hex) or an address after the -");
  CHECK(entry("192.0.2.x 80") ==
        "t.conf:2:2: found '192.0.2.x', expected an address, an address range (ADDR-LAST, ADDR/PREFIX) or fwmark in virtual_server_group");
}

TEST_CASE("dump lvs: the common options of the kinds that lack them are unknown (keepalived)") {
  config c = load_string("bfd_instance b {\n neighbor_ip 192.0.2.2\n}\ntrack_file tf {\n file /tmp/tf\n}\n" +  // 1-6
                         CK("MISC_CHECK", "misc_path /bin/true\n connect_ip 192.0.2.5\n retry 2\n nb_get_retry 3\n alpha") +
                         CK("FILE_CHECK", "track_file tf\n alpha\n connect_timeout 3") +
                         CK("BFD_CHECK", "name b\n alpha\n delay_loop 2\n nb_get_retry 1") + CK("HTTP_GET", "connect_timeout 3"));
  std::string unknown, warnings;
  for (const auto& d : c.diagnostics) {
    if (d.what == diagnostic::kind::unknown_keyword) unknown += d.where.to_string() + " " + d.message + "\n";
    if (d.what == diagnostic::kind::warning && d.message.find("url") != std::string::npos)
      warnings += d.where.to_string() + " " + d.message + "\n";
  }
  CHECK(unknown == "<string>:11:2 unknown keyword 'connect_ip'\n"
                   "<string>:22:2 unknown keyword 'alpha'\n"
                   "<string>:23:2 unknown keyword 'connect_timeout'\n"
                   "<string>:32:2 unknown keyword 'delay_loop'\n"
                   "<string>:33:2 unknown keyword 'nb_get_retry'\n");
  CHECK(warnings == "<string>:39:1 HTTP_GET without url; ignored\n");
  const auto& misc = c.virtual_servers.at(0).real_servers.at(0).checkers.at(0);
  CHECK(misc.timers.retries() == 3);
  CHECK(misc.timers.flag(check_timers::alpha) == true);
  CHECK(!misc.connect_ip);
  CHECK(c.virtual_servers.at(2).real_servers.at(0).checkers.at(0).timers.flag(check_timers::alpha) == true);
}

// keepalived 2.2.7 corrects these in a virtual server with real servers, each with a
// message: a service by address without protocol is UDP (the kernel's default), ops is
// for UDP, one without a port is persistent, ha_suspend and protocol do not apply to
// fwmarks, quorum is at most the real servers' weight and hysteresis below quorum.
TEST_CASE("dump lvs: what keepalived corrects in a virtual server, as warnings") {
  auto S = [](const std::string& head, const std::string& body) {
    return head + " {\n" + body + "\n real_server 198.51.100.1 80 {\n }\n}\n";
  };
  config c = load_string("virtual_server_group addrs {\n 192.0.2.1 80\n}\nvirtual_server_group marks {\n fwmark 1\n}\n" +  // 1-6
                         S("virtual_server 192.0.2.1 80", " ops") +                                  // 7-11
                         S("virtual_server 192.0.2.2 80", " protocol TCP\n ops") +                   // 12-17
                         S("virtual_server fwmark 2", " ops\n protocol TCP\n ha_suspend") +          // 18-24
                         S("virtual_server group addrs", "") + S("virtual_server group marks", "") +  // 25-34
                         S("virtual_server 192.0.2.3", " protocol TCP\n quorum 5\n hysteresis 5") +  // 35-41
                         "virtual_server 192.0.2.4 {\n}\n");                                         // 42-43: no real server
  std::string warnings;
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::warning) warnings += d.where.to_string() + " " + d.message + "\n";
  CHECK(warnings == "<string>:42:1 virtual_server without real_server; ignored\n"
                    "<string>:7:1 virtual_server without protocol: UDP (as keepalived); write protocol TCP for a TCP service\n"
                    "<string>:12:1 ops (one-packet scheduling) needs protocol UDP; ignored\n"
                    "<string>:18:1 ha_suspend does not apply to a service by fwmark; ignored\n"
                    "<string>:18:1 protocol does not apply to a service by fwmark; ignored\n"
                    "<string>:25:1 virtual_server without protocol: UDP (as keepalived); write protocol TCP for a TCP service\n"
                    "<string>:35:1 a service without a port must be persistent: persistence_timeout 360 (as keepalived)\n"
                    "<string>:35:1 quorum 5 exceeds the real servers' total weight 1; quorum 1\n"
                    "<string>:35:1 hysteresis 5 is not below quorum 1; hysteresis 0\n");
  json j = c;
  const json& v = j["virtual_server"];
  REQUIRE(v.size() == 7);
  CHECK(v[0]["protocol"] == "UDP");
  CHECK(v[0]["ops"] == true);
  CHECK(v[1]["protocol"] == "TCP");
  CHECK(v[1]["ops"] == false);
  CHECK(v[2]["protocol"].is_null());
  CHECK(v[2]["ops"] == true);
  CHECK(v[2]["ha_suspend"] == false);
  CHECK(v[3]["protocol"] == "UDP");
  CHECK(v[4]["protocol"].is_null());
  CHECK(v[5]["persistence_timeout"] == 360);
  CHECK(v[5]["quorum"] == 1);
  CHECK(v[5]["hysteresis"] == 0);
  CHECK(v[6]["protocol"].is_null());  // ignored by keepalived: left as written
  CHECK(v[6]["persistence_timeout"].is_null());
}

TEST_CASE("dump lvs: real server ports as keepalived sets them") {
  config c = load_string("virtual_server 192.0.2.1 80 {\n lvs_method NAT\n protocol TCP\n"              // 1-3
                         " real_server 198.51.100.1 {\n }\n"                                           // 4-5: NAT, none: 80
                         " real_server 198.51.100.2 8080 {\n }\n"                                      // 6-7: NAT keeps 8080
                         " real_server 198.51.100.3 8080 {\n lvs_method DR\n }\n"                      // 8-10: DR: 80
                         " real_server 198.51.100.4 {\n lvs_method TUN\n }\n"                          // 11-13: TUN, none: 80
                         " sorry_server 198.51.100.9 8080\n"                                             // 14: NAT sorry keeps it
                         "}\n"
                         "virtual_server fwmark 3 {\n lvs_method DR\n"                                  // 16-17
                         " real_server 198.51.100.5 443 {\n }\n"                                        // 18-19: cleared
                         " real_server 198.51.100.6 443 {\n lvs_method NAT\n }\n"                       // 20-22: NAT keeps
                         " sorry_server 198.51.100.9 443\n"                                              // 23: cleared
                         "}\n");
  std::string warnings;
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::warning) warnings += d.where.to_string() + " " + d.message + "\n";
  CHECK(warnings == "<string>:8:2 real_server port 8080 is not the service's 80; DR and TUN keep the port: 80\n"
                    "<string>:18:2 real_server port 443 ignored: a fwmark service forwards by DR or TUN without ports\n"
                    "<string>:23:2 sorry_server port 443 ignored: a fwmark service forwards by DR or TUN without ports\n");
  json j = c;
  auto port = [&](int vs, int rs) { return j["virtual_server"][vs]["real_server"][rs]["port"]; };
  CHECK(port(0, 0) == 80);
  CHECK(port(0, 1) == 8080);
  CHECK(port(0, 2) == 80);
  CHECK(port(0, 3) == 80);
  CHECK(j["virtual_server"][0]["sorry_server"][0]["port"] == 8080);
  CHECK(port(1, 0) == 0);
  CHECK(port(1, 1) == 443);
  CHECK(j["virtual_server"][1]["sorry_server"][0]["port"] == 0);
}
