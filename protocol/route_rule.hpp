// virtual_routes / virtual_rules lines (ip-route(8) / ip-rule(8) words, as the parser keeps
// them) translated into typed descriptions the kernel side can hand to rtnetlink. Pure:
// no netlink here, so every accepted and refused form is unit-tested.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/ip_address.hpp"

namespace ka::proto {

// Values of rtnetlink's rtm_type, rtm_table, rtm_scope and rtm_protocol (linux/rtnetlink.h),
// repeated here so that this pure code needs no kernel header.
enum class route_type : std::uint8_t { unicast = 1, blackhole = 6, unreachable = 7, prohibit = 8, throw_ = 9 };
constexpr std::uint32_t table_main = 254;
// keepalived 2.2.7 marks the routes it adds with protocol 18 ("keepalived" in
// /etc/iproute2/rt_protos) unless the line says `proto`; we do the same, so that
// `ip route show proto keepalived` finds ours as it finds keepalived's.
constexpr std::uint8_t proto_keepalived = 18;

struct prefix {
  ip_address addr;
  int len = 0;
  friend bool operator==(const prefix& a, const prefix& b) { return a.addr == b.addr && a.len == b.len; }
};

struct route_desc {
  std::optional<ip_address::family> fam;          // unset: nothing written says (blackhole default)
  route_type type = route_type::unicast;
  std::optional<prefix> dst;                      // unset: `default`
  std::optional<ip_address> via, src;
  std::string dev;                                // empty: none written
  std::uint32_t table = table_main;
  std::optional<std::uint32_t> metric;
  std::optional<std::uint8_t> scope;              // unset: the kernel's guess (link without via)
  std::uint8_t protocol = proto_keepalived;
  bool onlink = false;
};

struct rule_desc {
  std::optional<ip_address::family> fam;          // unset: from the instance's addresses
  std::optional<prefix> from, to;                 // unset: all
  std::uint32_t table = table_main;
  std::optional<std::uint32_t> priority;
  std::optional<std::uint32_t> fwmark, fwmask;
  std::string iif, oif;
};

// Why a line cannot be translated: the index of the offending word (words.size() when a
// word is missing at the end) and what was expected there.
struct translate_error {
  std::size_t word = 0;
  std::string expected;
};

std::variant<route_desc, translate_error> translate_route(const std::vector<std::string>& words);
std::variant<rule_desc, translate_error> translate_rule(const std::vector<std::string>& words);

// For logs and the admin socket: the description in ip(8)'s own words.
const char* k_route_type_name(route_type t);
std::string to_string(const route_desc& r);
std::string to_string(const rule_desc& r);

} // namespace ka::proto
