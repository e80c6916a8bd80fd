// Listens to rtnetlink link and IPv4/IPv6 address notifications, so that the daemon
// notices an interface going down and a virtual address deleted behind its back.
// Read side only: writes go through route_socket in the kernel actor.
#pragma once
#include <string>
#include <vector>

#include "protocol/ip_address.hpp"

struct nl_sock;

namespace ka::kern {

struct link_event {
  int ifindex = 0;
  std::string name;
  bool up = false;       // false also when the link was deleted
};

struct addr_event {
  int ifindex = 0;
  proto::ip_address addr;
  int prefix_len = 0;
  bool added = false;    // false: RTM_DELADDR
};

class netlink_monitor {
public:
  netlink_monitor();     // throws std::runtime_error
  ~netlink_monitor();
  netlink_monitor(const netlink_monitor&) = delete;
  netlink_monitor& operator=(const netlink_monitor&) = delete;

  int fd() const;        // non-blocking; poll it for POLLIN
  // Drains what is readable. Returns false on a socket error other than EAGAIN
  // (after ENOBUFS the caller should re-read state: events were lost).
  bool read(std::vector<link_event>& links, std::vector<addr_event>& addrs);

  // Every link and address as they are now (a netlink dump on a socket of its own), as
  // link events and `added` address events. False when the dump failed.
  static bool snapshot(std::vector<link_event>& links, std::vector<addr_event>& addrs);

private:
  nl_sock* sock_;
};

} // namespace ka::kern
