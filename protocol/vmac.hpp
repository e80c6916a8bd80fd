// Virtual MAC interfaces (use_vmac): the pure decisions about them. Which name and MAC
// an instance's macvlan gets, and whether an interface already bearing that name is a
// leftover of ours that may be adopted. No I/O: the kernel actor asks the kernel, this
// decides (kernel/macvlan.hpp creates and removes).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/ip_address.hpp"
#include "protocol/mac_address.hpp"

namespace ka::proto {

// Longest interface name the kernel takes (IFNAMSIZ 16, less the terminating NUL).
constexpr std::size_t max_ifname = 15;

// The macvlan's name: use_vmac's NAME when given, else PREFIX.VRID with global_defs
// vmac_prefix as PREFIX ("vrrp" when unset), as keepalived 2.2.7 names them (vrrp.51).
std::string vmac_name(const std::string& configured, const std::string& prefix, unsigned vrid);

// The macvlan's MAC: use_vmac's MAC when given (5 octets: the VRID is the sixth), else the
// virtual router MAC of the family (00:00:5e:00:01:VRID, 00:00:5e:00:02:VRID). `configured`
// is as the parser keeps it: lower-case xx:xx:xx:xx:xx[:xx]; nullopt when it is not that.
std::optional<mac_address> vmac_mac(const std::string& configured, ip_address::family fam,
                                    std::uint8_t vrid);

std::string to_string(const mac_address& mac);  // "00:00:5e:00:01:33"

// What an interface found under the vmac's name is, as the kernel describes it.
struct existing_link {
  std::string kind;          // IFLA_INFO_KIND: "macvlan", "veth", "" (none)...
  int lower_ifindex = 0;     // IFLA_LINK: the interface it sits on (0: none)
  mac_address mac{};
};

// Whether such an interface may be taken as the instance's vmac: only a macvlan on the
// instance's interface with the vmac's MAC, which is what a crash of ours leaves behind.
// Anything else belongs to someone else: nullopt means adopt, else the reason not to.
std::optional<std::string> adoption_refusal(const existing_link& found, int base_ifindex,
                                            const mac_address& want);

// ---- vmacs for addresses (use_vmac on an address, use_vmac_addr) ----
// An address of virtual_ipaddress / virtual_ipaddress_excluded as far as its vmac goes.
struct address_side {
  std::string dev;             // empty: the instance's interface
  ip_address::family fam = ip_address::family::v4;
  bool use_vmac = false;       // `use_vmac` written on the address
};

// One vmac an instance makes for addresses: on `base` (an interface name), for `fam`.
struct address_vmac {
  std::string base;
  ip_address::family fam = ip_address::family::v4;
  std::string name;
  mac_address mac{};
};

struct address_vmac_plan {
  std::vector<address_vmac> vmacs;
  // Per address, in order: the index of its vmac in `vmacs`, or -1 when it stays where
  // the instance's addresses go (its own vmac with use_vmac, else its interface).
  std::vector<int> of_address;
};

// What the instance needs besides its own vmac, as keepalived 2.2.7 does it (watched in a
// lab; README, "Virtual MAC interfaces"): an address gets a vmac when it says use_vmac,
// unless it lies where the instance's own vmac is (the instance's interface and family);
// with use_vmac_addr, every address on another interface or of the other family gets
// one. One vmac per (interface, family), with that family's virtual router MAC for the
// VRID, named PREFIX.VRID or, when an earlier vmac of the instance (its own first) has that
// name, PREFIX6.VRID for an IPv6 address, else PREFIXn.VRID with the first free n from 1.
// `instance_vmac`: the instance's own vmac's name, empty without use_vmac; `prefix`:
// vmac_addr_prefix_of()'s.
address_vmac_plan plan_address_vmacs(const std::string& iface, ip_address::family fam,
                                     const std::string& instance_vmac, bool use_vmac_addr,
                                     const std::string& prefix, std::uint8_t vrid,
                                     const std::vector<address_side>& addrs);

// global_defs vmac_addr_prefix, else vmac_prefix, else "vrrp" (keepalived.conf(5)).
std::string vmac_addr_prefix_of(const std::string& vmac_addr_prefix, const std::string& vmac_prefix);

} // namespace ka::proto
