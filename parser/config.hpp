// The validated, typed configuration model: plain structs, no behaviour.
// Produced by load_config() (parser/load.hpp) from keepalived.conf syntax.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "parser/config_base.hpp"
#include "parser/config_global.hpp"
#include "parser/config_lvs.hpp"
#include "parser/config_vrrp.hpp"
#include "protocol/ip_address.hpp"

namespace ka::config {

enum class auth_kind { none, pass };

struct vrrp_instance {
  std::string name;
  source_pos where;
  bool initial_master = false;                    // `state MASTER`
  std::string interface;
  int vrid = 0;                                   // 1..255, required
  int priority = 100;                             // 1..255
  double advert_int = 1.0;                        // seconds
  int version = 2;                                // from global_defs vrrp_version unless set
  auth_kind auth = auth_kind::none;
  std::string auth_pass;                          // at most 8 bytes used on the wire
  std::vector<virtual_ip> vips;
  bool nopreempt = false;
  double preempt_delay = 0;                       // seconds
  double garp_master_delay = 5;                   // seconds
  int garp_master_repeat = 5;
  // Hooks as written: a command line, split like a shell would (quotes honoured).
  std::string notify, notify_master, notify_backup, notify_fault, notify_stop;
  std::map<std::string, run_as> hook_users;       // notify* keyword -> its `user [group]`, when written
  // Parsed and validated; the daemon does not act on these yet (see validate_common.cpp).
  std::vector<tracked> track_interface, track_script, track_file, track_process, track_bfd;
  std::optional<proto::ip_address> unicast_src_ip, mcast_dst_ip;  // mcast_src_ip: old name
  std::vector<unicast_peer> unicast_peers;
  std::vector<virtual_ip> vips_excluded;          // virtual_ipaddress_excluded
  std::vector<route_or_rule> virtual_routes, virtual_rules;
  std::optional<std::string> use_vmac;            // set: on; value: the vmac name (may be empty)
  std::string vmac_mac;                           // use_vmac's MAC address, empty: keepalived's
  // Unset: keepalived's default, accept unless strict, strict as global_defs vrrp_strict.
  std::optional<bool> accept, strict_mode;
  bool dont_track_primary = false;
  std::optional<int> unicast_ttl;
  std::string notify_master_rx_lower_pri;
  std::optional<std::string> notify_deleted;      // set: DELETED, not FAULT, on removal; value: a script
  std::string vrf;                                // empty: none
  bool use_vmac_addr = false, vmac_xmit_base = false;
  std::optional<ipvlan> use_ipvlan;
  bool native_ipv6 = false, track_src_ip = false, check_unicast_src = false;
  bool unicast_fault_no_peer = false, promote_secondaries = false, linkbeat_use_polling = false;
  old_checksum old_unicast_checksum = old_checksum::off;
  // Unset: the global_defs vrrp_* value of the same name. garp_lower_prio_* are always set
  // once loaded (resolved with their global defaults, protocol/garp_timing.hpp).
  std::optional<double> garp_lower_prio_delay, garp_master_refresh;  // whole seconds
  std::optional<int> garp_lower_prio_repeat, garp_master_refresh_repeat;
  std::optional<garp_extra> garp_extra_if;
  std::optional<int> down_timer_adverts;          // 1..100; unset: 3 (or the global value)
  std::optional<bool> lower_prio_no_advert, higher_prio_send_advert, skip_check_adv_addr;
  std::optional<bool> notify_priority_changes, smtp_alert;
  std::optional<int> debug;                       // 0..4 (keepalived reads it, does nothing)
  std::optional<std::uint32_t> kernel_rx_buf_size;  // bytes
  std::string lvs_sync_daemon_interface;          // old form of global_defs lvs_sync_daemon
};

// Something the operator should hear about at start-up.
struct diagnostic {
  enum class kind {
    unknown_keyword,   // an error under -t, a warning at start-up (as keepalived)
    not_acted_on,      // recognised keyword that this version does not act on yet
    warning,           // anything else worth saying (value clamped, ignored, ...)
  };
  kind what;
  source_pos where;
  std::string message;
  // The keyword it is about, as written (an option word for options): the admin socket's
  // not_in_effect names it without reading it back out of the message.
  std::string keyword = {};
};

// An interface named by the config, for the daemon to check it exists (parser/ does no
// I/O; keepalived warns, since an interface may appear later).
struct interface_ref {
  std::string name;
  source_pos where;
};

struct config {
  global_defs global;
  std::vector<vrrp_instance> instances;
  std::vector<vrrp_script> scripts;
  std::vector<track_file> track_files;
  std::vector<track_process> track_processes;
  std::vector<vrrp_sync_group> sync_groups;
  std::vector<bfd_instance> bfd_instances;
  std::vector<garp_group> garp_groups;
  std::vector<track_group> track_groups;
  std::vector<linkbeat_interface> linkbeat_interfaces;
  std::vector<interface_delays> interface_up_down_delays;
  std::vector<virtual_ip> static_addresses;
  std::vector<route_or_rule> static_routes, static_rules;
  std::vector<virtual_server_group> vs_groups;
  std::vector<virtual_server> virtual_servers;
  std::optional<ssl_settings> ssl;
  daemon_settings daemon;                         // top-level settings (net_namespace, ...)
  std::vector<interface_ref> interfaces;          // every interface named, in order
  std::vector<diagnostic> diagnostics;
  std::vector<std::string> files;                 // every file read, includes too
};

} // namespace ka::config
