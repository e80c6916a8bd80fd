// One virtual_server of the config as its pool actor needs it: the IPVS services it
// programs (one, or one per address of a virtual_server_group's entries), its pool rules
// (protocol/pool_rules.hpp) and the commands its events run. No CAF, no I/O: unit-tested.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "parser/config.hpp"
#include "protocol/ipvs_types.hpp"
#include "protocol/pool_rules.hpp"

namespace ka::act {

// A real server as the pool actor reports it (index: its place in pool_settings::servers).
struct pool_server_info {
  std::uint32_t config_index = 0;   // in virtual_server::real_servers (check_report::server)
  std::string name;                 // "203.0.113.1:80", "[2001:db8::1]:80"
  std::string fifo_name;            // in notify FIFO lines: "[203.0.113.1]:tcp:80"
  config::lvs_command notify_up, notify_down;
};

struct pool_definition {
  std::string name;                 // "TCP 192.0.2.1:80", "FWM 7", "group WEB": logs, status
  std::vector<proto::ipvs_service> services;
  proto::pool_settings rules;
  std::vector<pool_server_info> servers;       // by index in rules.servers
  // By index in virtual_server::real_servers: the index in rules.servers, or -1 for a
  // sorry server (no checker reports on it).
  std::vector<std::int32_t> rule_index;
  std::string sorry_name;           // empty: no sorry server
  // notify_fifo / lvs_notify_fifo lines name it so (keepalived 2.2.7, observed in the VM):
  // "[192.0.2.100]:tcp:80", "FWM 7", a group "group WEB" (a group's form was not observed).
  std::string fifo_name;
  config::lvs_command quorum_up, quorum_down;
  bool ha_suspend = false;
  std::vector<std::string> warnings;  // said once at start-up (a range cut short, an undefined group)
};

// Expansion of a group's address ranges stops here (keepalived's ranges span at most the
// last byte of an IPv4 address or the last 16 bits of an IPv6 one).
inline constexpr std::size_t k_max_group_range = 65536;

pool_definition pool_of(const config::config& all, const config::virtual_server& v);

// The name a pool goes by in logs, the status and its hooks' keys: "TCP 192.0.2.1:80",
// "FWM 7 IPv6", "group WEB".
std::string pool_name(const config::virtual_server& v);
// A pool hook's key for whom it runs as (notify_job::keys, actors/script_users.hpp):
// "virtual_server NAME quorum_up", "virtual_server NAME real_server ADDR:PORT notify_down".
std::string pool_hook_key(const std::string& pool, const std::string& hook);

// The pieces, for tests and for the status.
proto::ipvs_forward forward_of(const config::forwarding& f);
// persistence_granularity as IPVS takes it: an IPv4 mask (host order) or an IPv6 prefix length.
std::uint32_t netmask_of(const config::virtual_server& v, proto::ip_address::family fam);
std::uint32_t service_flags(const config::virtual_server& v);
std::string endpoint_name(const proto::ip_address& a, std::uint16_t port);
// A checker's virtual and real server in logs and status: "192.0.2.1:80",
// "[2001:db8::1]:443", "fwmark 7", "group NAME".
std::string vs_name(const config::virtual_server& vs);
std::string rs_name(const config::real_server& rs);
// keepalived's FIFO form of an endpoint: "[ADDR]:PROTO:PORT", PROTO tcp, udp, sctp, or
// none for a service by fwmark (as its log names those real servers).
std::string fifo_endpoint(const proto::ip_address& a, proto::ipvs_protocol p, std::uint16_t port);

} // namespace ka::act
