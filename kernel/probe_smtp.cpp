#include "kernel/probe_smtp.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <unistd.h>

#include <array>

#include "kernel/probe_stream.hpp"
#include "protocol/smtp_reply.hpp"

namespace ka::kern {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

struct smtp_session : std::enable_shared_from_this<smtp_session> {
  smtp_session(probe_engine& e, const smtp_probe_spec& s, probe_callback cb)
      : spec(s), run(e, s.target, std::move(cb)), sock(run.ex()) {}
  smtp_probe_spec spec;
  probe_run run;
  tcp::socket sock;
  proto::smtp_reply_reader reader;
  std::array<char, 1024> in{};
  std::string out;
  const char* step = "connecting";

  void start() {
    if (auto err = prepare_tcp_socket(sock, spec.target); !err.empty()) return run.finish(false, err);
    run.arm([self = shared_from_this()] {
      self->run.finish(false, timeout_reason(self->spec.target.timeout, self->step));
      boost::system::error_code ignored;
      self->sock.close(ignored);
    });
    sock.async_connect(tcp_endpoint(spec.target.addr, spec.target.port),
                       asio::bind_executor(run.ex(), [self = shared_from_this()](auto ec) {
                         if (self->run.done()) return;
                         if (ec) return self->fail(error_reason("connect", ec));
                         self->expect(220, "waiting for the greeting", [self] { self->helo(); });
                       }));
  }

  void fail(std::string reason) {
    run.finish(false, std::move(reason));
    boost::system::error_code ignored;
    sock.close(ignored);
  }

  // Reads one reply; `then` runs when its code is `code`.
  template <class F>
  void expect(int code, const char* what, F then) {
    step = what;
    if (reader.feed({})) return judge(code, std::move(then));  // already buffered
    sock.async_read_some(asio::buffer(in), asio::bind_executor(run.ex(), [self = shared_from_this(), code, what, then](auto ec, std::size_t n) mutable {
      if (self->run.done()) return;
      if (ec) return self->fail(error_reason("read", ec) + " (" + what + ")");
      if (!self->reader.feed(std::string_view(self->in.data(), n))) return self->expect(code, what, std::move(then));
      self->judge(code, std::move(then));
    }));
  }

  template <class F>
  void judge(int code, F then) {
    if (!reader.error().empty()) return fail(reader.error());
    auto got = reader.reply();
    reader.next();
    if (got.code != code)
      return fail("SMTP " + std::to_string(got.code) + " " + std::string(step) + ", expected " + std::to_string(code) +
                  ": \"" + got.text.substr(0, 80) + "\"");
    then();
  }

  template <class F>
  void send(std::string line, F then) {
    out = std::move(line);
    asio::async_write(sock, asio::buffer(out), asio::bind_executor(run.ex(), [self = shared_from_this(), then](auto ec, std::size_t) mutable {
      if (self->run.done()) return;
      if (ec) return self->fail(error_reason("write", ec));
      then();
    }));
  }

  void helo() {
    std::string name = spec.helo_name;
    if (name.empty()) {
      char buf[256] = {};
      ::gethostname(buf, sizeof buf - 1);
      name = buf;
    }
    send("HELO " + name + "\r\n", [self = shared_from_this()] {
      self->expect(250, "answering HELO", [self] {
        self->send("QUIT\r\n", [self] {
          self->expect(221, "answering QUIT", [self] {
            self->run.finish(true, "SMTP 220, 250, 221");
            boost::system::error_code ignored;
            self->sock.close(ignored);
          });
        });
      });
    });
  }
};

} // namespace

void start_smtp_probe(probe_engine& e, const smtp_probe_spec& spec, probe_callback cb) {
  auto s = std::make_shared<smtp_session>(e, spec, std::move(cb));
  asio::post(s->run.ex(), [s] { s->start(); });
}

} // namespace ka::kern
