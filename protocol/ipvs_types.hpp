// IPVS services and destinations as plain values: what a pool actor wants in the kernel,
// what the kernel actor writes over generic netlink (kernel/ipvs.hpp) and what a dump
// reads back. Pure: no netlink here, so pool rules and diffs are testable on their own.
// Numeric values are the kernel's (linux/ip_vs.h), so the codec copies them unchanged.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/ip_address.hpp"

namespace ka::proto {

// IPPROTO_* of a service by address; 0 for a service by fwmark.
enum class ipvs_protocol : std::uint16_t { none = 0, tcp = 6, udp = 17, sctp = 132 };

// A service's identity: (family, protocol, address, port) or (family, fwmark).
struct ipvs_service_key {
  ip_address::family fam = ip_address::family::v4;
  ipvs_protocol protocol = ipvs_protocol::tcp;
  ip_address addr;                 // unused for a fwmark service
  std::uint16_t port = 0;          // host order
  std::uint32_t fwmark = 0;        // non-zero: a service by fwmark
  bool by_fwmark() const { return fwmark != 0; }
  std::string to_string() const;   // "TCP 192.0.2.1:80", "FWM 7 IPv6", for logs and errors
  friend bool operator==(const ipvs_service_key& a, const ipvs_service_key& b) {
    return a.fam == b.fam && a.protocol == b.protocol && a.addr == b.addr && a.port == b.port &&
           a.fwmark == b.fwmark;
  }
  friend bool operator<(const ipvs_service_key& a, const ipvs_service_key& b);
};

// IP_VS_SVC_F_* flags.
namespace ipvs_svc_flag {
inline constexpr std::uint32_t persistent = 0x0001;
inline constexpr std::uint32_t hashed = 0x0002;      // set by the kernel, never by us (a dump drops it)
inline constexpr std::uint32_t onepacket = 0x0004;   // ops
inline constexpr std::uint32_t sched1 = 0x0008;      // flag-1, sh-fallback, mh-fallback
inline constexpr std::uint32_t sched2 = 0x0010;      // flag-2, sh-port, mh-port
inline constexpr std::uint32_t sched3 = 0x0020;      // flag-3
}

struct ipvs_service {
  ipvs_service_key key;
  std::string scheduler = "wlc";   // the kernel module's name without ip_vs_
  std::uint32_t flags = 0;         // ipvs_svc_flag bits
  std::uint32_t timeout = 0;       // persistence_timeout, seconds (with flags.persistent)
  // persistence_granularity: IPv4 mask (host order), or IPv6 prefix length; all ones, the
  // default, is the whole address in both (kernel/ipvs_msg.cpp sends 128 for IPv6).
  std::uint32_t netmask = 0xffffffff;
  std::string pe_name;             // persistence_engine, e.g. "sip"; empty: none
  friend bool operator==(const ipvs_service& a, const ipvs_service& b) {
    return a.key == b.key && a.scheduler == b.scheduler && a.flags == b.flags &&
           a.timeout == b.timeout && a.netmask == b.netmask && a.pe_name == b.pe_name;
  }
};

// IP_VS_CONN_F_FWD_MASK values.
enum class ipvs_forward : std::uint32_t { masq = 0, local = 1, tunnel = 2, route = 3, bypass = 4 };
// IP_VS_CONN_F_TUNNEL_TYPE_* and IP_VS_TUNNEL_ENCAP_FLAG_*.
enum class ipvs_tunnel : std::uint8_t { ipip = 0, gue = 1, gre = 2 };
namespace ipvs_tun_flag {
inline constexpr std::uint16_t nocsum = 0x0000;
inline constexpr std::uint16_t csum = 0x0001;
inline constexpr std::uint16_t remcsum = 0x0002;
}

struct ipvs_dest {
  ip_address addr;                 // its family may differ from the service's (tunnels)
  std::uint16_t port = 0;          // host order
  ipvs_forward forward = ipvs_forward::masq;
  int weight = 1;                  // 0: in the table but given no new connections
  std::uint32_t u_threshold = 0, l_threshold = 0;
  ipvs_tunnel tun_type = ipvs_tunnel::ipip;
  std::uint16_t tun_port = 0;      // gue, host order
  std::uint16_t tun_flags = 0;     // ipvs_tun_flag bits
  friend bool operator==(const ipvs_dest& a, const ipvs_dest& b) {
    return a.addr == b.addr && a.port == b.port && a.forward == b.forward && a.weight == b.weight &&
           a.u_threshold == b.u_threshold && a.l_threshold == b.l_threshold &&
           a.tun_type == b.tun_type && a.tun_port == b.tun_port && a.tun_flags == b.tun_flags;
  }
  // Same destination (address and port), whatever its settings.
  bool same_endpoint(const ipvs_dest& o) const { return addr == o.addr && port == o.port; }
};

// The kernel's counters of a service or destination (IPVS_STATS_ATTR_* / _STATS64_*).
struct ipvs_stats {
  std::uint64_t conns = 0, inpkts = 0, outpkts = 0, inbytes = 0, outbytes = 0;
  std::uint64_t cps = 0, inpps = 0, outpps = 0, inbps = 0, outbps = 0;
};

// One write to the kernel's table. For a destination op, `service` names the service
// (only its key matters) and `dest` the destination.
struct ipvs_op {
  enum class kind : std::uint8_t { add_service, edit_service, del_service, add_dest, edit_dest, del_dest };
  kind what = kind::add_service;
  ipvs_service service;
  ipvs_dest dest;
};
const char* ipvs_op_name(ipvs_op::kind k);   // "add service", ..., for errors

// A dump: a service with its destinations and counters, as the kernel has them.
struct ipvs_dest_state {
  ipvs_dest dest;
  std::uint32_t active_conns = 0, inactive_conns = 0, persist_conns = 0;
  ipvs_stats stats;
};
struct ipvs_service_state {
  ipvs_service service;
  ipvs_stats stats;
  std::vector<ipvs_dest_state> dests;
};

// An error of one op, with the service (and destination) it was about.
struct ipvs_error {
  ipvs_op op;
  int err = 0;                     // errno from the kernel's ACK
  std::string message;             // "add dest 203.0.113.2:80 to TCP 192.0.2.1:80: File exists"
};

} // namespace ka::proto
