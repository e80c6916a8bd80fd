// What the datagram probes (UDP_CHECK, PING_CHECK, DNS_CHECK's c-ares sockets) do to a
// socket before it talks to the real server: SO_MARK (fwmark), SO_BINDTODEVICE (bind_if)
// and bind() to bindto/bind_port. Thin: socket options only.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>

#include <string>

#include "kernel/probe.hpp"

namespace ka::kern {

// The target's address and port as a sockaddr; returns its length.
socklen_t to_sockaddr(const proto::ip_address& a, std::uint16_t port, sockaddr_storage& out);

// Applies fwmark, bind_if, bindto and bind_port of `t` to `fd`; "" or what failed.
std::string apply_probe_source(int fd, const probe_target& t);

} // namespace ka::kern
