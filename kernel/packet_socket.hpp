// An AF_PACKET socket for sending whole link-layer frames (gratuitous ARP).
#pragma once
#include <cstdint>
#include <vector>

namespace ka::kern {

class packet_socket {
public:
  packet_socket();       // throws std::system_error
  ~packet_socket();
  packet_socket(const packet_socket&) = delete;
  packet_socket& operator=(const packet_socket&) = delete;
  // Sends `frame` (Ethernet header included) out of `ifindex`. Returns 0 or errno.
  int send(int ifindex, const std::vector<std::uint8_t>& frame);

private:
  int fd_ = -1;
};

} // namespace ka::kern
