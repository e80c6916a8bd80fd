// The entry blocks the VRRP side shares: address blocks (virtual_ipaddress,
// virtual_ipaddress_excluded, static_ipaddress), route and rule blocks, and the
// track_* lists of names with weights (validate_blocks.hpp).
#include <cstdint>

#include "parser/validate_blocks.hpp"

namespace ka::config::detail {
namespace {

constexpr std::string_view k_scopes[] = {"host", "link", "site", "global", "nowhere"};
// Address options that are flags (ip-address(8) and keepalived's own).
constexpr std::string_view k_vip_flags[] = {"use_vmac", "home", "-nodad", "nodad", "mngtmpaddr",
                                            "noprefixroute", "autojoin", "no_track"};

template <std::size_t N>
bool listed(const std::string_view (&list)[N], std::string_view keyword) {
  return std::find(std::begin(list), std::end(list), keyword) != std::end(list);
}

// virtual_ipaddress entries: ADDR[/PREFIX] [dev IF] [label L] [brd ADDR|+|-] [scope S] ...
void vip_address(virtual_ip& v, const word& w) {
  auto slash = w.text.find('/');
  auto addr = proto::ip_address::parse(w.text.substr(0, slash));
  if (!addr) fail(w.where, q(w.text), "an IPv4 or IPv6 address[/prefix] in virtual_ipaddress");
  v.addr = *addr;
  int max_prefix = addr->is_v4() ? 32 : 128;
  v.prefix_len = max_prefix;
  if (slash == std::string::npos) return;
  std::string prefix = w.text.substr(slash + 1);
  auto len = parse_uint(prefix);
  if (!len || *len > max_prefix) {
    source_pos at = w.where;
    at.column += static_cast<int>(slash) + 1 + (w.quoted ? 1 : 0);
    fail(at, q(prefix), "a prefix length 0.." + std::to_string(max_prefix) + " after '/'");
  }
  v.prefix_len = static_cast<int>(*len);
}

proto::ip_address host_bits(const virtual_ip& v, bool set) {
  proto::ip_address r = v.addr;
  for (int bit = v.prefix_len; bit < 32; ++bit) {
    auto mask = static_cast<std::uint8_t>(0x80u >> (bit % 8));
    auto& byte = r.bytes[static_cast<std::size_t>(bit / 8)];
    byte = static_cast<std::uint8_t>(set ? (byte | mask) : (byte & ~mask));
  }
  return r;
}

void vip_broadcast(virtual_ip& v, const word& w) {
  if (!v.addr.is_v4()) fail(w.where, q(w.text), "no brd for an IPv6 address");
  if (w.text == "+" || w.text == "-") {
    v.broadcast = host_bits(v, w.text == "+");
    return;
  }
  auto b = proto::ip_address::parse(w.text);
  if (!b || !b->is_v4()) fail(w.where, q(w.text), "an IPv4 broadcast address, '+' or '-' after brd");
  v.broadcast = *b;
}

// Options kept in the model but not applied yet; anything else is unknown.
template <class Value>
void vip_unapplied_option(context& c, virtual_ip& v, const node& e, const word& opt, Value&& value) {
  if (opt.text == "peer") {
    v.peer = address_arg(e, value());
  } else if (opt.text == "track_group") {
    v.track_group = value().text;
  } else if (opt.text == "preferred_lft") {
    const word& w = value();
    auto secs = parse_uint(w.text);
    // The kernel's lifetimes are 32 bits, all ones meaning forever.
    if (w.text != "forever" && (!secs || *secs > virtual_ip::forever))
      fail(w.where, q(w.text), "a number of seconds 0..4294967295 or forever for preferred_lft");
    v.preferred_lft = secs ? static_cast<std::uint32_t>(*secs) : virtual_ip::forever;
  } else if (listed(k_vip_flags, opt.text)) {
    v.flags.push_back(opt.text);
  } else {
    c.diag(dkind::unknown_keyword, opt.where, "unknown address option " + q(opt.text) + " in " + e.keyword.text);
  }
}

void vip_option(context& c, virtual_ip& v, const node& e, std::size_t& i) {
  const word& opt = e.args[i];
  auto value = [&]() -> const word& {
    if (i + 1 >= e.args.size()) fail(opt.where, "end of line", "a value for " + opt.text);
    return e.args[++i];
  };
  if (opt.text == "dev") {
    v.dev = interface_arg(e, value());
  } else if (opt.text == "label") {
    v.label = value().text;
  } else if (opt.text == "brd") {
    vip_broadcast(v, value());
  } else if (opt.text == "scope") {
    const word& s = value();
    if (!listed(k_scopes, s.text)) fail(s.where, q(s.text), "host, link, site, global or nowhere for scope");
    v.scope = s.text;
  } else {
    // ip-address(8) options the daemon does not apply yet (static_ipaddress: the whole
    // block was reported already). `use_vmac` is acted on: the address gets a vmac
    // (protocol/vmac.hpp, plan_address_vmacs).
    if (!c.quiet && opt.text != "use_vmac" &&
        (opt.text == "peer" || opt.text == "track_group" || opt.text == "preferred_lft" ||
         listed(k_vip_flags, opt.text)))
      c.diag(dkind::not_acted_on, opt.where, "address option " + q(opt.text) + " is not acted on by this version",
             opt.text);
    vip_unapplied_option(c, v, e, opt, value);
  }
}

} // namespace

std::vector<virtual_ip> address_block(context& c, const node& n) {
  no_args(c, n);
  std::vector<virtual_ip> vips;
  for (const node& e : n.children) {
    c.attempt([&] {
      check_block(e, block_use::forbidden);
      virtual_ip v;
      v.where = e.keyword.where;
      vip_address(v, e.keyword);
      for (std::size_t i = 0; i < e.args.size(); ++i) vip_option(c, v, e, i);
      if (!v.dev.empty()) note_interface(c, v.dev, v.where);
      vips.push_back(std::move(v));
    });
  }
  return vips;
}

std::vector<tracked> tracked_block(context& c, const node& n, long long lo, long long hi) {
  no_args(c, n);
  std::vector<tracked> out;
  for (const node& e : n.children) {
    c.attempt([&] {
      check_block(e, block_use::forbidden);
      tracked t{e.keyword.text, false, 0, false, e.keyword.where};
      if (!e.args.empty()) {
        if (e.args[0].text != "weight") fail(e.args[0].where, q(e.args[0].text), "weight or end of line after " + q(t.name));
        weight_args(c, e, 1, lo, hi, t.weight, t.reverse);
        t.weight_set = true;
      }
      out.push_back(std::move(t));
    });
  }
  return out;
}

// ip-route(8)/ip-rule(8) lines: the first word that is an address (a route's
// destination, a rule's from/to) is checked; every word is kept.
std::vector<route_or_rule> route_block(context& c, const node& n, bool rules, bool translate) {
  no_args(c, n);
  std::vector<route_or_rule> out;
  for (const node& e : n.children) {
    c.attempt([&] {
      check_block(e, block_use::forbidden);
      route_or_rule r;
      r.where = e.keyword.where;
      std::vector<const word*> words{&e.keyword};
      for (const word& w : e.args) words.push_back(&w);
      for (const word* w : words) r.words.push_back(w->text);
      for (std::size_t i = 0; !rules && i + 1 < words.size(); ++i)  // checked to exist, as keepalived
        if (words[i]->text == "dev") note_interface(c, words[i + 1]->text, words[i + 1]->where);
      const word* target = nullptr;
      if (!rules) {
        // [src ADDR] [TYPE] [to] DESTINATION ... (keepalived's samples write `src` first).
        std::size_t i = 0;
        if (words[i]->text == "src" && i + 2 < words.size()) i += 2;
        static const std::string_view types[] = {"blackhole", "unreachable", "prohibit", "throw", "local",
                                                 "broadcast", "anycast", "multicast", "unicast", "nat"};
        if (std::find(std::begin(types), std::end(types), words[i]->text) != std::end(types) && i + 1 < words.size()) ++i;
        if (words[i]->text == "to" && i + 1 < words.size()) ++i;
        target = words[i]->text == "default" ? nullptr : words[i];
        for (const word* w : words)
          if (w->text == "gw" || w->text == "or")
            c.diag(dkind::warning, w->where,
                   q(w->text) + " is an old name, read as " + q(w->text == "gw" ? "via" : "nexthop"));
      } else {
        for (std::size_t i = 0; i + 1 < words.size(); ++i)
          if (words[i]->text == "from" || words[i]->text == "to") {
            target = words[i + 1]->text == "all" ? nullptr : words[i + 1];
            break;
          }
      }
      if (target) {
        auto slash = target->text.find('/');
        auto addr = proto::ip_address::parse(target->text.substr(0, slash));
        auto len = slash == std::string::npos ? std::optional<long long>(-1) : parse_uint(target->text.substr(slash + 1));
        if (!addr || !len || *len > (addr->is_v4() ? 32 : 128))
          fail(target->where, q(target->text), std::string("an address[/prefix] ") + (rules ? "after from/to" : "as the route's destination"));
        r.first_address = *addr;
        r.prefix_len = static_cast<int>(*len);
      }
      if (translate) {
        // Refused at start-up, at the word: a route the master silently lacked would
        // only show when traffic fails after a failover.
        auto refuse = [&](const proto::translate_error& e) {
          const word* at = e.word < words.size() ? words[e.word] : words.back();
          fail(at->where, e.word < words.size() ? q(at->text) : "the end of the line after " + q(at->text),
               e.expected + (rules ? " (virtual_rules)" : " (virtual_routes)"));
        };
        if (rules) {
          auto t = proto::translate_rule(r.words);
          if (auto* e = std::get_if<proto::translate_error>(&t)) refuse(*e);
          r.rule = std::get<proto::rule_desc>(t);
        } else {
          auto t = proto::translate_route(r.words);
          if (auto* e = std::get_if<proto::translate_error>(&t)) refuse(*e);
          r.route = std::get<proto::route_desc>(t);
        }
      }
      out.push_back(std::move(r));
    });
  }
  return out;
}

} // namespace ka::config::detail
