// Virtual MAC interfaces (use_vmac): the pure decisions about them. Which name and MAC
// an instance's macvlan gets, and whether an interface already bearing that name is a
// leftover of ours that may be adopted. No I/O: the kernel actor asks the kernel, this
// decides (kernel/macvlan.hpp creates and removes).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

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

} // namespace ka::proto
