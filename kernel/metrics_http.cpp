#include "kernel/metrics_http.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>

#include "kernel/log.hpp"

namespace ka::kern {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string endpoint_text(const proto::ip_address& a, std::uint16_t port) {
  return (a.is_v4() ? a.to_string() : "[" + a.to_string() + "]") + ":" + std::to_string(port);
}

} // namespace

int listen_tcp(const proto::ip_address& addr, std::uint16_t port) {
  std::string where = endpoint_text(addr, port);
  int fd = ::socket(addr.is_v4() ? AF_INET : AF_INET6, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    throw std::system_error(errno, std::generic_category(), "socket for " + where);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // a restart within TIME_WAIT
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (addr.is_v4()) {
    auto* sa = reinterpret_cast<sockaddr_in*>(&ss);
    sa->sin_family = AF_INET;
    sa->sin_port = htons(port);
    std::memcpy(&sa->sin_addr, addr.bytes.data(), 4);
    len = sizeof *sa;
  } else {
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    auto* sa = reinterpret_cast<sockaddr_in6*>(&ss);
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons(port);
    std::memcpy(&sa->sin6_addr, addr.bytes.data(), 16);
    len = sizeof *sa;
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) < 0 || ::listen(fd, 16) < 0) {
    int err = errno;
    ::close(fd);
    throw std::system_error(err, std::generic_category(), where);
  }
  return fd;
}

struct metrics_http::impl {
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  asio::steady_timer retry{io};     // after accept() fails (EMFILE): try again later, not in a spin
  renderer render;
  std::string content_type;
  http_limits limits;
  std::size_t clients = 0;
  std::thread thread;

  struct session : std::enable_shared_from_this<session> {
    impl& owner;
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    std::optional<http::request_parser<http::empty_body>> parser;
    http::response<http::string_body> res;
    bool first = true;

    session(impl& o, tcp::socket s) : owner(o), stream(std::move(s)), buffer(o.limits.max_header) {
      ++owner.clients;
    }
    ~session() { --owner.clients; }

    void read_request() {
      parser.emplace();
      parser->header_limit(static_cast<std::uint32_t>(owner.limits.max_header));
      parser->body_limit(0);  // GET has no body; anything sent as one is refused
      // The first request must come soon; a kept-alive connection may wait longer for
      // the next scrape. Either way the whole request (not each byte) has this long.
      stream.expires_after(first ? owner.limits.request_timeout : owner.limits.idle_timeout);
      first = false;
      http::async_read(stream, buffer, *parser,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
      if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
          ec == asio::error::connection_reset || ec == asio::error::eof) {
        close();
        return;
      }
      if (ec) {
        // Malformed, too long, or with a body: say so once and close.
        respond(http::status::bad_request, "bad request: " + ec.message() + "\n", false, 11);
        return;
      }
      const auto& req = parser->get();
      std::string_view target(req.target().data(), req.target().size());
      bool ours = target == "/metrics" || target.rfind("/metrics?", 0) == 0;
      if (!ours)
        respond(http::status::not_found, "not found: only GET /metrics is served\n", req.keep_alive(), req.version());
      else if (req.method() != http::verb::get)
        respond(http::status::method_not_allowed, "method not allowed: only GET /metrics is served\n",
                req.keep_alive(), req.version());
      else
        respond(http::status::ok, std::nullopt, req.keep_alive(), req.version());
    }

    // body nullopt: the metrics.
    void respond(http::status st, std::optional<std::string> body, bool keep_alive, unsigned version) {
      res = {};
      res.version(version == 10 ? 10 : 11);
      res.result(st);
      res.set(http::field::server, "keepalive");
      if (st == http::status::method_not_allowed)
        res.set(http::field::allow, "GET");
      if (body) {
        res.set(http::field::content_type, "text/plain; charset=utf-8");
        res.body() = std::move(*body);
      } else {
        res.set(http::field::content_type, owner.content_type);
        try {
          res.body() = owner.render();
        } catch (const std::exception& e) {
          res.result(http::status::internal_server_error);
          res.set(http::field::content_type, "text/plain; charset=utf-8");
          res.body() = std::string("internal error: ") + e.what() + "\n";
        }
      }
      res.keep_alive(keep_alive);
      res.prepare_payload();
      // One answer in flight: the next request is not read before this one is taken,
      // so a client that sends without reading costs one answer, then the timeout.
      stream.expires_after(owner.limits.write_timeout);
      http::async_write(stream, res, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec || !self->res.keep_alive())
          self->close();
        else
          self->read_request();
      });
    }

    void close() {
      beast::error_code ignored;
      stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream.close();
    }
  };

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted)
        return;
      if (ec) {
        log::warning("metrics: accept: %s", ec.message().c_str());
        retry.expires_after(std::chrono::milliseconds(100));
        retry.async_wait([this](beast::error_code e) {
          if (!e) accept();
        });
        return;
      }
      if (clients >= limits.max_clients) {
        // Told in one non-blocking write, then closed: never waits on this client.
        static const char busy[] =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        (void)!::send(s.native_handle(), busy, sizeof busy - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        beast::error_code ignored;
        s.close(ignored);
      } else {
        std::make_shared<session>(*this, std::move(s))->read_request();
      }
      accept();
    });
  }

  void loop() {
    pthread_setname_np(pthread_self(), "ka-metrics");
    for (;;) {
      // Nothing may end this thread but stop(): a failure costs a client, not the daemon.
      try {
        io.run();
        return;
      } catch (const std::exception& e) {
        log::error("metrics: %s", e.what());
      }
    }
  }
};

metrics_http::metrics_http(int listen_fd, renderer render, std::string content_type, http_limits limits)
  : impl_(std::make_unique<impl>()) {
  impl_->render = std::move(render);
  impl_->content_type = std::move(content_type);
  impl_->limits = limits;
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  ::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&ss), &len);
  impl_->acceptor.assign(ss.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), listen_fd);
  impl_->accept();
  impl* raw = impl_.get();
  impl_->thread = std::thread([raw] { raw->loop(); });
}

metrics_http::~metrics_http() { stop(); }

void metrics_http::stop() {
  if (!impl_->thread.joinable())
    return;
  impl_->io.stop();
  impl_->thread.join();
}

} // namespace ka::kern
