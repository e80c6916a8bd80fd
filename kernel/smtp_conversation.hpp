// One SMTP client conversation over one TCP connection, as the SMTP_CHECK probe
// (kernel/probe_smtp.cpp) and the SMTP alert mails (kernel/smtp_mail.cpp) both hold it:
// connect within the run's deadline, read replies with proto::smtp_reply_reader, judge each
// against what the step expects, send lines, and end the run with the first failure's text.
// Each side keeps only its own dialogue: the probe checks exact codes (220, 250, 221), the
// mail code classes (2xx, 3xx for DATA).
// Header-only for the same reason as kernel/asio_run.hpp: the probe is in the module
// keepalive-probes.so, the mail in the executable, which must link nothing of the module.
#pragma once
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <unistd.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "kernel/asio_run.hpp"
#include "protocol/smtp_reply.hpp"

namespace ka::kern {

// What a step expects of its reply: exactly one code (the probe), or any code of one
// class, named by its first digit (the mail). The probe's failure text names the code it
// wanted; the mail's does not (each side's tests compare its own wording).
struct smtp_code {
  int value;
  bool accepts(int got) const { return got == value; }
  std::string expected() const { return ", expected " + std::to_string(value); }
};
struct smtp_code_class {
  int digit;
  bool accepts(int got) const { return got / 100 == digit; }
  std::string expected() const { return {}; }
};

// The name HELO gives: the configured one, else this host's name.
inline std::string smtp_helo_name(const std::string& configured) {
  if (!configured.empty()) return configured;
  char buf[256] = {};
  ::gethostname(buf, sizeof buf - 1);
  return buf;
}

// CRTP base of a session: Derived is held by a shared_ptr (made with std::make_shared)
// that every pending handler keeps alive. Run is timed_run or one derived from it, with
// finish(bool ok, std::string reason).
template <class Derived, class Run>
class smtp_conversation : public std::enable_shared_from_this<Derived> {
public:
  using tcp = boost::asio::ip::tcp;

  template <class... RunArgs>
  explicit smtp_conversation(RunArgs&&... a) : run(std::forward<RunArgs>(a)...), sock(run.ex()) {}

  Run run;
  tcp::socket sock;

protected:
  // Arms the deadline (its text names the step it cut), connects to `peer` on the already
  // opened socket, then expects the greeting and runs `then`.
  template <class Want, class F>
  void connect(const tcp::endpoint& peer, Want greeting, F then) {
    run.arm([self = me()] { self->end(false, timeout_reason(self->run.timeout(), self->step_)); });
    sock.async_connect(peer, boost::asio::bind_executor(run.ex(), [self = me(), greeting, then](auto ec) mutable {
      if (self->run.done()) return;
      if (ec) return self->fail(error_reason("connect", ec));
      self->expect(greeting, "waiting for the greeting", std::move(then));
    }));
  }

  // The verdict, and the connection closed (a no-op after the first verdict's close).
  void end(bool ok, std::string reason) {
    run.finish(ok, std::move(reason));
    boost::system::error_code ignored;
    sock.close(ignored);
  }
  void fail(std::string reason) { end(false, std::move(reason)); }

  // Reads one reply; `then` runs when `want` accepts its code. `what` names the step in
  // the failure and timeout texts.
  template <class Want, class F>
  void expect(Want want, const char* what, F then) {
    step_ = what;
    if (reader_.feed({})) return judge(want, std::move(then));  // already buffered
    sock.async_read_some(boost::asio::buffer(in_), boost::asio::bind_executor(run.ex(), [self = me(), want, what, then](auto ec, std::size_t n) mutable {
      if (self->run.done()) return;
      if (ec) return self->fail(error_reason("read", ec) + " (" + what + ")");
      if (!self->reader_.feed(std::string_view(self->in_.data(), n))) return self->expect(want, what, std::move(then));
      self->judge(want, std::move(then));
    }));
  }

  // Writes `line` whole, then runs `then`.
  template <class F>
  void send(std::string line, F then) {
    out_ = std::move(line);
    boost::asio::async_write(sock, boost::asio::buffer(out_), boost::asio::bind_executor(run.ex(), [self = me(), then](auto ec, std::size_t) mutable {
      if (self->run.done()) return;
      if (ec) return self->fail(error_reason("write", ec));
      then();
    }));
  }

  // Sends `line`, then expects its reply.
  template <class Want, class F>
  void say(std::string line, Want want, const char* what, F then) {
    send(std::move(line), [self = me(), want, what, then]() mutable { self->expect(want, what, std::move(then)); });
  }

  // Writes `line` and closes the connection without waiting for an answer.
  void send_and_close(std::string line) {
    out_ = std::move(line);
    boost::asio::async_write(sock, boost::asio::buffer(out_), boost::asio::bind_executor(run.ex(), [self = me()](auto, std::size_t) {
      boost::system::error_code ignored;
      self->sock.shutdown(tcp::socket::shutdown_both, ignored);
      self->sock.close(ignored);
    }));
  }

  std::shared_ptr<Derived> me() { return this->shared_from_this(); }

private:
  template <class Want, class F>
  void judge(Want want, F then) {
    if (!reader_.error().empty()) return fail(reader_.error());
    auto got = reader_.reply();
    reader_.next();
    if (!want.accepts(got.code))
      return fail("SMTP " + std::to_string(got.code) + " " + std::string(step_) + want.expected() + ": \"" +
                  got.text.substr(0, 80) + "\"");
    then();
  }

  proto::smtp_reply_reader reader_;
  std::array<char, 1024> in_{};
  std::string out_;
  const char* step_ = "connecting";
};

} // namespace ka::kern
