// vrrp_instance, and the pieces the other VRRP blocks share with it: address blocks
// (virtual_ipaddress, static_ipaddress), route and rule blocks, track_* lists.
#include <climits>
#include <cmath>
#include <map>
#include <tuple>

#include "parser/validate_blocks.hpp"

namespace ka::config::detail {
namespace {

constexpr std::string_view k_scopes[] = {"host", "link", "site", "global", "nowhere"};
// Address options that are flags (ip-address(8) and keepalived's own).
constexpr std::string_view k_vip_flags[] = {"use_vmac", "home", "-nodad", "nodad", "mngtmpaddr",
                                            "noprefixroute", "autojoin", "no_track"};

template <std::size_t N>
bool listed(const std::string_view (&list)[N], std::string_view keyword) {
  return std::find(std::begin(list), std::end(list), keyword) != std::end(list);
}


void i_state(context& c, instance_state& s, const node& n) {
  const word& w = arg(n, 0);
  if (w.text != "MASTER" && w.text != "BACKUP") fail(w.where, q(w.text), "MASTER or BACKUP for state");
  s.inst.initial_master = w.text == "MASTER";
  s.state_set = true;
  no_more_args(c, n, 1);
}

void i_interface(context& c, instance_state& s, const node& n) {
  s.inst.interface = interface_arg(n, arg(n, 0));
  note_interface(c, s.inst.interface, n.args[0].where);
  s.interface_at = n.args[0].where;
  no_more_args(c, n, 1);
}

void i_vrid(context& c, instance_state& s, const node& n) {
  s.inst.vrid = static_cast<int>(integer_arg(n, 0, 1, 255));
  s.vrid_at = n.args[0].where;
  no_more_args(c, n, 1);
}

void i_priority(context& c, instance_state& s, const node& n) {
  s.inst.priority = static_cast<int>(integer_arg(n, 0, 1, 255));
  s.priority_set = true;
  no_more_args(c, n, 1);
}

void i_advert_int(context& c, instance_state& s, const node& n) {
  // keepalived reads 0.01..255 s; the version-dependent rounding is done in finish_instance().
  s.inst.advert_int = seconds_arg(n, 0, 0.01, 255);
  no_more_args(c, n, 1);
}

void i_version(context& c, instance_state& s, const node& n) {
  s.inst.version = static_cast<int>(integer_arg(n, 0, 2, 3));
  s.version_at = n.args[0].where;
  no_more_args(c, n, 1);
}

void i_nopreempt(context& c, instance_state& s, const node& n) {
  s.inst.nopreempt = true;
  no_args(c, n);
}

void i_preempt(context& c, instance_state& s, const node& n) {  // backwards compatibility
  s.inst.nopreempt = false;
  no_args(c, n);
}

void i_preempt_delay(context& c, instance_state& s, const node& n) {
  s.inst.preempt_delay = seconds_arg(n, 0, 0, 1000);
  no_more_args(c, n, 1);
}

void i_garp_delay(context& c, instance_state& s, const node& n) {
  s.inst.garp_master_delay = static_cast<double>(integer_arg(n, 0, 0, UINT_MAX / 1000000));
  no_more_args(c, n, 1);
}

void i_garp_repeat(context& c, instance_state& s, const node& n) {
  auto v = integer_arg(n, 0, 0, INT_MAX);
  if (v == 0) {
    c.diag(dkind::warning, n.args[0].where, "garp_master_repeat must be greater than 0, using 1");
    v = 1;
  }
  s.inst.garp_master_repeat = static_cast<int>(v);
  no_more_args(c, n, 1);
}

// notify* SCRIPT [username [groupname]]
std::string script_arg(context& c, const node& n) {
  if (n.args.size() > 1)
    c.diag(dkind::not_acted_on, n.args[1].where,
           "script user/group for " + n.keyword.text + " is not acted on by this version", n.keyword.text);
  no_more_args(c, n, 3);
  return arg(n, 0).text;
}

template <std::string vrrp_instance::*Hook>
void i_hook(context& c, instance_state& s, const node& n) {
  s.inst.*Hook = script_arg(c, n);
}

// authentication { auth_type PASS|AH  auth_pass SECRET }
void a_type(context& c, instance_state& s, const node& n) {
  const word& w = arg(n, 0);
  if (w.text == "AH")
    fail(w.where, q(w.text), "PASS for auth_type (IPsec AH authentication is not supported)");
  if (w.text != "PASS") fail(w.where, q(w.text), "PASS or AH for auth_type");
  s.inst.auth = auth_kind::pass;
  s.auth_type_at = n.keyword.where;
  no_more_args(c, n, 1);
}

void a_pass(context& c, instance_state& s, const node& n) {
  const word& w = arg(n, 0);
  s.inst.auth_pass = w.text;
  if (s.inst.auth_pass.size() > 8) {
    c.diag(dkind::warning, w.where, "auth_pass longer than 8 bytes: only the first 8 are used");
    s.inst.auth_pass.resize(8);
  }
  s.auth_pass_at = n.keyword.where;
  no_more_args(c, n, 1);
}

constexpr handler<instance_state> k_auth_handlers[] = {
    {"auth_type", a_type, block_use::forbidden},
    {"auth_pass", a_pass, block_use::forbidden},
};

void i_authentication(context& c, instance_state& s, const node& n) {
  no_args(c, n);
  dispatch(c, "authentication", s, n.children, k_auth_handlers);
  if (s.inst.auth == auth_kind::pass && !s.auth_pass_at)
    fail(n.keyword.where, "auth_type PASS without auth_pass", "an auth_pass in the authentication block");
  if (s.inst.auth == auth_kind::none && s.auth_pass_at)
    c.diag(dkind::warning, *s.auth_pass_at, "auth_pass without auth_type PASS is ignored");
}

// virtual_ipaddress entries: ADDR[/PREFIX] [dev IF] [label L] [brd ADDR|+|-] [scope S] ...
void vip_address(virtual_ip& v, const word& w) {
  auto slash = w.text.find('/');
  auto addr = proto::ip_address::parse(w.text.substr(0, slash));
  if (!addr) fail(w.where, q(w.text), "an IPv4 or IPv6 address[/prefix] in virtual_ipaddress");
  v.addr = *addr;
  int max_prefix = addr->is_v4() ? 32 : 128;
  v.prefix_len = max_prefix;
  if (slash == std::string::npos) return;
  std::string prefix = w.text.substr(slash + 1);
  auto len = parse_uint(prefix);
  if (!len || *len > max_prefix) {
    source_pos at = w.where;
    at.column += static_cast<int>(slash) + 1 + (w.quoted ? 1 : 0);
    fail(at, q(prefix), "a prefix length 0.." + std::to_string(max_prefix) + " after '/'");
  }
  v.prefix_len = static_cast<int>(*len);
}

proto::ip_address host_bits(const virtual_ip& v, bool set) {
  proto::ip_address r = v.addr;
  for (int bit = v.prefix_len; bit < 32; ++bit) {
    auto mask = static_cast<std::uint8_t>(0x80u >> (bit % 8));
    auto& byte = r.bytes[static_cast<std::size_t>(bit / 8)];
    byte = static_cast<std::uint8_t>(set ? (byte | mask) : (byte & ~mask));
  }
  return r;
}

void vip_broadcast(virtual_ip& v, const word& w) {
  if (!v.addr.is_v4()) fail(w.where, q(w.text), "no brd for an IPv6 address");
  if (w.text == "+" || w.text == "-") {
    v.broadcast = host_bits(v, w.text == "+");
    return;
  }
  auto b = proto::ip_address::parse(w.text);
  if (!b || !b->is_v4()) fail(w.where, q(w.text), "an IPv4 broadcast address, '+' or '-' after brd");
  v.broadcast = *b;
}

// Options kept in the model but not applied yet; anything else is unknown.
template <class Value>
void vip_unapplied_option(context& c, virtual_ip& v, const node& e, const word& opt, Value&& value) {
  if (opt.text == "peer") {
    v.peer = address_arg(e, value());
  } else if (opt.text == "track_group") {
    v.track_group = value().text;
  } else if (opt.text == "preferred_lft") {
    const word& w = value();
    if (w.text != "forever" && !parse_uint(w.text)) fail(w.where, q(w.text), "a number of seconds or forever for preferred_lft");
    v.other["preferred_lft"] = kept{{w.text}, opt.where};
  } else if (listed(k_vip_flags, opt.text)) {
    v.flags.push_back(opt.text);
  } else {
    c.diag(dkind::unknown_keyword, opt.where, "unknown address option " + q(opt.text) + " in " + e.keyword.text);
  }
}

void vip_option(context& c, virtual_ip& v, const node& e, std::size_t& i) {
  const word& opt = e.args[i];
  auto value = [&]() -> const word& {
    if (i + 1 >= e.args.size()) fail(opt.where, "end of line", "a value for " + opt.text);
    return e.args[++i];
  };
  if (opt.text == "dev") {
    v.dev = interface_arg(e, value());
  } else if (opt.text == "label") {
    v.label = value().text;
  } else if (opt.text == "brd") {
    vip_broadcast(v, value());
  } else if (opt.text == "scope") {
    const word& s = value();
    if (!listed(k_scopes, s.text)) fail(s.where, q(s.text), "host, link, site, global or nowhere for scope");
    v.scope = s.text;
  } else {
    // ip-address(8) options the daemon does not apply yet (static_ipaddress: the whole
    // block was reported already).
    if (!c.quiet && (opt.text == "peer" || opt.text == "track_group" || opt.text == "preferred_lft" ||
                     listed(k_vip_flags, opt.text)))
      c.diag(dkind::not_acted_on, opt.where, "address option " + q(opt.text) + " is not acted on by this version",
             opt.text);
    vip_unapplied_option(c, v, e, opt, value);
  }
}

} // namespace

std::vector<virtual_ip> address_block(context& c, const node& n) {
  no_args(c, n);
  std::vector<virtual_ip> vips;
  for (const node& e : n.children) {
    c.attempt([&] {
      check_block(e, block_use::forbidden);
      virtual_ip v;
      v.where = e.keyword.where;
      vip_address(v, e.keyword);
      for (std::size_t i = 0; i < e.args.size(); ++i) vip_option(c, v, e, i);
      if (!v.dev.empty()) note_interface(c, v.dev, v.where);
      vips.push_back(std::move(v));
    });
  }
  return vips;
}

namespace {

void i_vips(context& c, instance_state& s, const node& n) {
  for (virtual_ip& v : address_block(c, n)) {
    const auto& vips = s.inst.vips;
    if (!vips.empty() && vips.front().addr.fam != v.addr.fam) {
      c.attempt([&] {
        fail(v.where, q(v.addr.to_string()),
             std::string(vips.front().addr.is_v4() ? "an IPv4" : "an IPv6") +
                 " address like the first virtual_ipaddress entry (one address family per instance)");
      });
      continue;
    }
    s.inst.vips.push_back(std::move(v));
  }
}

// ---- the instance keywords the daemon does not act on yet
void i_tracked(context& c, std::vector<tracked>& into, const node& n, long long lo, long long hi) {
  for (tracked& t : tracked_block(c, n, lo, hi)) into.push_back(std::move(t));
}

template <auto M>
void i_track(context& c, instance_state& s, const node& n) {
  i_tracked(c, s.inst.*M, n, -253, 253);
}

void i_track_interface(context& c, instance_state& s, const node& n) {
  std::size_t first = s.inst.track_interface.size();
  i_tracked(c, s.inst.track_interface, n, -253, 253);
  for (std::size_t i = first; i < s.inst.track_interface.size(); ++i)
    note_interface(c, s.inst.track_interface[i].name, s.inst.track_interface[i].where);
}

void i_unicast_peer(context& c, instance_state& s, const node& n) {
  no_args(c, n);
  for (const node& e : n.children) {
    c.attempt([&] {
      check_block(e, block_use::forbidden);
      unicast_peer p{address_arg(e, e.keyword), {}, {}, e.keyword.where};
      for (std::size_t i = 0; i < e.args.size(); i += 2) {
        const word& opt = e.args[i];
        if (opt.text != "min_ttl" && opt.text != "max_ttl") fail(opt.where, q(opt.text), "min_ttl or max_ttl after a unicast_peer address");
        (opt.text == "min_ttl" ? p.min_ttl : p.max_ttl) = static_cast<int>(integer_arg(e, i + 1, 0, 255));
      }
      s.inst.unicast_peers.push_back(std::move(p));
    });
  }
}

void i_vips_excluded(context& c, instance_state& s, const node& n) { s.inst.vips_excluded = address_block(c, n); }
void i_routes(context& c, instance_state& s, const node& n) { s.inst.virtual_routes = route_block(c, n, false); }
void i_rules(context& c, instance_state& s, const node& n) { s.inst.virtual_rules = route_block(c, n, true); }

void i_use_vmac(context& c, instance_state& s, const node& n) {
  s.inst.use_vmac = n.args.empty() ? std::string() : interface_arg(n, n.args[0]);
  no_more_args(c, n, 1);
}

// keepalived 2.2.7 still reads it in an instance, with a warning.
void i_lvs_sync_interface(context& c, instance_state& s, const node& n) {
  c.diag(dkind::warning, n.keyword.where, "'lvs_sync_daemon_interface' in a vrrp_instance is an old form of "
                                          "global_defs 'lvs_sync_daemon'");
  keep<instance_state, kind::iface>(c, s, n);
}

void i_no_accept(context& c, instance_state& s, const node& n) {
  s.inst.accept = false;
  no_args(c, n);
}

template <auto M>
void i_optional_command(context& c, instance_state& s, const node& n) {
  s.inst.*M = n.args.empty() ? std::string() : n.args[0].text;
  no_more_args(c, n, 3);
}

using vi = vrrp_instance;
using is = instance_state;
constexpr long long k_secs_max = UINT_MAX / 1000000;

constexpr handler<instance_state> k_instance_handlers[] = {
    {"state", i_state},
    {"interface", i_interface},
    {"virtual_router_id", i_vrid},
    {"priority", i_priority},
    {"advert_int", i_advert_int},
    {"version", i_version},
    {"authentication", i_authentication, block_use::required},
    {"virtual_ipaddress", i_vips, block_use::required},
    {"nopreempt", i_nopreempt},
    {"preempt", i_preempt},
    {"preempt_delay", i_preempt_delay},
    {"garp_master_delay", i_garp_delay},
    {"garp_master_repeat", i_garp_repeat},
    {"notify", i_hook<&vrrp_instance::notify>},
    {"notify_master", i_hook<&vrrp_instance::notify_master>},
    {"notify_backup", i_hook<&vrrp_instance::notify_backup>},
    {"notify_fault", i_hook<&vrrp_instance::notify_fault>},
    {"notify_stop", i_hook<&vrrp_instance::notify_stop>},
    // Parsed into the model, not acted on yet.
    {"track_interface", i_track_interface, block_use::required},
    {"track_script", i_track<&vi::track_script>, block_use::required},
    {"track_file", i_track<&vi::track_file>, block_use::required},
    {"track_process", i_track<&vi::track_process>, block_use::required},
    {"track_bfd", i_track<&vi::track_bfd>, block_use::required},
    {"unicast_src_ip", address_field<is, &vi::unicast_src_ip>},
    {"mcast_dst_ip", address_field<is, &vi::mcast_dst_ip>},
    {"unicast_peer", i_unicast_peer, block_use::required},
    {"unicast_ttl", uint_field<is, &vi::unicast_ttl, 1, 255>},
    {"virtual_ipaddress_excluded", i_vips_excluded, block_use::required},
    {"virtual_routes", i_routes, block_use::required},
    {"virtual_rules", i_rules, block_use::required},
    {"use_vmac", i_use_vmac},
    {"accept", flag_field<is, &vi::accept>},
    {"no_accept", i_no_accept},
    {"strict_mode", flag_field<is, &vi::strict_mode>},
    {"dont_track_primary", flag_field<is, &vi::dont_track_primary>},
    {"notify_deleted", i_optional_command<&vi::notify_deleted>},
    {"notify_master_rx_lower_pri", command_field<is, &vi::notify_master_rx_lower_pri>},
    {"vrf", keep<is, kind::word>},
    {"use_vmac_addr", keep<is, kind::none>},
    {"vmac_xmit_base", keep<is, kind::none>},
    {"use_ipvlan", keep<is, kind::opt_words>},
    {"native_ipv6", keep<is, kind::none>},
    {"track_src_ip", keep<is, kind::none>},
    {"check_unicast_src", keep<is, kind::none>},
    {"unicast_fault_no_peer", keep<is, kind::none>},
    {"old_unicast_checksum", keep<is, kind::opt_words>},
    {"garp_lower_prio_delay", keep<is, kind::uint, 0, k_secs_max>},
    {"garp_lower_prio_repeat", keep<is, kind::uint, 0, INT_MAX>},
    {"garp_master_refresh", keep<is, kind::uint, 0, k_secs_max>},
    {"garp_master_refresh_repeat", keep<is, kind::uint, 0, INT_MAX>},
    {"garp_extra_if", keep<is, kind::words>},
    {"down_timer_adverts", keep<is, kind::uint, 1, 100>},
    {"lower_prio_no_advert", keep<is, kind::flag>},
    {"higher_prio_send_advert", keep<is, kind::flag>},
    {"promote_secondaries", keep<is, kind::none>},
    {"skip_check_adv_addr", keep<is, kind::flag>},
    {"debug", keep<is, kind::opt_words>},
    {"notify_priority_changes", keep<is, kind::flag>},
    {"smtp_alert", keep<is, kind::flag>},
    {"kernel_rx_buf_size", keep<is, kind::uint, 0, UINT_MAX>},
    {"linkbeat_use_polling", keep<is, kind::none>},
    {"lvs_sync_daemon_interface", i_lvs_sync_interface},
};

// keepalived.conf(5) lists both spellings.
const std::vector<alias> k_instance_aliases = {{"mcast_src_ip", "unicast_src_ip", false}};

void finish_version(context& c, instance_state& s, int global_version) {
  vrrp_instance& i = s.inst;
  bool v6 = !i.vips.empty() && !i.vips.front().addr.is_v4();
  if (i.version == 0) i.version = global_version;
  if (v6 && i.version == 2) {
    if (s.version_at) c.diag(dkind::warning, *s.version_at, "IPv6 instance " + q(i.name) + " needs VRRP version 3; using 3");
    i.version = 3;
  }
  if (i.version == 3)
    c.diag(dkind::not_acted_on, i.where, "(" + i.name + ") VRRP version 3 is not supported yet: "
                                           "the instance will stay in FAULT", "version");
}

// keepalived: v2 adverts are whole seconds (rounded half up, at least 1);
// v3 adverts are centiseconds below 40.96 s.
void finish_advert_int(context& c, vrrp_instance& i) {
  auto us = std::llround(i.advert_int * 1e6);
  if (i.version == 2 && us % 1000000 != 0) {
    auto rounded = std::max<long long>(1, (us + 500000) / 1000000);
    c.diag(dkind::warning, i.where, "(" + i.name + ") VRRPv2 advert_int " + num(i.advert_int) +
                                        "s must be an integer; rounded to " + std::to_string(rounded) + "s");
    i.advert_int = static_cast<double>(rounded);
  } else if (i.version == 3 && us >= 4096 * 10000) {
    c.diag(dkind::warning, i.where, "(" + i.name + ") VRRPv3 advert_int " + num(i.advert_int) +
                                        "s must be less than 40.96s; using 40.95s");
    i.advert_int = 40.95;
  } else if (i.version == 3 && us % 10000 != 0) {
    auto cs = std::max<long long>(1, (us + 5000) / 10000);
    c.diag(dkind::warning, i.where, "(" + i.name + ") VRRPv3 advert_int " + num(i.advert_int) +
                                        "s has a resolution of 0.01s; rounded to " + num(static_cast<double>(cs) / 100) + "s");
    i.advert_int = static_cast<double>(cs) / 100;
  }
}

// keepalived: `state MASTER` without priority means priority 255 (address owner);
// priority 255 without state means MASTER.
void finish_state(context& c, instance_state& s) {
  vrrp_instance& i = s.inst;
  if (!s.priority_set && i.initial_master) i.priority = 255;
  if (!s.state_set && i.priority == 255) i.initial_master = true;
  if (i.initial_master && i.nopreempt)
    c.diag(dkind::warning, i.where, "(" + i.name + ") nopreempt has no effect with state MASTER");
  if (i.vips.empty()) c.diag(dkind::warning, i.where, "(" + i.name + ") no virtual_ipaddress configured");
}

void check_unique_vrids(context& c, const std::vector<instance_state>& all) {
  std::map<std::tuple<std::string, int, bool>, const instance_state*> seen;
  for (const auto& s : all) {
    bool v4 = s.inst.vips.empty() || s.inst.vips.front().addr.is_v4();
    auto inserted = seen.emplace(std::make_tuple(s.inst.interface, s.inst.vrid, v4), &s);
    if (inserted.second) continue;
    const vrrp_instance& first = inserted.first->second->inst;
    c.attempt([&] {
      fail(*s.vrid_at,
           "virtual_router_id " + std::to_string(s.inst.vrid) + " again on " + s.inst.interface + " (" +
               (v4 ? "IPv4" : "IPv6") + ")",
           "a virtual_router_id unique per interface and address family (also used by " + q(first.name) + " at " +
               first.where.to_string() + ")");
    });
  }
}

} // namespace

std::vector<tracked> tracked_block(context& c, const node& n, long long lo, long long hi) {
  no_args(c, n);
  std::vector<tracked> out;
  for (const node& e : n.children) {
    c.attempt([&] {
      check_block(e, block_use::forbidden);
      tracked t{e.keyword.text, false, 0, false, e.keyword.where};
      if (!e.args.empty()) {
        if (e.args[0].text != "weight") fail(e.args[0].where, q(e.args[0].text), "weight or end of line after " + q(t.name));
        weight_args(c, e, 1, lo, hi, t.weight, t.reverse);
        t.weight_set = true;
      }
      out.push_back(std::move(t));
    });
  }
  return out;
}

// ip-route(8)/ip-rule(8) lines: the first word that is an address (a route's
// destination, a rule's from/to) is checked; every word is kept.
std::vector<route_or_rule> route_block(context& c, const node& n, bool rules) {
  no_args(c, n);
  std::vector<route_or_rule> out;
  for (const node& e : n.children) {
    c.attempt([&] {
      check_block(e, block_use::forbidden);
      route_or_rule r;
      r.where = e.keyword.where;
      std::vector<const word*> words{&e.keyword};
      for (const word& w : e.args) words.push_back(&w);
      for (const word* w : words) r.words.push_back(w->text);
      for (std::size_t i = 0; !rules && i + 1 < words.size(); ++i)  // checked to exist, as keepalived
        if (words[i]->text == "dev") note_interface(c, words[i + 1]->text, words[i + 1]->where);
      const word* target = nullptr;
      if (!rules) {
        // [src ADDR] [TYPE] [to] DESTINATION ... (keepalived's samples write `src` first).
        std::size_t i = 0;
        if (words[i]->text == "src" && i + 2 < words.size()) i += 2;
        static const std::string_view types[] = {"blackhole", "unreachable", "prohibit", "throw", "local",
                                                 "broadcast", "anycast", "multicast", "unicast", "nat"};
        if (std::find(std::begin(types), std::end(types), words[i]->text) != std::end(types) && i + 1 < words.size()) ++i;
        if (words[i]->text == "to" && i + 1 < words.size()) ++i;
        target = words[i]->text == "default" ? nullptr : words[i];
        for (const word* w : words)
          if (w->text == "gw" || w->text == "or")
            c.diag(dkind::warning, w->where,
                   q(w->text) + " is an old name, read as " + q(w->text == "gw" ? "via" : "nexthop"));
      } else {
        for (std::size_t i = 0; i + 1 < words.size(); ++i)
          if (words[i]->text == "from" || words[i]->text == "to") {
            target = words[i + 1]->text == "all" ? nullptr : words[i + 1];
            break;
          }
      }
      if (target) {
        auto slash = target->text.find('/');
        auto addr = proto::ip_address::parse(target->text.substr(0, slash));
        auto len = slash == std::string::npos ? std::optional<long long>(-1) : parse_uint(target->text.substr(slash + 1));
        if (!addr || !len || *len > (addr->is_v4() ? 32 : 128))
          fail(target->where, q(target->text), std::string("an address[/prefix] ") + (rules ? "after from/to" : "as the route's destination"));
        r.first_address = *addr;
        r.prefix_len = static_cast<int>(*len);
      }
      out.push_back(std::move(r));
    });
  }
  return out;
}

void vrrp_instance_block(context& c, top_state& t, const node& n) {
  const word& name = arg(n, 0);
  no_more_args(c, n, 1);
  for (const auto& other : t.instances)
    if (other.inst.name == name.text)
      fail(name.where, "duplicate vrrp_instance name " + q(name.text),
           "a name not used before (first at " + other.inst.where.to_string() + ")");
  instance_state s;
  s.inst.name = name.text;
  s.inst.where = n.keyword.where;
  s.inst.version = 0;  // 0: not set in the instance, take global vrrp_version
  dispatch(c, "vrrp_instance", s, n.children, k_instance_handlers, k_instance_aliases);
  require(s.interface_at.has_value(), n, name.text, "interface");
  require(s.vrid_at.has_value(), n, name.text, "virtual_router_id");
  t.instances.push_back(std::move(s));
}

void finish_instances(context& c, top_state& t) {
  for (auto& s : t.instances) {
    finish_version(c, s, c.cfg.global.vrrp_version);
    finish_advert_int(c, s.inst);
    finish_state(c, s);
  }
  check_unique_vrids(c, t.instances);
  for (auto& s : t.instances) c.cfg.instances.push_back(std::move(s.inst));
}

} // namespace ka::config::detail
