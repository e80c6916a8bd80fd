// Model -> JSON (dump.hpp). Members in the order of the structs in config.hpp; optional
// values that are unset are null; positions are "file:line:column" strings.
#include "parser/dump.hpp"

namespace ka::config {

namespace {
template <class T>
json optional_json(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

const char* kind_name(diagnostic::kind k) {
  switch (k) {
    case diagnostic::kind::unknown_keyword: return "unknown_keyword";
    case diagnostic::kind::not_acted_on: return "not_acted_on";
    case diagnostic::kind::warning: return "warning";
  }
  return "";
}

} // namespace

void to_json(json& j, const source_pos& p) { j = p.line > 0 ? json(p.to_string()) : json(nullptr); }

// to_json(global_defs) and to_json(daemon_settings): dump_global.cpp.

void to_json(json& j, const virtual_ip& v) {
  j = json::object();
  j["address"] = v.addr.to_string();
  j["prefix_len"] = v.prefix_len;
  j["dev"] = v.dev;
  j["label"] = v.label;
  j["brd"] = v.broadcast ? json(v.broadcast->to_string()) : json(nullptr);
  j["scope"] = v.scope;
  j["where"] = v.where;
}

void to_json(json& j, const vrrp_instance& i) {
  j = json::object();
  j["name"] = i.name;
  j["where"] = i.where;
  j["state"] = i.initial_master ? "MASTER" : "BACKUP";
  j["interface"] = i.interface;
  j["virtual_router_id"] = i.vrid;
  j["priority"] = i.priority;
  j["advert_int"] = i.advert_int;
  j["version"] = i.version;
  j["auth_type"] = i.auth == auth_kind::pass ? json("PASS") : json(nullptr);
  j["auth_pass"] = i.auth_pass;
  j["virtual_ipaddress"] = i.vips;
  j["nopreempt"] = i.nopreempt;
  j["preempt_delay"] = i.preempt_delay;
  j["garp_master_delay"] = i.garp_master_delay;
  j["garp_master_repeat"] = i.garp_master_repeat;
  j["notify"] = i.notify;
  j["notify_master"] = i.notify_master;
  j["notify_backup"] = i.notify_backup;
  j["notify_fault"] = i.notify_fault;
  j["notify_stop"] = i.notify_stop;
}

void to_json(json& j, const diagnostic& d) {
  j = json::object();
  j["kind"] = kind_name(d.what);
  j["where"] = d.where;
  j["message"] = d.message;
  j["keyword"] = d.keyword.empty() ? json(nullptr) : json(d.keyword);
}

void to_json(json& j, const config& c) {
  j = json::object();
  j["files"] = c.files;
  j["global_defs"] = c.global;
  j["daemon"] = c.daemon;
  j["vrrp_instance"] = c.instances;
}

json not_in_effect(const config& c) {
  json out = json::array();
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::not_acted_on)
      out.push_back({{"keyword", d.keyword}, {"where", d.where}, {"message", d.message}});
  return out;
}

} // namespace ka::config
