#include "kernel/probe_stream.hpp"

#include <net/if.h>
#include <sys/socket.h>

namespace ka::kern {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string endpoint_text(const probe_target& t) {
  auto a = t.addr.to_string();
  return (t.addr.is_v4() ? a : "[" + a + "]") + ":" + std::to_string(t.port);
}

std::string prepare_tcp_socket(tcp::socket& s, const probe_target& t) {
  boost::system::error_code ec;
  s.open(t.addr.is_v4() ? tcp::v4() : tcp::v6(), ec);
  if (ec) return error_reason("socket", ec);
  int fd = s.native_handle();
  if (t.fwmark != 0) {
    // SO_MARK: policy routing or IPVS fwmark services can steer the checks (needs CAP_NET_ADMIN).
    if (::setsockopt(fd, SOL_SOCKET, SO_MARK, &t.fwmark, sizeof t.fwmark) != 0)
      return error_reason("fwmark", boost::system::error_code(errno, boost::system::system_category()));
  }
  if (!t.bind_if.empty()) {
    if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, t.bind_if.c_str(),
                     static_cast<socklen_t>(t.bind_if.size())) != 0)
      return error_reason(("bind_if " + t.bind_if).c_str(),
                          boost::system::error_code(errno, boost::system::system_category()));
  }
  if (t.bindto || t.bind_port) {
    // A fixed source port is reused check after check, while the last connection may
    // still be in TIME_WAIT.
    s.set_option(asio::socket_base::reuse_address(true), ec);
    tcp::endpoint src = t.bindto ? tcp_endpoint(*t.bindto, t.bind_port.value_or(0))
                                 : tcp::endpoint(t.addr.is_v4() ? tcp::v4() : tcp::v6(), t.bind_port.value_or(0));
    if (t.bindto && t.bindto->is_v4() != t.addr.is_v4()) return "bindto: address family differs from the target's";
    s.bind(src, ec);
    if (ec) return error_reason("bind", ec);
  }
  return {};
}

} // namespace ka::kern
