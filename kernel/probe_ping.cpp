#include "kernel/probe_ping.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "kernel/probe_source.hpp"
#include "protocol/icmp_echo.hpp"

namespace ka::kern {
namespace {

namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

// Opens a ping socket, or a filtered raw one; sets `raw`. -1 with errno on failure.
int open_icmp_socket(bool v6, bool& raw) {
  int fam = v6 ? AF_INET6 : AF_INET;
  int proto = v6 ? static_cast<int>(IPPROTO_ICMPV6) : static_cast<int>(IPPROTO_ICMP);
  int fd = ::socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
  raw = false;
  if (fd >= 0)
    return fd;
  fd = ::socket(fam, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
  if (fd < 0)
    return -1;
  raw = true;
  // Only echo replies reach this socket: every raw ICMP socket gets a copy of each
  // ICMP message, so the filter keeps thousands of probes from waking for each other's.
  if (v6) {
    icmp6_filter f;
    ICMP6_FILTER_SETBLOCKALL(&f);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
    ::setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof f);
  } else {
    icmp_filter f{};
    f.data = ~(1u << ICMP_ECHOREPLY);
    ::setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof f);
  }
  return fd;
}

class ping_probe : public std::enable_shared_from_this<ping_probe> {
public:
  ping_probe(probe_engine& e, const ping_probe_spec& s, probe_callback cb)
      : strand_(asio::make_strand(e.io())), timer_(strand_), sock_(strand_), spec_(s),
        done_(std::move(cb)), start_(clock_type::now()) {}

  void start() {
    asio::dispatch(strand_, [self = shared_from_this()] { self->open(); });
  }

private:
  void open() {
    v6_ = !spec_.target.addr.is_v4();
    int fd = open_icmp_socket(v6_, raw_);
    if (fd < 0)
      return finish(false, std::string("ICMP socket: ") + std::strerror(errno));
    sock_.assign(fd);
    auto err = apply_probe_source(fd, spec_.target);
    if (!err.empty())
      return finish(false, err);
    sockaddr_storage ss;
    socklen_t len = to_sockaddr(spec_.target.addr, 0, ss);
    // A connected raw socket only receives from the target.
    if (raw_ && ::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0)
      return finish(false, std::string("connect: ") + std::strerror(errno));
    std::random_device rd;
    id_ = static_cast<std::uint16_t>(rd());
    seq_ = static_cast<std::uint16_t>(rd());
    payload_.resize(16);
    for (auto& b : payload_)
      b = static_cast<std::uint8_t>(rd());
    auto pkt = proto::build_echo_request(v6_, id_, seq_, payload_);
    if (::sendto(fd, pkt.data(), pkt.size(), 0, reinterpret_cast<sockaddr*>(&ss), len) < 0)
      return finish(false, std::string("send: ") + std::strerror(errno));
    timer_.expires_after(spec_.target.timeout);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec)
        self->finish(false, std::string("no echo reply within the timeout (") +
                                (self->raw_ ? "raw" : "ping") + " socket)");
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
    std::uint8_t buf[2048];
    for (;;) {
      ssize_t n = ::recv(sock_.native_handle(), buf, sizeof buf, 0);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK)
          return wait();
        continue;  // a queued error: the timeout decides
      }
      // Ping sockets rewrite the identifier and deliver only their own replies.
      auto m = proto::match_echo_reply(v6_, buf, static_cast<std::size_t>(n), raw_ && !v6_, raw_, id_,
                                       seq_, payload_);
      if (m == proto::echo_match::reply)
        return finish(true, raw_ ? "echo reply (raw socket)" : "echo reply (ping socket)");
    }
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
  ping_probe_spec spec_;
  probe_callback done_;
  clock_type::time_point start_;
  bool finished_ = false, v6_ = false, raw_ = false;
  std::uint16_t id_ = 0, seq_ = 0;
  std::vector<std::uint8_t> payload_;
};

} // namespace

void start_ping_probe(probe_engine& engine, const ping_probe_spec& spec, probe_callback done) {
  std::make_shared<ping_probe>(engine, spec, std::move(done))->start();
}

} // namespace ka::kern
