// The global_defs keywords with a grammar of their own (validate_global.hpp). What is an
// error follows keepalived 2.2.7: whatever makes `keepalived -t` fail is an error here,
// at the word that caused it; extra words it ignores are warnings.
#include "parser/validate_global.hpp"

#include <cctype>
#include <charconv>
#include <climits>

namespace ka::config::detail {
namespace {

// A position `offset` bytes into a word (for errors inside `IWGRP|IWOTH`).
source_pos inside(const word& w, std::size_t offset) {
  source_pos p = w.where;
  p.column += static_cast<int>(offset + (w.quoted ? 1 : 0));
  return p;
}

// The value after a sub-keyword (`id 5`, `tcp 900`): an error at the sub-keyword if missing.
const word& value_after(const node& n, std::size_t i) {
  if (i + 1 >= n.args.size())
    fail(n.args[i].where, "end of line", "a value after " + n.args[i].text + " in " + n.keyword.text);
  return n.args[i + 1];
}

long long ranged(const node& n, const word& w, long long lo, long long hi, const std::string& what) {
  auto v = parse_uint(w.text);
  if (!v || *v < lo || *v > hi)
    fail(w.where, q(w.text), "an integer " + std::to_string(lo) + ".." + std::to_string(hi) + " for " + what +
                                 " in " + n.keyword.text);
  return *v;
}

bool same_letters(std::string a, std::string b) {
  for (char& ch : a) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return a == b;
}

// keepalived reads a numeric umask as C does (0x.. hex, 0.. octal, else decimal).
std::optional<long long> c_number(const std::string& s) {
  int base = 10;
  std::size_t skip = 0;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16, skip = 2;
  else if (s.size() > 1 && s[0] == '0') base = 8, skip = 1;
  long long v = 0;
  const char* b = s.data() + skip;
  const char* e = s.data() + s.size();
  auto [end, ec] = std::from_chars(b, e, v, base);
  if (ec != std::errc() || end != e || v < 0) return std::nullopt;
  return v;
}

constexpr std::pair<const char*, int> k_umask_bits[] = {
    {"IRUSR", 0400}, {"IWUSR", 0200}, {"IXUSR", 0100}, {"IRGRP", 040}, {"IWGRP", 020},
    {"IXGRP", 010},  {"IROTH", 04},   {"IWOTH", 02},   {"IXOTH", 01},
};

} // namespace

proto::ip_address multicast_arg(const node& n, const word& w, multicast kind) {
  auto a = proto::ip_address::parse(w.text);
  bool v4 = a && a->is_v4() && a->bytes[0] >= 224 && a->bytes[0] <= 239;
  bool v6 = a && !a->is_v4() && a->bytes[0] == 0xff;
  bool link_local = v6 && (a->bytes[1] & 0x0f) == 2;
  bool fine = kind == multicast::v4 ? v4 : kind == multicast::v6_link_local ? link_local : v4 || v6;
  const char* what = kind == multicast::v4               ? "an IPv4 multicast address (224.0.0.0/4)"
                     : kind == multicast::v6_link_local ? "an IPv6 link-local multicast address (ff02::/16)"
                                                         : "a multicast address (224.0.0.0/4 or ff00::/8)";
  if (!fine) fail(w.where, q(w.text), std::string(what) + " for " + n.keyword.text);
  return *a;
}

std::string optional_word(context& c, const node& n) {
  no_more_args(c, n, 1);
  return n.args.empty() ? std::string() : n.args[0].text;
}

file_as file_as_args(context& c, const node& n) {
  file_as f;
  f.path = arg(n, 0).text;
  if (n.args.size() > 1) f.as.user = n.args[1].text;
  if (n.args.size() > 2) f.as.group = n.args[2].text;
  f.where = n.keyword.where;
  no_more_args(c, n, 3);
  return f;
}

// Whether the user and group exist is the daemon's business (parser/ does no I/O).
run_as script_user_args(context& c, const node& n) {
  run_as r;
  r.user = arg(n, 0).text;
  if (n.args.size() > 1) r.group = n.args[1].text;
  no_more_args(c, n, 2);
  return r;
}

int umask_args(const node& n) {
  const word& first = arg(n, 0);
  if (std::isdigit(static_cast<unsigned char>(first.text[0]))) {
    auto v = c_number(first.text);
    if (!v || *v > 0777)
      fail(first.where, q(first.text), "a umask 0..0777 (octal 0NNN, hex 0xNN or decimal) for umask");
    if (n.args.size() > 1) fail(n.args[1].where, q(n.args[1].text), "end of line after a numeric umask");
    return static_cast<int>(*v);
  }
  // Bits joined by '|', with or without spaces around it: `IWGRP|IWOTH`, `IWGRP | IWOTH`.
  int bits = 0;
  bool want_bit = true;
  source_pos last_bar;
  for (const word& w : n.args) {
    std::size_t at = 0;
    while (at <= w.text.size()) {
      std::size_t bar = w.text.find('|', at);
      std::string name = w.text.substr(at, bar == std::string::npos ? std::string::npos : bar - at);
      if (!name.empty()) {
        if (!want_bit) fail(inside(w, at), q(name), "'|' between umask bits");
        auto b = std::find_if(std::begin(k_umask_bits), std::end(k_umask_bits),
                              [&](const auto& e) { return name == e.first; });
        if (b == std::end(k_umask_bits))
          fail(inside(w, at), q(name), "a umask bit (IRUSR, IWUSR, IXUSR, IRGRP, IWGRP, IXGRP, IROTH, IWOTH, IXOTH)");
        bits |= b->second;
        want_bit = false;
      }
      if (bar == std::string::npos) break;
      if (want_bit) fail(inside(w, bar), "'|'", "a umask bit before '|'");
      want_bit = true;
      last_bar = inside(w, bar);
      at = bar + 1;
    }
  }
  if (want_bit) fail(last_bar, "'|' at the end", "a umask bit after '|'");
  return bits;
}

// `include_check [OPTION] [+OPTION|-OPTION ...]`; none: all of them. keepalived takes
// an option without + or - only as the first word (it calls a later one a duplicate).
include_checks include_check_args(const node& n) {
  include_checks ic;
  if (n.args.empty()) return include_checks{true, true, true};
  for (std::size_t i = 0; i < n.args.size(); ++i) {
    const word& w = n.args[i];
    bool sign = !w.text.empty() && (w.text[0] == '+' || w.text[0] == '-');
    std::string name = sign ? w.text.substr(1) : w.text;
    bool* flag = name == "match" ? &ic.match
                 : name == "wildcard_match" ? &ic.wildcard_match
                 : name == "brace_match" ? &ic.brace_match
                                         : nullptr;
    if (!flag) fail(w.where, q(w.text), "match, wildcard_match or brace_match (optionally after + or -) for include_check");
    if (!sign && i > 0) fail(w.where, q(w.text), "+" + name + " or -" + name + " (only the first option of include_check may omit the sign)");
    *flag = w.text[0] != '-';
  }
  return ic;
}

lvs_sync_daemon lvs_sync_daemon_args(const node& n) {
  lvs_sync_daemon d;
  d.where = n.keyword.where;
  d.interface = interface_arg(n, arg(n, 0));
  auto is_option = [](const std::string& s) {
    return s == "id" || s == "maxlen" || s == "port" || s == "ttl" || s == "group";
  };
  std::size_t i = 1;
  if (i < n.args.size() && n.args[i].text == "inst") {
    d.instance = value_after(n, i).text;
    i += 2;
  } else if (i < n.args.size() && !is_option(n.args[i].text)) {
    d.instance = n.args[i++].text;  // the old form without `inst`
  }
  if (i < n.args.size() && parse_uint(n.args[i].text))
    fail(n.args[i].where, q(n.args[i].text), "'id' before the sync id in lvs_sync_daemon");
  for (; i < n.args.size(); i += 2) {
    const std::string& key = n.args[i].text;
    if (!is_option(key))
      fail(n.args[i].where, q(key), "id, maxlen, port, ttl or group in lvs_sync_daemon");
    const word& v = value_after(n, i);
    if (key == "id") d.id = static_cast<int>(ranged(n, v, 0, 255, "id"));
    else if (key == "maxlen") d.maxlen = static_cast<int>(ranged(n, v, 1, 65507, "maxlen"));
    else if (key == "port") d.port = static_cast<int>(ranged(n, v, 1, 65535, "port"));
    else if (key == "ttl") d.ttl = static_cast<int>(ranged(n, v, 1, 255, "ttl"));
    else d.group = multicast_arg(n, v, multicast::any);
  }
  return d;
}

// keepalived's bound for each IPVS timeout: 31 days, in seconds.
constexpr long long k_lvs_timeout_max = 31 * 24 * 3600;

lvs_timeouts lvs_timeouts_args(const node& n) {
  lvs_timeouts t;
  if (n.args.size() < 2)
    fail(n.args.empty() ? n.keyword.where : n.args[0].where, n.args.empty() ? "end of line" : q(n.args[0].text),
         "at least one of tcp SECS, tcpfin SECS, udp SECS for lvs_timeouts");
  for (std::size_t i = 0; i < n.args.size(); i += 2) {
    const std::string& key = n.args[i].text;
    auto* field = key == "tcp" ? &t.tcp : key == "tcpfin" ? &t.tcpfin : key == "udp" ? &t.udp : nullptr;
    if (!field) fail(n.args[i].where, q(key), "tcp, tcpfin or udp in lvs_timeouts");
    *field = static_cast<unsigned>(ranged(n, value_after(n, i), 0, k_lvs_timeout_max, key));
  }
  return t;
}

flush_on_stop flush_on_stop_args(context& c, const node& n) {
  if (n.args.empty()) return flush_on_stop::all;
  if (n.args[0].text != "VS") fail(n.args[0].where, q(n.args[0].text), "VS or end of line for lvs_flush_on_stop");
  no_more_args(c, n, 1);
  return flush_on_stop::vs;
}

rx_bufs_policy rx_bufs_policy_args(const node& n) {
  const word& w = arg(n, 0);
  if (n.args.size() > 1) fail(n.args[1].where, q(n.args[1].text), "end of line (one policy) for vrrp_rx_bufs_policy");
  if (same_letters(w.text, "MTU")) return {rx_bufs_policy::kind::mtu, 0};
  if (same_letters(w.text, "ADVERT")) return {rx_bufs_policy::kind::advert, 0};
  auto v = parse_uint(w.text);
  if (!v || *v > UINT_MAX) fail(w.where, q(w.text), "MTU, ADVERT or a size 0..4294967295 for vrrp_rx_bufs_policy");
  return {rx_bufs_policy::kind::size, static_cast<unsigned>(*v)};
}

garp_extra_if garp_extra_if_args(const node& n) {
  garp_extra_if g;
  bool timed = false;
  for (const word& w : n.args) {
    if (w.text == "all") {
      g.all = true;
      continue;
    }
    g.interval = static_cast<int>(ranged(n, w, 1, 86400, "the interval (or all)"));
    timed = true;
  }
  if (!timed) fail(n.keyword.where, "no interval", "a number of seconds 1..86400 for vrrp_garp_extra_if");
  return g;
}

dynamic_interfaces dynamic_interfaces_args(context& c, const node& n) {
  dynamic_interfaces d;
  d.on = true;
  if (n.args.empty()) return d;
  if (n.args[0].text != "allow_if_changes")
    fail(n.args[0].where, q(n.args[0].text), "allow_if_changes or end of line for dynamic_interfaces");
  d.allow_if_changes = true;
  no_more_args(c, n, 1);
  return d;
}

iptables_chains iptables_args(context& c, const node& n) {
  if (n.args.empty()) return {"INPUT", "OUTPUT"};
  no_more_args(c, n, 2);
  return {n.args[0].text, n.args.size() > 1 ? n.args[1].text : std::string()};
}

int max_auto_priority_args(context& c, const node& n) {
  if (n.args.empty()) return 99;  // keepalived: the highest SCHED_RR priority
  no_more_args(c, n, 1);
  return static_cast<int>(signed_arg(n, 0, -1, 99));
}

} // namespace ka::config::detail
