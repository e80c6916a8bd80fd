// Internal to validation: the block kinds of keepalived.conf, one file per family
// (validate_global.cpp, validate_vrrp.cpp, validate_track.cpp, validate_lvs.cpp), joined
// by the top-level table and the cross-reference checks in validate.cpp.
#pragma once
#include <optional>
#include <vector>

#include "parser/validate_common.hpp"

namespace ka::config::detail {

// A vrrp_instance while it is read: the model plus what the later checks need.
struct instance_state {
  vrrp_instance inst;
  std::optional<source_pos> interface_at, vrid_at, version_at, auth_type_at, auth_pass_at;
  bool priority_set = false, state_set = false;
  bool garp_delay_set = false, garp_repeat_set = false;  // else the global defaults (finish)
  // Strict mode's warnings point at the keyword they undo (validate_strict.cpp).
  std::optional<source_pos> state_at, auth_at, preempt_delay_at, accept_at, lower_prio_at,
      higher_prio_at, xmit_base_at;
};

// Generic table rows (validate_common.hpp) write into the model inside the state.
inline vrrp_instance& model_of(instance_state& s) { return s.inst; }

struct top_state {
  std::vector<instance_state> instances;
  bool global_seen = false;
};

// validate_global.cpp
void global_defs_block(context& c, top_state& t, const node& n);
// The top-level daemon settings outside global_defs (net_namespace, ...), into config::daemon.
void top_setting(context& c, top_state& t, const node& n);

// validate_vrrp.cpp
void vrrp_instance_block(context& c, top_state& t, const node& n);
void finish_instances(context& c, top_state& t);
// validate_strict.cpp: strict_mode / vrrp_strict, after the instance's version and state
// are final: what keepalived 2.2.7 refuses, or resets with a warning.
void finish_strict(context& c, instance_state& s);
// virtual_ipaddress-like blocks (also static_ipaddress) and route/rule blocks.
std::vector<virtual_ip> address_block(context& c, const node& n);
// translate: also turn each line into the typed route/rule the daemon installs, refusing
// (at the offending word) a form it cannot install.
std::vector<route_or_rule> route_block(context& c, const node& n, bool rules, bool translate = false);
// `track_*` blocks: one name per line, optional `weight N [reverse]`.
std::vector<tracked> tracked_block(context& c, const node& n, long long lo, long long hi);

// validate_track.cpp: vrrp_script, track_file, track_process, sync groups, bfd, ...
void vrrp_script_block(context& c, top_state& t, const node& n);
void track_file_block(context& c, top_state& t, const node& n);
void track_process_block(context& c, top_state& t, const node& n);
void sync_group_block(context& c, top_state& t, const node& n);
void bfd_instance_block(context& c, top_state& t, const node& n);
void garp_group_block(context& c, top_state& t, const node& n);
void track_group_block(context& c, top_state& t, const node& n);
void linkbeat_block(context& c, top_state& t, const node& n);
void up_down_delays_block(context& c, top_state& t, const node& n);
void static_address_block(context& c, top_state& t, const node& n);
void static_routes_block(context& c, top_state& t, const node& n);
void static_rules_block(context& c, top_state& t, const node& n);

// validate_lvs.cpp
void vs_group_block(context& c, top_state& t, const node& n);
void virtual_server_block(context& c, top_state& t, const node& n);
void ssl_block(context& c, top_state& t, const node& n);
void finish_lvs(context& c);

} // namespace ka::config::detail
