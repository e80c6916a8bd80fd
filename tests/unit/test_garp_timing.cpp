// GARP counts and delays (protocol/garp_timing.hpp) as keepalived 2.2.7 was seen to resolve
// them in tests/lab/garp_defaults.sh's captures, and as the parser stores them.
#include <doctest/doctest.h>

#include "parser/load.hpp"
#include "protocol/garp_timing.hpp"
#include "test_helpers.hpp"

using ka::proto::garp_words;
using ka::proto::resolve_garp_timing;

TEST_CASE("garp timing: keepalived's defaults are five GARPs and five more 5 s later") {
  auto t = resolve_garp_timing({}, {}, false);
  CHECK(t.master_delay == 5);
  CHECK(t.master_repeat == 5);
  CHECK(t.lower_delay == 5);
  CHECK(t.lower_repeat == 5);
}

TEST_CASE("garp timing: global defaults apply, lower-priority ones follow the global master ones") {
  garp_words g;
  g.master_delay = 3;
  g.master_repeat = 2;
  auto t = resolve_garp_timing({}, g, false);
  CHECK(t.master_delay == 3);
  CHECK(t.master_repeat == 2);
  CHECK(t.lower_delay == 3);
  CHECK(t.lower_repeat == 2);
}

TEST_CASE("garp timing: instance words override, but do not move the lower-priority defaults") {
  garp_words i, g;
  i.master_delay = 1;
  i.master_repeat = 2;
  g.master_delay = 7;
  auto t = resolve_garp_timing(i, g, false);
  CHECK(t.master_delay == 1);
  CHECK(t.master_repeat == 2);
  CHECK(t.lower_delay == 7);   // the global master delay, not the instance's
  CHECK(t.lower_repeat == 5);  // the built-in, not the instance's 2
  i.lower_delay = 0;
  i.lower_repeat = 3;
  g.lower_repeat = 9;
  t = resolve_garp_timing(i, g, false);
  CHECK(t.lower_delay == 0);
  CHECK(t.lower_repeat == 3);
}

TEST_CASE("garp timing: vrrp_min_garp means one GARP and no second burst, unless words say more") {
  auto t = resolve_garp_timing({}, {}, true);
  CHECK(t.master_delay == 0);
  CHECK(t.master_repeat == 1);
  CHECK(t.lower_delay == 0);
  CHECK(t.lower_repeat == 1);
  garp_words i, g;
  i.master_delay = 2;
  g.lower_repeat = 2;
  t = resolve_garp_timing(i, g, true);
  CHECK(t.master_delay == 2);
  CHECK(t.master_repeat == 1);
  CHECK(t.lower_delay == 0);
  CHECK(t.lower_repeat == 2);
}

TEST_CASE("garp timing: the parser stores the resolved values in each instance") {
  auto c = ka::config::load_string(
      "global_defs {\n  vrrp_garp_master_delay 3\n  vrrp_garp_master_repeat 2\n  vrrp_garp_lower_prio_repeat 4\n}\n"
      "vrrp_instance A {\n  interface eth0\n  virtual_router_id 1\n  priority 100\n"
      "  virtual_ipaddress {\n    192.0.2.1\n  }\n}\n"
      "vrrp_instance B {\n  interface eth0\n  virtual_router_id 2\n  priority 100\n"
      "  garp_master_delay 0\n  garp_master_repeat 1\n  garp_lower_prio_delay 6\n"
      "  virtual_ipaddress {\n    192.0.2.2\n  }\n}\n");
  REQUIRE(c.instances.size() == 2);
  const auto& a = c.instances[0];
  CHECK(a.garp_master_delay == 3);
  CHECK(a.garp_master_repeat == 2);
  CHECK(a.garp_lower_prio_delay == 3.0);
  CHECK(a.garp_lower_prio_repeat == 4);
  const auto& b = c.instances[1];
  CHECK(b.garp_master_delay == 0);
  CHECK(b.garp_master_repeat == 1);
  CHECK(b.garp_lower_prio_delay == 6.0);
  CHECK(b.garp_lower_prio_repeat == 4);
}
