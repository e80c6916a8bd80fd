// The LVS side: virtual_server_group, virtual_server (by address, fwmark or group),
// real_server, sorry_server and the SSL block (the checkers: validate_checkers.cpp).
// None is acted on yet. Timers and retries may be set at each level; the model keeps
// what each level wrote.
#include <climits>
#include <map>
#include <tuple>

#include "parser/validate_lvs.hpp"

namespace ka::config::detail {
namespace {

// NAT|DR|TUN [type {ipip|gue port N|gre}] [nocsum|csum|remcsum]; keepalived's rules:
// gue needs a port and only gue has one, gre has no remcsum.
forwarding method_arg(context& c, const node& n) {
  const word& w = arg(n, 0);
  forwarding f;
  if (w.text == "NAT" || w.text == "DR") {
    f.method = w.text == "NAT" ? lvs_method::nat : lvs_method::dr;
    if (n.args.size() > 1) fail(n.args[1].where, q(n.args[1].text), "end of line after " + w.text);
    return f;
  }
  if (w.text != "TUN") fail(w.where, q(w.text), "NAT, DR or TUN for " + n.keyword.text);
  f.method = lvs_method::tun;
  std::size_t i = 1;
  if (i < n.args.size() && n.args[i].text == "type") {
    const word& t = arg(n, ++i);
    if (t.text == "ipip") f.tun_type = tunnel_type::ipip;
    else if (t.text == "gue") f.tun_type = tunnel_type::gue;
    else if (t.text == "gre") f.tun_type = tunnel_type::gre;
    else fail(t.where, q(t.text), "a tunnel type (ipip, gue or gre) after type");
    ++i;
    if (i < n.args.size() && n.args[i].text == "port") {
      if (f.tun_type != tunnel_type::gue) fail(n.args[i].where, q("port"), "no port for a " + t.text + " tunnel (gue only)");
      f.tun_port = static_cast<std::uint16_t>(port_arg(n, i + 1));
      if (f.tun_port == 0) fail(n.args[i + 1].where, q(n.args[i + 1].text), "a port 1..65535 for the gue tunnel");
      i += 2;
    } else if (f.tun_type == tunnel_type::gue) {
      fail(i < n.args.size() ? n.args[i].where : t.where, i < n.args.size() ? q(n.args[i].text) : q("gue") + " at end of line",
           "port N after type gue");
    }
  }
  if (i < n.args.size()) {
    const word& k = n.args[i];
    if (k.text == "nocsum") f.tun_flags = tunnel_csum::nocsum;
    else if (k.text == "csum") f.tun_flags = tunnel_csum::csum;
    else if (k.text == "remcsum") f.tun_flags = tunnel_csum::remcsum;
    else fail(k.where, q(k.text), f.tun_type == tunnel_type::unset ? "type, nocsum, csum or remcsum after TUN" : "nocsum, csum or remcsum");
    if (f.tun_flags == tunnel_csum::remcsum && f.tun_type == tunnel_type::gre)
      fail(k.where, q(k.text), "nocsum or csum (gre tunnels have no remcsum)");
    ++i;
  }
  no_more_args(c, n, i);
  return f;
}

// COMMAND [USER [GROUP]]
lvs_command command_arg(context& c, const node& n) {
  lvs_command cmd{arg(n, 0).text, {}, {}};
  if (n.args.size() > 1) cmd.user = n.args[1].text;
  if (n.args.size() > 2) cmd.group = n.args[2].text;
  no_more_args(c, n, 3);
  return cmd;
}

// IPADDR [PORT] of real_server/sorry_server/virtual_server.
template <class Port>
void address_port(const node& n, proto::ip_address& addr, Port& port) {
  addr = address_arg(n, arg(n, 0));
  if (n.args.size() > 1) port = static_cast<Port>(port_arg(n, 1));
}

// ---- real_server, sorry_server
using rs = real_server;
using rn = real_server_notes;

void r_method(context& c, real_server& r, const node& n) { r.method = method_arg(c, n); }

template <auto M>
void r_command(context& c, real_server& r, const node& n) { r.notes.write().*M = command_arg(c, n); }
template <auto M>
void r_text(context& c, real_server& r, const node& n) { text_field<rn, M>(c, r.notes.write(), n); }
template <auto M>
void r_threshold(context& c, real_server& r, const node& n) { uint_field<rn, M, 0, INT_MAX>(c, r.notes.write(), n); }

constexpr handler<real_server> k_real_server[] = {
    {"weight", uint_field<rs, &rs::weight, 0, 65535>},
    {"lvs_method", r_method},
    {"notify_up", r_command<&rn::notify_up>},
    {"notify_down", r_command<&rn::notify_down>},
    {"uthreshold", r_threshold<&rn::uthreshold>},
    {"lthreshold", r_threshold<&rn::lthreshold>},
    {"virtualhost", r_text<&rn::virtualhost>},
    {"snmp_name", r_text<&rn::snmp_name>},
    {"smtp_alert", timer_flag<rs, ti::smtp_alert>},
    {"alpha", timer_flag<rs, ti::alpha>},
    {"inhibit_on_failure", timer_flag<rs, ti::inhibit_on_failure>},
    {"connect_timeout", timer_secs<rs, ti::connect_timeout>},
    {"delay_before_retry", timer_secs<rs, ti::delay_before_retry>},
    {"warmup", timer_secs<rs, ti::warmup>},
    {"delay_loop", timer_secs<rs, ti::delay_loop>},
    {"retry", timer_retry<rs>},
    {"TCP_CHECK", checker_block, block_use::required},
    {"HTTP_GET", checker_block, block_use::required},
    {"SSL_GET", checker_block, block_use::required},
    {"MISC_CHECK", checker_block, block_use::required},
    {"SMTP_CHECK", checker_block, block_use::required},
    {"DNS_CHECK", checker_block, block_use::required},
    {"UDP_CHECK", checker_block, block_use::required},
    {"PING_CHECK", checker_block, block_use::required},
    {"FILE_CHECK", checker_block, block_use::required},
    {"BFD_CHECK", checker_block, block_use::required},
};

// ---- virtual_server
using vsv = virtual_server;

// The enumerator named `text` among first..last (by their names), if any.
template <class E>
std::optional<E> named(const std::string& text, E first, E last, const char* (*name)(E)) {
  for (int e = static_cast<int>(first); e <= static_cast<int>(last); ++e)
    if (text == name(static_cast<E>(e))) return static_cast<E>(e);
  return std::nullopt;
}

void v_sched(context& c, virtual_server& v, const node& n) {
  const word& w = arg(n, 0);
  auto s = named(w.text, scheduler::rr, scheduler::twos, scheduler_name);
  if (!s) fail(w.where, q(w.text), "a scheduler (rr, wrr, lc, wlc, lblc, sh, mh, dh, fo, ovf, lblcr, sed, nq, twos) for " + n.keyword.text);
  v.sched = *s;
  no_more_args(c, n, 1);
}

template <sched_flag F>
void v_flag(context& c, virtual_server& v, const node& n) {
  v.sched_flags = static_cast<std::uint8_t>(v.sched_flags | 1u << static_cast<int>(F));
  no_args(c, n);
}

void v_method(context& c, virtual_server& v, const node& n) { v.method = method_arg(c, n); }
void v_sorry_method(context& c, virtual_server& v, const node& n) { v.sorry_server_method = method_arg(c, n); }

// A netmask: IPv4 dotted (keepalived reads any address form, contiguous or not), IPv6 a
// prefix length 1..128. A virtual server by fwmark or group may have either.
void v_granularity(context& c, virtual_server& v, const node& n) {
  const word& w = arg(n, 0);
  bool v4_ok = !v.addr || v.addr->is_v4(), v6_ok = !v.addr || !v.addr->is_v4();
  auto mask = proto::ip_address::parse(w.text);
  auto prefix = parse_uint(w.text);
  if (v4_ok && mask && mask->is_v4()) {
    v.persistence_granularity = *mask;
  } else if (v6_ok && prefix && *prefix >= 1 && *prefix <= 128) {
    proto::ip_address m;
    m.fam = proto::ip_address::family::v6;
    for (long long bit = 0; bit < *prefix; ++bit) m.bytes[bit / 8] = static_cast<std::uint8_t>(m.bytes[bit / 8] | 0x80 >> bit % 8);
    v.persistence_granularity = m;
  } else {
    fail(w.where, q(w.text), v4_ok && v6_ok ? "an IPv4 netmask or an IPv6 prefix length 1..128 for persistence_granularity"
                             : v4_ok        ? "an IPv4 netmask (e.g. 255.255.255.0) for persistence_granularity"
                                            : "an IPv6 prefix length 1..128 for persistence_granularity");
  }
  no_more_args(c, n, 1);
}

void v_persistence_timeout(context& c, virtual_server& v, const node& n) {
  v.persistence_timeout = n.args.empty() ? 360 : static_cast<int>(integer_arg(n, 0, 1, INT_MAX));
  no_more_args(c, n, 1);
}

template <auto M>
void v_command(context& c, virtual_server& v, const node& n) { v.*M = command_arg(c, n); }

void v_protocol(context& c, virtual_server& v, const node& n) {
  const word& w = arg(n, 0);
  auto p = named(w.text, lvs_protocol::tcp, lvs_protocol::sctp, lvs_protocol_name);
  if (!p) fail(w.where, q(w.text), "TCP, UDP or SCTP for protocol");
  v.protocol = *p;
  no_more_args(c, n, 1);
}

void v_ip_family(context& c, virtual_server& v, const node& n) {
  const word& w = arg(n, 0);
  auto f = named(w.text, ip_family::inet, ip_family::inet6, ip_family_name);
  if (!f) fail(w.where, q(w.text), "inet or inet6 for ip_family");
  v.family = *f;
  no_more_args(c, n, 1);
}

void v_omega(context& c, virtual_server& v, const node& n) {
  v.omega = true;
  no_args(c, n);
}

void v_real_server(context& c, virtual_server& v, const node& n) {
  real_server r;
  r.where = n.keyword.where;
  address_port(n, r.addr, r.port);
  no_more_args(c, n, 2);
  dispatch(c, "real_server", r, n.children, k_real_server);
  v.real_servers.push_back(std::move(r));
}

void v_sorry_server(context& c, virtual_server& v, const node& n) {
  real_server r;
  r.where = n.keyword.where;
  r.sorry = true;
  address_port(n, r.addr, r.port);
  no_more_args(c, n, 2);
  v.real_servers.push_back(std::move(r));
}

constexpr handler<virtual_server> k_virtual_server[] = {
    {"lvs_sched", v_sched},
    {"flag-1", v_flag<sched_flag::flag_1>}, {"flag-2", v_flag<sched_flag::flag_2>}, {"flag-3", v_flag<sched_flag::flag_3>},
    {"sh-port", v_flag<sched_flag::sh_port>}, {"sh-fallback", v_flag<sched_flag::sh_fallback>},
    {"mh-port", v_flag<sched_flag::mh_port>}, {"mh-fallback", v_flag<sched_flag::mh_fallback>},
    {"ops", v_flag<sched_flag::ops>},
    {"lvs_method", v_method},
    {"persistence_engine", text_field<vsv, &vsv::persistence_engine>},
    {"persistence_timeout", v_persistence_timeout},
    {"persistence_granularity", v_granularity},
    {"protocol", v_protocol},
    {"ha_suspend", flag_field<vsv, &vsv::ha_suspend>},
    {"smtp_alert", timer_flag<vsv, ti::smtp_alert>},
    {"virtualhost", text_field<vsv, &vsv::virtualhost>},
    {"snmp_name", text_field<vsv, &vsv::snmp_name>},
    {"alpha", timer_flag<vsv, ti::alpha>},
    {"omega", v_omega},
    {"quorum", uint_field<vsv, &vsv::quorum, 1, INT_MAX>},
    {"hysteresis", uint_field<vsv, &vsv::hysteresis, 0, INT_MAX>},
    {"quorum_up", v_command<&vsv::quorum_up>},
    {"quorum_down", v_command<&vsv::quorum_down>},
    {"ip_family", v_ip_family},
    {"sorry_server", v_sorry_server},
    {"sorry_server_inhibit", flag_field<vsv, &vsv::sorry_server_inhibit>},
    {"sorry_server_lvs_method", v_sorry_method},
    {"connect_timeout", timer_secs<vsv, ti::connect_timeout>},
    {"delay_before_retry", timer_secs<vsv, ti::delay_before_retry>},
    {"warmup", timer_secs<vsv, ti::warmup>},
    {"delay_loop", timer_secs<vsv, ti::delay_loop>},
    {"retry", timer_retry<vsv>},
    {"inhibit_on_failure", timer_flag<vsv, ti::inhibit_on_failure>},
    {"real_server", v_real_server, block_use::optional},
};

const std::vector<alias> k_virtual_server_aliases = {
    {"lb_algo", "lvs_sched"}, {"lb_kind", "lvs_method"}, {"sorry_server_lb_kind", "sorry_server_lvs_method"}};

// ---- virtual_server_group
std::optional<long long> parse_hex(const std::string& s) {
  if (s.empty() || s.size() > 4 || s.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return std::nullopt;
  return std::stoll(s, nullptr, 16);
}

// The last address of ADDR-LAST (LAST a last byte, a last IPv6 group in hex, or a whole
// address of the same family) or ADDR/PREFIX; keepalived's rules: a short LAST above
// the first, a whole one not below it, a prefix with no host bits set.
proto::ip_address range_end(const word& w, const proto::ip_address& first, const std::string& rest, bool prefix) {
  const std::string what = first.is_v4() ? "IPv4" : "IPv6";
  proto::ip_address end = first;
  if (prefix) {
    auto len = parse_uint(rest);
    long long bits = first.is_v4() ? 32 : 128;
    if (!len || *len > bits) fail(w.where, q(w.text), "a prefix length 0.." + std::to_string(bits) + " after the /");
    for (long long bit = *len; bit < bits; ++bit) end.bytes[bit / 8] = static_cast<std::uint8_t>(end.bytes[bit / 8] | 0x80 >> bit % 8);
    for (long long bit = *len; bit < bits; ++bit)
      if (first.bytes[bit / 8] & (0x80 >> bit % 8)) fail(w.where, q(w.text), "an address with no bits set past the /" + rest);
    return end;
  }
  if (auto whole = proto::ip_address::parse(rest)) {
    if (whole->is_v4() != first.is_v4()) fail(w.where, q(w.text), "an " + what + " address after the - (as the first)");
    if (*whole < first) fail(w.where, q(w.text), "a range end not below its start");
    return *whole;
  }
  auto v = first.is_v4() ? parse_uint(rest) : parse_hex(rest);
  std::size_t at = first.is_v4() ? 3 : 14;
  long long start = first.is_v4() ? first.bytes[3] : first.bytes[14] << 8 | first.bytes[15];
  if (!v || *v > (first.is_v4() ? 255 : 0xffff))
    fail(w.where, q(w.text), first.is_v4() ? "a last byte 0..255 or an address after the -" : "a last group (hex) or an address after the -");
  if (*v <= start) fail(w.where, q(w.text), "a range end above its start");
  if (first.is_v4()) end.bytes[at] = static_cast<std::uint8_t>(*v);
  else end.bytes[at] = static_cast<std::uint8_t>(*v >> 8), end.bytes[at + 1] = static_cast<std::uint8_t>(*v & 0xff);
  return end;
}

// ADDR [PORT] | ADDR-LAST [PORT] | ADDR/PREFIX [PORT] | fwmark N [inet|inet6]
vs_group_entry group_entry(context& c, const node& e) {
  vs_group_entry g;
  g.where = e.keyword.where;
  if (e.keyword.text == "fwmark") {
    g.fwmark = static_cast<int>(integer_arg(e, 0, 0, UINT_MAX));
    if (e.args.size() > 1) {
      const word& f = e.args[1];
      auto family = named(f.text, ip_family::inet, ip_family::inet6, ip_family_name);
      if (!family) fail(f.where, q(f.text), "inet or inet6 after the fwmark");
      g.family = *family;
    }
    no_more_args(c, e, 2);
    return g;
  }
  const word& w = e.keyword;
  auto cut = w.text.find_first_of("-/");
  auto addr = proto::ip_address::parse(w.text.substr(0, cut));
  if (!addr)
    fail(w.where, q(w.text), "an address, an address range (ADDR-LAST, ADDR/PREFIX) or fwmark in virtual_server_group");
  g.addr = *addr;
  if (cut != std::string::npos) g.range_end = range_end(w, *addr, w.text.substr(cut + 1), w.text[cut] == '/');
  if (!e.args.empty()) g.port = port_arg(e, 0);
  no_more_args(c, e, 1);
  return g;
}

// A duplicate virtual server: same address, port and protocol, same fwmark, or the
// same group and protocol. keepalived 2.2.7 accepts it silently, but IPVS holds one
// service per key: a warning, so that such configs still load.
using vs_key = std::tuple<std::string, int, std::string>;
vs_key key_of(const virtual_server& v) {
  std::string protocol = lvs_protocol_name(v.protocol);
  if (v.fwmark) return {"fwmark " + std::to_string(*v.fwmark) + " " + ip_family_name(v.family), 0, protocol};
  if (!v.group.empty()) return {"group " + v.group, 0, protocol};
  return {v.addr->to_string(), v.port, protocol};
}

} // namespace


void vs_group_block(context& c, top_state&, const node& n) {
  const word& name = arg(n, 0);
  no_more_args(c, n, 1);
  for (const auto& other : c.cfg.vs_groups)  // keepalived 2.2.7 accepts it silently
    if (other.name == name.text) {
      c.diag(dkind::warning, name.where, "virtual_server_group " + q(name.text) + " defined again (first at " +
                                             other.where.to_string() + "); references name the first");
      break;
    }
  virtual_server_group g{name.text, n.keyword.where, {}};
  for (const node& e : n.children) c.attempt([&] {
    check_block(e, block_use::forbidden);
    g.entries.push_back(group_entry(c, e));
  });
  c.cfg.vs_groups.push_back(std::move(g));
}

void virtual_server_block(context& c, top_state&, const node& n) {
  virtual_server v;
  v.where = n.keyword.where;
  const word& first = arg(n, 0);
  if (first.text == "fwmark") {
    v.fwmark = static_cast<int>(integer_arg(n, 1, 0, UINT_MAX));
    no_more_args(c, n, 2);
  } else if (first.text == "group") {
    v.group = arg(n, 1).text;
    no_more_args(c, n, 2);
  } else {
    address_port(n, *(v.addr = proto::ip_address{}), v.port);
    no_more_args(c, n, 2);
  }
  dispatch(c, "virtual_server", v, n.children, k_virtual_server, k_virtual_server_aliases);
  // A director may hold tens of thousands of real servers: no spare capacity (a vector
  // grown to 20 holds 32).
  v.real_servers.shrink_to_fit();
  // What keepalived warns about and ignores.
  for (int f = 0; f < static_cast<int>(sched_flag::count_); ++f) {
    std::string name = sched_flag_name(static_cast<sched_flag>(f));
    if (v.has(static_cast<sched_flag>(f)) &&
        ((name.rfind("sh-", 0) == 0 && v.sched != scheduler::sh) || (name.rfind("mh-", 0) == 0 && v.sched != scheduler::mh)))
      c.diag(dkind::warning, v.where, name + " only applies to the " + name.substr(0, 2) + " scheduler; ignored");
  }
  if (std::none_of(v.real_servers.begin(), v.real_servers.end(), [](const real_server& r) { return !r.sorry; }))
    c.diag(dkind::warning, v.where, "virtual_server without real_server; ignored");
  c.cfg.virtual_servers.push_back(std::move(v));
}

using ss = ssl_settings;
constexpr handler<ssl_settings> k_ssl[] = {
    {"password", text_field<ss, &ss::password>},
    {"ca", text_field<ss, &ss::ca>},
    {"certificate", text_field<ss, &ss::certificate>},
    {"key", text_field<ss, &ss::key>},
};

void ssl_block(context& c, top_state&, const node& n) {
  no_args(c, n);
  c.cfg.ssl.emplace().where = n.keyword.where;
  dispatch(c, "SSL", *c.cfg.ssl, n.children, k_ssl);
}

namespace {

// What keepalived 2.2.7 corrects in a virtual server with real servers (one without is
// ignored, see virtual_server_block), each with a warning: the model holds what runs.
void effective_service(context& c, virtual_server& v, const virtual_server_group* group) {
  unsigned weights = 0;
  for (const auto& r : v.real_servers) weights += r.sorry ? 0 : static_cast<unsigned>(r.weight);
  if (std::all_of(v.real_servers.begin(), v.real_servers.end(), [](const real_server& r) { return r.sorry; })) return;
  auto any_entry = [&](auto pred) { return group && std::any_of(group->entries.begin(), group->entries.end(), pred); };
  bool has_marks = v.fwmark || any_entry([](const vs_group_entry& e) { return e.fwmark.has_value(); });
  // By address: by itself, or by a group with addresses (an undefined group counts).
  bool by_address = v.group.empty() ? !v.fwmark : !group || any_entry([](const vs_group_entry& e) { return e.addr.has_value(); });
  if (v.ha_suspend && has_marks) {
    v.ha_suspend = false;
    c.diag(dkind::warning, v.where, "ha_suspend does not apply to a service by fwmark; ignored");
  }
  if (by_address) {
    if (v.protocol == lvs_protocol::unset) {
      v.protocol = lvs_protocol::udp;
      c.diag(dkind::warning, v.where, "virtual_server without protocol: UDP (as keepalived); write protocol TCP for a TCP service");
    }
    if (v.has(sched_flag::ops) && v.protocol != lvs_protocol::udp) {
      v.sched_flags = static_cast<std::uint8_t>(v.sched_flags & ~(1u << static_cast<int>(sched_flag::ops)));
      c.diag(dkind::warning, v.where, "ops (one-packet scheduling) needs protocol UDP; ignored");
    }
    bool portless = v.group.empty() ? v.port == 0 : any_entry([](const vs_group_entry& e) { return e.addr && e.port == 0; });
    if (portless && !v.persistence_timeout) {
      v.persistence_timeout = 360;
      c.diag(dkind::warning, v.where, "a service without a port must be persistent: persistence_timeout 360 (as keepalived)");
    }
  } else if (v.protocol != lvs_protocol::unset) {
    v.protocol = lvs_protocol::unset;
    c.diag(dkind::warning, v.where, "protocol does not apply to a service by fwmark; ignored");
  }
  if (static_cast<unsigned>(v.quorum) > weights) {
    c.diag(dkind::warning, v.where, "quorum " + std::to_string(v.quorum) + " exceeds the real servers' total weight " +
                                        std::to_string(weights) + "; quorum " + std::to_string(weights));
    v.quorum = static_cast<int>(weights);
  }
  // Ports of the real servers of a service by itself (a group's are left as written):
  // NAT without a port takes the service's; DR and TUN cannot translate ports, so theirs
  // is the service's (none for a fwmark service). A NAT sorry server keeps its own.
  if (v.group.empty())
    for (auto& r : v.real_servers) {
      const auto& own = r.sorry ? v.sorry_server_method : r.method;
      bool nat = (own ? own->method : v.method.method) == lvs_method::nat;
      const char* who = r.sorry ? "sorry_server" : "real_server";
      if (nat) {
        if (!r.sorry && !v.fwmark && r.port == 0) r.port = static_cast<std::uint16_t>(v.port);
      } else if (v.fwmark && r.port != 0) {
        c.diag(dkind::warning, r.where, std::string(who) + " port " + std::to_string(r.port) +
                                            " ignored: a fwmark service forwards by DR or TUN without ports");
        r.port = 0;
      } else if (!v.fwmark && r.port != v.port) {
        if (r.port != 0)
          c.diag(dkind::warning, r.where, std::string(who) + " port " + std::to_string(r.port) + " is not the service's " +
                                              std::to_string(v.port) + "; DR and TUN keep the port: " + std::to_string(v.port));
        r.port = static_cast<std::uint16_t>(v.port);
      }
    }
  if (v.hysteresis >= v.quorum && v.hysteresis > 0) {
    int h = v.quorum > 0 ? v.quorum - 1 : 0;
    c.diag(dkind::warning, v.where, "hysteresis " + std::to_string(v.hysteresis) + " is not below quorum " +
                                        std::to_string(v.quorum) + "; hysteresis " + std::to_string(h));
    v.hysteresis = h;
  }
}

} // namespace

// Cross-references and duplicates of the LVS side: warnings, as keepalived accepts
// an undefined group (the virtual server then has no address), duplicates, and
// checkers naming an undefined track_file or bfd_instance.
void finish_lvs(context& c) {
  std::map<vs_key, const virtual_server*> seen;
  auto defined = [](const auto& blocks, const std::string& name) {
    return std::any_of(blocks.begin(), blocks.end(), [&](const auto& b) { return b.name == name; });
  };
  for (const auto& v : c.cfg.virtual_servers)
    for (const auto& r : v.real_servers)
      for (const auto& k : r.checkers) {
        if (const file_check* f = k.as<file_check>(); f && !f->track_file.empty() && !defined(c.cfg.track_files, f->track_file))
          c.diag(dkind::warning, k.where, "FILE_CHECK: track_file " + q(f->track_file) + " is not defined; ignored");
        if (const bfd_check* b = k.as<bfd_check>(); b && !defined(c.cfg.bfd_instances, b->name))
          c.diag(dkind::warning, k.where, "BFD_CHECK: bfd_instance " + q(b->name) + " is not defined; ignored");
      }
  for (auto& v : c.cfg.virtual_servers) {
    auto group = std::find_if(c.cfg.vs_groups.begin(), c.cfg.vs_groups.end(), [&](const auto& g) { return g.name == v.group; });
    if (!v.group.empty() && group == c.cfg.vs_groups.end())
      c.diag(dkind::warning, v.where, "virtual_server group " + q(v.group) + " is not a virtual_server_group defined in the configuration");
    effective_service(c, v, group == c.cfg.vs_groups.end() ? nullptr : &*group);
    auto [it, fresh] = seen.emplace(key_of(v), &v);
    if (!fresh)
      c.diag(dkind::warning, v.where,
             "virtual_server " + std::get<0>(it->first) + (v.port ? " port " + std::to_string(v.port) : "") + " " +
                 lvs_protocol_name(v.protocol) + " is already defined at " + it->second->where.to_string() + "; IPVS will hold only one");
  }
}

} // namespace ka::config::detail

namespace ka::config {

const char* sched_flag_name(sched_flag f) {
  static constexpr const char* names[] = {"flag-1", "flag-2", "flag-3", "sh-port", "sh-fallback", "mh-port", "mh-fallback", "ops"};
  static_assert(std::size(names) == static_cast<std::size_t>(sched_flag::count_));
  return names[static_cast<int>(f)];
}

const char* scheduler_name(scheduler s) {
  static constexpr const char* names[] = {"", "rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh",
                                          "fo", "ovf", "lblcr", "sed", "nq", "twos"};
  static_assert(std::size(names) == static_cast<std::size_t>(scheduler::twos) + 1);
  return names[static_cast<int>(s)];
}

const char* lvs_protocol_name(lvs_protocol p) {
  static constexpr const char* names[] = {"", "TCP", "UDP", "SCTP"};
  return names[static_cast<int>(p)];
}

const char* ip_family_name(ip_family f) {
  static constexpr const char* names[] = {"", "inet", "inet6"};
  return names[static_cast<int>(f)];
}

} // namespace ka::config
