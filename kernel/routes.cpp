// virtual_routes and virtual_rules over rtnetlink (libnl-route-3): route_socket's route and
// rule calls, from the typed descriptions of protocol/route_rule.hpp.
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/route.h>
#include <netlink/route/rule.h>
#include <sys/socket.h>

#include <memory>
#include <new>

#include "kernel/links.hpp"

namespace ka::kern {
static_assert(route_socket::no_such_object == -NLE_OBJ_NOTFOUND);
namespace {

template <class T, void (*Free)(T*)>
struct nl_deleter {
  void operator()(T* p) const { if (p) Free(p); }
};
using route_ptr = std::unique_ptr<rtnl_route, nl_deleter<rtnl_route, rtnl_route_put>>;
using rule_ptr = std::unique_ptr<rtnl_rule, nl_deleter<rtnl_rule, rtnl_rule_put>>;
using nladdr_ptr = std::unique_ptr<nl_addr, nl_deleter<nl_addr, nl_addr_put>>;

int af_of(proto::ip_address::family f) { return f == proto::ip_address::family::v4 ? AF_INET : AF_INET6; }

nladdr_ptr to_nl(const proto::ip_address& a, int prefix) {
  nladdr_ptr p(nl_addr_build(af_of(a.fam), a.bytes.data(), a.size()));
  if (!p) throw std::bad_alloc();
  nl_addr_set_prefixlen(p.get(), prefix);
  return p;
}

// The all-zero prefix of a family: `default`, and a rule's "all".
nladdr_ptr any(int af) {
  proto::ip_address z;
  z.fam = af == AF_INET ? proto::ip_address::family::v4 : proto::ip_address::family::v6;
  return to_nl(z, 0);
}

int finish(int rc, std::string* err) {
  if (rc < 0 && err) *err = nl_geterror(rc);
  return rc;
}

} // namespace

namespace {
// Builds the route; "" or why it cannot be (an interface that does not exist now).
std::string build_route(route_socket& rs, const proto::route_desc& d, route_ptr& out) {
  route_ptr r(rtnl_route_alloc());
  if (!r) throw std::bad_alloc();
  int af = af_of(d.fam.value_or(proto::ip_address::family::v4));
  rtnl_route_set_family(r.get(), af);
  auto dst = d.dst ? to_nl(d.dst->addr, d.dst->len) : any(af);
  rtnl_route_set_dst(r.get(), dst.get());
  rtnl_route_set_table(r.get(), d.table);
  rtnl_route_set_type(r.get(), static_cast<std::uint8_t>(d.type));
  rtnl_route_set_protocol(r.get(), d.protocol);
  if (d.scope) rtnl_route_set_scope(r.get(), *d.scope);  // else libnl guesses as ip(8) does
  if (d.metric) rtnl_route_set_priority(r.get(), *d.metric);
  if (d.src) {
    auto src = to_nl(*d.src, d.src->is_v4() ? 32 : 128);
    rtnl_route_set_pref_src(r.get(), src.get());
  }
  if (d.via || !d.dev.empty()) {
    rtnl_nexthop* nh = rtnl_route_nh_alloc();
    if (!nh) throw std::bad_alloc();
    if (!d.dev.empty()) {
      auto l = rs.link(d.dev);
      if (!l) {
        rtnl_route_nh_free(nh);
        return "no interface " + d.dev;
      }
      rtnl_route_nh_set_ifindex(nh, l->ifindex);
    }
    if (d.via) {
      auto gw = to_nl(*d.via, d.via->is_v4() ? 32 : 128);
      rtnl_route_nh_set_gateway(nh, gw.get());
    }
    if (d.onlink) rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
    rtnl_route_add_nexthop(r.get(), nh);  // the route owns it from here
  }
  out = std::move(r);
  return "";
}

rule_ptr build_rule(const proto::rule_desc& d, proto::ip_address::family fam) {
  rule_ptr r(rtnl_rule_alloc());
  if (!r) throw std::bad_alloc();
  int af = af_of(d.fam.value_or(fam));
  rtnl_rule_set_family(r.get(), af);
  if (d.from) {
    auto a = to_nl(d.from->addr, d.from->len);
    rtnl_rule_set_src(r.get(), a.get());
  }
  if (d.to) {
    auto a = to_nl(d.to->addr, d.to->len);
    rtnl_rule_set_dst(r.get(), a.get());
  }
  rtnl_rule_set_table(r.get(), d.table);
  rtnl_rule_set_action(r.get(), FR_ACT_TO_TBL);
  if (d.priority) rtnl_rule_set_prio(r.get(), *d.priority);
  if (d.fwmark) {
    rtnl_rule_set_mark(r.get(), *d.fwmark);
    rtnl_rule_set_mask(r.get(), d.fwmask.value_or(0xffffffffu));
  }
  if (!d.iif.empty()) rtnl_rule_set_iif(r.get(), d.iif.c_str());
  if (!d.oif.empty()) rtnl_rule_set_oif(r.get(), d.oif.c_str());
  return r;
}
} // namespace

int route_socket::add_route(const proto::route_desc& d, std::string* err) {
  route_ptr r;
  if (auto why = build_route(*this, d, r); !why.empty()) {
    if (err) *err = why;
    return -NLE_NODEV;
  }
  // NLM_F_EXCL, and EEXIST taken as success: a route left by an earlier run (or written
  // by hand) is ours to keep, but a different route of the same key is not replaced.
  int rc = rtnl_route_add(sock_, r.get(), NLM_F_EXCL);
  if (rc == -NLE_EXIST) return already_there;
  return finish(rc, err);
}

int route_socket::del_route(const proto::route_desc& d, std::string* err) {
  route_ptr r;
  if (auto why = build_route(*this, d, r); !why.empty()) {
    // Its interface is gone, and the kernel took the route with it.
    if (err) *err = why;
    return no_such_object;
  }
  return finish(rtnl_route_delete(sock_, r.get(), 0), err);
}

int route_socket::add_rule(const proto::rule_desc& d, proto::ip_address::family fam, std::string* err) {
  auto r = build_rule(d, fam);
  // The kernel refuses an exact duplicate only under NLM_F_EXCL: without it every
  // restart over a leftover would stack one more copy of the rule.
  int rc = rtnl_rule_add(sock_, r.get(), NLM_F_EXCL);
  if (rc == -NLE_EXIST) return already_there;
  return finish(rc, err);
}

int route_socket::del_rule(const proto::rule_desc& d, proto::ip_address::family fam, std::string* err) {
  auto r = build_rule(d, fam);
  return finish(rtnl_rule_delete(sock_, r.get(), 0), err);
}

} // namespace ka::kern
