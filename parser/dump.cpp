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
  j["virtual_server_group"] = c.vs_groups;
  j["virtual_server"] = c.virtual_servers;
  j["SSL"] = c.ssl ? json(*c.ssl) : json(nullptr);
}

json not_in_effect(const config& c) {
  json out = json::array();
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::not_acted_on)
      out.push_back({{"keyword", d.keyword}, {"where", d.where}, {"message", d.message}});
  return out;
}

} // namespace ka::config
