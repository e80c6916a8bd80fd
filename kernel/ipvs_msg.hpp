// IPVS generic-netlink messages (linux/ip_vs.h, family "IPVS"), built and read with libmnl,
// without a socket: kernel/ipvs.hpp sends them, and tests/unit/test_ipvs_msg.cpp checks
// every attribute both ways. Requests carry the same nested attributes that the kernel's
// replies carry, so a built request parses back into the value it came from.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/ipvs_types.hpp"

struct nlmsghdr;

namespace ka::kern::ipvs_msg {

// One netlink message, finished (nlmsg_len set), ready for send() or for parsing.
using bytes = std::vector<std::uint8_t>;
inline const nlmsghdr* header(const bytes& b) { return reinterpret_cast<const nlmsghdr*>(b.data()); }

// Connection timeouts (ipvsadm --set; keepalived's lvs_timeouts), seconds; 0 leaves the
// kernel's value unchanged.
struct timeouts {
  std::uint32_t tcp = 0, tcp_fin = 0, udp = 0;
  friend bool operator==(const timeouts& a, const timeouts& b) {
    return a.tcp == b.tcp && a.tcp_fin == b.tcp_fin && a.udp == b.udp;
  }
};

// A connection-sync daemon (keepalived's lvs_sync_daemon): IP_VS_STATE_MASTER or _BACKUP.
struct sync_daemon {
  std::uint32_t state = 1;          // 1 master, 2 backup
  std::string ifname;               // multicast interface
  std::uint32_t sync_id = 0;
  std::uint16_t maxlen = 0;         // UDP payload size; 0: the kernel's default
  std::optional<proto::ip_address> group;  // multicast group; none: the kernel's default
  std::uint16_t port = 0;           // 0: the kernel's default (8848)
  std::uint8_t ttl = 0;             // 0: the kernel's default (1)
  friend bool operator==(const sync_daemon& a, const sync_daemon& b) {
    return a.state == b.state && a.ifname == b.ifname && a.sync_id == b.sync_id &&
           a.maxlen == b.maxlen && a.group == b.group && a.port == b.port && a.ttl == b.ttl;
  }
};

// ---- requests ----
// nlctrl's CTRL_CMD_GETFAMILY for "IPVS": the answer carries the family's id.
bytes get_family(std::uint32_t seq);
// One write: NEW/SET/DEL_SERVICE or NEW/SET/DEL_DEST, with NLM_F_ACK.
bytes op(std::uint16_t family, std::uint32_t seq, const proto::ipvs_op& o);
// Dumps: every service; every destination of one service.
bytes dump_services(std::uint16_t family, std::uint32_t seq);
bytes dump_dests(std::uint16_t family, std::uint32_t seq, const proto::ipvs_service_key& key);
// IPVS_CMD_GET_SERVICE of one service by its key (not a dump), with NLM_F_ACK: the service's
// message then the ack, or ESRCH when the kernel has no such service.
bytes get_service(std::uint16_t family, std::uint32_t seq, const proto::ipvs_service_key& key);
// IPVS_CMD_SET_CONFIG / GET_CONFIG.
bytes set_timeouts(std::uint16_t family, std::uint32_t seq, const timeouts& t);
bytes get_timeouts(std::uint16_t family, std::uint32_t seq);
// IPVS_CMD_NEW_DAEMON / DEL_DAEMON (by state) / GET_DAEMON (a dump).
bytes new_daemon(std::uint16_t family, std::uint32_t seq, const sync_daemon& d);
bytes del_daemon(std::uint16_t family, std::uint32_t seq, std::uint32_t state);
bytes dump_daemons(std::uint16_t family, std::uint32_t seq);
// IPVS_CMD_FLUSH: every service (and so every destination) of the table, whoever made it
// (keepalived's lvs_flush and lvs_flush_on_stop).
bytes flush(std::uint16_t family, std::uint32_t seq);

// ---- replies (and requests: the same attributes) ----
// The genetlink command of a message (IPVS_CMD_*), or -1 when it is too short.
int command(const nlmsghdr* nlh);
// The IPVS family id in a CTRL_CMD_NEWFAMILY answer.
std::optional<std::uint16_t> family_id(const nlmsghdr* nlh);
// A message's IPVS_CMD_ATTR_SERVICE: the service with its counters (64-bit ones when the
// kernel sends them). `dests` stays empty. nullopt, with *err, when it is malformed.
std::optional<proto::ipvs_service_state> service(const nlmsghdr* nlh, std::string* err = nullptr);
// A message's IPVS_CMD_ATTR_DEST, with connection numbers and counters; a destination
// without IPVS_DEST_ATTR_ADDR_FAMILY (kernels before 4.x) has `service_family`.
std::optional<proto::ipvs_dest_state> dest(const nlmsghdr* nlh, proto::ip_address::family service_family,
                                           std::string* err = nullptr);
std::optional<timeouts> parse_timeouts(const nlmsghdr* nlh);
std::optional<sync_daemon> parse_daemon(const nlmsghdr* nlh);

} // namespace ka::kern::ipvs_msg
