// What `keepalive -t` prints (parser/report.hpp): the diagnostics found before an error
// leave with it, everything comes out in file order; and every not_in_effect entry of the
// admin socket names its keyword (parser/dump.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "parser/dump.hpp"
#include "parser/load.hpp"
#include "parser/report.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace ka::config;

namespace {

// Line 2: unknown keyword (found while dispatching global_defs). Line 6: a keyword not
// acted on (track_bfd), and a reference to an undefined bfd_instance, a warning found after every block
// was read. Line 8: an error. Line 11: an include matching nothing, a warning of the
// loader, found before validation.
const char* const k_mixed = "global_defs {\n"
                            "  frobnicate yes\n"
                            "}\n"
                            "vrrp_instance VI_1 {\n"
                            "  interface eth0\n"
                            "  track_bfd { no_such_bfd }\n"
                            "  virtual_router_id 5\n"
                            "  priority 300\n"
                            "  virtual_ipaddress { 192.0.2.1/24 }\n"
                            "}\n"
                            "include no-such-*.conf\n";

config_error error_of_file(const std::string& path) {
  try {
    load_file(path);
  } catch (const config_error& e) {
    return e;
  }
  FAIL("the config loaded");
  throw;  // not reached: FAIL throws
}

} // namespace

TEST_CASE("report: an error carries the warnings found before and after it, and the files read") {
  temp_dir dir;
  std::string main = dir.write("main.conf", k_mixed);
  config_error e = error_of_file(main);
  CHECK(e.all().size() == 1);
  CHECK(e.where().line == 8);
  REQUIRE(e.diagnostics().size() == 4);
  // The loader's warning first (found while reading), then validation's in the order found.
  CHECK(e.diagnostics()[0].where.line == 11);
  CHECK(e.diagnostics()[0].message.find("matches no file") != std::string::npos);
  CHECK(e.diagnostics()[1].what == diagnostic::kind::unknown_keyword);
  CHECK(e.diagnostics()[1].where.line == 2);
  CHECK(e.diagnostics()[2].what == diagnostic::kind::not_acted_on);
  CHECK(e.diagnostics()[3].what == diagnostic::kind::warning);
  CHECK(e.diagnostics()[3].where.to_string() == main + ":6:15");
  CHECK(e.files() == std::vector<std::string>{main});
}

TEST_CASE("report: -t lines in file order, errors beside the warnings") {
  temp_dir dir;
  std::string main = dir.write("main.conf", k_mixed);
  config_error e = error_of_file(main);
  auto lines = in_file_order(e.diagnostics(), e.all(), e.files());
  REQUIRE(lines.size() == 5);
  std::vector<int> at;
  for (const auto& l : lines) at.push_back(l.where.line);
  CHECK(at == std::vector<int>{2, 6, 6, 8, 11});
  CHECK(lines[0].to_string() == main + ":2:3: unknown keyword: unknown keyword 'frobnicate'");
  CHECK(lines[2].to_string() == main + ":6:15: warning: (VI_1): bfd_instance 'no_such_bfd' is not defined; ignored");
  CHECK(lines[3].error);
  CHECK(lines[3].to_string() == main + ":8:12: error: found '300', expected " + e.expected());
  CHECK_FALSE(lines[4].error);
}

TEST_CASE("report: file order is by file as read, then line and column") {
  temp_dir dir;
  dir.write("a.conf", "vrrp_instance VI_2 {\n  frob 1\n  interface eth0\n  virtual_router_id 0\n}\n");
  std::string main = dir.write("main.conf", "global_defs {\n  frob 2\n}\ninclude a.conf\n"
                                            "global_defs {\n  frob 3\n}\n");
  config_error e = error_of_file(main);
  auto lines = in_file_order(e.diagnostics(), e.all(), e.files());
  std::vector<std::string> where;
  for (const auto& l : lines) where.push_back(l.where.to_string());
  // a.conf:1:1 is the instance left without its (bad) VRID, found after a.conf:4:21.
  std::string a = dir.path + "/a.conf";
  CHECK(where == std::vector<std::string>{main + ":2:3", main + ":6:3", a + ":1:1", a + ":2:3", a + ":4:21"});
}

TEST_CASE("report: a syntax error keeps the loader's warnings") {
  temp_dir dir;
  dir.write("bad.conf", "global_defs {\n");
  std::string main = dir.write("main.conf", "include none-*.conf\ninclude bad.conf\n");
  config_error e = error_of_file(main);
  CHECK(e.where().file.str() == dir.path + "/bad.conf");
  REQUIRE(e.diagnostics().size() == 1);
  CHECK(e.diagnostics()[0].where.line == 1);
  CHECK(e.files() == std::vector<std::string>{main, dir.path + "/bad.conf"});
}

// Every way a keyword ends up not acted on: a plain keyword, a block (and nothing inside
// it; SMTP alerts' notification_email is acted on), a block inside an instance, a notify script's user, a vrrp_script's user, an address
// option. VRRPv3, tracking (vrrp_script, track_script) and unicast_peer are acted on: no entry
// for them.
TEST_CASE("not_in_effect: every entry names its keyword") {
  config c = load_string("global_defs {\n  smtp_alert_checker\n}\nbfd_instance B1 {\n  neighbor_ip 192.0.2.7\n}\n"
                         "vrrp_script chk {\n  script /bin/true\n  user nobody\n}\n"
                         "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 5\n"
                         "  track_script {\n    chk\n  }\n  unicast_peer {\n    192.0.2.9\n  }\n"
                         "  notify_master /bin/true nobody\n"
                         "  virtual_ipaddress {\n    192.0.2.1/24 dev eth0 peer 192.0.2.2\n    192.0.2.3/24 nodad\n  }\n"
                         "}\n"
                         "vrrp_instance VI_2 {\n  version 3\n  interface eth0\n  virtual_router_id 6\n}\n");
  ka::json list = not_in_effect(c);
  std::set<std::string> keywords;
  for (const auto& n : list) {
    INFO(n.dump());
    REQUIRE(n["keyword"].is_string());
    CHECK_FALSE(n["keyword"].get<std::string>().empty());
    keywords.insert(n["keyword"].get<std::string>());
  }
  // vrrp_script's and notify hooks' users are acted on (actors/script_users.cpp).
  CHECK(keywords == std::set<std::string>{"smtp_alert_checker", "bfd_instance", "peer", "nodad"});
  // One entry per diagnostic of that kind: none left out for want of a keyword.
  CHECK(list.size() == static_cast<std::size_t>(std::count_if(
                           c.diagnostics.begin(), c.diagnostics.end(),
                           [](const diagnostic& d) { return d.what == diagnostic::kind::not_acted_on; })));
}

// keepalived -t accepts a block keyword on the config's last line with no '{' (it reads an
// empty block); an empty block is checked as usual.
TEST_CASE("report: a block keyword without '{' at the end of the config is an empty block") {
  config c = load_string("vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 5\n"
                         "  virtual_ipaddress { 192.0.2.1 }\n}\nglobal_defs\n");
  REQUIRE(c.diagnostics.size() == 1);
  CHECK(c.diagnostics[0].what == diagnostic::kind::warning);
  CHECK(c.diagnostics[0].where.to_string() == "<string>:6:1");
  bool failed = false;
  try {
    load_string("global_defs {\n}\nvrrp_instance VI_1\n");
  } catch (const config_error& e) {
    failed = true;
    CHECK(e.where().line == 3);  // an empty instance lacks its interface and VRID
  }
  CHECK(failed);
  // Anywhere else a missing '{' stays an error, as keepalived's "Missing '{'".
  CHECK_THROWS_AS(load_string("global_defs\nvrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 5\n}\n"),
                  config_error);
}

// keepalived warns about a route's missing `dev` too: the model lists it with the others.
TEST_CASE("report: a route's dev is an interface of the config") {
  config c = load_string("static_routes {\n  192.0.2.0/24 via 198.51.100.1 dev eth7\n}\n");
  REQUIRE(c.interfaces.size() == 1);
  CHECK(c.interfaces[0].name == "eth7");
  CHECK(c.interfaces[0].where.to_string() == "<string>:2:37");
}
