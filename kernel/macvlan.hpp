// use_vmac's interfaces: macvlan links over rtnetlink (libnl-route-3's rtnl_link_macvlan_*)
// and the sysctls that make them answer ARP for the virtual addresses, as keepalived
// 2.2.7 sets them (observed in a lab; README, "Virtual MAC interfaces"). The kernel actor
// is the only user. Nothing here is thread-safe: one owner per macvlan_links.
#pragma once
#include <optional>
#include <string>

#include "protocol/vmac.hpp"

struct nl_sock;

namespace ka::kern {

struct found_link {
  int ifindex = 0;
  bool up = false;                         // IFF_UP and IFF_RUNNING
  proto::existing_link what;               // kind, lower interface, MAC
};

class macvlan_links {
public:
  macvlan_links();                         // throws std::runtime_error
  ~macvlan_links();
  macvlan_links(const macvlan_links&) = delete;
  macvlan_links& operator=(const macvlan_links&) = delete;

  // The interface called `name`, if any, with its kind, lower interface and MAC.
  std::optional<found_link> find(const std::string& name);
  std::optional<found_link> find(int ifindex, std::string* name);

  // A macvlan in private mode (macvlans of one interface do not hear each other, as
  // keepalived makes them) on `base_ifindex` with `mac`, created down. 0 or -libnl error.
  int create(const std::string& name, int base_ifindex, const proto::mac_address& mac,
             std::string* err);
  int set_up(int ifindex, std::string* err);
  int remove(int ifindex, std::string* err);

  // Before the vmac goes up: no IPv6 address generated from its MAC (the same on every
  // router of the VRID, so DAD would fail), and for an IPv4 instance no IPv6 at all; the
  // vmac answers ARP only for its own addresses (arp_ignore 1), accepts packets from local
  // sources (accept_local 1) without reverse-path filtering (rp_filter 0) and promotes
  // secondaries; the base interface stops answering ARP for the vmac's addresses
  // (arp_ignore 1, arp_filter 1). keepalived leaves the base's two as set at exit: so do we.
  // Returns what could not be written ("" when all went in).
  static std::string set_sysctls(const std::string& vmac, const std::string& base, bool v4);

private:
  nl_sock* sock_;
};

} // namespace ka::kern
