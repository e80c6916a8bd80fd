#include "kernel/probe_source.hpp"

#include <cerrno>
#include <cstring>

namespace ka::kern {

socklen_t to_sockaddr(const proto::ip_address& a, std::uint16_t port, sockaddr_storage& out) {
  std::memset(&out, 0, sizeof out);
  if (a.is_v4()) {
    auto* s = reinterpret_cast<sockaddr_in*>(&out);
    s->sin_family = AF_INET;
    s->sin_port = htons(port);
    std::memcpy(&s->sin_addr, a.bytes.data(), 4);
    return sizeof(sockaddr_in);
  }
  auto* s = reinterpret_cast<sockaddr_in6*>(&out);
  s->sin6_family = AF_INET6;
  s->sin6_port = htons(port);
  std::memcpy(&s->sin6_addr, a.bytes.data(), 16);
  return sizeof(sockaddr_in6);
}

std::string apply_probe_source(int fd, const probe_target& t) {
  auto failed = [](const char* what) { return std::string(what) + ": " + std::strerror(errno); };
  if (t.fwmark) {
    unsigned mark = t.fwmark;
    if (::setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof mark) != 0)
      return failed("SO_MARK");
  }
  if (!t.bind_if.empty() &&
      ::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, t.bind_if.c_str(),
                   static_cast<socklen_t>(t.bind_if.size())) != 0)
    return failed("SO_BINDTODEVICE");
  if (t.bindto || t.bind_port) {
    proto::ip_address any;
    any.fam = t.addr.fam;
    sockaddr_storage ss;
    socklen_t len = to_sockaddr(t.bindto ? *t.bindto : any, t.bind_port.value_or(0), ss);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0)
      return failed("bind");
  }
  return "";
}

} // namespace ka::kern
