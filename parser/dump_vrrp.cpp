// Model -> JSON for the VRRP side (dump.hpp): vrrp_instance and every block it refers
// to or that stands beside it. Keys are keepalived.conf(5) keyword names, members in the
// order of the structs (config.hpp, config_vrrp.hpp); unset optionals are null, so that
// "not written" (the default applies) differs from a value written.
#include "parser/dump.hpp"

namespace ka::config {

namespace {
template <class T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json addr(const std::optional<proto::ip_address>& a) { return a ? json(a->to_string()) : json(nullptr); }

// -1 is "no prefix written" in the model.
json prefix(int len) { return len < 0 ? json(nullptr) : json(len); }

// Strings the model leaves empty when the keyword is not written.
json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

const char* checksum_name(old_checksum c) {
  switch (c) {
    case old_checksum::off: return "off";
    case old_checksum::on: return "on";
    case old_checksum::never: return "never";
  }
  return "";
}

json use_vmac_json(const vrrp_instance& i) {
  if (!i.use_vmac) return nullptr;
  return {{"name", text_or_null(*i.use_vmac)}, {"mac", text_or_null(i.vmac_mac)}};
}

json ipvlan_json(const std::optional<ipvlan>& v) {
  if (!v) return nullptr;
  return {{"name", text_or_null(v->name)}, {"address", addr(v->addr)}, {"prefix_len", prefix(v->prefix_len)},
          {"mode", v->mode}, {"where", v->where}};
}

json garp_extra_json(const std::optional<garp_extra>& g) {
  if (!g) return nullptr;
  return {{"all", g->all}, {"interval", g->interval}, {"where", g->where}};
}

json preferred_lft_json(const std::optional<std::uint32_t>& l) {
  if (!l) return nullptr;
  return *l == virtual_ip::forever ? json("forever") : json(*l);
}

// The instance's keywords past the ones the daemon acts on (dump.cpp's first part).
void options_json(json& j, const vrrp_instance& i) {
  j["track_interface"] = i.track_interface;
  j["track_script"] = i.track_script;
  j["track_file"] = i.track_file;
  j["track_process"] = i.track_process;
  j["track_bfd"] = i.track_bfd;
  j["unicast_src_ip"] = addr(i.unicast_src_ip);
  j["mcast_dst_ip"] = addr(i.mcast_dst_ip);
  j["unicast_peer"] = i.unicast_peers;
  j["virtual_ipaddress_excluded"] = i.vips_excluded;
  j["virtual_routes"] = i.virtual_routes;
  j["virtual_rules"] = i.virtual_rules;
  j["use_vmac"] = use_vmac_json(i);
  j["accept"] = opt(i.accept);
  j["strict_mode"] = opt(i.strict_mode);
  j["dont_track_primary"] = i.dont_track_primary;
  j["unicast_ttl"] = opt(i.unicast_ttl);
  j["notify_deleted"] = opt(i.notify_deleted);
  j["notify_master_rx_lower_pri"] = text_or_null(i.notify_master_rx_lower_pri);
  j["vrf"] = text_or_null(i.vrf);
  j["use_vmac_addr"] = i.use_vmac_addr;
  j["vmac_xmit_base"] = i.vmac_xmit_base;
  j["use_ipvlan"] = ipvlan_json(i.use_ipvlan);
  j["native_ipv6"] = i.native_ipv6;
  j["track_src_ip"] = i.track_src_ip;
  j["check_unicast_src"] = i.check_unicast_src;
  j["unicast_fault_no_peer"] = i.unicast_fault_no_peer;
  j["promote_secondaries"] = i.promote_secondaries;
  j["linkbeat_use_polling"] = i.linkbeat_use_polling;
  j["old_unicast_checksum"] = checksum_name(i.old_unicast_checksum);
  j["garp_lower_prio_delay"] = opt(i.garp_lower_prio_delay);
  j["garp_master_refresh"] = opt(i.garp_master_refresh);
  j["garp_lower_prio_repeat"] = opt(i.garp_lower_prio_repeat);
  j["garp_master_refresh_repeat"] = opt(i.garp_master_refresh_repeat);
  j["garp_extra_if"] = garp_extra_json(i.garp_extra_if);
  j["down_timer_adverts"] = opt(i.down_timer_adverts);
  j["lower_prio_no_advert"] = opt(i.lower_prio_no_advert);
  j["higher_prio_send_advert"] = opt(i.higher_prio_send_advert);
  j["skip_check_adv_addr"] = opt(i.skip_check_adv_addr);
  j["notify_priority_changes"] = opt(i.notify_priority_changes);
  j["smtp_alert"] = opt(i.smtp_alert);
  j["debug"] = opt(i.debug);
  j["kernel_rx_buf_size"] = opt(i.kernel_rx_buf_size);
  j["lvs_sync_daemon_interface"] = text_or_null(i.lvs_sync_daemon_interface);
}
} // namespace

void to_json(json& j, const tracked& t) {
  // weight null: not written, the tracked object's own weight applies.
  j = {{"name", t.name}, {"weight", t.weight_set ? json(t.weight) : json(nullptr)}, {"reverse", t.reverse},
       {"where", t.where}};
}

void to_json(json& j, const virtual_ip& v) {
  j = json::object();
  j["address"] = v.addr.to_string();
  j["prefix_len"] = v.prefix_len;
  j["dev"] = text_or_null(v.dev);
  j["label"] = text_or_null(v.label);
  j["brd"] = addr(v.broadcast);
  j["scope"] = text_or_null(v.scope);
  j["peer"] = addr(v.peer);
  j["track_group"] = text_or_null(v.track_group);
  j["flags"] = v.flags;
  j["preferred_lft"] = preferred_lft_json(v.preferred_lft);
  j["where"] = v.where;
}

void to_json(json& j, const route_or_rule& r) {
  j = {{"words", r.words}, {"address", addr(r.first_address)}, {"prefix_len", prefix(r.prefix_len)},
       {"where", r.where}};
}

void to_json(json& j, const unicast_peer& p) {
  j = {{"address", p.addr.to_string()}, {"min_ttl", opt(p.min_ttl)}, {"max_ttl", opt(p.max_ttl)}, {"where", p.where}};
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
  j["auth_pass"] = text_or_null(i.auth_pass);
  j["virtual_ipaddress"] = i.vips;
  j["nopreempt"] = i.nopreempt;
  j["preempt_delay"] = i.preempt_delay;
  j["garp_master_delay"] = i.garp_master_delay;
  j["garp_master_repeat"] = i.garp_master_repeat;
  j["notify"] = text_or_null(i.notify);
  j["notify_master"] = text_or_null(i.notify_master);
  j["notify_backup"] = text_or_null(i.notify_backup);
  j["notify_fault"] = text_or_null(i.notify_fault);
  j["notify_stop"] = text_or_null(i.notify_stop);
  options_json(j, i);
}

void to_json(json& j, const vrrp_script& s) {
  j = {{"name", s.name}, {"where", s.where}, {"script", s.script}, {"interval", s.interval},
       {"timeout", s.timeout}, {"weight", s.weight}, {"reverse", s.reverse}, {"rise", s.rise},
       {"fall", s.fall}, {"user", s.user}, {"init_fail", s.init_fail}};
}

void to_json(json& j, const track_file& f) {
  json init = f.init_file ? json{{"value", f.init_value}, {"overwrite", f.init_overwrite}} : json(nullptr);
  j = {{"name", f.name}, {"where", f.where}, {"file", f.file}, {"weight", f.weight},
       {"reverse", f.reverse}, {"init_file", init}};
}

void to_json(json& j, const track_process& p) {
  j = {{"name", p.name}, {"where", p.where}, {"process", p.process},
       {"param_match", text_or_null(p.param_match)}, {"weight", p.weight}, {"reverse", p.reverse},
       {"quorum", p.quorum}, {"quorum_max", opt(p.quorum_max)}, {"fork_delay", p.fork_delay},
       {"terminate_delay", p.terminate_delay}, {"delay", p.delay}, {"full_command", p.full_command}};
}

void to_json(json& j, const bfd_instance& b) {
  j = {{"name", b.name}, {"where", b.where}, {"neighbor_ip", addr(b.neighbor_ip)},
       {"source_ip", addr(b.source_ip)}, {"min_rx", b.min_rx}, {"min_tx", b.min_tx},
       {"idle_tx", b.idle_tx}, {"multiplier", b.multiplier}, {"passive", b.passive},
       {"ttl", b.ttl}, {"max_hops", b.max_hops}, {"weight", b.weight}, {"reverse", b.reverse},
       {"vrrp", b.vrrp}, {"checker", b.checker}};
}

void to_json(json& j, const vrrp_sync_group& g) {
  j = {{"name", g.name}, {"where", g.where}, {"group", g.group},
       {"track_interface", g.track_interface}, {"track_script", g.track_script},
       {"track_file", g.track_file}, {"track_process", g.track_process}, {"track_bfd", g.track_bfd},
       {"notify", text_or_null(g.notify)}, {"notify_master", text_or_null(g.notify_master)},
       {"notify_backup", text_or_null(g.notify_backup)},
       {"notify_fault", text_or_null(g.notify_fault)}, {"notify_stop", text_or_null(g.notify_stop)},
       {"notify_deleted", opt(g.notify_deleted)}, {"notify_priority_changes", opt(g.notify_priority_changes)},
       {"smtp_alert", opt(g.smtp_alert)}, {"global_tracking", g.global_tracking},
       {"sync_group_tracking_weight", g.sync_group_tracking_weight}};
}

void to_json(json& j, const garp_group& g) {
  j = {{"where", g.where}, {"garp_interval", g.garp_interval}, {"gna_interval", g.gna_interval},
       {"interfaces", g.interfaces}};
}

void to_json(json& j, const track_group& g) { j = {{"name", g.name}, {"where", g.where}, {"group", g.group}}; }

void to_json(json& j, const linkbeat_interface& l) {
  j = {{"name", l.name}, {"kind", text_or_null(l.kind)}, {"where", l.where}};
}

void to_json(json& j, const interface_delays& d) {
  j = {{"name", d.name}, {"down_delay", d.down}, {"up_delay", d.up}, {"where", d.where}};
}

} // namespace ka::config
