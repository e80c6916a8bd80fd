// The raw IPPROTO_VRRP socket of one interface: joined to 224.0.0.18, bound to the
// device, TTL 255, multicast loop off (we must not hear our own adverts).
// The kernel builds the IP header; received datagrams include it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/ip_address.hpp"

namespace ka::kern {

class vrrp_socket_v4 {
public:
  // `source`: the interface's primary address (multicast source). Throws std::system_error.
  vrrp_socket_v4(const std::string& ifname, int ifindex, const proto::ip_address& source);
  ~vrrp_socket_v4();
  vrrp_socket_v4(const vrrp_socket_v4&) = delete;
  vrrp_socket_v4& operator=(const vrrp_socket_v4&) = delete;

  int fd() const { return fd_; }
  const std::string& ifname() const { return ifname_; }
  int ifindex() const { return ifindex_; }
  // Sends one VRRP payload to 224.0.0.18. Returns 0 or errno.
  int send(const std::vector<std::uint8_t>& payload);
  // Non-blocking receive of one datagram (IP header included). -1 with errno on none.
  long receive(std::uint8_t* buf, std::size_t len);

private:
  int fd_ = -1;
  std::string ifname_;
  int ifindex_ = 0;
};

} // namespace ka::kern
