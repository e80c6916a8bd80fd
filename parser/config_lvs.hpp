// The config model of the LVS side: virtual_server_group, virtual_server, real_server,
// sorry_server and the health checkers. Plain structs, no behaviour.
// Where a value is inherited (virtual server -> real server -> checker) an unset value
// means "take the enclosing block's".
// A large director has tens of thousands of real servers, each with a checker: these
// structs are laid out to stay small (rare fields out of line, per-kind checker data in
// a variant). On x86-64 a real_server is 120 bytes and a TCP_CHECK 104 (they were 336
// and 592); tests/unit/test_dump_lvs.cpp keeps them under a bound.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "parser/config_base.hpp"
#include "protocol/ip_address.hpp"

namespace ka::config {

// A value held out of line and copied deeply (the model stays a plain value).
template <class T>
class indirect {
public:
  indirect() : p_(std::make_unique<T>()) {}
  indirect(const indirect& o) : p_(std::make_unique<T>(*o)) {}
  indirect(indirect&&) noexcept = default;
  indirect& operator=(const indirect& o) { return *this = indirect(o); }
  indirect& operator=(indirect&&) noexcept = default;
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
private:
  std::unique_ptr<T> p_;
};

// Rarely written fields out of line: nothing is allocated until one is written; reading
// an absent one gives the defaults.
template <class T>
class sparse {
public:
  sparse() = default;
  sparse(const sparse& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  sparse(sparse&&) noexcept = default;
  sparse& operator=(const sparse& o) { return *this = sparse(o); }
  sparse& operator=(sparse&&) noexcept = default;
  bool present() const { return p_ != nullptr; }
  const T* operator->() const { return &read(); }
  const T& read() const {
    static const T defaults{};
    return p_ ? *p_ : defaults;
  }
  T& write() {
    if (!p_) p_ = std::make_unique<T>();
    return *p_;
  }
private:
  std::unique_ptr<T> p_;
};

// The timers, retries and flags every level may set, each unset unless written.
// Seconds are held as microseconds (keepalived's resolution; at most 4294 s), so 24 bytes.
class check_timers {
public:
  enum item : std::uint8_t {
    connect_timeout, delay_before_retry, warmup, delay_loop,  // seconds
    retry,
    alpha, inhibit_on_failure, smtp_alert, log_all_failures,  // flags
  };
  std::optional<double> seconds(item i) const {
    return has(i) ? std::optional<double>(us_[i] / 1e6) : std::nullopt;
  }
  std::optional<int> retries() const { return has(retry) ? std::optional<int>(static_cast<int>(retry_)) : std::nullopt; }
  std::optional<bool> flag(item i) const { return has(i) ? std::optional<bool>((on_ >> i) & 1) : std::nullopt; }
  bool has(item i) const { return (set_ >> i) & 1; }
  void set_seconds(item i, double s) {
    us_[i] = static_cast<std::uint32_t>(s * 1e6 + 0.5);
    set_ |= static_cast<std::uint16_t>(1u << i);
  }
  void set_retries(int n) {
    retry_ = static_cast<std::uint32_t>(n);
    set_ |= static_cast<std::uint16_t>(1u << retry);
  }
  void set_flag(item i, bool v) {
    set_ |= static_cast<std::uint16_t>(1u << i);
    on_ = static_cast<std::uint16_t>(v ? on_ | (1u << i) : on_ & ~(1u << i));
  }
private:
  std::uint32_t us_[4]{};
  std::uint32_t retry_ = 0;
  std::uint16_t set_ = 0, on_ = 0;
};

// ---- checkers

// Connection options every checker kind shares, with where the source side is rare.
struct check_source {
  std::optional<proto::ip_address> bindto;
  std::optional<std::uint16_t> bind_port;
  std::string bind_if;
};

struct check_endpoint {
  source_pos where;
  std::optional<proto::ip_address> connect_ip;
  std::optional<std::uint16_t> connect_port;
  std::optional<std::uint32_t> fwmark;
  sparse<check_source> source;                    // bindto, bind_port, bind_if
  check_timers timers;
};

struct status_range {
  std::uint16_t first = 0, last = 0;              // one code: first == last
};

// The regex_options of keepalived.conf(5) (PCRE2 compile options), one bit each, in the
// man page's order.
enum class regex_option : std::uint8_t {
  allow_empty_class, alt_bsux, auto_callout, caseless, dollar_endonly, dotall, dupnames, extended,
  firstline, match_unset_backref, multiline, never_ucp, never_utf, no_auto_capture, no_auto_possess,
  no_dotstar_anchor, no_start_optimize, ucp, ungreedy, utf, never_backslash_c, alt_circumflex,
  alt_verbnames, use_offset_limit, count_,
};
const char* regex_option_name(regex_option o);

struct http_url {
  std::string path, digest, virtualhost, regex;
  std::vector<status_range> status_code;          // empty: keepalived's default 200-299
  bool regex_no_match = false;
  std::uint32_t regex_options = 0;                // bits: 1 << regex_option
  std::optional<std::uint32_t> regex_stack_start, regex_stack_max;
  std::optional<std::uint32_t> regex_min_offset, regex_max_offset;
  source_pos where;
};

enum class http_version : std::uint8_t { unset, v1_0, v1_0c, v1_1 };  // 1.0, 1.0C, 1.1

struct http_check {
  std::vector<http_url> urls;
  http_version http_protocol = http_version::unset;
  bool fast_recovery = false;
  bool enable_sni = false;                        // SSL_GET only
};
struct ssl_check : http_check {};                 // SSL_GET: a type of its own for the variant

struct tcp_check {};
struct ping_check {};

// SMTP_CHECK's old `host { }` blocks: each an address to check, with the common options.
struct smtp_check {
  std::string helo_name;
  std::vector<check_endpoint> hosts;
};

enum class dns_type : std::uint8_t { unset, a, ns, cname, soa, mx, txt, aaaa };

struct dns_check {
  dns_type type = dns_type::unset;                // keepalived's default: SOA
  std::string name;                               // unset: keepalived's default "."
};

struct misc_check {
  std::string misc_path;                          // the command line, as written
  std::optional<double> misc_timeout;
  bool misc_dynamic = false;
  std::string user, group;                        // `user USER [GROUP]`
};

struct file_check {
  std::string track_file;
  bool dynamic = false;
  int weight = 0;
  bool reverse = false;
};

struct bfd_check {
  std::string name;                               // a bfd_instance
};

// UDP_CHECK's HEX_STR: bytes, and for require_reply the nibbles that must match
// (x or X in the config: any value).
struct udp_check {
  std::vector<std::uint8_t> payload;              // empty: keepalived sends random data
  bool require_reply = false;
  std::vector<std::uint8_t> reply, reply_mask;    // mask bits set: must match
  std::optional<std::uint16_t> min_reply_length, max_reply_length;  // defaults 0, 255
};

// In the order of checker_kind; empty kinds inline, the others out of line so that a
// TCP_CHECK costs only the common part.
using checker_data = std::variant<tcp_check, indirect<http_check>, indirect<ssl_check>, indirect<smtp_check>,
                                  indirect<dns_check>, indirect<misc_check>, indirect<udp_check>, ping_check,
                                  indirect<file_check>, indirect<bfd_check>>;

enum class checker_kind : std::uint8_t { tcp, http, ssl, smtp, dns, misc, udp, ping, file, bfd };
const char* checker_kind_name(checker_kind k);    // TCP_CHECK, HTTP_GET, ...
// Whether keepalived knows `keyword` in a checker of kind k (FILE_CHECK has none of the
// common options, for one).
bool checker_has(checker_kind k, std::string_view keyword);

struct checker : check_endpoint {
  checker_data data;
  checker_kind kind() const { return static_cast<checker_kind>(data.index()); }
  // The kind's data, or null for another kind.
  template <class T>
  const T* as() const {
    if constexpr (std::is_empty_v<T>) {
      return std::get_if<T>(&data);
    } else {
      auto* p = std::get_if<indirect<T>>(&data);
      return p ? &**p : nullptr;
    }
  }
  template <class T>
  T* as() {
    return const_cast<T*>(static_cast<const checker*>(this)->as<T>());
  }
};

// ---- servers

// `notify_up|notify_down|quorum_up|quorum_down COMMAND [USER [GROUP]]`: the command line
// as written (one word, quotes removed), and whom it runs as; an empty command: unset.
struct lvs_command {
  std::string command, user, group;
};

enum class lvs_method : std::uint8_t { nat, dr, tun };
enum class tunnel_type : std::uint8_t { unset, ipip, gue, gre };
enum class tunnel_csum : std::uint8_t { unset, nocsum, csum, remcsum };

// `lvs_method NAT|DR|TUN [type {ipip|gue port N|gre}] [nocsum|csum|remcsum]`
struct forwarding {
  lvs_method method = lvs_method::nat;
  tunnel_type tun_type = tunnel_type::unset;      // unset: ipip
  tunnel_csum tun_flags = tunnel_csum::unset;
  std::uint16_t tun_port = 0;                     // gue only
};

// What few real servers set.
struct real_server_notes {
  lvs_command notify_up, notify_down;
  std::optional<int> uthreshold, lthreshold;
  std::string virtualhost, snmp_name;
};

struct real_server {
  proto::ip_address addr;
  std::uint16_t port = 0;
  bool sorry = false;                             // sorry_server
  std::optional<forwarding> method;               // unset: the virtual server's
  int weight = 1;
  source_pos where;
  check_timers timers;
  sparse<real_server_notes> notes;
  std::vector<checker> checkers;
};

enum class ip_family : std::uint8_t { unset, inet, inet6 };
const char* ip_family_name(ip_family f);          // inet, inet6; "" when unset

struct vs_group_entry {
  std::optional<proto::ip_address> addr;          // address or first of a range
  std::optional<proto::ip_address> range_end;     // last of a range (ADDR-LAST, ADDR/PREFIX)
  int port = 0;
  std::optional<int> fwmark;
  ip_family family = ip_family::unset;            // fwmark's inet|inet6, if written
  source_pos where;
};

struct virtual_server_group {
  std::string name;
  source_pos where;
  std::vector<vs_group_entry> entries;
};

// The scheduler flags (ipvsadm -b, -o), one bit each.
enum class sched_flag : std::uint8_t { flag_1, flag_2, flag_3, sh_port, sh_fallback, mh_port, mh_fallback, ops, count_ };
const char* sched_flag_name(sched_flag f);        // flag-1, ..., ops

// lvs_sched, in keepalived.conf(5)'s order.
enum class scheduler : std::uint8_t { unset, rr, wrr, lc, wlc, lblc, sh, mh, dh, fo, ovf, lblcr, sed, nq, twos };
const char* scheduler_name(scheduler s);          // rr, ...; "" when unset

enum class lvs_protocol : std::uint8_t { unset, tcp, udp, sctp };
const char* lvs_protocol_name(lvs_protocol p);    // TCP, UDP, SCTP; "" when unset

struct virtual_server {
  // Exactly one of: address (+port), fwmark, group.
  std::optional<proto::ip_address> addr;
  int port = 0;
  std::optional<int> fwmark;
  std::string group;
  source_pos where;
  scheduler sched = scheduler::unset;             // lvs_sched / lb_algo
  std::uint8_t sched_flags = 0;                   // bits: 1 << sched_flag
  forwarding method;                              // lvs_method / lb_kind
  std::string persistence_engine;
  // A netmask: IPv4 as written, IPv6 from its prefix length (keepalived's two forms).
  std::optional<proto::ip_address> persistence_granularity;
  std::optional<int> persistence_timeout;
  // Unset only for a service by fwmark (or by a group of fwmarks only): one by address
  // without `protocol` is UDP, as in keepalived 2.2.7 (the kernel's default; a warning).
  lvs_protocol protocol = lvs_protocol::unset;
  bool ha_suspend = false;
  std::string virtualhost, snmp_name;
  bool omega = false;
  int quorum = 1, hysteresis = 0;
  lvs_command quorum_up, quorum_down;
  ip_family family = ip_family::unset;            // ip_family
  bool sorry_server_inhibit = false;
  std::optional<forwarding> sorry_server_method;
  check_timers timers;
  std::vector<real_server> real_servers;          // sorry_server too, with sorry set
  bool has(sched_flag f) const { return (sched_flags >> static_cast<int>(f)) & 1; }
};

// The SSL block of the checkers.
struct ssl_settings {
  std::string password, ca, certificate, key;
  source_pos where;
};

} // namespace ka::config
