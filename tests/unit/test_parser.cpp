// parser/: keepalived.conf text -> syntax tree -> config model, and its errors.
#include <doctest/doctest.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "parser/grammar.hpp"
#include "parser/load.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace ka::config;

namespace {

std::optional<config_error> error_of(const std::string& text) {
  try {
    load_string(text, "t.conf");
  } catch (const config_error& e) {
    return e;
  }
  return std::nullopt;
}

// Find the first diagnostic of a kind (nullptr if none).
const diagnostic* find_diag(const config& c, diagnostic::kind k, const std::string& needle = "") {
  for (const auto& d : c.diagnostics)
    if (d.what == k && d.message.find(needle) != std::string::npos) return &d;
  return nullptr;
}

std::size_t count_diag(const config& c, diagnostic::kind k) {
  return static_cast<std::size_t>(std::count_if(c.diagnostics.begin(), c.diagnostics.end(),
                                                [&](const diagnostic& d) { return d.what == k; }));
}

const char* const k_classic = R"(! Configuration File for keepalived

global_defs {
   notification_email {
     acassen@firewall.loc
     failover@firewall.loc
     sysadmin@firewall.loc
   }
   notification_email_from Alexandre.Cassen@firewall.loc
   smtp_server 198.51.100.1
   smtp_connect_timeout 30
   router_id LVS_DEVEL
}

vrrp_instance VI_1 {
    state MASTER
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        192.0.2.100/24 dev eth0 label eth0:1
    }
    notify "/etc/keepalived/notify.sh"
}
)";

const char* const k_minimal_instance = "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n"
                                       " virtual_ipaddress { 192.0.2.1 }\n}\n";


} // namespace

TEST_CASE("parser: the classic keepalived example") {
  config c = load_string(k_classic, "keepalived.conf");
  CHECK(c.global.notification_email ==
        std::vector<std::string>{"acassen@firewall.loc", "failover@firewall.loc", "sysadmin@firewall.loc"});
  CHECK(c.global.notification_email_from == "Alexandre.Cassen@firewall.loc");
  CHECK(c.global.smtp_server == "198.51.100.1");
  CHECK(c.global.smtp_port == 25);
  CHECK(c.global.smtp_connect_timeout == 30);
  CHECK(c.global.router_id == "LVS_DEVEL");
  CHECK(c.global.where.line == 3);
  REQUIRE(c.instances.size() == 1);
  const vrrp_instance& i = c.instances[0];
  CHECK(i.name == "VI_1");
  CHECK(i.where.to_string() == "keepalived.conf:15:1");
  CHECK(i.initial_master);
  CHECK(i.interface == "eth0");
  CHECK(i.vrid == 51);
  CHECK(i.priority == 100);
  CHECK(i.advert_int == 1.0);
  CHECK(i.version == 2);
  CHECK(i.auth == auth_kind::pass);
  CHECK(i.auth_pass == "1111");
  REQUIRE(i.vips.size() == 1);
  CHECK(i.vips[0].addr.to_string() == "192.0.2.100");
  CHECK(i.vips[0].prefix_len == 24);
  CHECK(i.vips[0].dev == "eth0");
  CHECK(i.vips[0].label == "eth0:1");
  CHECK(i.vips[0].where.line == 26);
  CHECK(i.vips[0].where.column == 9);
  CHECK(i.notify == "/etc/keepalived/notify.sh");
  // The mail settings are acted on (SMTP alerts): nothing to report.
  CHECK(c.diagnostics.empty());
}

TEST_CASE("parser: defaults") {
  config c = load_string(k_minimal_instance);
  REQUIRE(c.instances.size() == 1);
  const vrrp_instance& i = c.instances[0];
  CHECK(i.priority == 100);
  CHECK_FALSE(i.initial_master);
  CHECK(i.advert_int == 1.0);
  CHECK(i.garp_master_delay == 5);
  CHECK(i.garp_master_repeat == 5);
  CHECK(i.preempt_delay == 0);
  CHECK_FALSE(i.nopreempt);
  CHECK(i.version == 2);
  CHECK(i.auth == auth_kind::none);
  CHECK(i.vips[0].prefix_len == 32);
  CHECK(c.global.smtp_connect_timeout == 30);
  CHECK(c.global.vrrp_version == 2);
  char host[256] = {};
  REQUIRE(gethostname(host, sizeof host - 1) == 0);
  CHECK(c.global.router_id == host);
}

TEST_CASE("parser: state MASTER without priority is the address owner (keepalived)") {
  config c = load_string("vrrp_instance V {\n state MASTER\n interface eth0\n virtual_router_id 7\n"
                         " virtual_ipaddress { 192.0.2.1 }\n}\n");
  CHECK(c.instances.at(0).priority == 255);
  config d = load_string("vrrp_instance V {\n priority 255\n interface eth0\n virtual_router_id 7\n"
                         " virtual_ipaddress { 192.0.2.1 }\n}\n");
  CHECK(d.instances.at(0).initial_master);
}

TEST_CASE("parser: blocks closing on the same line, braces on the next line") {
  config c = load_string("global_defs { router_id r1 }\n"
                         "vrrp_instance VI_1\n"
                         "{\n"
                         "  interface eth1\n"
                         "  virtual_router_id 9\n"
                         "  authentication { auth_type PASS\n"
                         "    auth_pass secret }\n"
                         "  virtual_ipaddress\n"
                         "\n"
                         "  {\n"
                         "    192.0.2.1/24 }\n"
                         "  virtual_ipaddress { 192.0.2.2/24 }\n"
                         "}\n");
  CHECK(c.global.router_id == "r1");
  REQUIRE(c.instances.size() == 1);
  CHECK(c.instances[0].interface == "eth1");
  CHECK(c.instances[0].auth_pass == "secret");
  REQUIRE(c.instances[0].vips.size() == 2);
  CHECK(c.instances[0].vips[1].addr.to_string() == "192.0.2.2");
}

TEST_CASE("parser: comments of both kinds, quoted strings") {
  config c = load_string("# hash comment\n"
                         "! bang comment\n"
                         "global_defs {   # trailing\n"
                         "  router_id \"my router\" ! trailing bang\n"
                         "  notification_email_from a@b#no space needed\n"
                         "}\n"
                         "vrrp_instance V { # c\n"
                         "  interface eth0\n"
                         "  virtual_router_id 7\n"
                         "  notify \"/usr/bin/x arg # not a comment\"\n"
                         "  notify_master \"/usr/bin/y 'a b'\"\n"
                         "  virtual_ipaddress { 192.0.2.1 } ! done\n"
                         "}\n");
  CHECK(c.global.router_id == "my router");
  CHECK(c.global.notification_email_from == "a@b");
  CHECK(c.instances.at(0).notify == "/usr/bin/x arg # not a comment");
  CHECK(c.instances.at(0).notify_master == "/usr/bin/y 'a b'");
  CHECK(c.diagnostics.empty());  // notification_email_from is acted on (SMTP alerts)
}

// What keepalived 2.2.7 made of these values (its -d dump): single quotes are plain
// characters, a backslash is kept as written (no escapes in a value), and a word ends at
// a blank even inside a quote that began within it.
TEST_CASE("parser: quotes and backslashes as keepalived 2.2.7 reads them") {
  config c = load_string("global_defs {\n router_id 'ab\"c d\" e'\n smtp_helo_name \"x\\ty\\x41\\101\"\n"
                         " notification_email_from 'a b'c\"d e\"\n}\n",
                         "q.conf");
  CHECK(c.global.router_id == "'ab");
  CHECK(c.global.mail.smtp_helo_name == "x\\ty\\x41\\101");
  CHECK(c.global.notification_email_from == "'a");
  std::vector<std::string> extra;
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::warning) extra.push_back(d.where.to_string() + " " + d.message);
  CHECK(extra == std::vector<std::string>{"q.conf:2:15 extra argument 'c d' to router_id ignored",
                                          "q.conf:2:21 extra argument 'e'' to router_id ignored",
                                          "q.conf:4:29 extra argument 'b'c' to notification_email_from ignored",
                                          "q.conf:4:32 extra argument 'd e' to notification_email_from ignored"});
}

TEST_CASE("parser: CRLF line endings and tabs") {
  config c = load_string("global_defs {\r\n\trouter_id\tr2\r\n}\r\n");
  CHECK(c.global.router_id == "r2");
}

TEST_CASE("parser: syntax tree positions") {
  auto t = syntax::parse("a b \"c d\"\n  e {\n f } g\n", "x");
  REQUIRE(t.size() == 3);
  CHECK(t[0].keyword.text == "a");
  REQUIRE(t[0].args.size() == 2);
  CHECK(t[0].args[1].text == "c d");
  CHECK(t[0].args[1].quoted);
  CHECK(t[0].args[1].where.column == 5);
  CHECK(t[1].keyword.where.line == 2);
  CHECK(t[1].keyword.where.column == 3);
  CHECK(t[1].has_block);
  CHECK(t[1].block_open.column == 5);
  REQUIRE(t[1].children.size() == 1);
  CHECK(t[1].children[0].keyword.text == "f");
  CHECK(t[2].keyword.text == "g");
  CHECK(t[2].keyword.where.column == 6);
}

// The loader validates each top-level statement as soon as it is parsed (parser/load.cpp);
// the errors must still be those of a file read whole first: a syntax error anywhere, or
// an include that fails, is the only error, whatever was wrong before it.
TEST_CASE("parser: syntax and include errors win over earlier errors of validation") {
  temp_dir d;
  d.write("bad.inc", "global_defs {\n router_id a\n");
  std::string bad_id = "vrrp_instance V {\n virtual_router_id 999\n}\n";
  for (auto [text, where, expected] : {
           std::tuple{bad_id + "global_defs {\n", ":4:1", "'}' before end of file to close the block of 'global_defs'"},
           std::tuple{bad_id + "includea none.conf\nglobal_defs {\n", ":5:1",
                      "'}' before end of file to close the block of 'global_defs'"},
           std::tuple{bad_id + "includea none.conf\n", ":4:10", "a pattern matching at least one file for includea"},
           std::tuple{bad_id + "include bad.inc\n", "", "'}' before end of file to close the block of 'global_defs'"},
       }) {
    CAPTURE(text);
    std::string main = d.write("k.conf", text);
    try {
      load_file(main);
      FAIL("the load should fail");
    } catch (const config_error& e) {
      CHECK(e.all().size() == 1);
      CHECK(e.expected() == expected);
      CHECK(e.where().to_string() == (*where ? main + where : d.path + "/bad.inc:1:1"));
    }
  }
}

TEST_CASE("parser: include with a glob, relative to the including file") {
  temp_dir d;
  CHECK(mkdir((d.path + "/conf.d").c_str(), 0700) == 0);
  d.write("conf.d/20-b.conf", "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n"
                              " virtual_ipaddress {\n include ../vips/*.vip\n }\n}\n");
  d.write("conf.d/10-a.conf", "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
                              " virtual_ipaddress { 192.0.2.1 }\n}\n");
  d.write("conf.d/notes.txt", "this is not included {");
  CHECK(mkdir((d.path + "/vips").c_str(), 0700) == 0);
  d.write("vips/1.vip", "198.51.100.1/24\n");
  d.write("vips/2.vip", "198.51.100.2/24 dev eth0\n");
  std::string main = d.write("keepalived.conf", "global_defs { router_id inc }\ninclude conf.d/*.conf\n");
  config c = load_file(main);
  CHECK(c.global.router_id == "inc");
  REQUIRE(c.instances.size() == 2);
  CHECK(c.instances[0].name == "A");
  CHECK(c.instances[0].where.file == d.path + "/conf.d/10-a.conf");
  CHECK(c.instances[1].name == "B");
  REQUIRE(c.instances[1].vips.size() == 2);
  CHECK(c.instances[1].vips[1].addr.to_string() == "198.51.100.2");
  CHECK(c.instances[1].vips[1].where.to_string() == d.path + "/conf.d/../vips/2.vip:1:1");
  CHECK(c.files.size() == 5);
  CHECK(c.files.front() == main);
}

TEST_CASE("parser: include that matches nothing") {
  temp_dir d;
  std::string main = d.write("k.conf", "include none/*.conf\n");
  config c = load_file(main);
  const diagnostic* w = find_diag(c, diagnostic::kind::warning, "matches no file");
  REQUIRE(w);
  CHECK(w->where.line == 1);
  CHECK(w->where.column == 9);
  std::string strict = d.write("s.conf", "\n  includea none/*.conf\n");
  try {
    load_file(strict);
    FAIL("includea should fail");
  } catch (const config_error& e) {
    CHECK(e.where().line == 2);
    CHECK(e.where().column == 12);
  }
}

// What each include variant refuses, as keepalived 2.2.7 -t does for the same files
// (exit 0 or 6): a.conf exists, d/ is an empty directory. Braces are glob's brace
// expansion, never a block; includem/includew/includeb/includea each check differently.
TEST_CASE("parser: include variants refuse what keepalived refuses") {
  temp_dir d;
  CHECK(mkdir((d.path + "/d").c_str(), 0700) == 0);
  d.write("a.conf", "vrrp_script a {\n script /bin/true\n}\n");
  struct want {
    const char* kw;
    const char* pattern;
    bool loads;
  };
  for (auto [kw, pattern, loads] : {
           want{"include", "{a,b}.conf", true},     want{"include", "none.conf", true},
           want{"includer", "{x,y}.conf", true},    want{"includer", "d/*.conf", true},
           want{"includem", "none.conf", false},    want{"includem", "{x,y}.conf", true},
           want{"includem", "d/*.conf", true},      want{"includem", "a.conf", true},
           want{"includem", "none/*.conf", false},  want{"includem", "d/none/*.conf", false},
           want{"includem", "a.conf/*.x", false},   want{"includem", "none/{a,b}.conf", true},
           want{"includem", "none*/a.conf", true},  want{"includer", "none/*.conf", true},
           want{"includew", "d/*.conf", false},     want{"includew", "none.conf", false},
           want{"includew", "{x,y}.conf", true},    want{"includew", "{a,y}*.conf", true},
           want{"includeb", "{a,y}.conf", false},   want{"includeb", "{x,y}.conf", false},
           want{"includeb", "none.conf", true},     want{"includeb", "{a,y}*.conf", true},
           want{"includeb", "{a,{a,y}}.conf", false}, want{"includea", "{a,b}.conf", false},
           want{"includea", "{a,y}*.conf", true},   want{"includea", "none/*.conf", false},
       }) {
    std::string text = std::string("\n  ") + kw + " " + pattern + "\n";
    CAPTURE(text);
    std::string main = d.write("k.conf", text);
    try {
      config c = load_file(main);
      CHECK(loads);
      if (std::string(pattern).rfind("{a", 0) == 0 && loads) CHECK(c.scripts.size() == 1);  // a.conf read
    } catch (const config_error& e) {
      CHECK_FALSE(loads);
      CHECK(e.where().to_string() == main + ":2:" + std::to_string(4 + std::string(kw).size()));
    }
  }
}

// The pattern's braces are glob's, but a `}` alone still closes the block the include is in.
TEST_CASE("parser: include inside a block on one line") {
  temp_dir d;
  d.write("v1.txt", "192.0.2.7\n");
  d.write("v2.txt", "192.0.2.8\n");
  std::string main = d.write("k.conf", "vrrp_instance V {\n interface eth0\n virtual_router_id 3\n"
                                       " virtual_ipaddress { include v{1,2}.txt }\n}\n");
  config c = load_file(main);
  REQUIRE(c.instances.at(0).vips.size() == 2);
  CHECK(c.instances[0].vips[1].addr.to_string() == "192.0.2.8");
}

TEST_CASE("parser: errors in included files name that file") {
  temp_dir d;
  std::string inc = d.write("bad.conf", "\nvrrp_instance X {\n priority 0\n}\n");
  std::string main = d.write("k.conf", "include bad.conf\n");
  try {
    load_file(main);
    FAIL("expected an error");
  } catch (const config_error& e) {
    // Every error is listed, one per line, the first one first.
    CHECK(std::string(e.what()) == inc + ":3:11: found '0', expected an integer 1..255 for priority\n" + inc +
                                       ":2:1: found vrrp_instance 'X' without interface, expected an interface (required)");
    CHECK(e.where().line == 3);
    REQUIRE(e.all().size() == 2);
    CHECK(e.all()[1].where().line == 2);
  }
}

TEST_CASE("parser: advert_int fractions and versions") {
  config c = load_string("vrrp_instance V {\n interface eth0\n virtual_router_id 7\n advert_int 1.5\n"
                         " virtual_ipaddress { 192.0.2.1 }\n}\n");
  CHECK(c.instances.at(0).advert_int == 2.0);
  const diagnostic* w = find_diag(c, diagnostic::kind::warning, "must be an integer");
  REQUIRE(w);
  CHECK(w->where.line == 1);

  config v3 = load_string("global_defs { vrrp_version 3 }\n"
                          "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n advert_int 0.25\n"
                          " virtual_ipaddress { 192.0.2.1 }\n}\n");
  CHECK(v3.instances.at(0).version == 3);
  CHECK(v3.instances.at(0).advert_int == 0.25);
  CHECK(count_diag(v3, diagnostic::kind::warning) == 0);

  config v6 = load_string("vrrp_instance V {\n interface eth0\n virtual_router_id 7\n"
                          " virtual_ipaddress { 2001:db8::1/64 }\n}\n");
  CHECK(v6.instances.at(0).version == 3);
  CHECK(v6.instances.at(0).vips.at(0).prefix_len == 64);
}

TEST_CASE("parser: authentication") {
  config c = load_string("vrrp_instance V {\n interface eth0\n virtual_router_id 7\n"
                         " authentication {\n  auth_type PASS\n  auth_pass 123456789\n }\n"
                         " virtual_ipaddress { 192.0.2.1 }\n}\n");
  CHECK(c.instances.at(0).auth_pass == "12345678");
  const diagnostic* w = find_diag(c, diagnostic::kind::warning, "only the first 8");
  REQUIRE(w);
  CHECK(w->where.to_string() == "<string>:6:13");

  auto e = error_of("vrrp_instance V {\n interface eth0\n virtual_router_id 7\n"
                    " authentication {\n  auth_type AH\n }\n}\n");
  REQUIRE(e);
  CHECK(e->where().line == 5);
  CHECK(e->where().column == 13);
  CHECK(e->found() == "'AH'");
}

TEST_CASE("parser: virtual_ipaddress options") {
  config c = load_string("vrrp_instance V {\n interface eth0\n virtual_router_id 7\n virtual_ipaddress {\n"
                         "  192.0.2.1/24 brd + scope link dev eth1 label eth1:x\n"
                         "  192.0.2.2/24 brd 192.0.2.127 no_track\n"
                         "  192.0.2.3/24 bogus\n"
                         " }\n}\n");
  const auto& v = c.instances.at(0).vips;
  REQUIRE(v.size() == 3);
  CHECK(v[0].broadcast->to_string() == "192.0.2.255");
  CHECK(v[0].scope == "link");
  CHECK(v[0].dev == "eth1");
  CHECK(v[0].label == "eth1:x");
  CHECK(v[1].broadcast->to_string() == "192.0.2.127");
  const diagnostic* n = find_diag(c, diagnostic::kind::not_acted_on, "no_track");
  REQUIRE(n);
  CHECK(n->where.column == 32);
  const diagnostic* u = find_diag(c, diagnostic::kind::unknown_keyword, "bogus");
  REQUIRE(u);
  CHECK(u->where.line == 7);
  CHECK(u->where.column == 16);
}

TEST_CASE("parser: use_vmac on an address is acted on, kept in its flags") {
  config c = load_string("vrrp_instance V {\n interface eth0\n virtual_router_id 7\n use_vmac_addr\n"
                         " virtual_ipaddress {\n  192.0.2.1/24\n  198.51.100.1/24 dev eth1 use_vmac\n }\n"
                         " virtual_ipaddress_excluded {\n  2001:db8::1/64 use_vmac\n }\n}\n");
  const auto& i = c.instances.at(0);
  CHECK(i.use_vmac_addr);
  CHECK(i.vips.at(1).flags == std::vector<std::string>{"use_vmac"});
  CHECK(i.vips_excluded.at(0).flags == std::vector<std::string>{"use_vmac"});
  for (const auto& d : c.diagnostics) {
    CAPTURE(d.message);
    CHECK(d.what != diagnostic::kind::not_acted_on);
  }
}

TEST_CASE("parser: unknown keywords are reported with their position, their block skipped") {
  config c = load_string("global_defs {\n  router_id r\n  foo_bar 1 {\n priority abc\n }\n}\n");
  REQUIRE(c.diagnostics.size() == 1);
  const diagnostic& d = c.diagnostics[0];
  CHECK(d.what == diagnostic::kind::unknown_keyword);
  CHECK(d.message == "unknown keyword 'foo_bar'");
  CHECK(d.where.to_string() == "<string>:3:3");
}

TEST_CASE("parser: recognised keywords not acted on yet") {
  config c = load_string("vrrp_script chk {\n  script \"/bin/true\"\n  interval 2\n}\n"
                         "global_defs {\n  vrrp_garp_extra_if 100\n  enable_script_security\n}\n"
                         "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n"
                         " track_script {\n   chk\n }\n unicast_peer { 192.0.2.9 }\n"
                         " virtual_ipaddress { 192.0.2.1 }\n}\n");
  CHECK(count_diag(c, diagnostic::kind::not_acted_on) == 1);  // unicast, tracking, script security are acted on
  CHECK(count_diag(c, diagnostic::kind::unknown_keyword) == 0);
  // tracking is acted on: vrrp_script and track_script are not reported
  CHECK_FALSE(find_diag(c, diagnostic::kind::not_acted_on, "'vrrp_script'"));
  CHECK_FALSE(find_diag(c, diagnostic::kind::not_acted_on, "'track_script'"));
  CHECK_FALSE(find_diag(c, diagnostic::kind::not_acted_on, "'unicast_peer'"));
  const diagnostic* g = find_diag(c, diagnostic::kind::not_acted_on, "'vrrp_garp_extra_if'");
  REQUIRE(g);
  CHECK(g->where.to_string() == "<string>:6:3");
}

TEST_CASE("parser: unicast VRRP keywords are acted on") {
  config c = load_string("global_defs {\n  vrrp_check_unicast_src\n}\n"
                         "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n"
                         " unicast_src_ip 192.0.2.1\n unicast_peer {\n  192.0.2.9 min_ttl 250\n }\n"
                         " check_unicast_src\n unicast_fault_no_peer\n unicast_ttl 64\n"
                         " version 3\n old_unicast_checksum never\n"
                         " virtual_ipaddress { 192.0.2.100 }\n}\n");
  CHECK(count_diag(c, diagnostic::kind::not_acted_on) == 0);
  // A keyword still not acted on is reported, so the count above can fail.
  config d = load_string("vrrp_instance V {\n interface eth0\n virtual_router_id 7\n"
                         " unicast_peer { 192.0.2.9 }\n debug 1\n"
                         " virtual_ipaddress { 192.0.2.100 }\n}\n");
  CHECK(count_diag(d, diagnostic::kind::not_acted_on) == 1);
}

TEST_CASE("parser: tracking keywords are acted on, except full_command") {
  config c = load_string("vrrp_script chk {\n  script /bin/true\n  interval 2\n  timeout 1\n  weight -10 reverse\n"
                         "  rise 2\n  fall 2\n  init_fail\n  user nobody\n}\n"
                         "track_file f {\n  file /tmp/f\n  weight 2\n  init_file 3 overwrite\n}\n"
                         "vrrp_track_process p {\n  process sleep 100\n  param_match initial\n  weight 5\n"
                         "  quorum 1\n  quorum_max 2\n  delay 1\n  fork_delay 1\n  terminate_delay 1\n  full_command\n}\n"
                         "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n dont_track_primary\n"
                         " track_interface {\n   eth1 weight 10\n }\n track_script {\n   chk\n }\n"
                         " track_file {\n   f\n }\n track_process {\n   p\n }\n"
                         " virtual_ipaddress { 192.0.2.1 }\n}\n"
                         "vrrp_sync_group G {\n group {\n  V\n }\n track_script {\n  chk\n }\n}\n");
  std::set<std::string> reported;
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::not_acted_on)
      reported.insert(d.keyword);
  CHECK(reported == std::set<std::string>{"full_command"});
  config g = load_string("global_defs {\n script_user nobody\n enable_script_security\n}\n");
  CHECK(count_diag(g, diagnostic::kind::not_acted_on) == 0);
}

// ---------------------------------------------------------------- errors

TEST_CASE("parser error: bad number") {
  auto e = error_of("vrrp_instance V {\n interface eth0\n virtual_router_id 7\n priority abc\n}\n");
  REQUIRE(e);
  CHECK(std::string(e->what()) == "t.conf:4:11: found 'abc', expected an integer 1..255 for priority");
  CHECK(e->where().line == 4);
  CHECK(e->where().column == 11);
  CHECK(e->found() == "'abc'");
  CHECK(e->expected() == "an integer 1..255 for priority");
}

TEST_CASE("parser error: missing value") {
  auto e = error_of("vrrp_instance V {\n interface eth0\n  priority\n virtual_router_id 1\n}\n");
  REQUIRE(e);
  CHECK(std::string(e->what()) == "t.conf:3:3: found end of line, expected a value for priority");
}

TEST_CASE("parser error: out-of-range virtual_router_id") {
  auto e = error_of("vrrp_instance V {\n interface eth0\n virtual_router_id 256\n}\n");
  REQUIRE(e);
  CHECK(e->where().line == 3);
  CHECK(e->where().column == 20);
  CHECK(e->found() == "'256'");
  CHECK(e->expected() == "an integer 1..255 for virtual_router_id");
}

TEST_CASE("parser error: missing virtual_router_id or interface") {
  auto e = error_of("global_defs {\n}\n  vrrp_instance V {\n interface eth0\n}\n");
  REQUIRE(e);
  CHECK(e->where().line == 3);
  CHECK(e->where().column == 3);
  CHECK(e->expected() == "a virtual_router_id (required)");
  auto f = error_of("vrrp_instance V {\n virtual_router_id 3\n}\n");
  REQUIRE(f);
  CHECK(f->where().line == 1);
  CHECK(f->where().column == 1);
  CHECK(f->expected() == "an interface (required)");
}

TEST_CASE("parser error: unclosed brace points at the opening keyword") {
  auto e = error_of("global_defs {\n router_id r\n}\n\n  vrrp_instance V {\n  authentication {\n"
                    "   auth_type PASS\n  }\n");
  REQUIRE(e);
  CHECK(e->where().line == 5);
  CHECK(e->where().column == 3);
  CHECK(e->found() == "end of file");
  CHECK(e->expected() == "'}' before end of file to close the block of 'vrrp_instance'");
  auto inner = error_of("vrrp_instance V {\n authentication {\n");
  REQUIRE(inner);
  CHECK(inner->where().line == 2);
  CHECK(inner->where().column == 2);
}

TEST_CASE("parser error: stray braces") {
  auto e = error_of("global_defs {\n router_id r\n}\n  }\n");
  REQUIRE(e);
  CHECK(std::string(e->what()) == "t.conf:4:3: found '}', expected a keyword or end of file (no block is open)");
  auto f = error_of("global_defs {\n router_id r\n}\n{\n}\n");
  REQUIRE(f);
  CHECK(f->where().line == 4);
  CHECK(f->where().column == 1);
  CHECK(f->found() == "'{'");
  auto g = error_of("global_defs {\n router_id r { {\n}\n}\n");
  REQUIRE(g);
  CHECK(g->where().line == 2);
  CHECK(g->where().column == 16);
  CHECK(g->found() == "'{'");
  CHECK(g->expected() == "'}'");
}

TEST_CASE("parser error: unterminated quote") {
  auto e = error_of("global_defs {\n router_id \"abc def\n}\n");
  REQUIRE(e);
  CHECK(e->where().line == 2);
  CHECK(e->where().column == 12);
  CHECK(e->found() == "'\"abc def'");
}

TEST_CASE("parser error: bad address and bad prefix") {
  auto e = error_of("vrrp_instance V {\n interface eth0\n virtual_router_id 7\n virtual_ipaddress {\n"
                    "    192.0.2.300/24\n }\n}\n");
  REQUIRE(e);
  CHECK(std::string(e->what()) ==
        "t.conf:5:5: found '192.0.2.300/24', expected an IPv4 or IPv6 address[/prefix] in virtual_ipaddress");
  auto p = error_of("vrrp_instance V {\n interface eth0\n virtual_router_id 7\n virtual_ipaddress {\n"
                    "    192.0.2.1/33 dev eth0\n }\n}\n");
  REQUIRE(p);
  CHECK(p->where().line == 5);
  CHECK(p->where().column == 15);
  CHECK(p->found() == "'33'");
  CHECK(p->expected() == "a prefix length 0..32 after '/'");
  auto m = error_of("vrrp_instance V {\n interface eth0\n virtual_router_id 7\n virtual_ipaddress {\n"
                    "    192.0.2.1\n    2001:db8::1\n }\n}\n");
  REQUIRE(m);
  CHECK(m->where().line == 6);
}

TEST_CASE("parser: metrics_listen, and its errors at the part that is wrong") {
  config c = load_string("global_defs {\n  metrics_listen [2001:db8::1]:9650\n}\n");
  REQUIRE(c.global.metrics_listen);
  CHECK(c.global.metrics_listen->addr.to_string() == "2001:db8::1");
  CHECK(c.global.metrics_listen->port == 9650);
  CHECK_FALSE(find_diag(c, diagnostic::kind::not_acted_on, "metrics_listen"));  // acted on
  CHECK_FALSE(load_string("global_defs {\n router_id x\n}\n").global.metrics_listen);
  config extra = load_string("global_defs {\n  metrics_listen 127.0.0.1:9650 extra\n}\n");
  const diagnostic* w = find_diag(extra, diagnostic::kind::warning, "extra argument 'extra'");
  REQUIRE(w);
  CHECK(w->where.to_string() == "<string>:2:33");
  auto err = [](const std::string& arg) {
    auto e = error_of("global_defs {\n  metrics_listen " + arg + "\n}\n");
    return e ? std::string(e->what()) : std::string("no error");
  };
  CHECK(err("127.0.0.1") == "t.conf:2:18: found '127.0.0.1', expected ADDRESS:PORT for metrics_listen (IPv6 as [ADDRESS]:PORT)");
  CHECK(err("127.0.0.1:0") == "t.conf:2:28: found '0', expected a port 1..65535 for metrics_listen");
  CHECK(err("127.0.0.1:65536") == "t.conf:2:28: found '65536', expected a port 1..65535 for metrics_listen");
  CHECK(err("127.0.0.1:http") == "t.conf:2:28: found 'http', expected a port 1..65535 for metrics_listen");
  CHECK(err("127.0.0.1:") == "t.conf:2:28: found '', expected a port 1..65535 for metrics_listen");
  CHECK(err("[::1]:-1") == "t.conf:2:24: found '-1', expected a port 1..65535 for metrics_listen");
  CHECK(err("localhost:9650") == "t.conf:2:18: found 'localhost', expected an IPv4 address for metrics_listen");
  CHECK(err("::1:9650") == "t.conf:2:18: found '::1:9650', expected an IPv6 address in brackets for metrics_listen ([ADDRESS]:PORT)");
  CHECK(err("[127.0.0.1]:9650") == "t.conf:2:18: found '127.0.0.1', expected an IPv6 address for metrics_listen");
  CHECK(err("[::1]9650") == "t.conf:2:18: found '[::1]9650', expected ADDRESS:PORT for metrics_listen (IPv6 as [ADDRESS]:PORT)");
  CHECK(err("[::1") == "t.conf:2:18: found '[::1', expected ADDRESS:PORT for metrics_listen (IPv6 as [ADDRESS]:PORT)");
  CHECK(err("").find("t.conf:2:3") == 0);  // missing value
}

TEST_CASE("parser error: duplicates") {
  auto e = error_of(std::string(k_minimal_instance) + "vrrp_instance V {\n}\n");
  REQUIRE(e);
  CHECK(e->where().line == 6);
  CHECK(e->where().column == 15);
  CHECK(e->found() == "duplicate vrrp_instance name 'V'");
  auto v = error_of(std::string(k_minimal_instance) +
                    "vrrp_instance W {\n interface eth0\n virtual_router_id 7\n virtual_ipaddress { 192.0.2.2 }\n}\n");
  REQUIRE(v);
  CHECK(v->where().line == 8);
  CHECK(v->where().column == 20);
  // Same VRID on another interface, or for the other address family, is fine.
  config ok = load_string(std::string(k_minimal_instance) +
                          "vrrp_instance W {\n interface eth0\n virtual_router_id 7\n virtual_ipaddress { 2001:db8::2 }\n}\n"
                          "vrrp_instance X {\n interface eth1\n virtual_router_id 7\n virtual_ipaddress { 192.0.2.3 }\n}\n");
  CHECK(ok.instances.size() == 3);
}

TEST_CASE("parser error: block rules and bad values") {
  auto e = error_of("vrrp_instance V {\n interface eth0\n virtual_router_id 7\n priority 10 {\n }\n}\n");
  REQUIRE(e);
  CHECK(e->where().line == 4);
  CHECK(e->where().column == 14);
  auto g = error_of("global_defs\nglobal_defs {\n}\n");  // alone on the last line it is an empty block
  REQUIRE(g);
  CHECK(g->expected() == "'{' starting the block of global_defs");
  auto s = error_of("vrrp_instance V {\n state master\n}\n");
  REQUIRE(s);
  CHECK(s->where().column == 8);
  CHECK(s->expected() == "MASTER or BACKUP for state");
  auto i = error_of("vrrp_instance V {\n interface this_name_is_too_long\n}\n");
  REQUIRE(i);
  CHECK(i->where().column == 12);
  auto d = error_of("vrrp_instance V {\n preempt_delay 1001\n}\n");
  REQUIRE(d);
  CHECK(d->expected() == "a number of seconds 0..1000 for preempt_delay");
}

TEST_CASE("parser error: load_file of a missing file") {
  try {
    load_file("/nonexistent/keepalived.conf");
    FAIL("expected an error");
  } catch (const config_error& e) {
    CHECK(e.where().file == "/nonexistent/keepalived.conf");
  }
}

TEST_CASE("parser: a notify hook's user and group are kept for the daemon, instances' and groups'") {
  config c = load_string("vrrp_sync_group G {\n group {\n  V\n }\n notify_fault /bin/f nobody nogroup\n notify /bin/n\n}\n"
                         "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n"
                         " notify_master \"/bin/m x\" nobody\n notify_stop /bin/s root adm\n"
                         " virtual_ipaddress { 192.0.2.1 }\n}\n");
  CHECK(count_diag(c, diagnostic::kind::not_acted_on) == 0);
  const auto& i = c.instances.at(0);
  CHECK(i.notify_master == "/bin/m x");
  REQUIRE(i.hook_users.size() == 2);
  CHECK(i.hook_users.at("notify_master").user == "nobody");
  CHECK(i.hook_users.at("notify_master").group.empty());
  CHECK(i.hook_users.at("notify_stop").group == "adm");
  const auto& g = c.sync_groups.at(0);
  CHECK(g.notify_fault == "/bin/f");
  REQUIRE(g.hook_users.size() == 1);
  CHECK(g.hook_users.at("notify_fault").group == "nogroup");
}
