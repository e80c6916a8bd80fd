#include "kernel/probe_udp.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <fcntl.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "kernel/probe_source.hpp"

namespace ka::kern {
namespace {

namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

// Random payload length when the config gives none: keepalived 2.2.7 sends 32 bytes.
constexpr std::size_t k_random_payload = 32;

class udp_probe : public std::enable_shared_from_this<udp_probe> {
public:
  udp_probe(probe_engine& e, const udp_probe_spec& s, probe_callback cb)
      : strand_(asio::make_strand(e.io())), timer_(strand_), sock_(strand_), spec_(s),
        done_(std::move(cb)), start_(clock_type::now()) {}

  void start() {
    asio::dispatch(strand_, [self = shared_from_this()] { self->open(); });
  }

private:
  void open() {
    int fam = spec_.target.addr.is_v4() ? AF_INET : AF_INET6;
    int fd = ::socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
      return finish(false, std::string("socket: ") + std::strerror(errno));
    sock_.assign(fd);
    // ICMP errors (port, host, net unreachable) come back as errors on the socket.
    int on = 1;
    if (fam == AF_INET)
      ::setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on, sizeof on);
    else
      ::setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof on);
    auto err = apply_probe_source(fd, spec_.target);
    if (!err.empty())
      return finish(false, err);
    sockaddr_storage ss;
    socklen_t len = to_sockaddr(spec_.target.addr, spec_.target.port, ss);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0)
      return finish(false, std::string("connect: ") + std::strerror(errno));
    std::vector<std::uint8_t> payload = spec_.payload;
    if (payload.empty()) {
      std::random_device rd;
      payload.resize(k_random_payload);
      for (auto& b : payload)
        b = static_cast<std::uint8_t>(rd());
    }
    if (::send(fd, payload.data(), payload.size(), 0) < 0)
      return finish(false, std::string("send: ") + std::strerror(errno));
    timer_.expires_after(spec_.target.timeout);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->finished_)
        return;
      if (self->spec_.require_reply)
        self->finish(false, "no reply within the timeout");
      else
        self->finish(true, "no reply and no ICMP error within the timeout");
    });
    wait();
  }

  void wait() {
    sock_.async_wait(asio::posix::descriptor_base::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) {
                       if (!ec && !self->finished_)
                         self->readable();
                     });
  }

  void readable() {
    int fd = sock_.native_handle();
    // ICMP errors first: IP_RECVERR queues each with its type and code.
    for (;;) {
      std::uint8_t ignored[64];
      char control[512];
      iovec iov{ignored, sizeof ignored};
      msghdr msg{};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof control;
      if (::recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
        break;
      for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        bool v4 = c->cmsg_level == SOL_IP && c->cmsg_type == IP_RECVERR;
        bool v6 = c->cmsg_level == SOL_IPV6 && c->cmsg_type == IPV6_RECVERR;
        if (!v4 && !v6)
          continue;
        auto* e = reinterpret_cast<const sock_extended_err*>(CMSG_DATA(c));
        if (e->ee_origin != (v4 ? SO_EE_ORIGIN_ICMP : SO_EE_ORIGIN_ICMP6))
          continue;
        if (auto why = proto::udp_icmp_failure(v6, e->ee_type, e->ee_code))
          return finish(false, *why);
      }
    }
    std::uint8_t buf[65536];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0)
      return wait();  // EAGAIN, or an error already read from the queue above
    if (!spec_.require_reply)
      return finish(true, "reply of " + std::to_string(n) + " bytes");
    auto v = proto::judge_udp_reply(buf, static_cast<std::size_t>(n), spec_.expect);
    finish(v.ok, v.reason);
  }

  void finish(bool ok, std::string reason) {
    if (finished_)
      return;
    finished_ = true;
    timer_.cancel();
    boost::system::error_code ignored;
    sock_.close(ignored);
    done_(result_since(start_, ok, std::move(reason)));
  }

  asio::strand<asio::io_context::executor_type> strand_;
  asio::steady_timer timer_;
  asio::posix::stream_descriptor sock_;
  udp_probe_spec spec_;
  probe_callback done_;
  clock_type::time_point start_;
  bool finished_ = false;
};

} // namespace

void start_udp_probe(probe_engine& engine, const udp_probe_spec& spec, probe_callback done) {
  std::make_shared<udp_probe>(engine, spec, std::move(done))->start();
}

} // namespace ka::kern
