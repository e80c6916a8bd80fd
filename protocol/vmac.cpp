#include "protocol/vmac.hpp"

#include <algorithm>
#include <cstdio>

namespace ka::proto {

std::string vmac_name(const std::string& configured, const std::string& prefix, unsigned vrid) {
  if (!configured.empty())
    return configured;
  return (prefix.empty() ? std::string("vrrp") : prefix) + "." + std::to_string(vrid);
}

std::optional<mac_address> vmac_mac(const std::string& configured, ip_address::family fam,
                                    std::uint8_t vrid) {
  if (configured.empty())
    return vrrp_virtual_mac(fam, vrid);
  mac_address mac{};
  std::size_t octets = 0, pos = 0;
  while (pos < configured.size() && octets < 6) {
    if (pos + 2 > configured.size())
      return std::nullopt;
    unsigned v = 0;
    for (std::size_t k = pos; k < pos + 2; ++k) {
      char c = configured[k];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0)
        return std::nullopt;
      v = v * 16 + static_cast<unsigned>(d);
    }
    mac[octets++] = static_cast<std::uint8_t>(v);
    pos += 2;
    if (pos < configured.size() && configured[pos++] != ':')
      return std::nullopt;
  }
  if (pos != configured.size() || (octets != 5 && octets != 6))
    return std::nullopt;
  if (octets == 5)
    mac[5] = vrid;  // keepalived.conf(5): five octets, the VRID completes them
  return mac;
}

std::string to_string(const mac_address& m) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
  return buf;
}

std::optional<std::string> adoption_refusal(const existing_link& found, int base_ifindex,
                                            const mac_address& want) {
  if (found.kind != "macvlan")
    return "it is " + (found.kind.empty() ? std::string("not a macvlan (no link kind)")
                                          : "a " + found.kind + ", not a macvlan");
  if (found.lower_ifindex != base_ifindex)
    return "it is a macvlan on ifindex " + std::to_string(found.lower_ifindex)
           + ", not on the instance's interface (ifindex " + std::to_string(base_ifindex) + ")";
  if (found.mac != want)
    return "its MAC is " + to_string(found.mac) + ", not " + to_string(want);
  return std::nullopt;
}

std::string vmac_addr_prefix_of(const std::string& vmac_addr_prefix, const std::string& vmac_prefix) {
  if (!vmac_addr_prefix.empty())
    return vmac_addr_prefix;
  return vmac_prefix.empty() ? std::string("vrrp") : vmac_prefix;
}

address_vmac_plan plan_address_vmacs(const std::string& iface, ip_address::family fam,
                                     const std::string& instance_vmac, bool use_vmac_addr,
                                     const std::string& prefix, std::uint8_t vrid,
                                     const std::vector<address_side>& addrs) {
  address_vmac_plan plan;
  std::vector<std::string> taken;
  if (!instance_vmac.empty())
    taken.push_back(instance_vmac);
  auto is_taken = [&](const std::string& name) {
    return std::find(taken.begin(), taken.end(), name) != taken.end();
  };
  const std::string suffix = "." + std::to_string(vrid);
  auto free_name = [&](bool v6) {
    if (!is_taken(prefix + suffix))
      return prefix + suffix;
    if (v6 && !is_taken(prefix + "6" + suffix))
      return prefix + "6" + suffix;
    std::string name;
    for (unsigned n = 1; is_taken(name = prefix + std::to_string(n) + suffix); ++n) {
    }
    return name;
  };
  for (const auto& a : addrs) {
    const std::string& dev = a.dev.empty() ? iface : a.dev;
    bool own_place = dev == iface && a.fam == fam;
    bool wants = a.use_vmac ? !(own_place && !instance_vmac.empty()) : use_vmac_addr && !own_place;
    if (!wants) {
      plan.of_address.push_back(-1);
      continue;
    }
    auto same = std::find_if(plan.vmacs.begin(), plan.vmacs.end(),
                             [&](const address_vmac& v) { return v.base == dev && v.fam == a.fam; });
    if (same != plan.vmacs.end()) {
      plan.of_address.push_back(static_cast<int>(same - plan.vmacs.begin()));
      continue;
    }
    address_vmac v;
    v.base = dev;
    v.fam = a.fam;
    v.name = free_name(a.fam == ip_address::family::v6);
    v.mac = vrrp_virtual_mac(a.fam, vrid);
    taken.push_back(v.name);
    plan.of_address.push_back(static_cast<int>(plan.vmacs.size()));
    plan.vmacs.push_back(std::move(v));
  }
  return plan;
}

} // namespace ka::proto
