#include "protocol/nft_ruleset.hpp"

namespace ka::proto {
namespace {

std::string prefix(ip_address::family fam, const nft_options& o) {
  return std::string(nft_family(fam)) + " " + o.table;
}

// `counter` before the verdict: keepalived's nftables_counters puts one on every rule.
std::string verdict(const nft_options& o, const std::string& v) {
  return (o.counters ? "counter " : "") + v;
}

std::string base_chain(const std::string& p, const char* name, const char* hook, int priority) {
  return "add chain " + p + " " + name + " { type filter hook " + hook + " priority "
         + std::to_string(priority) + "; policy accept; }\n";
}

} // namespace

const char* nft_family(ip_address::family fam) { return fam == ip_address::family::v4 ? "ip" : "ip6"; }

std::string nft_drop_table(ip_address::family fam, const nft_options& o) {
  // `add` first: deleting a table that is not there fails, and the batch with it.
  std::string p = prefix(fam, o);
  return "add table " + p + "\ndelete table " + p + "\n";
}

std::string nft_create_table(ip_address::family fam, const nft_options& o) {
  bool v4 = fam == ip_address::family::v4;
  std::string p = prefix(fam, o);
  std::string s = nft_drop_table(fam, o);
  s += "add table " + p + "\n";
  s += "add set " + p + " vips { type " + (v4 ? "ipv4_addr" : "ipv6_addr") + "; }\n";
  if (!v4)
    s += "add set " + p + " neighbor-discovery { type icmpv6_type; flags constant; "
         "elements = { nd-neighbor-solicit, nd-neighbor-advert }; }\n";
  s += base_chain(p, "out", "output", o.priority);
  s += base_chain(p, "in", "input", o.priority);
  if (v4) {
    s += "add rule " + p + " out ip saddr @vips " + verdict(o, "drop") + "\n";
    s += "add rule " + p + " in ip daddr @vips " + verdict(o, "drop") + "\n";
    return s;
  }
  s += "add chain " + p + " in_link_local\n";
  s += "add chain " + p + " out_link_local\n";
  for (const char* dir : {"out", "in"}) {
    bool out = dir[0] == 'o';
    std::string field = out ? "saddr" : "daddr";
    s += "add rule " + p + " " + dir + " icmpv6 type @neighbor-discovery " + verdict(o, "accept") + "\n";
    s += "add rule " + p + " " + dir + " ip6 " + field + " fe80::/10 "
         + verdict(o, std::string("goto ") + dir + "_link_local") + "\n";
    s += "add rule " + p + " " + dir + " ip6 " + field + " @vips " + verdict(o, "drop") + "\n";
  }
  return s;
}

std::string nft_create_link_local(const nft_options& o) {
  std::string p = prefix(ip_address::family::v6, o);
  return "add set " + p + " vips_link_local { type ipv6_addr . iface_index; }\n"
         "add rule " + p + " in_link_local ip6 daddr . iif @vips_link_local " + verdict(o, "drop") + "\n"
         "add rule " + p + " out_link_local ip6 saddr . oif @vips_link_local " + verdict(o, "drop") + "\n";
}

bool is_link_local(const ip_address& a) {
  return !a.is_v4() && a.bytes[0] == 0xfe && (a.bytes[1] & 0xc0) == 0x80;
}

std::string nft_elements(bool add, ip_address::family fam, const nft_options& o,
                         const std::vector<nft_element>& elements) {
  std::string global, link_local;
  for (const auto& e : elements) {
    if (e.addr.fam != fam)
      continue;
    if (is_link_local(e.addr))
      link_local += (link_local.empty() ? "" : ", ") + e.addr.to_string() + " . " + std::to_string(e.ifindex);
    else
      global += (global.empty() ? "" : ", ") + e.addr.to_string();
  }
  std::string verb = add ? "add element " : "delete element ";
  std::string s;
  if (!global.empty())
    s += verb + prefix(fam, o) + " vips { " + global + " }\n";
  if (!link_local.empty())
    s += verb + prefix(fam, o) + " vips_link_local { " + link_local + " }\n";
  return s;
}

} // namespace ka::proto
