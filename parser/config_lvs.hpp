// The config model of the LVS side: virtual_server_group, virtual_server, real_server,
// sorry_server and the health checkers. Plain structs, no behaviour.
// Timers are seconds; where a value is inherited (virtual server -> real server ->
// checker) an unset optional means "take the enclosing block's".
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "parser/config_base.hpp"
#include "protocol/ip_address.hpp"

namespace ka::config {

// The timers and retries every level may set.
struct check_timers {
  std::optional<double> connect_timeout, delay_before_retry, warmup, delay_loop;
  std::optional<int> retry;
  std::optional<bool> alpha, inhibit_on_failure, smtp_alert, log_all_failures;
};

struct http_url {
  std::string path, digest, virtualhost, regex;
  std::vector<std::string> status_code;           // codes or ranges, as written
  kept_map other;                                 // regex_* options
  source_pos where;
};

struct checker {
  std::string kind;                               // TCP_CHECK, HTTP_GET, ... as written
  source_pos where;
  std::optional<proto::ip_address> connect_ip, bindto;
  std::optional<int> connect_port, bind_port, fwmark;
  std::string bind_if;
  check_timers timers;
  std::vector<http_url> urls;                     // HTTP_GET, SSL_GET
  std::string http_protocol;
  bool enable_sni = false, fast_recovery = false;
  std::string helo_name;                          // SMTP_CHECK
  std::string dns_type;                           // DNS_CHECK
  std::string name;                               // DNS_CHECK's query, BFD_CHECK's bfd_instance
  std::string misc_path;                          // MISC_CHECK
  std::optional<double> misc_timeout;
  bool misc_dynamic = false;
  std::vector<std::string> user;
  std::string track_file;                         // FILE_CHECK
  bool dynamic = false;
  int weight = 0;
  bool reverse = false;
  kept_map other;                                 // UDP_CHECK payload/reply options
  std::vector<checker> hosts;                     // SMTP_CHECK's old `host { }` blocks
};

enum class lvs_method { nat, dr, tun };

struct real_server {
  proto::ip_address addr;
  int port = 0;
  source_pos where;
  bool sorry = false;                             // sorry_server
  int weight = 1;
  std::optional<lvs_method> method;
  std::vector<std::string> method_options;        // TUN type/csum words
  std::string notify_up, notify_down;
  std::optional<int> uthreshold, lthreshold;
  std::string virtualhost, snmp_name;
  check_timers timers;
  std::vector<checker> checkers;
};

struct vs_group_entry {
  std::optional<proto::ip_address> addr;          // address or first of a range
  int range_last = -1;                            // last byte/group of a range, -1: none
  int port = 0;
  std::optional<int> fwmark;
  std::string family;                             // fwmark's inet|inet6, if written
  source_pos where;
};

struct virtual_server_group {
  std::string name;
  source_pos where;
  std::vector<vs_group_entry> entries;
};

struct virtual_server {
  // Exactly one of: address (+port), fwmark, group.
  std::optional<proto::ip_address> addr;
  int port = 0;
  std::optional<int> fwmark;
  std::string group;
  source_pos where;
  std::string sched;                              // lvs_sched / lb_algo
  std::vector<std::string> sched_flags;           // flag-1.., sh-port, ops, ...
  lvs_method method = lvs_method::nat;            // lvs_method / lb_kind
  std::vector<std::string> method_options;
  std::string persistence_engine, persistence_granularity;
  std::optional<int> persistence_timeout;
  std::string protocol = "TCP";
  bool ha_suspend = false;
  std::string virtualhost, snmp_name;
  bool omega = false;
  int quorum = 1, hysteresis = 0;
  std::string quorum_up, quorum_down;
  std::string ip_family;
  bool sorry_server_inhibit = false;
  std::optional<lvs_method> sorry_server_method;
  check_timers timers;
  std::vector<real_server> real_servers;          // sorry_server too, with sorry set
};

// The SSL block of the checkers.
struct ssl_settings {
  std::string password, ca, certificate, key;
  source_pos where;
};

} // namespace ka::config
