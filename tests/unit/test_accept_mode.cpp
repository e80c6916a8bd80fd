// Accept mode and strict mode: the pure decision (protocol/accept_mode.hpp), the nftables
// text (protocol/nft_ruleset.hpp) and strict mode's load-time checks
// (parser/validate_strict.cpp), each as keepalived 2.2.7 was seen to behave (README).
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "parser/load.hpp"
#include "protocol/accept_mode.hpp"
#include "protocol/nft_ruleset.hpp"
#include "test_helpers.hpp"

using namespace ka;
using ka::test::ip;

namespace {

constexpr std::optional<bool> unset = std::nullopt;

bool accepts(std::optional<bool> configured, bool strict, int version, int priority) {
  return proto::decide_accept(configured, strict, version, priority).accept;
}

// One instance under strict mode (global vrrp_strict), with `body` inside the block.
std::string strict_conf(const std::string& body, const std::string& global = "  vrrp_strict\n") {
  return "global_defs {\n" + global + "}\n"
         "vrrp_instance X {\n  interface eth0\n  virtual_router_id 51\n" + body + "}\n";
}

const config::diagnostic* warning_with(const config::config& c, const std::string& needle) {
  for (const auto& d : c.diagnostics)
    if (d.what == config::diagnostic::kind::warning && d.message.find(needle) != std::string::npos)
      return &d;
  return nullptr;
}

const char* const k_vip = "  virtual_ipaddress {\n    192.0.2.100/24\n  }\n";

} // namespace

TEST_CASE("accept mode: without a word, every instance accepts unless strict") {
  CHECK(accepts(unset, false, 2, 100));
  CHECK(accepts(unset, false, 3, 100));
  CHECK_FALSE(accepts(unset, true, 2, 100));
  CHECK_FALSE(accepts(unset, true, 3, 100));
  CHECK(accepts(unset, true, 3, 255));   // strict: only the owner accepts by default
  CHECK(accepts(unset, true, 2, 255));
}

TEST_CASE("accept mode: what is written wins, except for the owner and strict VRRPv2") {
  CHECK_FALSE(accepts(false, false, 2, 100));
  CHECK_FALSE(accepts(false, false, 3, 254));
  CHECK(accepts(true, true, 3, 100));           // strict v3 may accept
  CHECK_FALSE(accepts(true, true, 2, 100));     // strict v2 may not (RFC 3768 has no accept mode)
  CHECK(accepts(true, false, 2, 100));          // without strict, an extension keepalived allows
  CHECK(accepts(false, false, 2, 255));         // the owner is never dropped, even with no_accept
  CHECK(accepts(false, true, 3, 255));
}

TEST_CASE("accept mode: the reason is named for the status") {
  CHECK(std::string(proto::decide_accept(false, false, 3, 255).why).find("owner") != std::string::npos);
  CHECK(std::string(proto::decide_accept(unset, true, 3, 100).why) == "strict mode default");
  CHECK(std::string(proto::decide_accept(false, false, 3, 100).why) == "no_accept");
}

TEST_CASE("strict mode: the instance's strict_mode wins over global vrrp_strict") {
  CHECK(proto::strict_mode(unset, true));
  CHECK_FALSE(proto::strict_mode(unset, false));
  CHECK_FALSE(proto::strict_mode(false, true));
  CHECK(proto::strict_mode(true, false));
}

TEST_CASE("nftables: the IPv4 table drops by destination on input and by source on output") {
  proto::nft_options o;
  std::string s = proto::nft_create_table(proto::ip_address::family::v4, o);
  // A leftover goes in the same batch: add-then-delete never fails on a missing table.
  CHECK(s.find("add table ip keepalived\ndelete table ip keepalived\nadd table ip keepalived\n") == 0);
  CHECK(s.find("add set ip keepalived vips { type ipv4_addr; }") != std::string::npos);
  CHECK(s.find("add chain ip keepalived out { type filter hook output priority -1; policy accept; }") != std::string::npos);
  CHECK(s.find("add chain ip keepalived in { type filter hook input priority -1; policy accept; }") != std::string::npos);
  CHECK(s.find("add rule ip keepalived out ip saddr @vips drop\n") != std::string::npos);
  CHECK(s.find("add rule ip keepalived in ip daddr @vips drop\n") != std::string::npos);
  CHECK(s.find("ip6") == std::string::npos);
}

TEST_CASE("nftables: table name, priority and counters follow global_defs") {
  proto::nft_options o;
  o.table = "mytab";
  o.priority = -5;
  o.counters = true;
  std::string s = proto::nft_create_table(proto::ip_address::family::v6, o);
  CHECK(s.find("add chain ip6 mytab in { type filter hook input priority -5; policy accept; }") != std::string::npos);
  CHECK(s.find("add rule ip6 mytab in ip6 daddr @vips counter drop\n") != std::string::npos);
  CHECK(s.find("add rule ip6 mytab out icmpv6 type @neighbor-discovery counter accept\n") != std::string::npos);
  CHECK(s.find("add rule ip6 mytab in ip6 daddr fe80::/10 counter goto in_link_local\n") != std::string::npos);
  CHECK(s.find("keepalived") == std::string::npos);
}

TEST_CASE("nftables: IPv6 lets neighbour discovery through and keys link-local addresses by interface") {
  proto::nft_options o;
  std::string s = proto::nft_create_table(proto::ip_address::family::v6, o);
  CHECK(s.find("elements = { nd-neighbor-solicit, nd-neighbor-advert }") != std::string::npos);
  CHECK(s.find("vips_link_local") == std::string::npos);  // only once a link-local VIP needs it
  std::string ll = proto::nft_create_link_local(o);
  CHECK(ll.find("add set ip6 keepalived vips_link_local { type ipv6_addr . iface_index; }") == 0);
  CHECK(ll.find("in_link_local ip6 daddr . iif @vips_link_local drop") != std::string::npos);
  CHECK(ll.find("out_link_local ip6 saddr . oif @vips_link_local drop") != std::string::npos);
}

TEST_CASE("nftables: elements go to the set of their family and kind") {
  proto::nft_options o;
  std::vector<proto::nft_element> e{{ip("192.0.2.100"), 2}, {ip("2001:db8::1"), 2},
                                    {ip("fe80::105"), 2}, {ip("192.0.2.101"), 2}};
  CHECK(proto::nft_elements(true, proto::ip_address::family::v4, o, e)
        == "add element ip keepalived vips { 192.0.2.100, 192.0.2.101 }\n");
  CHECK(proto::nft_elements(false, proto::ip_address::family::v6, o, e)
        == "delete element ip6 keepalived vips { 2001:db8::1 }\n"
           "delete element ip6 keepalived vips_link_local { fe80::105 . 2 }\n");
  CHECK(proto::nft_elements(true, proto::ip_address::family::v6, o, {}).empty());
  CHECK(proto::is_link_local(ip("febf::1")));
  CHECK_FALSE(proto::is_link_local(ip("fec0::1")));
  CHECK_FALSE(proto::is_link_local(ip("192.0.2.1")));
}

TEST_CASE("strict mode: authentication, preempt_delay and v2 accept are undone with a warning at their keyword") {
  auto c = config::load_string(strict_conf(std::string("  state BACKUP\n  priority 100\n  accept\n"
                                                       "  preempt_delay 10\n"
                                                       "  authentication {\n    auth_type PASS\n    auth_pass x\n  }\n")
                                           + k_vip),
                               "t.conf");
  const auto& i = c.instances.at(0);
  CHECK(i.auth == config::auth_kind::none);
  CHECK(i.preempt_delay == 0);
  REQUIRE(i.accept.has_value());
  CHECK_FALSE(*i.accept);
  auto* auth = warning_with(c, "authentication is not supported");
  REQUIRE(auth);
  CHECK(auth->where.to_string() == "t.conf:11:3");
  auto* pd = warning_with(c, "preempt_delay");
  REQUIRE(pd);
  CHECK(pd->where.to_string() == "t.conf:10:3");
  auto* acc = warning_with(c, "no accept mode");
  REQUIRE(acc);
  CHECK(acc->where.to_string() == "t.conf:9:3");
}

TEST_CASE("strict mode: state must match being the address owner") {
  auto c = config::load_string(strict_conf(std::string("  state MASTER\n  priority 100\n") + k_vip), "t.conf");
  CHECK_FALSE(c.instances.at(0).initial_master);
  auto* w = warning_with(c, "state MASTER needs priority 255");
  REQUIRE(w);
  CHECK(w->where.to_string() == "t.conf:7:3");
  auto d = config::load_string(strict_conf(std::string("  state BACKUP\n  priority 255\n") + k_vip), "t.conf");
  CHECK(d.instances.at(0).initial_master);
  CHECK(warning_with(d, "owner (priority 255) starts as MASTER"));
}

TEST_CASE("strict mode: lower/higher priority advert knobs and vmac_xmit_base are reset") {
  auto c = config::load_string(strict_conf(std::string("  state BACKUP\n  lower_prio_no_advert false\n"
                                                       "  higher_prio_send_advert true\n  use_vmac\n  vmac_xmit_base\n")
                                           + k_vip),
                               "t.conf");
  const auto& i = c.instances.at(0);
  CHECK(i.lower_prio_no_advert == true);
  CHECK(i.higher_prio_send_advert == false);
  CHECK_FALSE(i.vmac_xmit_base);
  REQUIRE(warning_with(c, "lower_prio_no_advert set"));
  CHECK(warning_with(c, "lower_prio_no_advert set")->where.line == 8);
  CHECK(warning_with(c, "higher_prio_send_advert")->where.line == 9);
  CHECK(warning_with(c, "vmac_xmit_base")->where.line == 11);
}

TEST_CASE("strict mode: an instance without virtual addresses is refused") {
  try {
    config::load_string(strict_conf("  state BACKUP\n"), "t.conf");
    FAIL("loaded");
  } catch (const config::config_error& e) {
    CHECK(e.where().to_string() == "t.conf:4:1");
    CHECK(e.expected().find("strict mode") != std::string::npos);
  }
}

TEST_CASE("strict mode: the first IPv6 address must be link-local") {
  auto c = config::load_string(
    strict_conf("  state BACKUP\n  virtual_ipaddress {\n    2001:db8::1/64\n    fe80::1/64\n  }\n"), "t.conf");
  auto* w = warning_with(c, "must be link-local");
  REQUIRE(w);
  CHECK(w->where.to_string() == "t.conf:9:5");
  auto d = config::load_string(
    strict_conf("  state BACKUP\n  virtual_ipaddress {\n    fe80::1/64\n    2001:db8::1/64\n  }\n"), "t.conf");
  CHECK_FALSE(warning_with(d, "link-local"));
}

TEST_CASE("strict mode: strict_mode off in an instance escapes global vrrp_strict; on without it applies") {
  std::string body = std::string("  state MASTER\n  priority 100\n  preempt_delay 5\n") + k_vip;
  auto off = config::load_string(strict_conf(body + "  strict_mode off\n"), "t.conf");
  CHECK(off.instances.at(0).initial_master);
  CHECK(off.instances.at(0).preempt_delay == 5);
  CHECK_FALSE(warning_with(off, "strict mode"));
  auto on = config::load_string(strict_conf(body + "  strict_mode\n", ""), "t.conf");
  CHECK_FALSE(on.instances.at(0).initial_master);
  CHECK(warning_with(on, "strict mode"));
  auto none = config::load_string(strict_conf(body, ""), "t.conf");
  CHECK(none.instances.at(0).initial_master);
  CHECK_FALSE(warning_with(none, "strict mode"));
}
