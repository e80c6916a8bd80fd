#include "kernel/smtp_mail.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <memory>

#include "protocol/smtp_reply.hpp"

namespace ka::kern {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

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

std::string error_reason(const char* step, const boost::system::error_code& ec) {
  return std::string(step) + ": " + ec.message();
}

std::string timeout_reason(std::chrono::microseconds timeout, const char* step) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "timeout after %.3g s", static_cast<double>(timeout.count()) / 1e6);
  return std::string(buf) + " (" + step + ")";
}

// One mail's run: its strand, its deadline and its callback, called once.
class mail_run {
public:
  using strand = asio::strand<asio::io_context::executor_type>;
  mail_run(smtp_engine& e, const smtp_target& t, smtp_mail_callback cb)
      : strand_(asio::make_strand(e.io())), timer_(strand_), timeout_(t.timeout), cb_(std::move(cb)) {}
  strand& ex() { return strand_; }
  // At the target's timeout `on_timeout` runs (on the strand) unless finished.
  template <class F>
  void arm(F on_timeout) {
    timer_.expires_after(timeout_);
    timer_.async_wait(asio::bind_executor(strand_, [this, f = std::move(on_timeout)](auto ec) mutable {
      if (!ec && !done_) f();
    }));
  }
  bool done() const { return done_; }
  void finish(bool ok, std::string reason) {
    if (done_) return;
    done_ = true;
    timer_.cancel();
    auto cb = std::move(cb_);
    cb(smtp_mail_result{ok, std::move(reason)});
  }

private:
  strand strand_;
  asio::steady_timer timer_;
  std::chrono::microseconds timeout_;
  smtp_mail_callback cb_;
  bool done_ = false;
};

// The dialogue as a chain of steps: send a line (none for the greeting), expect a code
// class (2xx, or 3xx for DATA), go on. Any other answer ends the mail with its text.
struct mail_session : std::enable_shared_from_this<mail_session> {
  mail_session(smtp_engine& e, const smtp_mail_spec& s, smtp_mail_callback cb)
      : spec(s), run(e, s.target, std::move(cb)), sock(run.ex()) {}
  smtp_mail_spec spec;
  mail_run run;
  tcp::socket sock;
  proto::smtp_reply_reader reader;
  std::array<char, 1024> in{};
  std::string out;
  const char* step = "connecting";
  std::size_t next_rcpt = 0;

  void start() {
    boost::system::error_code ec;
    sock.open(spec.target.addr.is_v4() ? tcp::v4() : tcp::v6(), ec);
    if (ec) return run.finish(false, error_reason("socket", ec));
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

void start_smtp_mail(smtp_engine& e, const smtp_mail_spec& spec, smtp_mail_callback cb) {
  auto s = std::make_shared<mail_session>(e, spec, std::move(cb));
  asio::post(s->run.ex(), [s] { s->start(); });
}

} // namespace ka::kern
