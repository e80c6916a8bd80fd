// The LVS side: virtual_server_group, virtual_server (by address, fwmark or group),
// real_server, sorry_server, the checkers and the SSL block. None is acted on yet.
// Timers and retries may be set at each level; the model keeps what each level wrote.
#include <climits>
#include <map>
#include <tuple>

#include "parser/validate_blocks.hpp"

namespace ka::config::detail {
namespace {

constexpr long long k_secs_max = UINT_MAX / 1000000;

// ---- shared by virtual_server, real_server and the checkers
template <class T, auto M>
void timer_secs(context& c, T& t, const node& n) {
  t.timers.*M = seconds_arg(n, 0, 0, k_secs_max);
  no_more_args(c, n, 1);
}

template <class T>
void timer_retry(context& c, T& t, const node& n) {
  t.timers.retry = static_cast<int>(integer_arg(n, 0, 0, INT_MAX));
  no_more_args(c, n, 1);
}

template <class T, auto M>
void timer_flag(context& c, T& t, const node& n) {
  t.timers.*M = flag_arg(c, n);
}

// NAT|DR|TUN [type {ipip|gue port N|gre}] [nocsum|csum|remcsum]
lvs_method method_arg(context&, const node& n, std::vector<std::string>& options) {
  const word& w = arg(n, 0);
  options.clear();
  for (std::size_t i = 1; i < n.args.size(); ++i) options.push_back(n.args[i].text);
  if (w.text == "NAT" || w.text == "DR") {
    if (!options.empty()) fail(n.args[1].where, q(n.args[1].text), "end of line after " + w.text);
    return w.text == "NAT" ? lvs_method::nat : lvs_method::dr;
  }
  if (w.text == "TUN") return lvs_method::tun;
  fail(w.where, q(w.text), "NAT, DR or TUN for " + n.keyword.text);
}

// IPADDR [PORT] of real_server/sorry_server/virtual_server.
void address_port(const node& n, proto::ip_address& addr, int& port) {
  addr = address_arg(n, arg(n, 0));
  if (n.args.size() > 1) port = port_arg(n, 1);
}

// ---- checkers
using ck = checker;
using ct = check_timers;

void c_url(context& c, checker& k, const node& n);
void c_host(context& c, checker& k, const node& n);

void c_weight(context& c, checker& k, const node& n) {
  weight_args(c, n, 0, -2147483647, 2147483647, k.weight, k.reverse);
}

void c_misc_timeout(context& c, checker& k, const node& n) {
  k.misc_timeout = seconds_arg(n, 0, 0, k_secs_max);
  no_more_args(c, n, 1);
}

void c_bind_if(context& c, checker& k, const node& n) {
  k.bind_if = interface_arg(n, arg(n, 0));
  note_interface(c, k.bind_if, n.args[0].where);
  no_more_args(c, n, 1);
}

constexpr handler<checker> k_checker[] = {
    {"connect_ip", address_field<ck, &ck::connect_ip>},
    {"connect_port", uint_field<ck, &ck::connect_port, 0, 65535>},
    {"bindto", address_field<ck, &ck::bindto>},
    {"bind_if", c_bind_if},
    {"bind_port", uint_field<ck, &ck::bind_port, 0, 65535>},
    {"fwmark", uint_field<ck, &ck::fwmark, 0, UINT_MAX>},
    {"connect_timeout", timer_secs<ck, &ct::connect_timeout>},
    {"delay_before_retry", timer_secs<ck, &ct::delay_before_retry>},
    {"warmup", timer_secs<ck, &ct::warmup>},
    {"delay_loop", timer_secs<ck, &ct::delay_loop>},
    {"retry", timer_retry<ck>},
    {"alpha", timer_flag<ck, &ct::alpha>},
    {"log_all_failures", timer_flag<ck, &ct::log_all_failures>},
    // HTTP_GET, SSL_GET
    {"url", c_url, block_use::required},
    {"http_protocol", text_field<ck, &ck::http_protocol>},
    {"enable_sni", flag_field<ck, &ck::enable_sni>},
    {"fast_recovery", flag_field<ck, &ck::fast_recovery>},
    // SMTP_CHECK
    {"helo_name", text_field<ck, &ck::helo_name>},
    {"host", c_host, block_use::required},
    // DNS_CHECK
    {"type", text_field<ck, &ck::dns_type>},
    // DNS_CHECK's queried name, BFD_CHECK's bfd_instance
    {"name", text_field<ck, &ck::name>},
    // MISC_CHECK
    {"misc_path", text_field<ck, &ck::misc_path>},
    {"misc_timeout", c_misc_timeout},
    {"misc_dynamic", flag_field<ck, &ck::misc_dynamic>},
    {"user", words_field<ck, &ck::user>},
    // FILE_CHECK
    {"track_file", text_field<ck, &ck::track_file>},
    {"dynamic", flag_field<ck, &ck::dynamic>},
    {"weight", c_weight},
    // UDP_CHECK
    {"payload", keep<ck, kind::word>},
    {"require_reply", keep<ck, kind::opt_words>},
    {"min_reply_length", keep<ck, kind::uint, 0, 65535>},
    {"max_reply_length", keep<ck, kind::uint, 0, 65535>},
};

// keepalived's old names of checker keywords.
const std::vector<alias> k_checker_aliases = {{"nb_get_retry", "retry"}};

using hu = http_url;
void u_status(context&, http_url& u, const node& n) {
  arg(n, 0);
  for (const word& w : n.args) {
    auto dash = w.text.find('-');
    auto lo = parse_uint(w.text.substr(0, dash));
    auto hi = dash == std::string::npos ? lo : parse_uint(w.text.substr(dash + 1));
    if (!lo || !hi || *lo < 100 || *hi > 599 || *lo > *hi) fail(w.where, q(w.text), "an HTTP status code 100..599 or a range of them for status_code");
    u.status_code.push_back(w.text);
  }
}

constexpr handler<http_url> k_url[] = {
    {"path", text_field<hu, &hu::path>},
    {"digest", text_field<hu, &hu::digest>},
    {"status_code", u_status},
    {"virtualhost", text_field<hu, &hu::virtualhost>},
    {"regex", text_field<hu, &hu::regex>},
    {"regex_no_match", keep<hu, kind::none>},
    {"regex_options", keep<hu, kind::words>},
    {"regex_stack", keep<hu, kind::words>},
    {"regex_min_offset", keep<hu, kind::uint, 0, UINT_MAX>},
    {"regex_max_offset", keep<hu, kind::uint, 0, UINT_MAX>},
};

void c_url(context& c, checker& k, const node& n) {
  no_args(c, n);
  http_url& u = k.urls.emplace_back();
  u.where = n.keyword.where;
  dispatch(c, "url", u, n.children, k_url);
  if (u.path.empty()) fail(n.keyword.where, "url without path", "a path (required)");
}

// SMTP_CHECK { host { connect_ip ... } }: keepalived 2.2.7 still reads it (its samples
// use it); each host is a checker of its own.
void c_host(context& c, checker& k, const node& n) {
  no_args(c, n);
  checker& h = k.hosts.emplace_back();
  h.kind = "host";
  h.where = n.keyword.where;
  dispatch(c, "host", h, n.children, k_checker, k_checker_aliases);
}

// ---- real_server, sorry_server
using rs = real_server;

void r_method(context& c, real_server& r, const node& n) { r.method = method_arg(c, n, r.method_options); }

// The keywords of k_checker that belong to some checker kinds only; in another kind
// keepalived does not know them (an unknown keyword).
struct only_in {
  std::string_view keyword, kinds;
};
constexpr only_in k_checker_specific[] = {
    {"url", "HTTP_GET SSL_GET"}, {"http_protocol", "HTTP_GET SSL_GET"}, {"fast_recovery", "HTTP_GET SSL_GET"},
    {"enable_sni", "SSL_GET"}, {"helo_name", "SMTP_CHECK"}, {"host", "SMTP_CHECK"}, {"type", "DNS_CHECK"}, {"name", "DNS_CHECK BFD_CHECK"},
    {"misc_path", "MISC_CHECK"}, {"misc_timeout", "MISC_CHECK"}, {"misc_dynamic", "MISC_CHECK"},
    {"user", "MISC_CHECK"}, {"track_file", "FILE_CHECK"}, {"dynamic", "FILE_CHECK"}, {"weight", "FILE_CHECK"},
    {"payload", "UDP_CHECK"}, {"require_reply", "UDP_CHECK"}, {"min_reply_length", "UDP_CHECK"},
    {"max_reply_length", "UDP_CHECK"},
};

bool fits_kind(std::string_view keyword, std::string_view kind) {
  for (const auto& s : k_checker_specific)
    if (s.keyword == keyword) {
      for (std::size_t at = s.kinds.find(kind); at != std::string_view::npos; at = s.kinds.find(kind, at + 1))
        if ((at == 0 || s.kinds[at - 1] == ' ') && (at + kind.size() == s.kinds.size() || s.kinds[at + kind.size()] == ' '))
          return true;
      return false;
    }
  return true;
}

void r_checker(context& c, real_server& r, const node& n) {
  no_args(c, n);
  checker& k = r.checkers.emplace_back();
  k.kind = n.keyword.text;
  k.where = n.keyword.where;
  std::vector<node> fitting;
  std::vector<std::string_view> names;
  for (const auto& h : k_checker)
    if (fits_kind(h.keyword, k.kind)) names.push_back(h.keyword);
  for (const auto& a : k_checker_aliases) names.push_back(a.old_name);
  // Unknown keywords are reported here, so that the closest one is of this kind.
  for (const node& e : n.children) {
    bool known = std::find(names.begin(), names.end(), e.keyword.text) != names.end();
    if (known) fitting.push_back(e);
    else report_unknown(c, e, names);
  }
  dispatch(c, n.keyword.text, k, fitting, k_checker, k_checker_aliases);
  if (k.kind == "FILE_CHECK" && k.track_file.empty())
    c.diag(dkind::warning, k.where, "FILE_CHECK without track_file; ignored");
}

constexpr handler<real_server> k_real_server[] = {
    {"weight", uint_field<rs, &rs::weight, 0, 65535>},
    {"lvs_method", r_method},
    {"notify_up", command_field<rs, &rs::notify_up>},
    {"notify_down", command_field<rs, &rs::notify_down>},
    {"uthreshold", uint_field<rs, &rs::uthreshold, 0, INT_MAX>},
    {"lthreshold", uint_field<rs, &rs::lthreshold, 0, INT_MAX>},
    {"virtualhost", text_field<rs, &rs::virtualhost>},
    {"snmp_name", text_field<rs, &rs::snmp_name>},
    {"smtp_alert", timer_flag<rs, &ct::smtp_alert>},
    {"alpha", timer_flag<rs, &ct::alpha>},
    {"inhibit_on_failure", timer_flag<rs, &ct::inhibit_on_failure>},
    {"connect_timeout", timer_secs<rs, &ct::connect_timeout>},
    {"delay_before_retry", timer_secs<rs, &ct::delay_before_retry>},
    {"warmup", timer_secs<rs, &ct::warmup>},
    {"delay_loop", timer_secs<rs, &ct::delay_loop>},
    {"retry", timer_retry<rs>},
    {"TCP_CHECK", r_checker, block_use::required},
    {"HTTP_GET", r_checker, block_use::required},
    {"SSL_GET", r_checker, block_use::required},
    {"MISC_CHECK", r_checker, block_use::required},
    {"SMTP_CHECK", r_checker, block_use::required},
    {"DNS_CHECK", r_checker, block_use::required},
    {"UDP_CHECK", r_checker, block_use::required},
    {"PING_CHECK", r_checker, block_use::required},
    {"FILE_CHECK", r_checker, block_use::required},
    {"BFD_CHECK", r_checker, block_use::required},
};

// ---- virtual_server
using vsv = virtual_server;

void v_sched(context& c, virtual_server& v, const node& n) {
  static const std::string_view known[] = {"rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh",
                                           "fo", "ovf", "lblcr", "sed", "nq", "twos"};
  const word& w = arg(n, 0);
  if (std::find(std::begin(known), std::end(known), w.text) == std::end(known))
    fail(w.where, q(w.text), "a scheduler (rr, wrr, lc, wlc, lblc, sh, mh, dh, fo, ovf, lblcr, sed, nq, twos) for " + n.keyword.text);
  v.sched = w.text;
  no_more_args(c, n, 1);
}

void v_flag(context& c, virtual_server& v, const node& n) {
  v.sched_flags.push_back(n.keyword.text);
  no_args(c, n);
}

void v_method(context& c, virtual_server& v, const node& n) { v.method = method_arg(c, n, v.method_options); }

void v_sorry_method(context& c, virtual_server& v, const node& n) {
  std::vector<std::string> options;
  v.sorry_server_method = method_arg(c, n, options);
}

void v_persistence_timeout(context& c, virtual_server& v, const node& n) {
  v.persistence_timeout = n.args.empty() ? 360 : static_cast<int>(integer_arg(n, 0, 1, INT_MAX));
  no_more_args(c, n, 1);
}

void v_protocol(context& c, virtual_server& v, const node& n) {
  const word& w = arg(n, 0);
  if (w.text != "TCP" && w.text != "UDP" && w.text != "SCTP") fail(w.where, q(w.text), "TCP, UDP or SCTP for protocol");
  v.protocol = w.text;
  no_more_args(c, n, 1);
}

void v_ip_family(context& c, virtual_server& v, const node& n) {
  const word& w = arg(n, 0);
  if (w.text != "inet" && w.text != "inet6") fail(w.where, q(w.text), "inet or inet6 for ip_family");
  v.ip_family = w.text;
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
    {"flag-1", v_flag}, {"flag-2", v_flag}, {"flag-3", v_flag},
    {"sh-port", v_flag}, {"sh-fallback", v_flag}, {"mh-port", v_flag}, {"mh-fallback", v_flag},
    {"ops", v_flag},
    {"lvs_method", v_method},
    {"persistence_engine", text_field<vsv, &vsv::persistence_engine>},
    {"persistence_timeout", v_persistence_timeout},
    {"persistence_granularity", text_field<vsv, &vsv::persistence_granularity>},
    {"protocol", v_protocol},
    {"ha_suspend", flag_field<vsv, &vsv::ha_suspend>},
    {"smtp_alert", timer_flag<vsv, &ct::smtp_alert>},
    {"virtualhost", text_field<vsv, &vsv::virtualhost>},
    {"snmp_name", text_field<vsv, &vsv::snmp_name>},
    {"alpha", timer_flag<vsv, &ct::alpha>},
    {"omega", v_omega},
    {"quorum", uint_field<vsv, &vsv::quorum, 1, INT_MAX>},
    {"hysteresis", uint_field<vsv, &vsv::hysteresis, 0, INT_MAX>},
    {"quorum_up", command_field<vsv, &vsv::quorum_up>},
    {"quorum_down", command_field<vsv, &vsv::quorum_down>},
    {"ip_family", v_ip_family},
    {"sorry_server", v_sorry_server},
    {"sorry_server_inhibit", flag_field<vsv, &vsv::sorry_server_inhibit>},
    {"sorry_server_lvs_method", v_sorry_method},
    {"connect_timeout", timer_secs<vsv, &ct::connect_timeout>},
    {"delay_before_retry", timer_secs<vsv, &ct::delay_before_retry>},
    {"warmup", timer_secs<vsv, &ct::warmup>},
    {"delay_loop", timer_secs<vsv, &ct::delay_loop>},
    {"retry", timer_retry<vsv>},
    {"inhibit_on_failure", timer_flag<vsv, &ct::inhibit_on_failure>},
    {"real_server", v_real_server, block_use::optional},
};

const std::vector<alias> k_virtual_server_aliases = {
    {"lb_algo", "lvs_sched"}, {"lb_kind", "lvs_method"}, {"sorry_server_lb_kind", "sorry_server_lvs_method"}};

// ---- virtual_server_group
std::optional<long long> parse_hex(const std::string& s) {
  if (s.empty() || s.size() > 4 || s.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return std::nullopt;
  return std::stoll(s, nullptr, 16);
}

// ADDR [PORT] | ADDR-LAST [PORT] (a range over the last byte or group) | fwmark N [inet|inet6]
vs_group_entry group_entry(context& c, const node& e) {
  vs_group_entry g;
  g.where = e.keyword.where;
  if (e.keyword.text == "fwmark") {
    g.fwmark = static_cast<int>(integer_arg(e, 0, 0, UINT_MAX));
    if (e.args.size() > 1) {
      const word& f = e.args[1];
      if (f.text != "inet" && f.text != "inet6") fail(f.where, q(f.text), "inet or inet6 after the fwmark");
      g.family = f.text;
    }
    no_more_args(c, e, 2);
    return g;
  }
  const std::string& text = e.keyword.text;
  auto dash = text.rfind('-');
  auto addr = proto::ip_address::parse(text.substr(0, dash));
  if (addr && dash != std::string::npos) {
    std::string last = text.substr(dash + 1);
    auto v = addr->is_v4() ? parse_uint(last) : parse_hex(last);
    if (last.empty() || !v || *v > (addr->is_v4() ? 255 : 65535)) addr.reset();
    else g.range_last = static_cast<int>(*v);
  }
  if (!addr) fail(e.keyword.where, q(text), "an address, an address range (ADDR-LAST) or fwmark in virtual_server_group");
  g.addr = *addr;
  if (!e.args.empty()) g.port = port_arg(e, 0);
  no_more_args(c, e, 1);
  return g;
}

// A duplicate virtual server: same address, port and protocol, same fwmark, or the
// same group and protocol. keepalived 2.2.7 accepts it silently, but IPVS holds one
// service per key: a warning, so that such configs still load.
using vs_key = std::tuple<std::string, int, std::string>;
vs_key key_of(const virtual_server& v) {
  if (v.fwmark) return {"fwmark " + std::to_string(*v.fwmark) + " " + v.ip_family, 0, v.protocol};
  if (!v.group.empty()) return {"group " + v.group, 0, v.protocol};
  return {v.addr->to_string(), v.port, v.protocol};
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
  if (v.addr && v.port == 0 && !v.persistence_timeout)
    fail(first.where, q(first.text) + " without a port", "a port after the address (only a persistent virtual server may omit it)");
  // What keepalived warns about and ignores.
  for (const std::string& f : v.sched_flags)
    if ((f.rfind("sh-", 0) == 0 && v.sched != "sh") || (f.rfind("mh-", 0) == 0 && v.sched != "mh"))
      c.diag(dkind::warning, v.where, f + " only applies to the " + f.substr(0, 2) + " scheduler; ignored");
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
        if (k.kind == "FILE_CHECK" && !k.track_file.empty() && !defined(c.cfg.track_files, k.track_file))
          c.diag(dkind::warning, k.where, "FILE_CHECK: track_file " + q(k.track_file) + " is not defined; ignored");
        if (k.kind == "BFD_CHECK" && !defined(c.cfg.bfd_instances, k.name))
          c.diag(dkind::warning, k.where, "BFD_CHECK: bfd_instance " + q(k.name) + " is not defined; ignored");
      }
  for (const auto& v : c.cfg.virtual_servers) {
    if (!v.group.empty() &&
        std::none_of(c.cfg.vs_groups.begin(), c.cfg.vs_groups.end(), [&](const auto& g) { return g.name == v.group; }))
      c.diag(dkind::warning, v.where, "virtual_server group " + q(v.group) + " is not a virtual_server_group defined in the configuration");
    auto [it, fresh] = seen.emplace(key_of(v), &v);
    if (!fresh)
      c.diag(dkind::warning, v.where,
             "virtual_server " + std::get<0>(it->first) + (v.port ? " port " + std::to_string(v.port) : "") + " " +
                 v.protocol + " is already defined at " + it->second->where.to_string() + "; IPVS will hold only one");
  }
}

} // namespace ka::config::detail
