// The validated, typed configuration model: plain structs, no behaviour.
// Produced by load_config() (parser/load.hpp) from keepalived.conf syntax.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/ip_address.hpp"

namespace ka::config {

// A file name shared by every position in that file: every word of the syntax tree has
// a position, and a config of a million words must not hold a million copies of its path.
// A note says which expansion made the text (parser/preprocess.hpp); "" for text as written.
class file_name {
public:
  file_name() = default;
  file_name(std::string name, std::string note = {})
      : name_(std::make_shared<const named>(named{std::move(name), std::move(note)})) {}
  file_name(const char* name) : file_name(std::string(name)) {}
  const std::string& str() const { return name_ ? name_->name : empty(); }
  const std::string& note() const { return name_ ? name_->note : empty(); }
  operator const std::string&() const { return str(); }
  friend bool operator==(const file_name& a, const std::string& b) { return a.str() == b; }
  friend bool operator!=(const file_name& a, const std::string& b) { return a.str() != b; }
private:
  static const std::string& empty() {
    static const std::string e;
    return e;
  }
  struct named {
    std::string name, note;
  };
  std::shared_ptr<const named> name_;
};

struct source_pos {
  file_name file;
  int line = 0;
  int column = 0;
  std::string to_string() const;  // "file:line:column", then " (note)" when there is one
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
  // The advert thread's scheduling, with keepalived's names for its VRRP process knobs.
  // Unset values take Keepalive's defaults (SCHED_FIFO, locked memory); see advert_actor.cpp.
  std::vector<int> vrrp_cpu_affinity;             // CPU ids; empty: no pinning asked for
  std::optional<int> vrrp_rt_priority;            // 1..99
  std::optional<int> vrrp_priority;               // nice value -20..19
  bool vrrp_no_swap = false;
  std::optional<long> vrrp_rlimit_rttime;         // microseconds, >= 2
  source_pos where;
};

struct virtual_ip {
  proto::ip_address addr;
  int prefix_len = 32;                            // default /32 (v4), /128 (v6)
  std::string dev;                                // empty: the instance's interface
  std::string label;
  std::optional<proto::ip_address> broadcast;     // `brd`
  std::string scope;                              // empty or host|link|site|global|nowhere
  source_pos where;
};

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
};

struct config {
  global_defs global;
  std::vector<vrrp_instance> instances;
  std::vector<diagnostic> diagnostics;
  std::vector<std::string> files;                 // every file read, includes too
};

} // namespace ka::config
