#include "kernel/vrrp_socket.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "protocol/vrrp_packet.hpp"

namespace ka::kern {
namespace {
void check(int rc, const char* what) {
  if (rc < 0)
    throw std::system_error(errno, std::generic_category(), what);
}
in_addr to_in(const proto::ip_address& a) {
  in_addr in;
  std::memcpy(&in, a.bytes.data(), 4);
  return in;
}
// One datagram to `to`, with the packet-info control message that fixes its interface and
// source address (a VRRP checksum covers the source, so the kernel must not choose it).
// Returns 0 or errno.
template <class Address, class Info>
int send_with_pktinfo(int fd, Address& to, const std::vector<std::uint8_t>& payload, int level,
                      int type, const Info& info) {
  iovec iov{const_cast<std::uint8_t*>(payload.data()), payload.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(Info))] = {};
  msghdr msg{};
  msg.msg_name = &to;
  msg.msg_namelen = sizeof to;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = CMSG_LEN(sizeof(Info));
  std::memcpy(CMSG_DATA(c), &info, sizeof info);
  return ::sendmsg(fd, &msg, 0) < 0 ? errno : 0;
}
} // namespace

vrrp_socket_v4::vrrp_socket_v4(const std::string& ifname, int ifindex,
                               const proto::ip_address& source)
  : ifname_(ifname), ifindex_(ifindex) {
  fd_ = ::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto::vrrp_ip_protocol);
  check(fd_, "socket(AF_INET, SOCK_RAW, 112)");
  try {
    check(setsockopt(fd_, SOL_SOCKET, SO_BINDTODEVICE, ifname.c_str(), ifname.size() + 1),
          "SO_BINDTODEVICE");
    int ttl = proto::vrrp_ttl;
    check(setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof ttl), "IP_MULTICAST_TTL");
    check(setsockopt(fd_, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl), "IP_TTL");
    unsigned char loop = 0;
    check(setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop), "IP_MULTICAST_LOOP");
    // Internetwork control precedence, as routers (and keepalived) mark VRRP.
    int tos = IPTOS_PREC_INTERNETCONTROL;
    check(setsockopt(fd_, IPPROTO_IP, IP_TOS, &tos, sizeof tos), "IP_TOS");
    ip_mreqn ifreq{};
    ifreq.imr_ifindex = ifindex;
    ifreq.imr_address = to_in(source);
    check(setsockopt(fd_, IPPROTO_IP, IP_MULTICAST_IF, &ifreq, sizeof ifreq), "IP_MULTICAST_IF");
    ip_mreqn join{};
    join.imr_multiaddr = to_in(proto::vrrp_group_v4());
    join.imr_ifindex = ifindex;
    check(setsockopt(fd_, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join), "IP_ADD_MEMBERSHIP");
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

vrrp_socket_v4::~vrrp_socket_v4() {
  if (fd_ >= 0)
    ::close(fd_);
}

int vrrp_socket_v4::send(const std::vector<std::uint8_t>& payload) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr = to_in(proto::vrrp_group_v4());
  ssize_t n = ::sendto(fd_, payload.data(), payload.size(), 0,
                       reinterpret_cast<sockaddr*>(&to), sizeof to);
  return n < 0 ? errno : 0;
}

int vrrp_socket_v4::send_to(const std::vector<std::uint8_t>& payload,
                            const proto::ip_address& dst, const proto::ip_address& src, int ttl) {
  if (ttl != unicast_ttl_) {
    if (setsockopt(fd_, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl) < 0)
      return errno;
    unicast_ttl_ = ttl;
  }
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_addr = to_in(dst);
  in_pktinfo info{};
  info.ipi_ifindex = ifindex_;
  info.ipi_spec_dst = to_in(src);  // the source address of a raw socket's datagram
  return send_with_pktinfo(fd_, to, payload, IPPROTO_IP, IP_PKTINFO, info);
}

long vrrp_socket_v4::receive(std::uint8_t* buf, std::size_t len) {
  return ::recv(fd_, buf, len, MSG_TRUNC);  // MSG_TRUNC: the real length, to count oversized
}

namespace {
in6_addr to_in6(const proto::ip_address& a) {
  in6_addr in;
  std::memcpy(&in, a.bytes.data(), 16);
  return in;
}
proto::ip_address from_in6(const in6_addr& in) {
  proto::ip_address a;
  a.fam = proto::ip_address::family::v6;
  std::memcpy(a.bytes.data(), &in, 16);
  return a;
}
} // namespace

vrrp_socket_v6::vrrp_socket_v6(const std::string& ifname, int ifindex,
                               const proto::ip_address& source)
  : ifname_(ifname), ifindex_(ifindex), source_(source) {
  fd_ = ::socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto::vrrp_ip_protocol);
  check(fd_, "socket(AF_INET6, SOCK_RAW, 112)");
  try {
    check(setsockopt(fd_, SOL_SOCKET, SO_BINDTODEVICE, ifname.c_str(), ifname.size() + 1),
          "SO_BINDTODEVICE");
    int hops = proto::vrrp_ttl;
    check(setsockopt(fd_, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof hops),
          "IPV6_MULTICAST_HOPS");
    check(setsockopt(fd_, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof hops), "IPV6_UNICAST_HOPS");
    int off = 0, on = 1;
    check(setsockopt(fd_, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof off), "IPV6_MULTICAST_LOOP");
    // Traffic class 0xc0 (internetwork control), as keepalived marks its IPv6 adverts.
    int tclass = 0xc0;
    check(setsockopt(fd_, IPPROTO_IPV6, IPV6_TCLASS, &tclass, sizeof tclass), "IPV6_TCLASS");
    check(setsockopt(fd_, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof ifindex),
          "IPV6_MULTICAST_IF");
    check(setsockopt(fd_, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on), "IPV6_RECVPKTINFO");
    check(setsockopt(fd_, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof on), "IPV6_RECVHOPLIMIT");
    ipv6_mreq join{};
    join.ipv6mr_multiaddr = to_in6(proto::vrrp_group_v6());
    join.ipv6mr_interface = static_cast<unsigned>(ifindex);
    check(setsockopt(fd_, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &join, sizeof join),
          "IPV6_ADD_MEMBERSHIP");
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

vrrp_socket_v6::~vrrp_socket_v6() {
  if (fd_ >= 0)
    ::close(fd_);
}

int vrrp_socket_v6::send(const std::vector<std::uint8_t>& payload) {
  return send_from(payload, proto::vrrp_group_v6(), source_);
}

int vrrp_socket_v6::send_to(const std::vector<std::uint8_t>& payload,
                            const proto::ip_address& dst, const proto::ip_address& src, int hops) {
  if (hops != unicast_hops_) {
    if (setsockopt(fd_, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof hops) < 0)
      return errno;
    unicast_hops_ = hops;
  }
  return send_from(payload, dst, src);
}

int vrrp_socket_v6::send_from(const std::vector<std::uint8_t>& payload,
                              const proto::ip_address& dst, const proto::ip_address& src) {
  sockaddr_in6 to{};
  to.sin6_family = AF_INET6;
  to.sin6_addr = to_in6(dst);
  to.sin6_scope_id = static_cast<std::uint32_t>(ifindex_);
  in6_pktinfo info{};
  info.ipi6_addr = to_in6(src);
  info.ipi6_ifindex = static_cast<unsigned>(ifindex_);
  return send_with_pktinfo(fd_, to, payload, IPPROTO_IPV6, IPV6_PKTINFO, info);
}

long vrrp_socket_v6::receive(std::uint8_t* buf, std::size_t len, meta& m) {
  sockaddr_in6 from{};
  iovec iov{buf, len};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_name = &from;
  msg.msg_namelen = sizeof from;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = ::recvmsg(fd_, &msg, MSG_TRUNC);  // MSG_TRUNC: the real length
  if (n < 0)
    return -1;
  m = meta{};
  m.src = from_in6(from.sin6_addr);
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != IPPROTO_IPV6)
      continue;
    if (c->cmsg_type == IPV6_PKTINFO) {
      in6_pktinfo info;
      std::memcpy(&info, CMSG_DATA(c), sizeof info);
      m.dst = from_in6(info.ipi6_addr);
    } else if (c->cmsg_type == IPV6_HOPLIMIT) {
      int h;
      std::memcpy(&h, CMSG_DATA(c), sizeof h);
      m.hop_limit = h;
    }
  }
  return n;
}

} // namespace ka::kern
