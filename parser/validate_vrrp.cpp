// vrrp_instance: its keywords and the checks across instances. The address, route and
// track_* blocks it shares with other blocks are in validate_address.cpp.
#include <cctype>
#include <climits>
#include <cmath>
#include <map>
#include <tuple>

#include "parser/validate_blocks.hpp"
#include "protocol/garp_timing.hpp"

namespace ka::config::detail {
namespace {

void i_state(context& c, instance_state& s, const node& n) {
  const word& w = arg(n, 0);
  if (w.text != "MASTER" && w.text != "BACKUP") fail(w.where, q(w.text), "MASTER or BACKUP for state");
  s.inst.initial_master = w.text == "MASTER";
  s.state_set = true;
  s.state_at = n.keyword.where;
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
  s.garp_delay_set = true;
  no_more_args(c, n, 1);
}

void i_garp_repeat(context& c, instance_state& s, const node& n) {
  auto v = integer_arg(n, 0, 0, INT_MAX);
  if (v == 0) {
    c.diag(dkind::warning, n.args[0].where, "garp_master_repeat must be greater than 0, using 1");
    v = 1;
  }
  s.inst.garp_master_repeat = static_cast<int>(v);
  s.garp_repeat_set = true;
  no_more_args(c, n, 1);
}

// notify* SCRIPT [username [groupname]]: whom it runs as is actors/script_users.cpp's.
template <std::string vrrp_instance::*Hook>
void i_hook(context& c, instance_state& s, const node& n) {
  s.inst.*Hook = arg(n, 0).text;
  if (n.args.size() > 1)
    s.inst.hook_users[n.keyword.text] = run_as{n.args[1].text, n.args.size() > 2 ? n.args[2].text : ""};
  no_more_args(c, n, 3);
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
  s.auth_at = n.keyword.where;
  dispatch(c, "authentication", s, n.children, k_auth_handlers);
  if (s.inst.auth == auth_kind::pass && !s.auth_pass_at)
    fail(n.keyword.where, "auth_type PASS without auth_pass", "an auth_pass in the authentication block");
  if (s.inst.auth == auth_kind::none && s.auth_pass_at)
    c.diag(dkind::warning, *s.auth_pass_at, "auth_pass without auth_type PASS is ignored");
}

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
void i_routes(context& c, instance_state& s, const node& n) { s.inst.virtual_routes = route_block(c, n, false, true); }
void i_rules(context& c, instance_state& s, const node& n) { s.inst.virtual_rules = route_block(c, n, true, true); }

// A MAC address of 5 or 6 octets of 1 or 2 hex digits, written back as xx:xx:..; 5 octets
// leave the sixth to the VRID (keepalived). nullopt if the word is not one.
std::optional<std::string> parse_mac(const std::string& s) {
  std::string out, octet;
  int octets = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] != ':') {
      if (!std::isxdigit(static_cast<unsigned char>(s[i])) || octet.size() == 2) return std::nullopt;
      octet += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
      continue;
    }
    if (octet.empty()) return std::nullopt;
    out += (out.empty() ? "" : ":") + std::string(2 - octet.size(), '0') + octet;
    octet.clear();
    ++octets;
  }
  if (octets != 5 && octets != 6) return std::nullopt;
  return out;
}

// use_vmac [NAME] [MAC], in either order as keepalived reads them. Interface names hold
// no ':', so a word with one is the MAC address.
void i_use_vmac(context& c, instance_state& s, const node& n) {
  std::optional<std::string> name;
  s.inst.vmac_mac.clear();
  for (std::size_t i = 0; i < n.args.size() && i < 2; ++i) {
    const word& w = n.args[i];
    if (w.text.find(':') != std::string::npos && s.inst.vmac_mac.empty()) {
      auto mac = parse_mac(w.text);
      if (!mac) fail(w.where, q(w.text), "a MAC address of 5 or 6 hex octets (xx:xx:xx:xx:xx[:xx]) for use_vmac");
      // The VRRP MAC is what a VMAC has anyway; keepalived refuses it as an explicit one.
      if (mac->compare(0, 14, "00:00:5e:00:01") == 0)
        fail(w.where, q(w.text), "a MAC address outside 00:00:5e:00:01:XX (the VRRP one) for use_vmac");
      s.inst.vmac_mac = *mac;
    } else if (!name) {
      name = interface_arg(n, w);
    } else {
      fail(w.where, q(w.text), "a MAC address xx:xx:xx:xx:xx[:xx] after the use_vmac name");
    }
  }
  s.inst.use_vmac = name.value_or("");
  no_more_args(c, n, 2);
}

// use_ipvlan [NAME] [ADDR[/PREFIX]] [bridge|private|vepa], in any order as keepalived
// reads them: a mode word is the mode, an address the address, anything else the name.
void i_use_ipvlan(context&, instance_state& s, const node& n) {
  ipvlan v;
  v.where = n.keyword.where;
  bool mode_set = false;
  for (const word& w : n.args) {
    if (w.text == "bridge" || w.text == "private" || w.text == "vepa") {
      if (mode_set) fail(w.where, q(w.text), "one mode (bridge, private or vepa) for use_ipvlan");
      v.mode = w.text;
      mode_set = true;
      continue;
    }
    auto slash = w.text.find('/');
    if (auto a = proto::ip_address::parse(w.text.substr(0, slash))) {
      if (v.addr) fail(w.where, q(w.text), "one address for use_ipvlan");
      v.addr = *a;
      if (slash == std::string::npos) continue;
      auto len = parse_uint(w.text.substr(slash + 1));
      int max = a->is_v4() ? 32 : 128;
      if (!len || *len > max) {
        source_pos at = w.where;
        at.column += static_cast<int>(slash) + 1 + (w.quoted ? 1 : 0);
        fail(at, q(w.text.substr(slash + 1)), "a prefix length 0.." + std::to_string(max) + " after '/'");
      }
      v.prefix_len = static_cast<int>(*len);
      continue;
    }
    if (!v.name.empty()) fail(w.where, q(w.text), "an address[/prefix], bridge, private or vepa after the use_ipvlan name");
    v.name = interface_arg(n, w);  // created by keepalived: not checked for existence
  }
  s.inst.use_ipvlan = std::move(v);
}

void i_old_unicast_checksum(context& c, instance_state& s, const node& n) {
  s.inst.old_unicast_checksum = old_checksum::on;
  if (!n.args.empty()) {
    if (n.args[0].text != "never") fail(n.args[0].where, q(n.args[0].text), "never or end of line after old_unicast_checksum");
    s.inst.old_unicast_checksum = old_checksum::never;
  }
  no_more_args(c, n, 1);
}

// garp_extra_if [all] SECONDS (0..86400, whole seconds as keepalived).
void i_garp_extra_if(context& c, instance_state& s, const node& n) {
  garp_extra g;
  g.where = n.keyword.where;
  std::size_t i = 0;
  if (arg(n, 0).text == "all") g.all = true, ++i;
  g.interval = static_cast<int>(integer_arg(n, i, 0, 86400));
  no_more_args(c, n, i + 1);
  s.inst.garp_extra_if = g;
}

// keepalived reads a bare `debug` without complaint and sets nothing: no level.
void i_debug(context& c, instance_state& s, const node& n) {
  if (!n.args.empty()) s.inst.debug = static_cast<int>(integer_arg(n, 0, 0, 4));
  no_more_args(c, n, 1);
}

// Keywords that are a flag on their own (no <BOOL> after them in keepalived.conf(5)).
template <auto M>
void i_set(context& c, instance_state& s, const node& n) {
  s.inst.*M = true;
  no_args(c, n);
}

// keepalived 2.2.7 still reads it in an instance, with a warning.
void i_lvs_sync_interface(context& c, instance_state& s, const node& n) {
  c.diag(dkind::warning, n.keyword.where, "'lvs_sync_daemon_interface' in a vrrp_instance is an old form of "
                                          "global_defs 'lvs_sync_daemon'");
  interface_field<instance_state, &vrrp_instance::lvs_sync_daemon_interface>(c, s, n);
}

void i_no_accept(context& c, instance_state& s, const node& n) {
  s.inst.accept = false;
  no_args(c, n);
}

// Runs H, then notes where its keyword was: strict mode's warnings point at it.
template <void (*H)(context&, instance_state&, const node&), std::optional<source_pos> instance_state::*At>
void noted(context& c, instance_state& s, const node& n) {
  H(c, s, n);
  s.*At = n.keyword.where;
}

// notify_deleted [SCRIPT [user [group]]]: bare, it still changes what notify scripts see.
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
    {"preempt_delay", noted<i_preempt_delay, &is::preempt_delay_at>},
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
    {"accept", noted<flag_field<is, &vi::accept>, &is::accept_at>},
    {"no_accept", noted<i_no_accept, &is::accept_at>},
    {"strict_mode", flag_field<is, &vi::strict_mode>},
    {"dont_track_primary", flag_field<is, &vi::dont_track_primary>},
    {"notify_deleted", i_optional_command<&vi::notify_deleted>},
    {"notify_master_rx_lower_pri", command_field<is, &vi::notify_master_rx_lower_pri>},
    {"vrf", interface_field<is, &vi::vrf>},
    {"use_vmac_addr", i_set<&vi::use_vmac_addr>},
    {"vmac_xmit_base", noted<i_set<&vi::vmac_xmit_base>, &is::xmit_base_at>},
    {"use_ipvlan", i_use_ipvlan},
    {"native_ipv6", i_set<&vi::native_ipv6>},
    {"track_src_ip", i_set<&vi::track_src_ip>},
    {"check_unicast_src", i_set<&vi::check_unicast_src>},
    {"unicast_fault_no_peer", i_set<&vi::unicast_fault_no_peer>},
    {"old_unicast_checksum", i_old_unicast_checksum},
    {"garp_lower_prio_delay", uint_field<is, &vi::garp_lower_prio_delay, 0, k_secs_max>},
    {"garp_lower_prio_repeat", uint_field<is, &vi::garp_lower_prio_repeat, 0, INT_MAX>},
    {"garp_master_refresh", uint_field<is, &vi::garp_master_refresh, 0, k_secs_max>},
    {"garp_master_refresh_repeat", uint_field<is, &vi::garp_master_refresh_repeat, 0, INT_MAX>},
    {"garp_extra_if", i_garp_extra_if},
    {"down_timer_adverts", uint_field<is, &vi::down_timer_adverts, 1, 100>},
    {"lower_prio_no_advert", noted<flag_field<is, &vi::lower_prio_no_advert>, &is::lower_prio_at>},
    {"higher_prio_send_advert", noted<flag_field<is, &vi::higher_prio_send_advert>, &is::higher_prio_at>},
    {"promote_secondaries", i_set<&vi::promote_secondaries>},
    {"skip_check_adv_addr", flag_field<is, &vi::skip_check_adv_addr>},
    {"debug", i_debug},
    {"notify_priority_changes", flag_field<is, &vi::notify_priority_changes>},
    {"smtp_alert", flag_field<is, &vi::smtp_alert>},
    {"kernel_rx_buf_size", uint_field<is, &vi::kernel_rx_buf_size, 0, UINT_MAX>},
    {"linkbeat_use_polling", i_set<&vi::linkbeat_use_polling>},
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

// keepalived skips an ipvlan address of the other family than the instance's, with a
// warning; so do we (the family is known once every virtual_ipaddress is read).
void finish_ipvlan(context& c, vrrp_instance& i) {
  if (!i.use_ipvlan || !i.use_ipvlan->addr || i.vips.empty()) return;
  if (i.use_ipvlan->addr->fam == i.vips.front().addr.fam) return;
  c.diag(dkind::warning, i.use_ipvlan->where,
         "(" + i.name + ") use_ipvlan address " + i.use_ipvlan->addr->to_string() +
             " is not of the instance's address family; ignored");
  i.use_ipvlan->addr.reset();
  i.use_ipvlan->prefix_len = -1;
}

// The GARP counts and delays, instance words over global_defs ones (protocol/garp_timing.hpp),
// stored resolved so that the actors and the dump see what is sent.
void finish_garp(const global_defs& g, instance_state& s) {
  vrrp_instance& i = s.inst;
  proto::garp_words inst, glob;
  if (s.garp_delay_set) inst.master_delay = i.garp_master_delay;
  if (s.garp_repeat_set) inst.master_repeat = i.garp_master_repeat;
  inst.lower_delay = i.garp_lower_prio_delay;
  inst.lower_repeat = i.garp_lower_prio_repeat;
  const auto& v = g.vrrp;
  glob.master_delay = v.vrrp_garp_master_delay;
  if (v.vrrp_garp_master_repeat) glob.master_repeat = static_cast<int>(*v.vrrp_garp_master_repeat);
  glob.lower_delay = v.vrrp_garp_lower_prio_delay;
  glob.lower_repeat = v.vrrp_garp_lower_prio_repeat;
  auto t = proto::resolve_garp_timing(inst, glob, v.vrrp_min_garp);
  i.garp_master_delay = t.master_delay;
  i.garp_master_repeat = t.master_repeat;
  i.garp_lower_prio_delay = t.lower_delay;
  i.garp_lower_prio_repeat = t.lower_repeat;
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
    finish_ipvlan(c, s.inst);
    finish_strict(c, s);  // accept mode
    finish_garp(c.cfg.global, s);
  }
  check_unique_vrids(c, t.instances);
  for (auto& s : t.instances) c.cfg.instances.push_back(std::move(s.inst));
}

} // namespace ka::config::detail
