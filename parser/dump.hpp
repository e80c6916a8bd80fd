// The effective configuration as JSON (after includes, conditionals and macros): what
// `keepalive --dump-config` prints and the admin socket's `config` command answers.
// One to_json per model struct (config.hpp); a new struct gets its own beside them.
#pragma once
#include "parser/config.hpp"
#include "protocol/admin_protocol.hpp"

namespace ka::config {

void to_json(json& j, const source_pos& p);
void to_json(json& j, const global_defs& g);        // dump_global.cpp
void to_json(json& j, const daemon_settings& d);    // dump_global.cpp

// VRRP side (dump_vrrp.cpp)
void to_json(json& j, const tracked& t);
void to_json(json& j, const virtual_ip& v);
void to_json(json& j, const route_or_rule& r);
void to_json(json& j, const unicast_peer& p);
void to_json(json& j, const vrrp_instance& i);
void to_json(json& j, const vrrp_script& s);
void to_json(json& j, const track_file& f);
void to_json(json& j, const track_process& p);
void to_json(json& j, const bfd_instance& b);
void to_json(json& j, const vrrp_sync_group& g);
void to_json(json& j, const garp_group& g);
void to_json(json& j, const track_group& g);
void to_json(json& j, const linkbeat_interface& l);
void to_json(json& j, const interface_delays& d);

void to_json(json& j, const diagnostic& d);
// The LVS side (dump_lvs.cpp).
void to_json(json& j, const ssl_settings& s);
void to_json(json& j, const vs_group_entry& e);
void to_json(json& j, const virtual_server_group& g);
void to_json(json& j, const http_url& u);
void to_json(json& j, const check_endpoint& e);
void to_json(json& j, const checker& k);
void to_json(json& j, const real_server& r);
void to_json(json& j, const virtual_server& v);
void to_json(json& j, const config& c);

// The not_acted_on diagnostics as {keyword, where, message}: what is not in effect yet.
json not_in_effect(const config& c);

} // namespace ka::config
