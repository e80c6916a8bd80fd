#include "protocol/route_rule.hpp"

#include <charconv>

namespace ka::proto {
namespace {

using words_t = std::vector<std::string>;

std::optional<std::uint64_t> number(const std::string& s, std::uint64_t max) {
  std::uint64_t v = 0;
  int base = 10;
  std::string_view t = s;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {  // fwmark 0x10, as ip(8)
    base = 16;
    t.remove_prefix(2);
  }
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v, base);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size() || v > max)
    return std::nullopt;
  return v;
}

std::optional<prefix> parse_prefix(const std::string& s) {
  auto slash = s.find('/');
  auto a = ip_address::parse(std::string_view(s).substr(0, slash));
  if (!a) return std::nullopt;
  int max = a->is_v4() ? 32 : 128;
  int len = max;
  if (slash != std::string::npos) {
    auto n = number(s.substr(slash + 1), static_cast<std::uint64_t>(max));
    if (!n || s.substr(slash + 1).rfind("0x", 0) == 0) return std::nullopt;
    len = static_cast<int>(*n);
  }
  return prefix{*a, len};
}

std::optional<std::uint32_t> table_id(const std::string& s) {
  // The names of /etc/iproute2/rt_tables that every system has; others are numbers.
  if (s == "main") return table_main;
  if (s == "local") return 255;
  if (s == "default") return 253;
  auto n = number(s, 0xffffffffu);
  if (!n || *n == 0) return std::nullopt;  // 0 is RT_TABLE_UNSPEC, not a table
  return static_cast<std::uint32_t>(*n);
}

std::optional<std::uint8_t> scope_id(const std::string& s) {
  if (s == "global" || s == "universe") return 0;
  if (s == "site") return 200;
  if (s == "link") return 253;
  if (s == "host") return 254;
  if (s == "nowhere") return 255;
  auto n = number(s, 255);
  return n ? std::optional<std::uint8_t>(static_cast<std::uint8_t>(*n)) : std::nullopt;
}

std::optional<std::uint8_t> proto_id(const std::string& s) {
  if (s == "redirect") return 1;
  if (s == "kernel") return 2;
  if (s == "boot") return 3;
  if (s == "static") return 4;
  if (s == "keepalived") return proto_keepalived;
  auto n = number(s, 255);
  return n ? std::optional<std::uint8_t>(static_cast<std::uint8_t>(*n)) : std::nullopt;
}

// Every address of a line must be of one family: the kernel would refuse a mix, and
// saying so here names the word.
bool same_family(std::optional<ip_address::family>& fam, ip_address::family f) {
  if (fam && *fam != f) return false;
  fam = f;
  return true;
}

} // namespace

std::variant<route_desc, translate_error> translate_route(const words_t& w) {
  route_desc r;
  std::size_t i = 0;
  auto err = [](std::size_t at, std::string what) { return translate_error{at, std::move(what)}; };
  bool have_dst = false;
  while (i < w.size()) {
    const std::string& k = w[i];
    bool has_arg = i + 1 < w.size();
    auto arg_err = [&](std::string what) { return err(i + 1, std::move(what) + " after '" + k + "'"); };
    if (k == "blackhole" || k == "unreachable" || k == "prohibit" || k == "throw") {
      if (have_dst || i != (w[0] == "src" ? 2u : 0u))
        return err(i, "a route type only before the destination");
      r.type = k == "blackhole" ? route_type::blackhole : k == "unreachable" ? route_type::unreachable
               : k == "prohibit" ? route_type::prohibit : route_type::throw_;
      ++i;
    } else if (k == "via" || k == "gw") {
      if (!has_arg) return arg_err("an address");
      auto a = ip_address::parse(w[i + 1]);
      if (!a) return arg_err("an address");
      if (!same_family(r.fam, a->fam)) return err(i + 1, "an address of the route's family");
      r.via = *a;
      i += 2;
    } else if (k == "src") {
      if (!has_arg) return arg_err("an address");
      auto a = ip_address::parse(w[i + 1]);
      if (!a) return arg_err("an address");
      if (!same_family(r.fam, a->fam)) return err(i + 1, "an address of the route's family");
      r.src = *a;
      i += 2;
    } else if (k == "dev" || k == "oif") {
      if (!has_arg) return arg_err("an interface name");
      r.dev = w[i + 1];
      i += 2;
    } else if (k == "table") {
      auto t = has_arg ? table_id(w[i + 1]) : std::nullopt;
      if (!t) return arg_err("a table number 1..4294967295, main, local or default");
      r.table = *t;
      i += 2;
    } else if (k == "metric" || k == "preference" || k == "priority") {
      auto n = has_arg ? number(w[i + 1], 0xffffffffu) : std::nullopt;
      if (!n) return arg_err("a number 0..4294967295");
      r.metric = static_cast<std::uint32_t>(*n);
      i += 2;
    } else if (k == "scope") {
      auto s = has_arg ? scope_id(w[i + 1]) : std::nullopt;
      if (!s) return arg_err("global, site, link, host, nowhere or a number 0..255");
      r.scope = *s;
      i += 2;
    } else if (k == "proto" || k == "protocol") {
      auto p = has_arg ? proto_id(w[i + 1]) : std::nullopt;
      if (!p) return arg_err("boot, static, kernel, redirect, keepalived or a number 0..255");
      r.protocol = *p;
      i += 2;
    } else if (k == "onlink") {
      r.onlink = true;
      ++i;
    } else if (!have_dst && (k == "to" || k == "default" || parse_prefix(k))) {
      std::size_t at = i;
      if (k == "to") {
        if (!has_arg) return arg_err("a destination");
        at = ++i;
      }
      have_dst = true;
      if (w[at] != "default") {
        auto p = parse_prefix(w[at]);
        if (!p) return err(at, "an address[/prefix] or default as the destination");
        if (!same_family(r.fam, p->addr.fam)) return err(at, "an address of the route's family");
        r.dst = p;
      }
      ++i;
    } else {
      return err(i, have_dst ? "a route option keepalive translates (via, dev, src, table, metric, scope, proto, onlink)"
                             : "a destination (address[/prefix] or default) or a route option keepalive translates");
    }
  }
  if (!have_dst) return err(w.size(), "a destination (address[/prefix] or default)");
  if (r.type == route_type::unicast && !r.via && r.dev.empty())
    return err(w.size(), "'via ADDRESS' or 'dev NAME' for a unicast route");
  if (r.type != route_type::unicast && (r.via || !r.dev.empty()))
    return err(w.size(), "no via or dev for a " + std::string(k_route_type_name(r.type)) + " route");
  return r;
}

std::variant<rule_desc, translate_error> translate_rule(const words_t& w) {
  rule_desc r;
  std::size_t i = 0;
  auto err = [](std::size_t at, std::string what) { return translate_error{at, std::move(what)}; };
  while (i < w.size()) {
    const std::string& k = w[i];
    bool has_arg = i + 1 < w.size();
    auto arg_err = [&](std::string what) { return err(i + 1, std::move(what) + " after '" + k + "'"); };
    if (k == "from" || k == "to") {
      if (!has_arg) return arg_err("an address[/prefix] or all");
      if (w[i + 1] != "all") {
        auto p = parse_prefix(w[i + 1]);
        if (!p) return arg_err("an address[/prefix] or all");
        if (!same_family(r.fam, p->addr.fam)) return err(i + 1, "an address of the rule's family");
        (k == "from" ? r.from : r.to) = p;
      }
      i += 2;
    } else if (k == "table" || k == "lookup") {
      auto t = has_arg ? table_id(w[i + 1]) : std::nullopt;
      if (!t) return arg_err("a table number 1..4294967295, main, local or default");
      r.table = *t;
      i += 2;
    } else if (k == "priority" || k == "pref" || k == "preference") {
      auto n = has_arg ? number(w[i + 1], 0xffffffffu) : std::nullopt;
      if (!n) return arg_err("a number 0..4294967295");
      r.priority = static_cast<std::uint32_t>(*n);
      i += 2;
    } else if (k == "fwmark") {
      if (!has_arg) return arg_err("a mark[/mask]");
      const std::string& m = w[i + 1];
      auto slash = m.find('/');
      auto mark = number(m.substr(0, slash), 0xffffffffu);
      auto mask = slash == std::string::npos ? std::optional<std::uint64_t>(0xffffffffu)
                                             : number(m.substr(slash + 1), 0xffffffffu);
      if (!mark || !mask) return arg_err("a mark[/mask] (numbers, 0x for hex)");
      r.fwmark = static_cast<std::uint32_t>(*mark);
      r.fwmask = static_cast<std::uint32_t>(*mask);
      i += 2;
    } else if (k == "iif" || k == "dev" || k == "oif") {
      if (!has_arg) return arg_err("an interface name");
      (k == "oif" ? r.oif : r.iif) = w[i + 1];
      i += 2;
    } else {
      // `not` is left out: libnl-route-3 has no setter for the rule's invert flag.
      return err(i, "a rule selector or action keepalive translates (from, to, table, priority, fwmark, iif, oif)");
    }
  }
  return r;
}

namespace {
std::string pfx(const prefix& p) { return p.addr.to_string() + "/" + std::to_string(p.len); }
} // namespace

const char* k_route_type_name(route_type t) {
  switch (t) {
    case route_type::unicast: return "unicast";
    case route_type::blackhole: return "blackhole";
    case route_type::unreachable: return "unreachable";
    case route_type::prohibit: return "prohibit";
    case route_type::throw_: return "throw";
  }
  return "?";
}

std::string to_string(const route_desc& r) {
  std::string s;
  if (r.type != route_type::unicast) s += std::string(k_route_type_name(r.type)) + " ";
  s += r.dst ? pfx(*r.dst) : "default";
  if (r.via) s += " via " + r.via->to_string();
  if (!r.dev.empty()) s += " dev " + r.dev;
  if (r.onlink) s += " onlink";
  if (r.src) s += " src " + r.src->to_string();
  if (r.table != table_main) s += " table " + std::to_string(r.table);
  if (r.metric) s += " metric " + std::to_string(*r.metric);
  if (r.scope) s += " scope " + std::to_string(*r.scope);
  if (r.protocol != proto_keepalived) s += " proto " + std::to_string(r.protocol);
  return s;
}

std::string to_string(const rule_desc& r) {
  std::string s = "from " + (r.from ? pfx(*r.from) : std::string("all"));
  if (r.to) s += " to " + pfx(*r.to);
  if (r.fwmark) s += " fwmark " + std::to_string(*r.fwmark) + "/" + std::to_string(r.fwmask.value_or(0xffffffffu));
  if (!r.iif.empty()) s += " iif " + r.iif;
  if (!r.oif.empty()) s += " oif " + r.oif;
  s += " table " + std::to_string(r.table);
  if (r.priority) s += " priority " + std::to_string(*r.priority);
  return s;
}

} // namespace ka::proto
