// The nftables commands (nft(8) syntax, run through libnftables by kernel/nft_firewall.cpp)
// that drop traffic to and from a non-accepting master's virtual addresses. Pure text: the
// shape is keepalived 2.2.7's, as `nft list ruleset` shows it in a namespace lab (README
// "Accept mode"), so that an operator reading the ruleset finds the same table either way.
#pragma once
#include <string>
#include <vector>

#include "protocol/ip_address.hpp"

namespace ka::proto {

// global_defs `nftables [TABLE]`, `nftables_priority`, `nftables_counters`.
struct nft_options {
  std::string table = "keepalived";
  int priority = -1;           // of the input and output hooks: just before filter (0)
  bool counters = false;       // a counter on every rule
};

// "ip" or "ip6": one table per family, as keepalived has.
const char* nft_family(ip_address::family fam);

// Removes any table of that name and family (a leftover of a killed daemon; none is fine).
std::string nft_drop_table(ip_address::family fam, const nft_options& o);

// Creates the table afresh in the same batch as it removes any leftover: the kernel applies
// a batch whole, so there is never a second table, nor a moment without one. The `vips`
// set, the output and input base chains dropping by source / destination address; for
// IPv6 also neighbour discovery let through (a master must still answer for its
// addresses) and link-local addresses sent to chains of their own.
std::string nft_create_table(ip_address::family fam, const nft_options& o);

// The IPv6 set keyed by link-local address and interface index, and the rules that use it:
// added when the first link-local VIP needs it, as keepalived does.
std::string nft_create_link_local(const nft_options& o);

// One element of a drop set: an address, with its interface for an IPv6 link-local one.
struct nft_element {
  ip_address addr;
  int ifindex = 0;
  friend bool operator<(const nft_element& a, const nft_element& b) {
    return a.addr != b.addr ? a.addr < b.addr : a.ifindex < b.ifindex;
  }
  friend bool operator==(const nft_element& a, const nft_element& b) {
    return a.addr == b.addr && a.ifindex == b.ifindex;
  }
};

bool is_link_local(const ip_address& a);  // IPv6 fe80::/10

// Adds or deletes elements; empty text when there are none. Elements of one family only.
std::string nft_elements(bool add, ip_address::family fam, const nft_options& o,
                         const std::vector<nft_element>& elements);

} // namespace ka::proto
