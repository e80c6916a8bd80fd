#include "kernel/probe_tcp.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include "kernel/probe_stream.hpp"

namespace ka::kern {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

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
      self->run.finish(false, timeout_reason(self->spec.target.timeout, "connecting"));
      boost::system::error_code ignored;
      self->sock.close(ignored);
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
