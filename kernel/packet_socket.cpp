#include "kernel/packet_socket.hpp"

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace ka::kern {

packet_socket::packet_socket() {
  // Protocol 0: a send-only socket receives nothing, so it never fills its buffer.
  fd_ = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd_ < 0)
    throw std::system_error(errno, std::generic_category(), "socket(AF_PACKET)");
}

packet_socket::~packet_socket() {
  if (fd_ >= 0)
    ::close(fd_);
}

int packet_socket::send(int ifindex, const std::vector<std::uint8_t>& frame) {
  if (frame.size() < ETH_HLEN)
    return EINVAL;
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = ifindex;
  to.sll_halen = ETH_ALEN;
  std::memcpy(to.sll_addr, frame.data(), ETH_ALEN);
  std::memcpy(&to.sll_protocol, &frame[12], 2);  // ethertype, already network order
  ssize_t n = ::sendto(fd_, frame.data(), frame.size(), 0,
                       reinterpret_cast<sockaddr*>(&to), sizeof to);
  return n < 0 ? errno : 0;
}

} // namespace ka::kern
