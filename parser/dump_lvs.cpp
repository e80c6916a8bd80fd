// The LVS side of the model as JSON (dump.hpp): keys are keepalived.conf's keywords, an
// unset value is null (an empty string in the model is an unset one), positions are
// "file:line:column". Timers appear under their keywords at the level that wrote them.
#include <cstdio>
#include <initializer_list>

#include "parser/dump.hpp"

namespace ka::config {

namespace {
template <class T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json text(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json command(const lvs_command& c) {
  if (c.command.empty()) return nullptr;
  return {{"command", c.command}, {"user", text(c.user)}, {"group", text(c.group)}};
}

json address(const std::optional<proto::ip_address>& a) { return a ? json(a->to_string()) : json(nullptr); }

// The keywords of the timers each level may write.
void put_timers(json& j, const check_timers& t, std::initializer_list<check_timers::item> items) {
  using ti = check_timers;
  for (ti::item i : items) switch (i) {
      case ti::connect_timeout: j["connect_timeout"] = opt(t.seconds(i)); break;
      case ti::delay_before_retry: j["delay_before_retry"] = opt(t.seconds(i)); break;
      case ti::warmup: j["warmup"] = opt(t.seconds(i)); break;
      case ti::delay_loop: j["delay_loop"] = opt(t.seconds(i)); break;
      case ti::retry: j["retry"] = opt(t.retries()); break;
      case ti::alpha: j["alpha"] = opt(t.flag(i)); break;
      case ti::inhibit_on_failure: j["inhibit_on_failure"] = opt(t.flag(i)); break;
      case ti::smtp_alert: j["smtp_alert"] = opt(t.flag(i)); break;
      case ti::log_all_failures: j["log_all_failures"] = opt(t.flag(i)); break;
    }
}

const char* method_name(lvs_method m) {
  switch (m) {
    case lvs_method::nat: return "NAT";
    case lvs_method::dr: return "DR";
    case lvs_method::tun: return "TUN";
  }
  return "";
}

json tun_type_json(tunnel_type t) {
  switch (t) {
    case tunnel_type::unset: return nullptr;
    case tunnel_type::ipip: return "ipip";
    case tunnel_type::gue: return "gue";
    case tunnel_type::gre: return "gre";
  }
  return nullptr;
}

json tun_flags_json(tunnel_csum c) {
  switch (c) {
    case tunnel_csum::unset: return nullptr;
    case tunnel_csum::nocsum: return "nocsum";
    case tunnel_csum::csum: return "csum";
    case tunnel_csum::remcsum: return "remcsum";
  }
  return nullptr;
}

// lvs_method and its tunnel options, under the keyword names of `lvs_method TUN type ...`.
void put_method(json& j, const std::optional<forwarding>& f) {
  j["lvs_method"] = f ? json(method_name(f->method)) : json(nullptr);
  j["tun_type"] = f ? tun_type_json(f->tun_type) : json(nullptr);
  j["tun_port"] = f && f->tun_type == tunnel_type::gue ? json(f->tun_port) : json(nullptr);
  j["tun_flags"] = f ? tun_flags_json(f->tun_flags) : json(nullptr);
}

// Bytes as hex digits; with a mask, a nibble nobody cares about is an x.
json hex(const std::vector<std::uint8_t>& bytes, const std::vector<std::uint8_t>* mask) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::uint8_t care = mask ? (*mask)[i] : 0xff;
    out += care & 0xf0 ? digits[bytes[i] >> 4] : 'x';
    out += care & 0x0f ? digits[bytes[i] & 0xf] : 'x';
  }
  return out;
}

json http_protocol_json(http_version v) {
  switch (v) {
    case http_version::unset: return nullptr;
    case http_version::v1_0: return "1.0";
    case http_version::v1_0c: return "1.0C";
    case http_version::v1_1: return "1.1";
  }
  return nullptr;
}

json dns_type_json(dns_type t) {
  static const char* names[] = {nullptr, "A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA"};
  const char* n = names[static_cast<int>(t)];
  return n ? json(n) : json(nullptr);
}

void put_http(json& j, const http_check& h, bool ssl) {
  j["http_protocol"] = http_protocol_json(h.http_protocol);
  j["fast_recovery"] = h.fast_recovery;
  if (ssl) j["enable_sni"] = h.enable_sni;
  j["url"] = h.urls;
}

// The keywords of one checker kind.
void put_kind(json& j, const checker& k) {
  if (auto* h = k.as<http_check>()) put_http(j, *h, false);
  if (auto* s = k.as<ssl_check>()) put_http(j, *s, true);
  if (auto* s = k.as<smtp_check>()) {
    j["helo_name"] = text(s->helo_name);
    j["host"] = s->hosts;
  }
  if (auto* d = k.as<dns_check>()) {
    j["type"] = dns_type_json(d->type);
    j["name"] = text(d->name);
  }
  if (auto* m = k.as<misc_check>()) {
    j["misc_path"] = text(m->misc_path);
    j["misc_timeout"] = opt(m->misc_timeout);
    j["misc_dynamic"] = m->misc_dynamic;
    j["user"] = text(m->user);
    j["group"] = text(m->group);
  }
  if (auto* u = k.as<udp_check>()) {
    j["payload"] = u->payload.empty() ? json(nullptr) : hex(u->payload, nullptr);
    j["require_reply"] = u->require_reply ? hex(u->reply, &u->reply_mask) : json(nullptr);
    j["min_reply_length"] = opt(u->min_reply_length);
    j["max_reply_length"] = opt(u->max_reply_length);
  }
  if (auto* f = k.as<file_check>()) {
    j["track_file"] = text(f->track_file);
    j["dynamic"] = f->dynamic;
    j["weight"] = f->weight;
    j["reverse"] = f->reverse;
  }
  if (auto* b = k.as<bfd_check>()) j["name"] = text(b->name);
}
} // namespace

void to_json(json& j, const ssl_settings& s) {
  j = json::object();
  j["password"] = text(s.password);
  j["ca"] = text(s.ca);
  j["certificate"] = text(s.certificate);
  j["key"] = text(s.key);
  j["where"] = s.where;
}

void to_json(json& j, const vs_group_entry& e) {
  j = json::object();
  j["address"] = address(e.addr);
  j["range_end"] = address(e.range_end);
  j["port"] = e.addr ? json(e.port) : json(nullptr);
  j["fwmark"] = opt(e.fwmark);
  j["family"] = text(ip_family_name(e.family));
  j["where"] = e.where;
}

void to_json(json& j, const virtual_server_group& g) {
  j = json::object();
  j["name"] = g.name;
  j["where"] = g.where;
  j["entries"] = g.entries;
}

void to_json(json& j, const http_url& u) {
  j = json::object();
  j["path"] = text(u.path);
  j["digest"] = text(u.digest);
  json codes = json::array();
  for (const auto& r : u.status_code)
    codes.push_back(r.first == r.last ? std::to_string(r.first) : std::to_string(r.first) + "-" + std::to_string(r.last));
  j["status_code"] = u.status_code.empty() ? json(nullptr) : codes;
  j["virtualhost"] = text(u.virtualhost);
  j["regex"] = text(u.regex);
  j["regex_no_match"] = u.regex_no_match;
  json options = json::array();
  for (int o = 0; o < static_cast<int>(regex_option::count_); ++o)
    if (u.regex_options >> o & 1) options.push_back(regex_option_name(static_cast<regex_option>(o)));
  j["regex_options"] = options;
  j["regex_stack"] = u.regex_stack_start ? json::array({*u.regex_stack_start, *u.regex_stack_max}) : json(nullptr);
  j["regex_min_offset"] = opt(u.regex_min_offset);
  j["regex_max_offset"] = opt(u.regex_max_offset);
  j["where"] = u.where;
}

void to_json(json& j, const check_endpoint& e) {
  using ti = check_timers;
  j = json::object();
  j["where"] = e.where;
  j["connect_ip"] = address(e.connect_ip);
  j["connect_port"] = opt(e.connect_port);
  j["bindto"] = address(e.source->bindto);
  j["bind_port"] = opt(e.source->bind_port);
  j["bind_if"] = text(e.source->bind_if);
  j["fwmark"] = opt(e.fwmark);
  put_timers(j, e.timers, {ti::connect_timeout, ti::retry, ti::delay_before_retry, ti::warmup, ti::delay_loop,
                           ti::alpha, ti::log_all_failures});
}

// The common options the kind has (keepalived does not know the others in it).
void to_json(json& j, const checker& k) {
  json common = static_cast<const check_endpoint&>(k);
  j = json::object();
  j["kind"] = checker_kind_name(k.kind());
  j["where"] = k.where;
  for (auto it = common.begin(); it != common.end(); ++it)
    if (it.key() != "where" && checker_has(k.kind(), it.key())) j[it.key()] = it.value();
  put_kind(j, k);
}

void to_json(json& j, const real_server& r) {
  using ti = check_timers;
  j = json::object();
  j["address"] = r.addr.to_string();
  j["port"] = r.port;
  j["where"] = r.where;
  if (r.sorry) return;  // a sorry_server has nothing more
  j["weight"] = r.weight;
  put_method(j, r.method);
  j["notify_up"] = command(r.notes->notify_up);
  j["notify_down"] = command(r.notes->notify_down);
  j["uthreshold"] = opt(r.notes->uthreshold);
  j["lthreshold"] = opt(r.notes->lthreshold);
  j["virtualhost"] = text(r.notes->virtualhost);
  j["snmp_name"] = text(r.notes->snmp_name);
  put_timers(j, r.timers, {ti::connect_timeout, ti::retry, ti::delay_before_retry, ti::warmup, ti::delay_loop,
                           ti::alpha, ti::inhibit_on_failure, ti::smtp_alert});
  j["checkers"] = r.checkers;
}

void to_json(json& j, const virtual_server& v) {
  using ti = check_timers;
  j = json::object();
  j["address"] = address(v.addr);
  j["port"] = v.addr ? json(v.port) : json(nullptr);
  j["fwmark"] = opt(v.fwmark);
  j["group"] = text(v.group);
  j["where"] = v.where;
  j["ip_family"] = text(ip_family_name(v.family));
  j["protocol"] = text(lvs_protocol_name(v.protocol));
  j["lvs_sched"] = text(scheduler_name(v.sched));
  for (int f = 0; f < static_cast<int>(sched_flag::count_); ++f)
    j[sched_flag_name(static_cast<sched_flag>(f))] = v.has(static_cast<sched_flag>(f));
  put_method(j, v.method);
  j["persistence_engine"] = text(v.persistence_engine);
  j["persistence_timeout"] = opt(v.persistence_timeout);
  j["persistence_granularity"] = address(v.persistence_granularity);
  j["ha_suspend"] = v.ha_suspend;
  j["virtualhost"] = text(v.virtualhost);
  j["snmp_name"] = text(v.snmp_name);
  j["omega"] = v.omega;
  j["quorum"] = v.quorum;
  j["hysteresis"] = v.hysteresis;
  j["quorum_up"] = command(v.quorum_up);
  j["quorum_down"] = command(v.quorum_down);
  put_timers(j, v.timers, {ti::connect_timeout, ti::retry, ti::delay_before_retry, ti::warmup, ti::delay_loop,
                           ti::alpha, ti::inhibit_on_failure, ti::smtp_alert});
  j["sorry_server_inhibit"] = v.sorry_server_inhibit;
  json sorry_method = json::object();
  put_method(sorry_method, v.sorry_server_method);
  j["sorry_server_lvs_method"] = v.sorry_server_method ? sorry_method : json(nullptr);
  json real = json::array(), sorry = json::array();
  for (const auto& r : v.real_servers) (r.sorry ? sorry : real).push_back(r);
  j["sorry_server"] = sorry;
  j["real_server"] = real;
}

} // namespace ka::config
