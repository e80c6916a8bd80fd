// Health checkers: from the config model to checker plans (actors/checker_config.hpp):
// inherited timers, keepalived's per-kind defaults, targets, and kinds without a probe.
#include <doctest/doctest.h>

#include "actors/checker_config.hpp"
#include "actors/pool_config.hpp"
#include "parser/load.hpp"

using namespace ka;
using namespace std::chrono_literals;

namespace {

config::config load(const std::string& text) { return config::load_string(text, "t.conf"); }

act::checker_plan plan(const config::config& c, std::size_t rs, std::size_t ck = 0) {
  const auto& vs = c.virtual_servers.at(0);
  return act::plan_checker(c, vs, vs.real_servers.at(rs), vs.real_servers.at(rs).checkers.at(ck));
}

} // namespace

TEST_CASE("checker config: keepalived's defaults when nothing is written") {
  auto c = load("virtual_server 192.0.2.100 80 {\n protocol TCP\n"
                " real_server 192.0.2.10 80 {\n  TCP_CHECK {\n  }\n  HTTP_GET {\n  }\n }\n}\n");
  auto tcp = plan(c, 0, 0);
  CHECK(tcp.error.empty());
  CHECK(tcp.kind == "TCP_CHECK");
  CHECK(tcp.target == "192.0.2.10:80");
  CHECK(tcp.timing.delay_loop == 60s);
  CHECK(tcp.timing.connect_timeout == 5s);
  CHECK(tcp.timing.retry == 1);
  CHECK(tcp.timing.delay_before_retry == 1s);
  CHECK(tcp.timing.warmup == 60s);
  CHECK_FALSE(tcp.timing.alpha);
  auto http = plan(c, 0, 1);
  CHECK(http.timing.delay_before_retry == 3s);
}

TEST_CASE("checker config: checker <- real_server <- virtual_server") {
  auto c = load("virtual_server 192.0.2.100 80 {\n protocol TCP\n delay_loop 10\n retry 4\n connect_timeout 3\n"
                " real_server 192.0.2.10 80 {\n  delay_loop 7\n  alpha\n"
                "  TCP_CHECK {\n   connect_timeout 2\n   connect_ip 192.0.2.11\n   connect_port 8080\n  }\n }\n"
                " real_server 192.0.2.12 81 {\n  TCP_CHECK {\n   warmup 0\n   delay_before_retry 0.5\n  }\n }\n}\n");
  auto a = plan(c, 0);
  CHECK(a.target == "192.0.2.11:8080");
  CHECK(a.timing.delay_loop == 7s);          // real server's
  CHECK(a.timing.warmup == 7s);              // follows delay_loop
  CHECK(a.timing.connect_timeout == 2s);     // checker's
  CHECK(a.timing.retry == 4);                // virtual server's
  CHECK(a.timing.alpha);                     // real server's
  auto b = plan(c, 1);
  CHECK(b.target == "192.0.2.12:81");
  CHECK(b.timing.delay_loop == 10s);
  CHECK(b.timing.connect_timeout == 3s);
  CHECK(b.timing.warmup == 0s);
  CHECK(b.timing.delay_before_retry == 500ms);
  CHECK_FALSE(b.timing.alpha);
}

TEST_CASE("checker config: a kind without a probe says so; a bad regex is an error") {
  auto c = load("bfd_instance b {\n neighbor_ip 192.0.2.10\n}\n"
                "virtual_server 192.0.2.100 80 {\n protocol TCP\n"
                " real_server 192.0.2.10 80 {\n  BFD_CHECK {\n   name b\n  }\n }\n"
                " real_server 192.0.2.11 80 {\n  HTTP_GET {\n   url {\n    path /\n    regex \"(open\"\n   }\n  }\n }\n}\n");
  auto b = plan(c, 0);
  CHECK(b.error == "checker kind BFD_CHECK not implemented");
  CHECK_FALSE(static_cast<bool>(b.start));
  auto h = plan(c, 1);
  CHECK(h.error.rfind("regex \"(open\"", 0) == 0);
  CHECK_FALSE(static_cast<bool>(h.start));
}

TEST_CASE("checker config: names of virtual and real servers") {
  auto c = load("virtual_server 2001:db8::100 443 {\n protocol TCP\n real_server 2001:db8::10 8443 {\n  TCP_CHECK {\n  }\n }\n}\n"
                "virtual_server fwmark 7 {\n real_server 192.0.2.10 80 {\n  TCP_CHECK {\n  }\n }\n}\n");
  CHECK(act::vs_name(c.virtual_servers[0]) == "[2001:db8::100]:443");
  CHECK(act::rs_name(c.virtual_servers[0].real_servers[0]) == "[2001:db8::10]:8443");
  CHECK(act::vs_name(c.virtual_servers[1]) == "fwmark 7");
}
