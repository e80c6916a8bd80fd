#include "kernel/links.hpp"

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace ka::kern {
static_assert(route_socket::no_such_address == -NLE_NOADDR);
static_assert(route_socket::no_such_device == -NLE_NODEV);
namespace {

template <class T, void (*Free)(T*)>
struct nl_deleter {
  void operator()(T* p) const { if (p) Free(p); }
};
using link_ptr = std::unique_ptr<rtnl_link, nl_deleter<rtnl_link, rtnl_link_put>>;
using addr_ptr = std::unique_ptr<rtnl_addr, nl_deleter<rtnl_addr, rtnl_addr_put>>;
using nladdr_ptr = std::unique_ptr<nl_addr, nl_deleter<nl_addr, nl_addr_put>>;
using cache_ptr = std::unique_ptr<nl_cache, nl_deleter<nl_cache, nl_cache_free>>;

int af_of(const proto::ip_address& a) { return a.is_v4() ? AF_INET : AF_INET6; }

nladdr_ptr to_nl(const proto::ip_address& a, int prefix) {
  nladdr_ptr p(nl_addr_build(af_of(a), a.bytes.data(), a.size()));
  if (p && prefix >= 0)
    nl_addr_set_prefixlen(p.get(), prefix);
  return p;
}

link_info from_link(rtnl_link* l) {
  link_info info;
  info.ifindex = rtnl_link_get_ifindex(l);
  if (const char* n = rtnl_link_get_name(l))
    info.name = n;
  unsigned flags = rtnl_link_get_flags(l);
  info.up = (flags & IFF_UP) && (flags & IFF_RUNNING);
  if (nl_addr* mac = rtnl_link_get_addr(l); mac && nl_addr_get_len(mac) == 6)
    std::memcpy(info.mac.data(), nl_addr_get_binary_addr(mac), 6);
  return info;
}

addr_ptr build_addr(const address_spec& s) {
  addr_ptr a(rtnl_addr_alloc());
  if (!a)
    throw std::bad_alloc();
  rtnl_addr_set_ifindex(a.get(), s.ifindex);
  rtnl_addr_set_family(a.get(), af_of(s.addr));
  auto local = to_nl(s.addr, s.prefix_len);
  rtnl_addr_set_local(a.get(), local.get());
  rtnl_addr_set_prefixlen(a.get(), s.prefix_len);
  if (!s.label.empty())
    rtnl_addr_set_label(a.get(), s.label.c_str());
  if (s.broadcast) {
    auto brd = to_nl(*s.broadcast, -1);
    rtnl_addr_set_broadcast(a.get(), brd.get());
  }
  if (s.scope >= 0)
    rtnl_addr_set_scope(a.get(), s.scope);
  if (!s.addr.is_v4()) {
    if (s.nodad)
      rtnl_addr_set_flags(a.get(), IFA_F_NODAD);
    if (s.prefix_len == 128 || s.deprecated) {
      // Both lifetimes travel together (IFA_CACHEINFO): valid 0 would be refused.
      rtnl_addr_set_valid_lifetime(a.get(), 0xffffffffu);  // INFINITY_LIFE_TIME
      rtnl_addr_set_preferred_lifetime(a.get(), 0);
    }
  }
  return a;
}

} // namespace

int scope_from_name(const std::string& name) {
  if (name.empty())
    return -1;
  if (name == "global") return RT_SCOPE_UNIVERSE;
  if (name == "site") return RT_SCOPE_SITE;
  if (name == "link") return RT_SCOPE_LINK;
  if (name == "host") return RT_SCOPE_HOST;
  if (name == "nowhere") return RT_SCOPE_NOWHERE;
  char* end = nullptr;
  long v = std::strtol(name.c_str(), &end, 10);
  return (*end == 0 && v >= 0 && v <= 255) ? static_cast<int>(v) : -1;
}

nl_sock* connect_route_socket() {
  nl_sock* sock = nl_socket_alloc();
  if (!sock)
    throw std::runtime_error("netlink: cannot allocate socket");
  if (int err = nl_connect(sock, NETLINK_ROUTE); err < 0) {
    nl_socket_free(sock);
    throw std::runtime_error(std::string("netlink: connect: ") + nl_geterror(err));
  }
  return sock;
}

route_socket::route_socket() : sock_(connect_route_socket()) {}

route_socket::~route_socket() { nl_socket_free(sock_); }

std::optional<link_info> route_socket::link(const std::string& name) {
  rtnl_link* raw = nullptr;
  if (rtnl_link_get_kernel(sock_, 0, name.c_str(), &raw) < 0 || !raw)
    return std::nullopt;
  link_ptr l(raw);
  return from_link(l.get());
}

std::optional<link_info> route_socket::link(int ifindex) {
  rtnl_link* raw = nullptr;
  if (rtnl_link_get_kernel(sock_, ifindex, nullptr, &raw) < 0 || !raw)
    return std::nullopt;
  link_ptr l(raw);
  return from_link(l.get());
}

std::optional<proto::ip_address> route_socket::primary_ipv4(int ifindex) {
  nl_cache* raw = nullptr;
  if (rtnl_addr_alloc_cache(sock_, &raw) < 0)
    return std::nullopt;
  cache_ptr cache(raw);
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    if (rtnl_addr_get_ifindex(a) != ifindex || rtnl_addr_get_family(a) != AF_INET)
      continue;
    if (rtnl_addr_get_flags(a) & IFA_F_SECONDARY)
      continue;
    nl_addr* local = rtnl_addr_get_local(a);
    if (local && nl_addr_get_len(local) == 4)
      return proto::ip_address::v4_from_bytes(
        static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(local)));
  }
  return std::nullopt;
}

std::optional<proto::ip_address> route_socket::link_local_ipv6(int ifindex) {
  nl_cache* raw = nullptr;
  if (rtnl_addr_alloc_cache(sock_, &raw) < 0)
    return std::nullopt;
  cache_ptr cache(raw);
  // A link-local address added without DAD is a virtual address (ours, or one a killed
  // daemon left behind, which BACKUP removes right after this lookup): sending from it
  // then fails with EINVAL. The interface's own address went through DAD, so it comes
  // first; a nodad one only when there is nothing else.
  std::optional<proto::ip_address> nodad;
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
    auto* a = reinterpret_cast<rtnl_addr*>(o);
    if (rtnl_addr_get_ifindex(a) != ifindex || rtnl_addr_get_family(a) != AF_INET6)
      continue;
    if (rtnl_addr_get_flags(a) & (IFA_F_TENTATIVE | IFA_F_DADFAILED))
      continue;
    nl_addr* local = rtnl_addr_get_local(a);
    if (!local || nl_addr_get_len(local) != 16)
      continue;
    const auto* b = static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(local));
    if (b[0] != 0xfe || (b[1] & 0xc0) != 0x80)
      continue;
    proto::ip_address ll;
    ll.fam = proto::ip_address::family::v6;
    std::memcpy(ll.bytes.data(), b, 16);
    if (!(rtnl_addr_get_flags(a) & IFA_F_NODAD))
      return ll;
    if (!nodad)
      nodad = ll;
  }
  return nodad;
}

int route_socket::add_address(const address_spec& spec, std::string* err) {
  auto a = build_addr(spec);
  // NLM_F_REPLACE: re-adding an address we already hold is success, not EEXIST.
  int rc = rtnl_addr_add(sock_, a.get(), NLM_F_REPLACE);
  if (rc < 0 && err)
    *err = nl_geterror(rc);
  return rc;
}

int route_socket::del_address(const address_spec& spec, std::string* err) {
  auto a = build_addr(spec);
  int rc = rtnl_addr_delete(sock_, a.get(), 0);
  if (rc < 0 && err)
    *err = nl_geterror(rc);
  return rc;
}

} // namespace ka::kern
