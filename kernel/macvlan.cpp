#include "kernel/macvlan.hpp"
#include "kernel/links.hpp"

#include <linux/if.h>
#include <linux/if_link.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace ka::kern {
namespace {

struct link_put {
  void operator()(rtnl_link* l) const { if (l) rtnl_link_put(l); }
};
using link_ptr = std::unique_ptr<rtnl_link, link_put>;
struct addr_put {
  void operator()(nl_addr* a) const { if (a) nl_addr_put(a); }
};
using nladdr_ptr = std::unique_ptr<nl_addr, addr_put>;

found_link describe(rtnl_link* l) {
  found_link f;
  f.ifindex = rtnl_link_get_ifindex(l);
  unsigned flags = rtnl_link_get_flags(l);
  f.up = (flags & IFF_UP) && (flags & IFF_RUNNING);
  if (const char* kind = rtnl_link_get_type(l))
    f.what.kind = kind;
  f.what.lower_ifindex = rtnl_link_get_link(l);
  if (nl_addr* mac = rtnl_link_get_addr(l); mac && nl_addr_get_len(mac) == 6)
    std::memcpy(f.what.mac.data(), nl_addr_get_binary_addr(mac), 6);
  return f;
}

int fail(int rc, std::string* err) {
  if (rc < 0 && err)
    *err = nl_geterror(rc);
  return rc;
}

// /proc/sys/net/IPV/conf/IFNAME/KEY = VALUE; "" or what went wrong.
std::string write_sysctl(const char* ipv, const std::string& ifname, const char* key, int value) {
  std::string path = std::string("/proc/sys/net/") + ipv + "/conf/" + ifname + "/" + key;
  std::ofstream f(path);
  if (f)
    f << value << '\n';
  f.close();
  return f ? std::string() : path + ": " + std::strerror(errno);
}

} // namespace

macvlan_links::macvlan_links() : sock_(connect_route_socket()) {}

macvlan_links::~macvlan_links() { nl_socket_free(sock_); }

std::optional<found_link> macvlan_links::find(const std::string& name) {
  rtnl_link* raw = nullptr;
  if (rtnl_link_get_kernel(sock_, 0, name.c_str(), &raw) < 0 || !raw)
    return std::nullopt;
  link_ptr l(raw);
  return describe(l.get());
}

std::optional<found_link> macvlan_links::find(int ifindex, std::string* name) {
  rtnl_link* raw = nullptr;
  if (rtnl_link_get_kernel(sock_, ifindex, nullptr, &raw) < 0 || !raw)
    return std::nullopt;
  link_ptr l(raw);
  if (name)
    *name = rtnl_link_get_name(l.get()) ? rtnl_link_get_name(l.get()) : "";
  return describe(l.get());
}

int macvlan_links::create(const std::string& name, int base_ifindex,
                          const proto::mac_address& mac, std::string* err) {
  link_ptr l(rtnl_link_macvlan_alloc());
  if (!l)
    throw std::bad_alloc();
  rtnl_link_set_name(l.get(), name.c_str());
  rtnl_link_set_link(l.get(), base_ifindex);
  nladdr_ptr addr(nl_addr_build(AF_LLC, mac.data(), mac.size()));
  rtnl_link_set_addr(l.get(), addr.get());
  rtnl_link_macvlan_set_mode(l.get(), MACVLAN_MODE_PRIVATE);
  return fail(rtnl_link_add(sock_, l.get(), NLM_F_CREATE | NLM_F_EXCL), err);
}

int macvlan_links::set_up(int ifindex, std::string* err) {
  rtnl_link* raw = nullptr;
  if (int rc = rtnl_link_get_kernel(sock_, ifindex, nullptr, &raw); rc < 0 || !raw)
    return fail(rc < 0 ? rc : -NLE_OBJ_NOTFOUND, err);
  link_ptr orig(raw);
  link_ptr change(rtnl_link_alloc());
  if (!change)
    throw std::bad_alloc();
  rtnl_link_set_flags(change.get(), IFF_UP);
  return fail(rtnl_link_change(sock_, orig.get(), change.get(), 0), err);
}

int macvlan_links::remove(int ifindex, std::string* err) {
  link_ptr l(rtnl_link_alloc());
  if (!l)
    throw std::bad_alloc();
  rtnl_link_set_ifindex(l.get(), ifindex);
  return fail(rtnl_link_delete(sock_, l.get()), err);
}

std::string macvlan_links::set_sysctls(const std::string& vmac, const std::string& base, bool v4) {
  std::string errs;
  auto add = [&](std::string e) {
    if (!e.empty())
      errs += (errs.empty() ? "" : "; ") + e;
  };
  add(write_sysctl("ipv6", vmac, "addr_gen_mode", 1));  // IN6_ADDR_GEN_MODE_NONE
  if (v4) {
    add(write_sysctl("ipv6", vmac, "disable_ipv6", 1));
    add(write_sysctl("ipv4", vmac, "arp_ignore", 1));
    add(write_sysctl("ipv4", vmac, "accept_local", 1));
    add(write_sysctl("ipv4", vmac, "rp_filter", 0));
    add(write_sysctl("ipv4", vmac, "promote_secondaries", 1));
    add(write_sysctl("ipv4", base, "arp_ignore", 1));
    add(write_sysctl("ipv4", base, "arp_filter", 1));
  }
  return errs;
}

} // namespace ka::kern
