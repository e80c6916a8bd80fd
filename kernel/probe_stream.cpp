#include "kernel/probe_stream.hpp"

#include <boost/asio/bind_executor.hpp>

#include <net/if.h>
#include <sys/socket.h>

#include <cstdio>

namespace ka::kern {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

tcp::endpoint tcp_endpoint(const proto::ip_address& a, std::uint16_t port) {
  if (a.is_v4()) {
    asio::ip::address_v4::bytes_type b;
    std::copy(a.bytes.begin(), a.bytes.begin() + 4, b.begin());
    return {asio::ip::address_v4(b), port};
  }
  asio::ip::address_v6::bytes_type b;
  std::copy(a.bytes.begin(), a.bytes.end(), b.begin());
  return {asio::ip::address_v6(b), port};
}

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

probe_run::probe_run(probe_engine& e, const probe_target& t, probe_callback cb)
    : strand_(asio::make_strand(e.io())), timer_(strand_), timeout_(t.timeout),
      start_(std::chrono::steady_clock::now()), cb_(std::move(cb)) {}

void probe_run::finish(bool ok, std::string reason) {
  if (done_) return;
  done_ = true;
  timer_.cancel();
  probe_result r;
  r.ok = ok;
  r.reason = std::move(reason);
  r.latency = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_);
  auto cb = std::move(cb_);
  cb(std::move(r));
}

std::string error_reason(const char* step, const boost::system::error_code& ec) {
  return std::string(step) + ": " + ec.message();
}

std::string timeout_reason(std::chrono::microseconds timeout, const char* step) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "timeout after %.3g s", static_cast<double>(timeout.count()) / 1e6);
  return std::string(buf) + " (" + step + ")";
}

} // namespace ka::kern
