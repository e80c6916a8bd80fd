// actors/pool_config.cpp: a virtual_server of the config as its pool's services, rules and
// commands (scheduler names, scheduler flags, forwarding, persistence, fwmark, groups).
#include <doctest/doctest.h>

#include <string>

#include "actors/pool_config.hpp"
#include "actors/script_users.hpp"
#include "parser/load.hpp"
#include "test_helpers.hpp"

using namespace ka;
using ka::test::ip;

namespace {

act::pool_definition pool(const std::string& text, std::size_t which = 0) {
  auto cfg = config::load_string(text, "t.conf");
  REQUIRE(cfg.virtual_servers.size() > which);
  return act::pool_of(cfg, cfg.virtual_servers[which]);
}

} // namespace

TEST_CASE("pool config: a TCP service by address, its real servers and their settings") {
  auto p = pool(R"(
virtual_server 192.0.2.1 80 {
  lvs_sched wrr
  lvs_method DR
  protocol TCP
  persistence_timeout 300
  persistence_granularity 255.255.255.0
  quorum 2
  hysteresis 1
  omega
  quorum_up "/bin/echo up"
  real_server 203.0.113.1 80 {
    weight 3
    uthreshold 100
    lthreshold 10
    inhibit_on_failure
    notify_down /bin/false
    TCP_CHECK { alpha }
    MISC_CHECK { misc_path /bin/true }
  }
  real_server 203.0.113.2 80 {
    lvs_method NAT
  }
}
)");
  CHECK(p.name == "TCP 192.0.2.1:80");
  CHECK(p.fifo_name == "[192.0.2.1]:tcp:80");  // notify FIFO lines, as keepalived writes them
  CHECK(p.servers[0].fifo_name == "[203.0.113.1]:tcp:80");
  REQUIRE(p.services.size() == 1);
  const auto& s = p.services[0];
  CHECK(s.key.protocol == proto::ipvs_protocol::tcp);
  CHECK(s.key.addr == ip("192.0.2.1"));
  CHECK(s.key.port == 80);
  CHECK(s.scheduler == "wrr");
  CHECK(s.flags == proto::ipvs_svc_flag::persistent);
  CHECK(s.timeout == 300);
  CHECK(s.netmask == 0xffffff00u);
  REQUIRE(p.rules.servers.size() == 2);
  const auto& a = p.rules.servers[0];
  CHECK(a.dest.addr == ip("203.0.113.1"));
  CHECK(a.dest.weight == 3);
  CHECK(a.dest.forward == proto::ipvs_forward::route);
  CHECK(a.dest.u_threshold == 100);
  CHECK(a.dest.l_threshold == 10);
  CHECK(a.inhibit);
  CHECK(a.alpha == std::vector<bool>{true, false});
  CHECK(p.rules.servers[1].dest.forward == proto::ipvs_forward::masq);
  CHECK(!p.rules.servers[1].inhibit);
  CHECK(p.rules.quorum == 2);
  CHECK(p.rules.hysteresis == 1);
  CHECK(p.rules.omega);
  CHECK(!p.rules.rs_init_notifies);
  CHECK(p.quorum_up.command == "/bin/echo up");
  CHECK(p.servers[0].notify_down.command == "/bin/false");
  CHECK(p.servers[0].name == "203.0.113.1:80");
  CHECK(p.rule_index == std::vector<std::int32_t>{0, 1});
  CHECK(!p.rules.sorry);
}

TEST_CASE("pool config: no lvs_sched is wlc, as keepalived; alpha and inhibit are inherited") {
  auto p = pool(R"(
virtual_server 192.0.2.1 443 {
  protocol TCP
  alpha
  inhibit_on_failure
  real_server 203.0.113.1 443 {
    TCP_CHECK { }
    HTTP_GET { url { path / } alpha no }
  }
}
)");
  CHECK(p.services[0].scheduler == "wlc");
  CHECK(p.services[0].flags == 0);
  CHECK(p.services[0].netmask == 0xffffffffu);
  CHECK(p.rules.servers[0].inhibit);
  CHECK(p.rules.servers[0].alpha == std::vector<bool>{true, false});
}

TEST_CASE("pool config: scheduler flags map to IP_VS_SVC_F_SCHED*, sh-/mh- only for their scheduler") {
  namespace f = proto::ipvs_svc_flag;
  auto sh = pool("virtual_server 192.0.2.1 80 {\nprotocol TCP\nlvs_sched sh\nsh-port\nsh-fallback\nreal_server 203.0.113.1 80 { }\n}\n");
  CHECK(sh.services[0].flags == (f::sched1 | f::sched2));
  auto mh = pool("virtual_server 192.0.2.1 80 {\nprotocol TCP\nlvs_sched mh\nmh-port\nreal_server 203.0.113.1 80 { }\n}\n");
  CHECK(mh.services[0].flags == f::sched2);
  auto rr = pool("virtual_server 192.0.2.1 80 {\nprotocol TCP\nlvs_sched rr\nsh-port\nflag-3\nreal_server 203.0.113.1 80 { }\n}\n");
  CHECK(rr.services[0].flags == f::sched3);
  auto ops = pool("virtual_server 192.0.2.1 53 {\nprotocol UDP\nops\nreal_server 203.0.113.1 53 { }\n}\n");
  CHECK(ops.services[0].flags == f::onepacket);
  CHECK(ops.services[0].key.protocol == proto::ipvs_protocol::udp);
}

TEST_CASE("pool config: fwmark services, their family, and tunnels") {
  auto p = pool(R"(
virtual_server fwmark 7 {
  lvs_method TUN type gue port 6080 csum
  real_server 2001:db8::10 {
  }
}
)");
  CHECK(p.name == "FWM 7 IPv6");
  CHECK(p.fifo_name == "FWM 7");
  CHECK(p.servers[0].fifo_name == "[2001:db8::10]:none:0");
  const auto& k = p.services[0].key;
  CHECK(k.fwmark == 7);
  CHECK(k.protocol == proto::ipvs_protocol::none);
  CHECK(k.fam == proto::ip_address::family::v6);
  CHECK(p.services[0].netmask == 128);
  const auto& d = p.rules.servers[0].dest;
  CHECK(d.forward == proto::ipvs_forward::tunnel);
  CHECK(d.tun_type == proto::ipvs_tunnel::gue);
  CHECK(d.tun_port == 6080);
  CHECK(d.tun_flags == proto::ipvs_tun_flag::csum);
  auto v4 = pool("virtual_server fwmark 9 {\nlvs_method DR\nreal_server 203.0.113.1 { }\n}\n");
  CHECK(v4.services[0].key.fam == proto::ip_address::family::v4);
}

TEST_CASE("pool config: a virtual_server_group is one service per address and fwmark") {
  auto p = pool(R"(
virtual_server_group WEB {
  192.0.2.10-12 80
  2001:db8::1 80
  fwmark 5
}
virtual_server group WEB {
  protocol TCP
  lvs_method DR
  real_server 203.0.113.1 80 { }
}
)");
  CHECK(p.name == "group WEB");
  REQUIRE(p.services.size() == 5);
  CHECK(p.services[0].key.to_string() == "TCP 192.0.2.10:80");
  CHECK(p.services[1].key.to_string() == "TCP 192.0.2.11:80");
  CHECK(p.services[2].key.to_string() == "TCP 192.0.2.12:80");
  CHECK(p.services[3].key.to_string() == "TCP [2001:db8::1]:80");
  CHECK(p.services[3].netmask == 128);
  CHECK(p.services[4].key.to_string() == "FWM 5");
  CHECK(p.warnings.empty());
}

TEST_CASE("pool config: an undefined group programs nothing and says so") {
  auto p = pool("virtual_server group NOPE {\nprotocol TCP\nreal_server 203.0.113.1 80 { }\n}\n");
  CHECK(p.services.empty());
  REQUIRE(p.warnings.size() == 1);
  CHECK(p.warnings[0].find("NOPE") != std::string::npos);
}

TEST_CASE("pool config: the sorry server is not a checked server; its method and inhibit") {
  auto p = pool(R"(
virtual_server 192.0.2.1 80 {
  protocol TCP
  lvs_method DR
  sorry_server 198.51.100.99 80
  sorry_server_inhibit
  sorry_server_lvs_method NAT
  real_server 203.0.113.1 80 { TCP_CHECK { } }
}
)");
  REQUIRE(p.rules.sorry);
  CHECK(p.rules.sorry->dest.addr == ip("198.51.100.99"));
  CHECK(p.rules.sorry->dest.forward == proto::ipvs_forward::masq);
  CHECK(p.rules.sorry->inhibit);
  CHECK(p.sorry_name == "198.51.100.99:80");
  CHECK(p.rules.servers.size() == 1);
  CHECK(p.rule_index == std::vector<std::int32_t>{-1, 0});   // in the config's order
  CHECK(p.servers[0].config_index == 1);
  CHECK(p.rules.servers[0].dest.forward == proto::ipvs_forward::route);
}

TEST_CASE("pool config: persistence_granularity of an IPv6 service is a prefix length") {
  auto p = pool("virtual_server 2001:db8::1 80 {\nprotocol TCP\npersistence_timeout 60\npersistence_granularity 64\n"
                "real_server 2001:db8::10 80 { }\n}\n");
  CHECK(p.services[0].netmask == 64);
  CHECK(p.services[0].timeout == 60);
}

TEST_CASE("pool config: hook keys and whom load-balancing hooks run as (settle_lvs_hooks)") {
  auto cfg = config::load_string(R"(
virtual_server 192.0.2.1 80 {
  protocol TCP
  quorum_up "/bin/true" root
  quorum_down "/bin/true" no_such_user_ka_test
  real_server 203.0.113.1 80 {
    notify_up /bin/true
    notify_down "/bin/true" root root
  }
}
)", "t.conf");
  REQUIRE(cfg.virtual_servers.size() == 1);
  act::script_identities ids;
  act::settle_lvs_hooks(cfg, ids);
  const auto& v = cfg.virtual_servers[0];
  CHECK(act::pool_name(v) == "TCP 192.0.2.1:80");
  CHECK(v.quorum_up.command == "/bin/true");
  CHECK(v.quorum_down.command.empty());            // an unknown user: refused, not run
  CHECK(v.real_servers[0].notes->notify_up.command == "/bin/true");
  CHECK(v.real_servers[0].notes->notify_down.command == "/bin/true");
  auto up = ids.hooks.by_hook.find(act::pool_hook_key("TCP 192.0.2.1:80", "quorum_up"));
  REQUIRE(up != ids.hooks.by_hook.end());
  REQUIRE(up->second.has_value());
  CHECK(up->second->uid == 0);
  CHECK(ids.hooks.by_hook.count("virtual_server TCP 192.0.2.1:80 real_server 203.0.113.1:80 notify_down") == 1);
  CHECK(ids.hooks.by_hook.count("virtual_server TCP 192.0.2.1:80 real_server 203.0.113.1:80 notify_up") == 0);
  // The pool actor gives its hooks the same keys.
  auto def = act::pool_of(cfg, v);
  CHECK(def.name == "TCP 192.0.2.1:80");
  CHECK(def.servers[0].name == "203.0.113.1:80");
}

TEST_CASE("pool config: rs_init_notifies comes from global_defs") {
  auto p = pool("global_defs {\n rs_init_notifies\n}\nvirtual_server 192.0.2.1 80 {\nprotocol TCP\nreal_server 203.0.113.1 80 { }\n}\n");
  CHECK(p.rules.rs_init_notifies);
}
