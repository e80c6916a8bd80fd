#include "kernel/probe_tcp.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <poll.h>
#include <sys/socket.h>

#include "kernel/probe_stream.hpp"

namespace ka::kern {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Whether a non-blocking connect has completed by now, asked of the socket itself.
bool connected_now(tcp::socket& sock) {
  pollfd p{sock.native_handle(), POLLOUT, 0};
  if (::poll(&p, 1, 0) != 1 || !(p.revents & POLLOUT) || (p.revents & (POLLERR | POLLHUP))) return false;
  int err = 0;
  socklen_t len = sizeof err;
  return ::getsockopt(sock.native_handle(), SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
}

struct tcp_session : std::enable_shared_from_this<tcp_session> {
  tcp_session(probe_engine& e, const tcp_probe_spec& s, probe_callback cb)
      : spec(s), run(e, s.target, std::move(cb)), sock(run.ex()) {}
  tcp_probe_spec spec;
  probe_run run;
  tcp::socket sock;

  void start() {
    auto self = shared_from_this();
    if (auto err = prepare_tcp_socket(sock, spec.target); !err.empty()) return run.finish(false, err);
    run.arm([self] {
      boost::system::error_code ignored;
      // A late probe thread (1,000 checks on a busy CPU: bench/lb.sh) can run the deadline
      // before the completion of a connect that finished in time; keepalived then counts the
      // connection, and so does this: the socket, not the handler order, decides.
      bool ok = connected_now(self->sock);
      self->sock.close(ignored);
      if (ok) return self->run.finish(true, "connected");
      self->run.finish(false, timeout_reason(self->spec.target.timeout, "connecting"));
    });
    sock.async_connect(tcp_endpoint(spec.target.addr, spec.target.port),
                       asio::bind_executor(run.ex(), [self](const boost::system::error_code& ec) {
                         if (self->run.done()) return;
                         boost::system::error_code ignored;
                         // Connected is all TCP_CHECK asks; close at once (as keepalived).
                         self->sock.close(ignored);
                         if (ec) return self->run.finish(false, error_reason("connect", ec));
                         self->run.finish(true, "connected");
                       }));
  }
};

} // namespace

void start_tcp_probe(probe_engine& e, const tcp_probe_spec& spec, probe_callback cb) {
  auto s = std::make_shared<tcp_session>(e, spec, std::move(cb));
  asio::post(s->run.ex(), [s] { s->start(); });
}

} // namespace ka::kern
