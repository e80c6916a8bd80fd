// global_defs and the daemon settings written outside it (keepalived.conf(5), "Global
// definitions"): every keyword as a typed field, grouped by subject. Part of the model in
// parser/config.hpp. Unset optionals mean keepalived's default; only the fields read by
// actors/ are acted on (the rest are reported as not acted on, validate_common.cpp).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parser/config_base.hpp"
#include "protocol/ip_address.hpp"

namespace ka::config {

// A child process's scheduling: the checker and BFD processes each have one, with
// keepalived's `checker_*` / `bfd_*` keywords (the VRRP ones are global_defs' own fields,
// since the advert thread acts on them).
struct process_sched {
  std::vector<int> cpu_affinity;                  // CPU ids 0..1023; empty: no pinning
  std::optional<int> rt_priority;                 // 1..99
  std::optional<int> priority;                    // nice value -20..19
  bool no_swap = false;
  std::optional<long> rlimit_rttime;              // microseconds, >= 1
};

// A user and optional group something runs as (empty: keepalived's default).
struct run_as {
  std::string user, group;
};

// `KEYWORD FILE_OR_SCRIPT [user [group]]`: startup/shutdown scripts, FIFOs and their scripts.
struct file_as {
  std::string path;                               // a script may be a quoted command line
  run_as as;
  source_pos where;
};

struct mail_options {
  std::string smtp_helo_name;                     // empty: the host name
  std::optional<bool> smtp_alert, smtp_alert_vrrp, smtp_alert_checker;  // unset: per block
  bool checker_log_all_failures = false;
  bool no_email_faults = false;
  bool no_checker_emails = false;
};

// `vrrp_rx_bufs_policy MTU|ADVERT|NUMBER`.
struct rx_bufs_policy {
  enum class kind { mtu, advert, size };
  kind what = kind::mtu;
  unsigned size = 0;                              // bytes, for kind::size
};

// `vrrp_garp_extra_if [all] SECS`.
struct garp_extra_if {
  int interval = 0;                               // seconds 1..86400
  bool all = false;                               // every interface, not only VMACs
};

// `dynamic_interfaces [allow_if_changes]`.
struct dynamic_interfaces {
  bool on = false;
  bool allow_if_changes = false;
};

// Defaults for every vrrp_instance, and VRRP process behaviour.
struct vrrp_defaults {
  std::optional<proto::ip_address> vrrp_mcast_group4;  // IPv4 multicast
  std::optional<proto::ip_address> vrrp_mcast_group6;  // IPv6 link-local multicast (ff02::)
  std::string default_interface;                  // empty: eth0
  std::optional<double> vrrp_garp_master_delay;   // seconds (whole)
  std::optional<unsigned> vrrp_garp_master_repeat;  // >= 1
  std::optional<double> vrrp_garp_lower_prio_delay;  // seconds (whole)
  std::optional<int> vrrp_garp_lower_prio_repeat;
  std::optional<double> vrrp_garp_master_refresh;    // seconds (whole)
  std::optional<unsigned> vrrp_garp_master_refresh_repeat;  // >= 1
  std::optional<double> vrrp_garp_interval;       // seconds, microsecond resolution
  std::optional<double> vrrp_gna_interval;        // seconds, microsecond resolution
  bool vrrp_min_garp = false;
  std::optional<garp_extra_if> vrrp_garp_extra_if;
  std::optional<int> vrrp_down_timer_adverts;     // 1..100
  std::optional<bool> vrrp_lower_prio_no_advert;  // unset: on only with strict mode
  bool vrrp_higher_prio_send_advert = false;
  bool vrrp_check_unicast_src = false;
  bool vrrp_skip_check_adv_addr = false;
  bool vrrp_strict = false;
  bool vrrp_notify_priority_changes = false;
  std::optional<double> vrrp_startup_delay;       // seconds, millisecond resolution
  bool log_unknown_vrids = false;
  std::string vmac_prefix, vmac_addr_prefix;      // empty: "vrrp", then vmac_prefix
  std::optional<rx_bufs_policy> vrrp_rx_bufs_policy;  // unset: the system's default
  std::optional<unsigned> vrrp_rx_bufs_multiplier;    // default 3
  dynamic_interfaces dynamic;
  bool disable_local_igmp = false;
};

// `vrrp_iptables [IN [OUT]]`.
struct iptables_chains {
  std::string in, out;                            // empty out: no outbound filtering
};

struct firewall {
  std::optional<iptables_chains> vrrp_iptables;   // without chains: INPUT and OUTPUT
  std::optional<std::vector<std::string>> vrrp_ipsets;  // up to 5 names; empty: no ipsets
  std::optional<std::string> nftables;            // the table; empty: keepalived's default
  std::optional<int> nftables_priority;
  bool nftables_counters = false;
  bool nftables_ifindex = false;
  std::optional<std::string> nftables_ipvs;       // the table; empty: keepalived's default
  std::optional<int> nftables_ipvs_priority;
  std::optional<unsigned> nftables_ipvs_start_fwmark;  // default 1000
};

// `lvs_sync_daemon INTERFACE [[inst] VRRP_INSTANCE] [id ID] [maxlen LEN] [port PORT]
// [ttl TTL] [group ADDR]`.
struct lvs_sync_daemon {
  std::string interface;
  std::string instance;                           // empty: both daemons run always
  std::optional<int> id;                          // 0..255; default: the instance's VRID
  std::optional<int> maxlen;                      // 1..65507
  std::optional<int> port;                        // 1..65535; default 8848
  std::optional<int> ttl;                         // 1..255
  std::optional<proto::ip_address> group;         // multicast; default 224.0.0.81
  source_pos where;
};

// `lvs_timeouts [tcp SECS] [tcpfin SECS] [udp SECS]`: unset leaves the kernel's value.
struct lvs_timeouts {
  std::optional<unsigned> tcp, tcpfin, udp;       // seconds
};

enum class flush_on_stop { no, all, vs };         // vs: only the virtual servers

struct lvs_options {
  std::optional<lvs_sync_daemon> sync_daemon;
  std::optional<lvs_timeouts> timeouts;
  bool lvs_flush = false;
  flush_on_stop lvs_flush_on_stop = flush_on_stop::no;
  bool rs_init_notifies = false;
};

struct snmp_dbus {
  std::string snmp_socket;                        // empty: unix:/var/agentx/master
  bool enable_snmp_vrrp = false, enable_snmp_keepalived = false, enable_snmp_checker = false;
  bool enable_snmp_rfc = false, enable_snmp_rfcv2 = false, enable_snmp_rfcv3 = false;
  bool enable_traps = false;
  bool enable_dbus = false;
  std::string dbus_service_name;                  // empty: org.keepalived.Vrrp1
};

// A notify FIFO and the script keepalived runs to read it.
struct notify_fifo {
  std::optional<file_as> fifo, script;
};

struct fifos {
  notify_fifo notify, vrrp, lvs;                  // notify_fifo, vrrp_notify_fifo, lvs_notify_fifo
  bool fifo_write_vrrp_states_on_reload = false;
};

// A netlink socket's receive buffer: `X BYTES` and `X_force <BOOL>`.
struct rcv_buf {
  std::optional<unsigned> bytes;
  bool force = false;                             // SO_RCVBUFFORCE
};

struct netlink_buffers {
  rcv_buf vrrp_netlink_cmd, vrrp_netlink_monitor, lvs_netlink_cmd, lvs_netlink_monitor, process_monitor;
};

// `include_check [OPTIONS]`: which missing include files are errors (each implies the
// file must be readable).
struct include_checks {
  bool match = false, wildcard_match = false, brace_match = false;
};

// Processes, files and scripts.
struct process_options {
  std::optional<int> max_auto_priority;           // -1..99; without a value: 99
  std::optional<int> min_auto_priority_delay;     // microseconds 1..10000000
  bool process_names = false;
  std::string process_name, vrrp_process_name, checker_process_name, bfd_process_name;
  std::string tmp_config_directory, config_save_dir;
  std::optional<file_as> startup_script, shutdown_script;
  int startup_script_timeout = 10;                // seconds 1..1000
  int shutdown_script_timeout = 10;               // seconds 1..1000
  std::optional<run_as> script_user;
  bool enable_script_security = false;
  std::optional<int> umask;                       // mode bits 0..0777
  std::optional<unsigned> random_seed;
  std::optional<std::string> reload_check_config;  // set: on; value: the log file (may be empty)
  std::optional<include_checks> include_check;
  std::string reload_time_file;
  bool reload_repeat = false;
  std::optional<std::string> reload_file;         // set: on; empty: keepalived.reload
  bool data_use_instance = false;
};

// A TCP address and port to listen on (metrics_listen).
struct listen_address {
  proto::ip_address addr;
  std::uint16_t port = 0;
  std::string to_string() const {  // "192.0.2.1:9650", "[::1]:9650"
    return (addr.is_v4() ? addr.to_string() : "[" + addr.to_string() + "]") + ":" + std::to_string(port);
  }
};

struct global_defs {
  std::string router_id;                          // default: hostname (filled by the loader)
  std::vector<std::string> notification_email;
  std::string notification_email_from;
  std::string smtp_server;                        // address, optionally "addr port"
  int smtp_port = 25;
  double smtp_connect_timeout = 30;               // seconds
  int vrrp_version = 2;                           // 2 or 3
  std::string admin_socket;                       // empty: daemon default
  std::string admin_group;                        // our extension: members may use the admin socket
  std::optional<listen_address> metrics_listen;   // our extension: Prometheus GET /metrics; unset: none
  // The advert thread's scheduling, with keepalived's names for its VRRP process knobs.
  // Unset values take Keepalive's defaults (SCHED_FIFO, locked memory); see advert_actor.cpp.
  std::vector<int> vrrp_cpu_affinity;             // CPU ids; empty: no pinning asked for
  std::optional<int> vrrp_rt_priority;            // 1..99
  std::optional<int> vrrp_priority;               // nice value -20..19
  bool vrrp_no_swap = false;
  std::optional<long> vrrp_rlimit_rttime;         // microseconds, >= 1
  // Everything else keepalived.conf(5) has, parsed but not acted on yet.
  process_sched checker, bfd;
  process_options process;
  mail_options mail;
  vrrp_defaults vrrp;
  firewall fw;
  lvs_options lvs;
  snmp_dbus snmp;
  fifos fifo;
  netlink_buffers netlink;
  source_pos where;
};

// The daemon settings keepalived reads outside global_defs (top level of the file).
struct daemon_settings {
  std::optional<std::string> net_namespace;
  std::optional<std::string> net_namespace_ipvs;  // set without a name: the default namespace
  bool namespace_with_ipsets = false;
  std::optional<std::string> instance;
  bool use_pid_dir = false;
  bool linkbeat_use_polling = false;
  std::optional<unsigned> child_wait_time;        // seconds; default 5
};

} // namespace ka::config
