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
  // Unicast VRRP: sends one payload to `dst` from `src` (IP_PKTINFO; unicast_src_ip or
  // the primary address) with this TTL (unicast_ttl). Returns 0 or errno.
  int send_to(const std::vector<std::uint8_t>& payload, const proto::ip_address& dst,
              const proto::ip_address& src, int ttl);
  // Non-blocking receive of one datagram (IP header included). -1 with errno on none.
  // Returns the datagram's real length, which is more than `len` when it was truncated.
  long receive(std::uint8_t* buf, std::size_t len);

private:
  int fd_ = -1;
  std::string ifname_;
  int ifindex_ = 0;
  int unicast_ttl_ = 255;  // IP_TTL as last set: changed only when an instance differs
};

// The raw IPv6 VRRP socket of one interface (RFC 5798 5.1.2): joined to ff02::12 on it,
// hop limit 255 both ways, loop off. A raw IPv6 socket delivers the payload only, so the
// addresses and hop limit of each message come as ancillary data.
class vrrp_socket_v6 {
public:
  // `source`: the interface's link-local address, put on every advert (IPV6_PKTINFO)
  // rather than left to the kernel: it is part of the checksum. Throws std::system_error.
  vrrp_socket_v6(const std::string& ifname, int ifindex, const proto::ip_address& source);
  ~vrrp_socket_v6();
  vrrp_socket_v6(const vrrp_socket_v6&) = delete;
  vrrp_socket_v6& operator=(const vrrp_socket_v6&) = delete;

  int fd() const { return fd_; }
  int ifindex() const { return ifindex_; }
  // The source address may change (a re-created interface): set it before sending.
  void set_source(const proto::ip_address& source) { source_ = source; }
  // Sends one VRRP message to ff02::12 from the source address. Returns 0 or errno.
  int send(const std::vector<std::uint8_t>& payload);
  // Unicast VRRP: to `dst` from `src` with this hop limit. Returns 0 or errno.
  int send_to(const std::vector<std::uint8_t>& payload, const proto::ip_address& dst,
              const proto::ip_address& src, int hops);
  struct meta {
    proto::ip_address src, dst;
    int hop_limit = -1;  // -1: the kernel gave none
  };
  // Non-blocking receive of one VRRP message. -1 with errno on none; else its real
  // length, more than `len` when it was truncated.
  long receive(std::uint8_t* buf, std::size_t len, meta& m);

private:
  int fd_ = -1;
  std::string ifname_;
  int ifindex_ = 0;
  proto::ip_address source_;
  int unicast_hops_ = 255;
  int send_from(const std::vector<std::uint8_t>& payload, const proto::ip_address& dst,
                const proto::ip_address& src);
};

} // namespace ka::kern
