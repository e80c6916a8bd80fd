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

long vrrp_socket_v4::receive(std::uint8_t* buf, std::size_t len) {
  return ::recv(fd_, buf, len, 0);
}

} // namespace ka::kern
