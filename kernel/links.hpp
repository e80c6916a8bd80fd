// Interfaces and addresses over rtnetlink (libnl-route-3): the synchronous request/ACK
// calls the kernel actor makes. Nothing here is thread-safe: one owner per route_socket.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "protocol/ip_address.hpp"
#include "protocol/route_rule.hpp"

struct nl_sock;

namespace ka::kern {

struct link_info {
  int ifindex = 0;
  std::string name;
  bool up = false;                         // IFF_UP and IFF_RUNNING (carrier)
  std::array<std::uint8_t, 6> mac{};
};

struct address_spec {
  int ifindex = 0;
  proto::ip_address addr;
  int prefix_len = 32;
  std::string label;
  std::optional<proto::ip_address> broadcast;
  int scope = -1;                          // RT_SCOPE_*; -1: kernel default (global)
  // IPv6 only, as keepalived 2.2.7 adds its VIPs (seen with `ip -6 addr` in a lab): no
  // duplicate address detection, so a new master can use the address at once (the
  // backup's copy is gone, and DAD would hold it tentative for a second); a /128 is
  // deprecated (preferred lifetime 0) so that it is never picked as a source address.
  bool nodad = true;
  // use_vmac: the base interface's IPv6 link-local address copied onto the vmac is
  // deprecated too (a /64), as keepalived 2.2.7 adds it; never a source but for VRRP.
  bool deprecated = false;
};

// Parses "host", "link", "site", "global", "nowhere" or a number; -1 when empty/unknown.
int scope_from_name(const std::string& name);

// A libnl socket connected to NETLINK_ROUTE (throws std::runtime_error on failure); the
// caller frees it with nl_socket_free. Shared by route_socket and macvlan_links.
nl_sock* connect_route_socket();

class route_socket {
public:
  route_socket();                          // throws std::runtime_error
  ~route_socket();
  route_socket(const route_socket&) = delete;
  route_socket& operator=(const route_socket&) = delete;

  std::optional<link_info> link(const std::string& name);
  std::optional<link_info> link(int ifindex);
  // The first non-secondary IPv4 address on the interface (the VRRP source address).
  std::optional<proto::ip_address> primary_ipv4(int ifindex);
  // The interface's first usable IPv6 link-local address (fe80::/10, DAD done): the
  // source of VRRPv3 adverts over IPv6 (RFC 5798 5.1.2.1). A tentative address cannot
  // be sent from yet; the address event at the end of DAD brings it.
  std::optional<proto::ip_address> link_local_ipv6(int ifindex);

  // 0 on success, else a negative libnl error; `err` gets the kernel's reason.
  // del_address returns no_such_address when the address is not on the interface.
  static constexpr int no_such_address = -19;  // -NLE_NOADDR (EADDRNOTAVAIL)
  static constexpr int no_such_device = -31;   // -NLE_NODEV: use_vmac, a vmac deleted by hand
  int add_address(const address_spec& spec, std::string* err);
  int del_address(const address_spec& spec, std::string* err);

  // routes-vmac (kernel/routes.cpp): virtual_routes and virtual_rules. Same return codes;
  // adding what is already there is success (already_there), deleting what is not there
  // returns no_such_object. A rule without an address gets `fam`.
  static constexpr int already_there = 1;
  static constexpr int no_such_object = -12;  // -NLE_OBJ_NOTFOUND (ESRCH, ENOENT)
  int add_route(const proto::route_desc& r, std::string* err);
  int del_route(const proto::route_desc& r, std::string* err);
  int add_rule(const proto::rule_desc& r, proto::ip_address::family fam, std::string* err);
  int del_rule(const proto::rule_desc& r, proto::ip_address::family fam, std::string* err);

private:
  nl_sock* sock_;
};

} // namespace ka::kern
