#include "kernel/smtp_mail.hpp"

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

// The dialogue as a chain of steps: send a line (none for the greeting), expect a code
// class (2xx, or 3xx for DATA), go on. Any other answer ends the mail with its text.
struct mail_session : std::enable_shared_from_this<mail_session> {
  mail_session(probe_engine& e, const smtp_mail_spec& s, probe_callback cb)
      : spec(s), run(e, s.target, std::move(cb)), sock(run.ex()) {}
  smtp_mail_spec spec;
  probe_run run;
  tcp::socket sock;
  proto::smtp_reply_reader reader;
  std::array<char, 1024> in{};
  std::string out;
  const char* step = "connecting";
  std::size_t next_rcpt = 0;

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
                         self->expect(2, "waiting for the greeting", [self] { self->helo(); });
                       }));
  }

  void fail(std::string reason) {
    run.finish(false, std::move(reason));
    boost::system::error_code ignored;
    sock.close(ignored);
  }

  // Reads one reply; `then` runs when its first digit is `cls`.
  template <class F>
  void expect(int cls, const char* what, F then) {
    step = what;
    if (reader.feed({})) return judge(cls, std::move(then));  // already buffered
    sock.async_read_some(asio::buffer(in), asio::bind_executor(run.ex(), [self = shared_from_this(), cls, what, then](auto ec, std::size_t n) mutable {
      if (self->run.done()) return;
      if (ec) return self->fail(error_reason("read", ec) + " (" + what + ")");
      if (!self->reader.feed(std::string_view(self->in.data(), n))) return self->expect(cls, what, std::move(then));
      self->judge(cls, std::move(then));
    }));
  }

  template <class F>
  void judge(int cls, F then) {
    if (!reader.error().empty()) return fail(reader.error());
    auto got = reader.reply();
    reader.next();
    if (got.code / 100 != cls)
      return fail("SMTP " + std::to_string(got.code) + " " + std::string(step) + ": \"" +
                  got.text.substr(0, 80) + "\"");
    then();
  }

  // Sends `line`, then expects a reply of class `cls`.
  template <class F>
  void say(std::string line, int cls, const char* what, F then) {
    out = std::move(line);
    asio::async_write(sock, asio::buffer(out), asio::bind_executor(run.ex(), [self = shared_from_this(), cls, what, then](auto ec, std::size_t) mutable {
      if (self->run.done()) return;
      if (ec) return self->fail(error_reason("write", ec));
      self->expect(cls, what, std::move(then));
    }));
  }

  void helo() {
    std::string name = spec.helo_name;
    if (name.empty()) {
      char buf[256] = {};
      ::gethostname(buf, sizeof buf - 1);
      name = buf;
    }
    say("HELO " + name + "\r\n", 2, "answering HELO", [self = shared_from_this()] {
      self->say("MAIL FROM:<" + self->spec.from + ">\r\n", 2, "answering MAIL FROM", [self] { self->rcpt(); });
    });
  }

  void rcpt() {
    if (next_rcpt == spec.to.size())
      return say("DATA\r\n", 3, "answering DATA", [self = shared_from_this()] { self->data(); });
    const std::string& to = spec.to[next_rcpt++];
    say("RCPT TO:<" + to + ">\r\n", 2, "answering RCPT TO", [self = shared_from_this()] { self->rcpt(); });
  }

  void data() {
    say(spec.data, 2, "accepting the message", [self = shared_from_this()] {
      // The mail is accepted: QUIT is a courtesy. Its answer is not waited for, so that a
      // server that never gives one cannot hold the socket.
      self->run.finish(true, "accepted");
      self->out = "QUIT\r\n";
      asio::async_write(self->sock, asio::buffer(self->out), asio::bind_executor(self->run.ex(), [self](auto, std::size_t) {
        boost::system::error_code ignored;
        self->sock.shutdown(tcp::socket::shutdown_both, ignored);
        self->sock.close(ignored);
      }));
    });
  }
};

} // namespace

void start_smtp_mail(probe_engine& e, const smtp_mail_spec& spec, probe_callback cb) {
  auto s = std::make_shared<mail_session>(e, spec, std::move(cb));
  asio::post(s->run.ex(), [s] { s->start(); });
}

} // namespace ka::kern
