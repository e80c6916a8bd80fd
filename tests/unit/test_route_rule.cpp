// virtual_routes / virtual_rules words -> typed descriptions (protocol/route_rule.hpp).
#include <doctest/doctest.h>

#include <sstream>

#include "protocol/route_rule.hpp"

using namespace ka::proto;

namespace {
std::vector<std::string> W(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> w;
  for (std::string s; in >> s;) w.push_back(s);
  return w;
}
route_desc route(const std::string& line) {
  auto r = translate_route(W(line));
  if (auto* e = std::get_if<translate_error>(&r)) FAIL_CHECK(line << ": word " << e->word << ": " << e->expected);
  REQUIRE(std::holds_alternative<route_desc>(r));
  return std::get<route_desc>(r);
}
rule_desc rule(const std::string& line) {
  auto r = translate_rule(W(line));
  if (auto* e = std::get_if<translate_error>(&r)) FAIL_CHECK(line << ": word " << e->word << ": " << e->expected);
  REQUIRE(std::holds_alternative<rule_desc>(r));
  return std::get<rule_desc>(r);
}
translate_error route_err(const std::string& line) {
  auto r = translate_route(W(line));
  REQUIRE(std::holds_alternative<translate_error>(r));
  return std::get<translate_error>(r);
}
translate_error rule_err(const std::string& line) {
  auto r = translate_rule(W(line));
  REQUIRE(std::holds_alternative<translate_error>(r));
  return std::get<translate_error>(r);
}
ip_address A(const char* s) { return *ip_address::parse(s); }
} // namespace

TEST_CASE("route: destination, via, dev, table, metric") {
  auto r = route("198.51.100.0/24 via 192.0.2.254 dev eth0 table 100 metric 5");
  REQUIRE(r.dst);
  CHECK(r.dst->addr == A("198.51.100.0"));
  CHECK(r.dst->len == 24);
  CHECK(r.via == A("192.0.2.254"));
  CHECK(r.dev == "eth0");
  CHECK(r.table == 100);
  CHECK(r.metric == 5u);
  CHECK(r.type == route_type::unicast);
  CHECK(r.fam == ip_address::family::v4);
  CHECK(r.protocol == proto_keepalived);
  CHECK_FALSE(r.scope);
  CHECK(to_string(r) == "198.51.100.0/24 via 192.0.2.254 dev eth0 table 100 metric 5");
}

TEST_CASE("route: old and alternative spellings") {
  auto r = route("to 203.0.113.7 gw 192.0.2.1 preference 7 table main");
  CHECK(r.dst->len == 32);  // a host route when no prefix is written, as ip(8)
  CHECK(r.via == A("192.0.2.1"));
  CHECK(r.metric == 7u);
  CHECK(r.table == table_main);
  CHECK(route("default via 192.0.2.1").dst == std::nullopt);
  CHECK(route("default via 192.0.2.1 table local").table == 255u);
  CHECK(route("src 192.0.2.10 198.51.100.0/24 dev eth0").src == A("192.0.2.10"));
  CHECK(route("198.51.100.0/24 dev eth0 src 192.0.2.10 scope link proto static onlink via 192.0.2.9").scope == std::uint8_t{253});
  auto p = route("198.51.100.0/24 dev eth0 proto boot");
  CHECK(p.protocol == 3);
  CHECK(route("198.51.100.0/24 dev eth0 scope host").scope == std::uint8_t{254});
  CHECK(route("198.51.100.0/24 dev eth0 onlink").onlink);
  CHECK(route("198.51.100.0/24 dev eth0 table 0x100").table == 256u);
}

TEST_CASE("route: types without next hop") {
  CHECK(route("blackhole 203.0.113.0/24").type == route_type::blackhole);
  CHECK(route("unreachable 203.0.113.0/24 table 7").type == route_type::unreachable);
  CHECK(route("prohibit 2001:db8::/32").fam == ip_address::family::v6);
  CHECK(route("throw 203.0.113.0/24 table 9").type == route_type::throw_);
  CHECK(to_string(route("blackhole 203.0.113.0/24")) == "blackhole 203.0.113.0/24");
}

TEST_CASE("route: IPv6") {
  auto r = route("2001:db8:1::/48 via 2001:db8::1 dev eth0");
  CHECK(r.fam == ip_address::family::v6);
  CHECK(r.dst->len == 48);
}

TEST_CASE("route: what cannot be translated names the word") {
  CHECK(route_err("198.51.100.0/24 nexthop via 192.0.2.1").word == 1);
  CHECK(route_err("198.51.100.0/24 via 192.0.2.1 mtu 1400").word == 3);
  CHECK(route_err("198.51.100.0/24 via nothere").word == 2);
  CHECK(route_err("198.51.100.0/24 via 2001:db8::1").word == 2);  // mixed families
  CHECK(route_err("198.51.100.0/24 dev eth0 table").word == 4);     // argument missing
  CHECK(route_err("198.51.100.0/24 dev eth0 table 0").word == 4);
  CHECK(route_err("198.51.100.0/24 dev eth0 metric -1").word == 4);
  CHECK(route_err("198.51.100.0/24 dev eth0 scope wide").word == 4);
  CHECK(route_err("198.51.100.0/33 dev eth0").word == 0);
  CHECK(route_err("via 192.0.2.1 dev eth0").word == 4);               // no destination
  CHECK(route_err("198.51.100.0/24").word == 1);                     // no next hop
  CHECK(route_err("blackhole 198.51.100.0/24 dev eth0").word == 4);  // a blackhole has none
  CHECK(route_err("198.51.100.0/24 blackhole").word == 1);
  CHECK(route_err("198.51.100.0/24 203.0.113.0/24 dev eth0").word == 1);
  CHECK(route_err("local 192.0.2.5 dev eth0").word == 0);
  CHECK(route_err("198.51.100.0/24 dev eth0 table 4294967296").word == 4);
}

TEST_CASE("rule: selectors and actions") {
  auto r = rule("from 192.0.2.0/24 table 100 preference 10");
  REQUIRE(r.from);
  CHECK(r.from->len == 24);
  CHECK_FALSE(r.to);
  CHECK(r.table == 100);
  CHECK(r.priority == 10u);
  CHECK(r.fam == ip_address::family::v4);
  CHECK(to_string(r) == "from 192.0.2.0/24 table 100 priority 10");

  auto t = rule("to 203.0.113.5 lookup 200 pref 5 iif eth0 oif eth1");
  CHECK(t.to->len == 32);
  CHECK(t.iif == "eth0");
  CHECK(t.oif == "eth1");
  CHECK(t.priority == 5u);

  auto m = rule("fwmark 0x10/0xff table 7 priority 300");
  CHECK(m.fwmark == 16u);
  CHECK(m.fwmask == 255u);
  CHECK_FALSE(m.fam);  // no address: the instance's family
  CHECK(rule("fwmark 3 table 7").fwmask == 0xffffffffu);
  CHECK(rule("from all to 2001:db8::/32 table 9").fam == ip_address::family::v6);
  CHECK(rule("dev eth0 table 9").iif == "eth0");
  CHECK(rule("from 192.0.2.1").table == table_main);  // ip(8)'s default action
}

TEST_CASE("rule: what cannot be translated names the word") {
  CHECK(rule_err("from 192.0.2.0/24 goto 100").word == 2);
  CHECK(rule_err("not from 192.0.2.1 table 9").word == 0);
  CHECK(rule_err("from 192.0.2.0/24 table 100 realms 4").word == 4);
  CHECK(rule_err("from 192.0.2.300 table 1").word == 1);
  CHECK(rule_err("from 192.0.2.0/24 to 2001:db8::/32 table 1").word == 3);
  CHECK(rule_err("fwmark x table 1").word == 1);
  CHECK(rule_err("fwmark 1/y table 1").word == 1);
  CHECK(rule_err("from 192.0.2.0/24 priority").word == 3);
  CHECK(rule_err("from 192.0.2.0/24 table none").word == 3);
}
