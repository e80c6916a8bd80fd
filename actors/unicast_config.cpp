#include "actors/unicast_config.hpp"

namespace ka::act {

std::optional<proto::unicast_settings> unicast_of(const config::config& all,
                                                  const config::vrrp_instance& c) {
  if (c.unicast_peers.empty())
    return std::nullopt;
  proto::unicast_settings s;
  s.check_src = c.check_unicast_src || all.global.vrrp.vrrp_check_unicast_src;
  for (const auto& p : c.unicast_peers) {
    proto::unicast_peer_rule r{p.addr, std::nullopt, std::nullopt};
    if (p.min_ttl) r.min_ttl = static_cast<std::uint8_t>(*p.min_ttl);
    if (p.max_ttl) r.max_ttl = static_cast<std::uint8_t>(*p.max_ttl);
    // keepalived.conf(5): "Specifying min_ttl or max_ttl turns on check_unicast_src".
    if (p.min_ttl || p.max_ttl) s.check_src = true;
    s.peers.push_back(r);
  }
  s.ttl = static_cast<std::uint8_t>(c.unicast_ttl.value_or(proto::vrrp_ttl));
  return s;
}

std::optional<std::string> unicast_fault(const config::vrrp_instance& c) {
  if (c.unicast_fault_no_peer && c.unicast_peers.empty())
    return std::string("unicast_fault_no_peer and no unicast_peer: no one to send adverts to");
  return std::nullopt;
}

std::optional<std::string> unicast_fallback_warning(const config::vrrp_instance& c) {
  if (!c.unicast_peers.empty() || c.unicast_fault_no_peer)
    return std::nullopt;
  if (!c.unicast_src_ip && !c.unicast_ttl && !c.check_unicast_src)
    return std::nullopt;
  return std::string("unicast keywords but no unicast_peer: running multicast, as keepalived "
                     "2.2.7 does (unicast_fault_no_peer would put the instance in FAULT)");
}

std::vector<std::string> unicast_family_warnings(const config::vrrp_instance& c,
                                                 proto::ip_address::family fam) {
  std::vector<std::string> out;
  if (c.unicast_peers.empty())
    return out;
  const char* want = fam == proto::ip_address::family::v4 ? "IPv4" : "IPv6";
  for (const auto& p : c.unicast_peers)
    if (p.addr.fam != fam)
      out.push_back("unicast_peer " + p.addr.to_string() + " is not " + want
                    + " like the instance's addresses: no adverts go to it");
  if (c.unicast_src_ip && c.unicast_src_ip->fam != fam)
    out.push_back("unicast_src_ip " + c.unicast_src_ip->to_string() + " is not " + want
                  + ": the interface's own address is the source instead");
  return out;
}

const proto::ip_address* unicast_source(const config::vrrp_instance& c,
                                        proto::ip_address::family fam) {
  if (c.unicast_peers.empty() || !c.unicast_src_ip || c.unicast_src_ip->fam != fam)
    return nullptr;
  return &*c.unicast_src_ip;
}

} // namespace ka::act
