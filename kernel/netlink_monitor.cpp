#include "kernel/netlink_monitor.hpp"

#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <sys/socket.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace ka::kern {
namespace {

struct sink {
  std::vector<link_event>* links;
  std::vector<addr_event>* addrs;
  int msg_type = 0;
};

void on_object(nl_object* obj, void* arg) {
  auto* s = static_cast<sink*>(arg);
  const char* type = nl_object_get_type(obj);
  if (std::strcmp(type, "route/link") == 0) {
    auto* l = reinterpret_cast<rtnl_link*>(obj);
    link_event ev;
    ev.ifindex = rtnl_link_get_ifindex(l);
    if (const char* n = rtnl_link_get_name(l))
      ev.name = n;
    unsigned flags = rtnl_link_get_flags(l);
    ev.up = s->msg_type != RTM_DELLINK && (flags & IFF_UP) && (flags & IFF_RUNNING);
    s->links->push_back(ev);
  } else if (std::strcmp(type, "route/addr") == 0) {
    auto* a = reinterpret_cast<rtnl_addr*>(obj);
    nl_addr* local = rtnl_addr_get_local(a);
    if (!local)
      return;
    addr_event ev;
    ev.ifindex = rtnl_addr_get_ifindex(a);
    ev.prefix_len = rtnl_addr_get_prefixlen(a);
    ev.added = s->msg_type == RTM_NEWADDR;
    auto* bytes = static_cast<const std::uint8_t*>(nl_addr_get_binary_addr(local));
    if (nl_addr_get_family(local) == AF_INET && nl_addr_get_len(local) == 4) {
      ev.addr = proto::ip_address::v4_from_bytes(bytes);
    } else if (nl_addr_get_family(local) == AF_INET6 && nl_addr_get_len(local) == 16) {
      ev.addr.fam = proto::ip_address::family::v6;
      std::memcpy(ev.addr.bytes.data(), bytes, 16);
    } else {
      return;
    }
    s->addrs->push_back(ev);
  }
}

int on_message(nl_msg* msg, void* arg) {
  auto* s = static_cast<sink*>(arg);
  s->msg_type = nlmsg_hdr(msg)->nlmsg_type;
  nl_msg_parse(msg, on_object, arg);
  return NL_OK;
}

} // namespace

netlink_monitor::netlink_monitor() : sock_(nl_socket_alloc()) {
  if (!sock_)
    throw std::runtime_error("netlink monitor: cannot allocate socket");
  nl_socket_disable_seq_check(sock_);
  int err = nl_connect(sock_, NETLINK_ROUTE);
  if (err >= 0)
    err = nl_socket_add_memberships(sock_, RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR,
                                    RTNLGRP_IPV6_IFADDR, 0);
  if (err >= 0)
    err = nl_socket_set_nonblocking(sock_);
  // Test hook: a tiny receive buffer makes an overrun (ENOBUFS) easy to provoke.
  if (const char* rcvbuf = std::getenv("KA_TEST_NETLINK_RCVBUF"); err >= 0 && rcvbuf)
    err = nl_socket_set_buffer_size(sock_, std::atoi(rcvbuf), 0);
  if (err < 0) {
    nl_socket_free(sock_);
    throw std::runtime_error(std::string("netlink monitor: ") + nl_geterror(err));
  }
}

netlink_monitor::~netlink_monitor() { nl_socket_free(sock_); }

bool netlink_monitor::snapshot(std::vector<link_event>& links, std::vector<addr_event>& addrs) {
  std::unique_ptr<nl_sock, void (*)(nl_sock*)> sock(nl_socket_alloc(), nl_socket_free);
  if (!sock || nl_connect(sock.get(), NETLINK_ROUTE) < 0)
    return false;
  nl_cache* link_cache = nullptr;
  nl_cache* addr_cache = nullptr;
  bool ok = rtnl_link_alloc_cache(sock.get(), AF_UNSPEC, &link_cache) >= 0 &&
            rtnl_addr_alloc_cache(sock.get(), &addr_cache) >= 0;
  if (ok) {
    sink s{&links, &addrs, RTM_NEWLINK};
    nl_cache_foreach(link_cache, on_object, &s);
    s.msg_type = RTM_NEWADDR;
    nl_cache_foreach(addr_cache, on_object, &s);
  }
  if (link_cache)
    nl_cache_free(link_cache);
  if (addr_cache)
    nl_cache_free(addr_cache);
  return ok;
}

int netlink_monitor::fd() const { return nl_socket_get_fd(sock_); }

bool netlink_monitor::read(std::vector<link_event>& links, std::vector<addr_event>& addrs) {
  sink s{&links, &addrs};
  nl_socket_modify_cb(sock_, NL_CB_VALID, NL_CB_CUSTOM, on_message, &s);
  for (;;) {
    int rc = nl_recvmsgs_default(sock_);
    if (rc >= 0)
      continue;
    // libnl maps EAGAIN on a non-blocking socket to -NLE_AGAIN.
    return rc == -NLE_AGAIN;
  }
}

} // namespace ka::kern
