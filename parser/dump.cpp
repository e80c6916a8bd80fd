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

// The first 'quoted' word of a message: the keyword it is about (null if none).
json keyword_of(const std::string& message) {
  auto b = message.find('\'');
  auto e = b == std::string::npos ? b : message.find('\'', b + 1);
  return e == std::string::npos ? json(nullptr) : json(message.substr(b + 1, e - b - 1));
}
} // namespace

void to_json(json& j, const source_pos& p) { j = p.line > 0 ? json(p.to_string()) : json(nullptr); }

void to_json(json& j, const global_defs& g) {
  j = json::object();
  j["router_id"] = g.router_id;
  j["notification_email"] = g.notification_email;
  j["notification_email_from"] = g.notification_email_from;
  j["smtp_server"] = g.smtp_server;
  j["smtp_port"] = g.smtp_port;
  j["smtp_connect_timeout"] = g.smtp_connect_timeout;
  j["vrrp_version"] = g.vrrp_version;
  j["admin_socket"] = g.admin_socket;
  j["admin_group"] = g.admin_group;
  j["vrrp_cpu_affinity"] = g.vrrp_cpu_affinity;
  j["vrrp_rt_priority"] = optional_json(g.vrrp_rt_priority);
  j["vrrp_priority"] = optional_json(g.vrrp_priority);
  j["vrrp_no_swap"] = g.vrrp_no_swap;
  j["vrrp_rlimit_rttime"] = optional_json(g.vrrp_rlimit_rttime);
  j["where"] = g.where;
}

void to_json(json& j, const diagnostic& d) {
  j = json::object();
  j["kind"] = kind_name(d.what);
  j["where"] = d.where;
  j["message"] = d.message;
}

void to_json(json& j, const config& c) {
  j = json::object();
  j["files"] = c.files;
  j["global_defs"] = c.global;
  j["vrrp_instance"] = c.instances;
  j["vrrp_script"] = c.scripts;
  j["track_file"] = c.track_files;
  j["vrrp_track_process"] = c.track_processes;
  j["bfd_instance"] = c.bfd_instances;
  j["vrrp_sync_group"] = c.sync_groups;
  j["garp_group"] = c.garp_groups;
  j["track_group"] = c.track_groups;
  j["linkbeat_interfaces"] = c.linkbeat_interfaces;
  j["interface_up_down_delays"] = c.interface_up_down_delays;
  j["static_ipaddress"] = c.static_addresses;
  j["static_routes"] = c.static_routes;
  j["static_rules"] = c.static_rules;
}

json not_in_effect(const config& c) {
  json out = json::array();
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::not_acted_on)
      out.push_back({{"keyword", keyword_of(d.message)}, {"where", d.where}, {"message", d.message}});
  return out;
}

} // namespace ka::config
