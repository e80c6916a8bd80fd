#include "actors/pool_config.hpp"

#include <algorithm>

namespace ka::act {
namespace {

using config::check_timers;
using fam_t = proto::ip_address::family;

proto::ipvs_protocol protocol_of(config::lvs_protocol p) {
  switch (p) {
    case config::lvs_protocol::tcp: return proto::ipvs_protocol::tcp;
    case config::lvs_protocol::udp: return proto::ipvs_protocol::udp;
    case config::lvs_protocol::sctp: return proto::ipvs_protocol::sctp;
    case config::lvs_protocol::unset: break;
  }
  return proto::ipvs_protocol::none;
}

proto::ipvs_dest dest_of(const config::real_server& r, const config::forwarding& f) {
  proto::ipvs_dest d;
  d.addr = r.addr;
  d.port = r.port;
  d.forward = forward_of(f);
  d.weight = r.weight;
  if (f.method == config::lvs_method::tun) {
    d.tun_type = f.tun_type == config::tunnel_type::gue ? proto::ipvs_tunnel::gue
               : f.tun_type == config::tunnel_type::gre ? proto::ipvs_tunnel::gre
                                                        : proto::ipvs_tunnel::ipip;
    d.tun_port = f.tun_port;
    d.tun_flags = f.tun_flags == config::tunnel_csum::csum      ? proto::ipvs_tun_flag::csum
                : f.tun_flags == config::tunnel_csum::remcsum ? proto::ipvs_tun_flag::remcsum
                                                              : proto::ipvs_tun_flag::nocsum;
  }
  if (r.notes.present()) {
    d.u_threshold = static_cast<std::uint32_t>(std::max(0, r.notes->uthreshold.value_or(0)));
    d.l_threshold = static_cast<std::uint32_t>(std::max(0, r.notes->lthreshold.value_or(0)));
  }
  return d;
}

// The next address (big-endian increment); false when it wrapped.
bool next_address(proto::ip_address& a) {
  for (std::size_t i = a.size(); i-- > 0;)
    if (++a.bytes[i] != 0) return true;
  return false;
}

// A fwmark service's family: ip_family when written, else the real servers' when they
// all share one, else IPv4 (keepalived.conf(5): "Defaults to inet").
fam_t fwmark_family(const config::virtual_server& v, config::ip_family written) {
  if (written == config::ip_family::inet6) return fam_t::v6;
  if (written == config::ip_family::inet) return fam_t::v4;
  bool any = false, all_v6 = true;
  for (const auto& r : v.real_servers) {
    any = true;
    all_v6 = all_v6 && !r.addr.is_v4();
  }
  return any && all_v6 ? fam_t::v6 : fam_t::v4;
}

proto::ipvs_service service_base(const config::virtual_server& v) {
  proto::ipvs_service s;
  s.scheduler = v.sched == config::scheduler::unset ? "wlc" : config::scheduler_name(v.sched);
  s.flags = service_flags(v);
  s.timeout = v.persistence_timeout ? static_cast<std::uint32_t>(std::max(0, *v.persistence_timeout)) : 0;
  s.pe_name = v.persistence_engine;
  return s;
}

} // namespace

proto::ipvs_forward forward_of(const config::forwarding& f) {
  switch (f.method) {
    case config::lvs_method::nat: return proto::ipvs_forward::masq;
    case config::lvs_method::dr: return proto::ipvs_forward::route;
    case config::lvs_method::tun: return proto::ipvs_forward::tunnel;
  }
  return proto::ipvs_forward::masq;
}

std::uint32_t netmask_of(const config::virtual_server& v, fam_t fam) {
  const auto& g = v.persistence_granularity;
  if (fam == fam_t::v4) {
    if (!g || !g->is_v4()) return 0xffffffffu;
    return static_cast<std::uint32_t>(g->bytes[0]) << 24 | static_cast<std::uint32_t>(g->bytes[1]) << 16 |
           static_cast<std::uint32_t>(g->bytes[2]) << 8 | g->bytes[3];
  }
  if (!g || g->is_v4()) return 128;
  std::uint32_t bits = 0;  // the model holds an IPv6 granularity as a mask: count its ones
  for (std::uint8_t b : g->bytes)
    for (int i = 7; i >= 0 && ((b >> i) & 1); --i) ++bits;
  return bits;
}

std::uint32_t service_flags(const config::virtual_server& v) {
  namespace f = proto::ipvs_svc_flag;
  using sf = config::sched_flag;
  std::uint32_t out = 0;
  if (v.persistence_timeout) out |= f::persistent;
  if (v.has(sf::flag_1)) out |= f::sched1;
  if (v.has(sf::flag_2)) out |= f::sched2;
  if (v.has(sf::flag_3)) out |= f::sched3;
  // sh-* and mh-* are flag-1 / flag-2 under another name, for their scheduler only (the
  // parser warns and keeps them otherwise).
  if (v.sched == config::scheduler::sh && v.has(sf::sh_fallback)) out |= f::sched1;
  if (v.sched == config::scheduler::sh && v.has(sf::sh_port)) out |= f::sched2;
  if (v.sched == config::scheduler::mh && v.has(sf::mh_fallback)) out |= f::sched1;
  if (v.sched == config::scheduler::mh && v.has(sf::mh_port)) out |= f::sched2;
  if (v.has(sf::ops)) out |= f::onepacket;
  return out;
}

namespace {
// The service of a virtual_server by fwmark or by address (not by group).
proto::ipvs_service_key key_of(const config::virtual_server& v) {
  proto::ipvs_service_key key;
  if (v.fwmark) {
    key.protocol = proto::ipvs_protocol::none;
    key.fwmark = static_cast<std::uint32_t>(*v.fwmark);
    key.fam = fwmark_family(v, v.family);
  } else if (v.addr) {
    key.protocol = protocol_of(v.protocol);
    key.addr = *v.addr;
    key.fam = v.addr->fam;
    key.port = static_cast<std::uint16_t>(v.port);
  }
  return key;
}
} // namespace

std::string pool_name(const config::virtual_server& v) {
  if (!v.group.empty()) return "group " + v.group;
  return key_of(v).to_string();
}

std::string pool_hook_key(const std::string& pool, const std::string& hook) {
  return "virtual_server " + pool + " " + hook;
}

std::string endpoint_name(const proto::ip_address& a, std::uint16_t port) {
  return a.is_v4() ? a.to_string() + ":" + std::to_string(port) : "[" + a.to_string() + "]:" + std::to_string(port);
}

std::string fifo_endpoint(const proto::ip_address& a, proto::ipvs_protocol p, std::uint16_t port) {
  const char* proto_name = p == proto::ipvs_protocol::tcp    ? "tcp"
                           : p == proto::ipvs_protocol::udp  ? "udp"
                           : p == proto::ipvs_protocol::sctp ? "sctp"
                                                             : "none";
  return "[" + a.to_string() + "]:" + proto_name + ":" + std::to_string(port);
}

pool_definition pool_of(const config::config& all, const config::virtual_server& v) {
  pool_definition def;
  def.name = pool_name(v);
  if (!v.group.empty())
    def.fifo_name = def.name;
  else if (v.fwmark)
    def.fifo_name = "FWM " + std::to_string(*v.fwmark);
  else if (v.addr)
    def.fifo_name = fifo_endpoint(*v.addr, key_of(v).protocol, static_cast<std::uint16_t>(v.port));
  proto::ipvs_protocol rs_proto = v.fwmark ? proto::ipvs_protocol::none : protocol_of(v.protocol);
  proto::ipvs_service base = service_base(v);
  auto add_service = [&](proto::ipvs_service_key key) {
    proto::ipvs_service s = base;
    s.key = key;
    s.netmask = netmask_of(v, key.fam);
    def.services.push_back(std::move(s));
  };
  if (!v.group.empty()) {
    auto g = std::find_if(all.vs_groups.begin(), all.vs_groups.end(),
                          [&](const config::virtual_server_group& x) { return x.name == v.group; });
    if (g == all.vs_groups.end()) {
      def.warnings.push_back("virtual_server_group " + v.group + " is not defined: no service to program");
    } else {
      for (const auto& e : g->entries) {
        proto::ipvs_service_key key;
        if (e.fwmark) {
          key.protocol = proto::ipvs_protocol::none;
          key.fwmark = static_cast<std::uint32_t>(*e.fwmark);
          key.fam = fwmark_family(v, e.family != config::ip_family::unset ? e.family : v.family);
          add_service(key);
          continue;
        }
        if (!e.addr) continue;
        key.protocol = protocol_of(v.protocol);
        key.port = static_cast<std::uint16_t>(e.port);
        proto::ip_address a = *e.addr, last = e.range_end.value_or(*e.addr);
        key.fam = a.fam;
        std::size_t n = 0;
        for (;;) {
          if (n == k_max_group_range) {
            def.warnings.push_back("virtual_server_group " + v.group + ": range from " + e.addr->to_string() +
                                   " cut short after " + std::to_string(n) + " addresses");
            break;
          }
          key.addr = a;
          add_service(key);
          ++n;
          if (!(a < last) || !next_address(a)) break;
        }
      }
    }
  } else {
    if (v.fwmark || v.addr)
      add_service(key_of(v));
    else
      def.warnings.push_back("virtual_server without address, fwmark or group: no service to program");
  }

  auto flag = [](std::initializer_list<const check_timers*> levels, check_timers::item i) {
    for (const auto* t : levels)
      if (auto f = t->flag(i)) return *f;
    return false;
  };
  def.rule_index.assign(v.real_servers.size(), -1);
  for (std::size_t i = 0; i < v.real_servers.size(); ++i) {
    const auto& r = v.real_servers[i];
    if (r.sorry) {  // the last sorry_server written counts
      proto::pool_sorry_settings s;
      s.dest = dest_of(r, v.sorry_server_method.value_or(v.method));
      s.inhibit = v.sorry_server_inhibit;
      def.rules.sorry = s;
      def.sorry_name = endpoint_name(r.addr, r.port);
      continue;
    }
    proto::pool_server_settings s;
    s.dest = dest_of(r, r.method.value_or(v.method));
    s.inhibit = flag({&r.timers, &v.timers}, check_timers::inhibit_on_failure);
    for (const auto& k : r.checkers)
      s.alpha.push_back(flag({&k.timers, &r.timers, &v.timers}, check_timers::alpha));
    def.rule_index[i] = static_cast<std::int32_t>(def.rules.servers.size());
    def.rules.servers.push_back(std::move(s));
    pool_server_info info;
    info.config_index = static_cast<std::uint32_t>(i);
    info.name = endpoint_name(r.addr, r.port);
    info.fifo_name = fifo_endpoint(r.addr, rs_proto, static_cast<std::uint16_t>(r.port));
    if (r.notes.present()) {
      info.notify_up = r.notes->notify_up;
      info.notify_down = r.notes->notify_down;
    }
    def.servers.push_back(std::move(info));
  }
  def.rules.quorum = v.quorum;
  def.rules.hysteresis = v.hysteresis;
  def.rules.omega = v.omega;
  def.rules.rs_init_notifies = all.global.lvs.rs_init_notifies;
  def.quorum_up = v.quorum_up;
  def.quorum_down = v.quorum_down;
  def.ha_suspend = v.ha_suspend;
  return def;
}

std::string vs_name(const config::virtual_server& vs) {
  if (vs.addr) return endpoint_name(*vs.addr, static_cast<std::uint16_t>(vs.port));
  if (vs.fwmark) return "fwmark " + std::to_string(*vs.fwmark);
  return "group " + vs.group;
}

std::string rs_name(const config::real_server& rs) {
  return endpoint_name(rs.addr, static_cast<std::uint16_t>(rs.port));
}

} // namespace ka::act
