// The config model of the VRRP side beyond vrrp_instance itself (parser/config.hpp):
// addresses, routes, tracked objects, sync groups, BFD. Plain structs, no behaviour.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parser/config_base.hpp"
#include "parser/config_global.hpp"  // run_as
#include "protocol/ip_address.hpp"
#include "protocol/route_rule.hpp"

namespace ka::config {

// virtual_ipaddress, virtual_ipaddress_excluded and static_ipaddress entries.
struct virtual_ip {
  proto::ip_address addr;
  int prefix_len = 32;                            // default /32 (v4), /128 (v6)
  std::string dev;                                // empty: the instance's interface
  std::string label;
  std::optional<proto::ip_address> broadcast;     // `brd`
  std::string scope;                              // empty or host|link|site|global|nowhere
  std::optional<proto::ip_address> peer;
  std::string track_group;
  std::vector<std::string> flags;                 // home, -nodad, no_track, ... as written
  // Seconds; `forever` is the kernel's infinite lifetime. Unset: keepalived's default
  // (0, deprecated, for a /128; the kernel's otherwise).
  std::optional<std::uint32_t> preferred_lft;
  static constexpr std::uint32_t forever = 0xffffffff;
  source_pos where;
};

// virtual_routes/static_routes and virtual_rules/static_rules entries: ip-route(8) and
// ip-rule(8) syntax. The first address is checked; the rest is kept for the kernel side.
struct route_or_rule {
  std::optional<proto::ip_address> first_address; // destination (route) or from/to (rule)
  int prefix_len = -1;                            // -1: none written
  std::vector<std::string> words;                 // as written
  source_pos where;
  // virtual_routes / virtual_rules only (the daemon acts on them): the words translated;
  // exactly one is set there. static_routes / static_rules keep only the words.
  std::optional<proto::route_desc> route;
  std::optional<proto::rule_desc> rule;
};

// use_ipvlan [NAME] [ADDR[/PREFIX]] [bridge|private|vepa]: an L2 ipvlan on the
// instance's interface instead of a macvlan VMAC.
struct ipvlan {
  std::string name;                               // empty: keepalived names it
  std::optional<proto::ip_address> addr;          // required for IPv4 instances by keepalived
  int prefix_len = -1;                            // -1: none written
  std::string mode = "bridge";                    // bridge (default), private or vepa
  source_pos where;
};

// garp_extra_if [all] SECONDS: periodic gratuitous ARP/NA for switch MAC caches, on the
// interfaces of VIPs that are not the instance's own; by default only on VMACs, with
// `all` on every interface the instance uses.
struct garp_extra {
  bool all = false;
  int interval = 0;                               // seconds 0..86400; 0 turns it off
  source_pos where;
};

// old_unicast_checksum [never]: off (not written: today's VRRPv3 checksum, the old one
// still recognised in received adverts), on (send the pre-1.3.6 checksum), never (today's
// checksum, and no recognising the old one).
enum class old_checksum { off, on, never };

struct unicast_peer {
  proto::ip_address addr;
  std::optional<int> min_ttl, max_ttl;
  source_pos where;
};

struct vrrp_script {
  std::string name;
  source_pos where;
  std::string script;                             // command line as written
  double interval = 1, timeout = 0;               // seconds; timeout 0: the interval
  int weight = 0;
  bool reverse = false;
  int rise = 1, fall = 1;
  std::vector<std::string> user;                  // user [group]
  bool init_fail = false;
};

struct track_file {
  std::string name;
  source_pos where;
  std::string file;
  int weight = 1;
  bool reverse = false;
  bool init_file = false;
  long long init_value = 0;
  bool init_overwrite = false;
};

struct track_process {
  std::string name;
  source_pos where;
  std::vector<std::string> process;               // command and parameters
  std::string param_match;                        // empty, initial or partial
  int weight = 0;
  bool reverse = false;
  int quorum = 1;
  std::optional<int> quorum_max;
  double fork_delay = 0, terminate_delay = 0, delay = 0;
  bool full_command = false;
};

struct bfd_instance {
  std::string name;
  source_pos where;
  std::optional<proto::ip_address> neighbor_ip, source_ip;
  int min_rx = 10, min_tx = 10, idle_tx = 1000;   // milliseconds
  int multiplier = 5;
  bool passive = false;
  int ttl = 255, max_hops = 255;                  // hoplimit is a synonym of ttl
  int weight = 0;
  bool reverse = false;
  bool vrrp = false, checker = false;
};

struct vrrp_sync_group {
  std::string name;
  source_pos where;
  std::vector<tracked> group;                     // member vrrp_instance names
  std::vector<tracked> track_interface, track_script, track_file, track_process, track_bfd;
  std::string notify, notify_master, notify_backup, notify_fault, notify_stop;
  std::map<std::string, run_as> hook_users;       // notify* keyword -> its `user [group]`, when written
  std::optional<std::string> notify_deleted;      // set: DELETED, not FAULT; value: a script
  std::optional<bool> notify_priority_changes, smtp_alert;  // unset: the global_defs value
  bool global_tracking = false, sync_group_tracking_weight = false;
};

struct garp_group {
  source_pos where;
  double garp_interval = 0, gna_interval = 0;     // seconds
  std::vector<std::string> interfaces;            // `interface` and `interfaces { }`
};

struct track_group {
  std::string name;
  source_pos where;
  std::vector<tracked> group;                     // vrrp_instance names
};

struct linkbeat_interface {
  std::string name;
  std::string kind;                               // empty, MII, ETHTOOL or IOCTL
  source_pos where;
};

// interface_up_down_delays entries: IFNAME DOWN_DELAY [UP_DELAY] seconds.
struct interface_delays {
  std::string name;
  double down = 0, up = 0;
  source_pos where;
};

} // namespace ka::config
