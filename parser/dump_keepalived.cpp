#include "parser/dump_keepalived.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <sstream>

#include "protocol/accept_mode.hpp"

namespace ka::config {

namespace {

// ---- reading the running state (a missing field reads as its neutral value) ----------
const json& field(const json& j, const char* key) {
  static const json none;
  if (!j.is_object()) return none;
  auto it = j.find(key);
  return it == j.end() ? none : *it;
}
std::uint64_t count(const json& j, const char* key) {
  const json& v = field(j, key);
  return v.is_number_unsigned() || v.is_number_integer() ? v.get<std::uint64_t>() : 0;
}
std::string text(const json& j, const char* key) {
  const json& v = field(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}
const json& status_of(const json& running, std::size_t i, const char* list) {
  static const json none = json::object();
  const json& l = field(running, list);
  return l.is_array() && i < l.size() ? l[i] : none;
}

// keepalived's state numbers in the JSON dump (INIT 0, BACKUP 1, MASTER 2, FAULT 3).
int state_number(const std::string& s) {
  if (s == "BACKUP") return 1;
  if (s == "MASTER") return 2;
  if (s == "FAULT") return 3;
  return 0;
}

// The sum of the advert thread's drop counters for these reasons (protocol/vrrp_packet.hpp).
std::uint64_t bad(const json& st, std::initializer_list<const char*> reasons) {
  const json& b = field(field(st, "counters"), "bad");
  std::uint64_t n = 0;
  for (const char* r : reasons) n += count(b, r);
  return n;
}

// The counters of the stats dump and of the JSON dump's "stats", in keepalived's order:
// (JSON key, value). Drop reasons map onto keepalived's classes.
std::vector<std::pair<const char*, std::uint64_t>> instance_stats(const json& st) {
  const json& c = field(st, "counters");
  return {
    {"advert_rcvd", count(c, "adverts_received")},
    {"advert_sent", count(c, "adverts_sent")},
    {"become_master", count(st, "became_master")},
    {"release_master", count(st, "released_master")},
    {"packet_len_err", bad(st, {"too_short", "bad_ip_header", "bad_length", "oversized"})},
    {"advert_interval_err", bad(st, {"interval_mismatch", "bad_interval"})},
    {"ip_ttl_err", bad(st, {"bad_ttl", "ttl_out_of_range"})},
    {"invalid_type_rcvd", bad(st, {"bad_type"})},
    {"addr_list_err", bad(st, {"address_mismatch"})},
    // keepalived's "invalid type" is an authentication type it does not know; Keepalive's
    // decoder counts any other type as a mismatch.
    {"invalid_authtype", 0},
    {"authtype_mismatch", bad(st, {"auth_type_mismatch"})},
    {"auth_failure", bad(st, {"auth_failure"})},
    {"pri_zero_rcvd", count(st, "priority_zero_received")},
    {"pri_zero_sent", count(st, "priority_zero_sent")},
  };
}

std::string vip_text(const virtual_ip& v, const std::string& iface, bool set) {
  std::string s = v.addr.to_string() + "/" + std::to_string(v.prefix_len) + " dev " +
                  (v.dev.empty() ? iface : v.dev) + " scope " + (v.scope.empty() ? "global" : v.scope);
  if (set) s += " set";
  return s;
}

// "1796677518.066294 (Mon Dec  7 21:05:18.066294 2026)"
std::string time_text(double t) {
  char buf[256];
  std::time_t secs = static_cast<std::time_t>(std::floor(t));
  int usec = static_cast<int>(std::lround((t - std::floor(t)) * 1e6));
  if (usec >= 1000000) { ++secs; usec -= 1000000; }
  usec = std::max(0, std::min(usec, 999999));
  std::tm tm{};
  localtime_r(&secs, &tm);
  char date[64];
  std::strftime(date, sizeof date, "%a %b %e %H:%M:%S", &tm);
  char year[8];
  std::strftime(year, sizeof year, "%Y", &tm);
  std::snprintf(buf, sizeof buf, "%lld.%06d (%s.%06d %s)", static_cast<long long>(secs), usec, date, usec, year);
  return buf;
}

const char* on_off_unset(const std::optional<bool>& b) { return !b ? "unset" : *b ? "on" : "off"; }
const char* yes_no(bool b) { return b ? "yes" : "no"; }
const char* tf(bool b) { return b ? "true" : "false"; }

// Seconds as keepalived prints its whole-second settings (an integer when whole).
json seconds_value(double s) {
  if (s == std::floor(s)) return static_cast<long long>(s);
  return s;
}
std::string seconds_text(double s) {
  std::ostringstream o;
  o << s;
  return o.str();
}

// Resolved per-instance settings shared by the data and JSON dumps.
struct resolved {
  double garp_refresh;
  int garp_refresh_rep;
  bool lower_prio_no_advert, higher_prio_send_advert, strict, accept;
  bool smtp_alert;
};
resolved resolve(const config& cfg, const vrrp_instance& i) {
  const auto& v = cfg.global.vrrp;
  resolved r{};
  r.garp_refresh = i.garp_master_refresh.value_or(v.vrrp_garp_master_refresh.value_or(0));
  r.garp_refresh_rep = i.garp_master_refresh_repeat.value_or(
    static_cast<int>(v.vrrp_garp_master_refresh_repeat.value_or(1)));
  r.strict = proto::strict_mode(i.strict_mode, v.vrrp_strict);
  r.lower_prio_no_advert = i.lower_prio_no_advert.value_or(v.vrrp_lower_prio_no_advert.value_or(r.strict));
  r.higher_prio_send_advert = i.higher_prio_send_advert.value_or(v.vrrp_higher_prio_send_advert);
  r.accept = proto::decide_accept(i.accept, r.strict, i.version, i.priority).accept;
  const auto& m = cfg.global.mail;
  r.smtp_alert = i.smtp_alert ? *i.smtp_alert : m.smtp_alert_vrrp ? *m.smtp_alert_vrrp : m.smtp_alert.value_or(false);
  return r;
}

const vrrp_sync_group* group_of(const config& cfg, const std::string& instance) {
  for (const auto& g : cfg.sync_groups)
    for (const auto& m : g.group)
      if (m.name == instance) return &g;
  return nullptr;
}

double last_transition(const json& running, const json& st) {
  const json& now = field(running, "now");
  const json& in = field(st, "in_state_s");
  if (!now.is_number() || !in.is_number()) return 0;
  return std::round((now.get<double>() - in.get<double>()) * 1e6) / 1e6;
}

// Tracked scripts of an instance: its own, then its sync group's (tracked by every member).
std::vector<const tracked*> scripts_tracked(const config& cfg, const vrrp_instance& i) {
  std::vector<const tracked*> out;
  for (const auto& t : i.track_script) out.push_back(&t);
  if (const auto* g = group_of(cfg, i.name))
    for (const auto& t : g->track_script) out.push_back(&t);
  return out;
}
const vrrp_script* script_named(const config& cfg, const std::string& name) {
  for (const auto& s : cfg.scripts)
    if (s.name == name) return &s;
  return nullptr;
}
int weight_of(const tracked& t, const vrrp_script* s) {
  int w = t.weight_set ? t.weight : s ? s->weight : 0;
  return t.reverse ? -w : w;
}

void global_section(std::ostream& o, const config& cfg, const json& running) {
  const auto& g = cfg.global;
  o << "------< Global definitions >------\n";
  o << " Network namespace = (default)\n";
  o << " Router ID = " << g.router_id << "\n";
  if (!g.smtp_server.empty()) {
    o << " Smtp server = " << g.smtp_server << "\n";
    o << " Smtp server port = " << g.smtp_port << "\n";
  }
  o << " Smtp HELO name = " << (g.mail.smtp_helo_name.empty() ? text(running, "host") : g.mail.smtp_helo_name) << "\n";
  o << " Smtp server connection timeout = " << seconds_text(g.smtp_connect_timeout) << "\n";
  o << " Email notification from = "
    << (g.notification_email_from.empty() ? "keepalived@" + text(running, "host") : g.notification_email_from) << "\n";
  o << " Email notification to:\n";
  for (const auto& e : g.notification_email) o << "   " << e << "\n";
  o << " Default smtp_alert = " << on_off_unset(g.mail.smtp_alert) << "\n";
  o << " Default smtp_alert_vrrp = " << on_off_unset(g.mail.smtp_alert_vrrp) << "\n";
  o << " Default smtp_alert_checker = " << on_off_unset(g.mail.smtp_alert_checker) << "\n";
  const auto& v = g.vrrp;
  o << " VRRP IPv4 mcast group = " << (v.vrrp_mcast_group4 ? v.vrrp_mcast_group4->to_string() : "224.0.0.18") << "\n";
  o << " VRRP IPv6 mcast group = " << (v.vrrp_mcast_group6 ? v.vrrp_mcast_group6->to_string() : "ff02::12") << "\n";
  o << " VRRP default protocol version = " << g.vrrp_version << "\n";
  o << " VRRP check unicast_src = " << tf(v.vrrp_check_unicast_src) << "\n";
  o << " VRRP strict mode = " << tf(v.vrrp_strict) << "\n";
}

void instance_section(std::ostream& o, const config& cfg, const json& running, std::size_t k) {
  const auto& i = cfg.instances[k];
  const json& st = status_of(running, k, "instances");
  resolved r = resolve(cfg, i);
  std::string state = text(st, "state");
  if (state.empty()) state = "INIT";
  o << " VRRP Instance = " << i.name << "\n";
  o << "   VRRP Version = " << i.version << "\n";
  if (const auto* g = group_of(cfg, i.name)) o << "   Sync group = " << g->name << "\n";
  o << "   State = " << state << "\n";
  if (state == "BACKUP" && field(st, "master").is_string()) {
    o << "   Master router = " << text(st, "master") << "\n";
    o << "   Master priority = " << count(st, "master_priority") << "\n";
  }
  o << "   Wantstate = " << state << "\n";
  o << "   Last transition = " << time_text(last_transition(running, st)) << "\n";
  o << "   Interface = " << i.interface << "\n";
  if (field(st, "primary_address").is_string()) o << "   Using src_ip = " << text(st, "primary_address") << "\n";
  if (i.unicast_peers.empty()) {
    bool v6 = !i.vips.empty() && !i.vips.front().addr.is_v4();
    const auto& v = cfg.global.vrrp;
    std::string group = v6 ? (v.vrrp_mcast_group6 ? v.vrrp_mcast_group6->to_string() : "ff02::12")
                           : (v.vrrp_mcast_group4 ? v.vrrp_mcast_group4->to_string() : "224.0.0.18");
    o << "   Multicast address " << (i.mcast_dst_ip ? i.mcast_dst_ip->to_string() : group) << "\n";
  }
  o << "   Gratuitous ARP delay = " << seconds_text(i.garp_master_delay) << "\n";
  o << "   Gratuitous ARP repeat = " << i.garp_master_repeat << "\n";
  o << "   Gratuitous ARP refresh = " << seconds_text(r.garp_refresh) << "\n";
  o << "   Gratuitous ARP refresh repeat = " << r.garp_refresh_rep << "\n";
  o << "   Gratuitous ARP lower priority delay = " << seconds_text(i.garp_lower_prio_delay.value_or(5)) << "\n";
  o << "   Gratuitous ARP lower priority repeat = " << i.garp_lower_prio_repeat.value_or(5) << "\n";
  o << "   Send advert after receive lower priority advert = " << tf(!r.lower_prio_no_advert) << "\n";
  o << "   Send advert after receive higher priority advert = " << tf(r.higher_prio_send_advert) << "\n";
  o << "   Virtual Router ID = " << i.vrid << "\n";
  o << "   Priority = " << i.priority << "\n";
  const json& eff = field(field(st, "priority"), "effective");
  o << "   Effective priority = " << (eff.is_number() ? eff.get<long long>() : i.priority) << "\n";
  o << "   Advert interval = " << seconds_text(i.advert_int) << " sec\n";
  o << "   Accept = " << (r.accept ? "enabled" : "disabled") << "\n";
  o << "   Preempt = " << (i.nopreempt ? "disabled" : "enabled") << "\n";
  if (i.preempt_delay > 0) o << "   Preempt delay = " << seconds_text(i.preempt_delay) << " secs\n";
  if (i.auth == auth_kind::pass) {
    o << "   Authentication type = SIMPLE_PASSWORD\n";
    o << "   Password = " << i.auth_pass.substr(0, 8) << "\n";
  } else {
    o << "   Authentication type = none\n";
  }
  bool held = field(st, "vips_held").is_boolean() && field(st, "vips_held").get<bool>();
  if (!i.vips.empty()) {
    o << "   Virtual IP (" << i.vips.size() << "):\n";
    for (const auto& v : i.vips) o << "     " << vip_text(v, i.interface, held) << "\n";
  }
  if (!i.vips_excluded.empty()) {
    o << "   Virtual IP Excluded :\n";
    for (const auto& v : i.vips_excluded) o << "     " << vip_text(v, i.interface, held) << "\n";
  }
  if (!i.unicast_peers.empty()) {
    o << "   Unicast Peer :\n";
    for (const auto& p : i.unicast_peers) o << "     " << p.addr.to_string() << "\n";
  }
  auto scripts = scripts_tracked(cfg, i);
  if (!scripts.empty()) {
    o << "   Tracked scripts :\n";
    for (const auto* t : scripts) o << "     " << t->name << " weight " << weight_of(*t, script_named(cfg, t->name)) << "\n";
  }
  o << "   Using smtp notification = " << yes_no(r.smtp_alert) << "\n";
}

void groups_section(std::ostream& o, const config& cfg, const json& running) {
  o << "------< VRRP Sync groups >------\n";
  const auto& m = cfg.global.mail;
  for (std::size_t k = 0; k < cfg.sync_groups.size(); ++k) {
    const auto& g = cfg.sync_groups[k];
    // By name: a group without a defined member has no actor, hence no status.
    json st = json::object();
    for (const auto& s : field(running, "groups"))
      if (text(s, "name") == g.name) st = s;
    std::string state = text(st, "state");
    o << " VRRP Sync Group = " << g.name << ", " << (state.empty() ? "INIT" : state) << "\n";
    o << "   VRRP member instances :\n";
    for (const auto& i : g.group) o << "     " << i.name << "\n";
    bool alert = g.smtp_alert ? *g.smtp_alert : m.smtp_alert_vrrp ? *m.smtp_alert_vrrp : m.smtp_alert.value_or(false);
    o << "   Using smtp notification = " << yes_no(alert) << "\n";
  }
}

void scripts_section(std::ostream& o, const config& cfg) {
  o << "------< VRRP Scripts >------\n";
  for (const auto& s : cfg.scripts) {
    o << " VRRP Script = " << s.name << "\n";
    o << "   Command = '" << s.script << "'\n";
    o << "   Interval = " << seconds_text(s.interval) << " sec\n";
    o << "   Timeout = " << seconds_text(s.timeout) << " sec\n";
    o << "   Weight = " << s.weight << "\n";
    o << "   Rise = " << s.rise << "\n";
    o << "   Fall = " << s.fall << "\n";
    o << "   Tracking instances :\n";
    for (const auto& i : cfg.instances)
      for (const auto* t : scripts_tracked(cfg, i))
        if (t->name == s.name) o << "     " << i.name << ", weight " << weight_of(*t, &s) << "\n";
  }
}

} // namespace

std::string keepalived_data_dump(const config& cfg, const json& running) {
  std::ostringstream o;
  global_section(o, cfg, running);
  o << "------< VRRP Topology >------\n";
  for (std::size_t k = 0; k < cfg.instances.size(); ++k) instance_section(o, cfg, running, k);
  if (!cfg.sync_groups.empty()) groups_section(o, cfg, running);
  if (!cfg.scripts.empty()) scripts_section(o, cfg);
  return o.str();
}

std::string keepalived_stats_dump(const config& cfg, const json& running) {
  std::ostringstream o;
  for (std::size_t k = 0; k < cfg.instances.size(); ++k) {
    auto c = instance_stats(status_of(running, k, "instances"));
    auto v = [&](std::size_t n) { return c[n].second; };
    o << "VRRP Instance: " << cfg.instances[k].name << "\n";
    o << "  Advertisements:\n    Received: " << v(0) << "\n    Sent: " << v(1) << "\n";
    o << "  Became master: " << v(2) << "\n  Released master: " << v(3) << "\n";
    o << "  Packet Errors:\n    Length: " << v(4) << "\n    TTL: " << v(6) << "\n    Invalid Type: " << v(7)
      << "\n    Advertisement Interval: " << v(5) << "\n    Address List: " << v(8) << "\n";
    o << "  Authentication Errors:\n    Invalid Type: " << v(9) << "\n    Type Mismatch: " << v(10)
      << "\n    Failure: " << v(11) << "\n";
    o << "  Priority Zero:\n    Received: " << v(12) << "\n    Sent: " << v(13) << "\n";
  }
  return o.str();
}

std::string keepalived_json_dump(const config& cfg, const json& running) {
  json out = json::array();
  for (std::size_t k = 0; k < cfg.instances.size(); ++k) {
    const auto& i = cfg.instances[k];
    const json& st = status_of(running, k, "instances");
    resolved r = resolve(cfg, i);
    int state = state_number(text(st, "state"));
    json d = json::object();
    d["iname"] = i.name;
    d["dont_track_primary"] = i.dont_track_primary ? 1 : 0;
    d["skip_check_adv_addr"] = i.skip_check_adv_addr.value_or(cfg.global.vrrp.vrrp_skip_check_adv_addr) ? 1 : 0;
    d["strict_mode"] = r.strict ? 1 : 0;
    const json& vmac = field(st, "vmac");
    d["vmac_ifname"] = vmac.is_object() ? text(vmac, "name") : std::string();
    d["ifp_ifname"] = i.interface;
    // The priority heard from the master, as a backup; keepalived's master says 0.
    d["master_priority"] = state == 2 ? 0 : count(st, "master_priority");
    d["last_transition"] = last_transition(running, st);
    d["garp_delay"] = seconds_value(i.garp_master_delay);
    d["garp_refresh"] = seconds_value(r.garp_refresh);
    d["garp_rep"] = i.garp_master_repeat;
    d["garp_refresh_rep"] = r.garp_refresh_rep;
    d["garp_lower_prio_delay"] = seconds_value(i.garp_lower_prio_delay.value_or(5));
    d["garp_lower_prio_rep"] = i.garp_lower_prio_repeat.value_or(5);
    d["lower_prio_no_advert"] = r.lower_prio_no_advert ? 1 : 0;
    d["higher_prio_send_advert"] = r.higher_prio_send_advert ? 1 : 0;
    d["vrid"] = i.vrid;
    d["base_priority"] = i.priority;
    const json& eff = field(field(st, "priority"), "effective");
    d["effective_priority"] = eff.is_number() ? eff.get<long long>() : i.priority;
    d["vipset"] = field(st, "vips_held").is_boolean() && field(st, "vips_held").get<bool>();
    d["promote_secondaries"] = i.promote_secondaries;
    d["adver_int"] = seconds_value(i.advert_int);
    const json& mai = field(st, "master_adver_int_s");
    d["master_adver_int"] = mai.is_number() ? seconds_value(mai.get<double>()) : seconds_value(i.advert_int);
    d["accept"] = r.accept ? 1 : 0;
    d["nopreempt"] = i.nopreempt;
    d["preempt_delay"] = seconds_value(i.preempt_delay);
    d["state"] = state;
    d["wantstate"] = state;
    d["version"] = i.version;
    d["smtp_alert"] = r.smtp_alert;
    d["notify_deleted"] = i.notify_deleted.has_value();
    json vips = json::array();
    for (const auto& v : i.vips) vips.push_back(vip_text(v, i.interface, d["vipset"].get<bool>()));
    d["vips"] = vips;
    if (!i.vips_excluded.empty()) {
      json e = json::array();
      for (const auto& v : i.vips_excluded) e.push_back(vip_text(v, i.interface, d["vipset"].get<bool>()));
      d["evips"] = e;
    }
    auto scripts = scripts_tracked(cfg, i);
    if (!scripts.empty()) {
      json t = json::array();
      for (const auto* s : scripts)
        if (const auto* vs = script_named(cfg, s->name)) t.push_back("'" + vs->script + "'");
      d["track_script"] = t;
    }
    d["auth_type"] = i.auth == auth_kind::pass ? 1 : 0;
    if (i.auth == auth_kind::pass) d["auth_data"] = i.auth_pass.substr(0, 8);
    json s = json::object();
    for (const auto& [key, value] : instance_stats(st)) s[key] = value;
    out.push_back({{"data", d}, {"stats", s}});
  }
  return out.dump();
}

} // namespace ka::config
