// What the health-check probes (kernel/probe_stream.hpp) and the SMTP alert mails
// (kernel/smtp_mail.cpp) share about one asynchronous run: the peer's endpoint, the text of
// an error or a timeout, and a run that ends exactly once, by its verdict or by its deadline.
// Header-only on purpose: the probes live in the module keepalive-probes.so
// (actors/probe_module.hpp), the mailer in the executable, and the executable must link
// none of the module's code (nor, through it, OpenSSL, c-ares or PCRE2). Inline functions
// and a template are compiled into each side that uses them, with nothing to link.
#pragma once
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <utility>

#include "protocol/ip_address.hpp"

namespace ka::kern {

inline boost::asio::ip::tcp::endpoint tcp_endpoint(const proto::ip_address& a, std::uint16_t port) {
  namespace ip = boost::asio::ip;
  if (a.is_v4()) {
    ip::address_v4::bytes_type b;
    std::copy(a.bytes.begin(), a.bytes.begin() + 4, b.begin());
    return {ip::address_v4(b), port};
  }
  ip::address_v6::bytes_type b;
  std::copy(a.bytes.begin(), a.bytes.end(), b.begin());
  return {ip::address_v6(b), port};
}

// "connect: Connection refused", "timeout after 2 s (connecting)": the reasons the
// checkers log and the tests compare, so their wording is fixed here, once.
inline std::string error_reason(const char* step, const boost::system::error_code& ec) {
  return std::string(step) + ": " + ec.message();
}

inline std::string timeout_reason(std::chrono::microseconds timeout, const char* step) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "timeout after %.3g s", static_cast<double>(timeout.count()) / 1e6);
  return std::string(buf) + " (" + step + ")";
}

// One run: its strand, its deadline timer and its callback, called once with a Result.
// Every handler of the run goes through the strand, so an io_context with several threads
// never runs two of them at once; the callback runs on that strand.
template <class Result>
class timed_run {
public:
  using callback = std::function<void(Result)>;
  using strand = boost::asio::strand<boost::asio::io_context::executor_type>;
  timed_run(boost::asio::io_context& io, std::chrono::microseconds timeout, callback cb)
      : strand_(boost::asio::make_strand(io)), timer_(strand_), timeout_(timeout), cb_(std::move(cb)) {}
  strand& ex() { return strand_; }
  std::chrono::microseconds timeout() const { return timeout_; }
  // Starts the deadline: at the timeout `on_timeout` runs (on the strand) unless finished.
  template <class F>
  void arm(F on_timeout) {
    timer_.expires_after(timeout_);
    timer_.async_wait(boost::asio::bind_executor(strand_, [this, f = std::move(on_timeout)](auto ec) mutable {
      if (!ec && !done_) f();
    }));
  }
  bool done() const { return done_; }
  // The verdict; ignored after the first.
  void finish(Result r) {
    if (done_) return;
    done_ = true;
    timer_.cancel();
    auto cb = std::move(cb_);
    cb(std::move(r));
  }

private:
  strand strand_;
  boost::asio::steady_timer timer_;
  std::chrono::microseconds timeout_;
  callback cb_;
  bool done_ = false;
};

} // namespace ka::kern
