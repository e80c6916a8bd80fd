// What the TCP-based probes (TCP_CHECK, HTTP_GET, SSL_GET, SMTP_CHECK) share: a socket
// opened and bound as the checker asks (bindto, bind_port, bind_if, fwmark), and a run
// that ends exactly once, by its verdict or by its timeout, whichever comes first.
// Every handler of one run goes through the run's strand, so an engine with several
// threads never runs two of them at once.
#pragma once
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "kernel/probe.hpp"

namespace ka::kern {

boost::asio::ip::tcp::endpoint tcp_endpoint(const proto::ip_address& a, std::uint16_t port);

// "192.0.2.1:80", "[2001:db8::1]:443".
std::string endpoint_text(const probe_target& t);

// Opens `s` for t.addr's family and applies the source options; an error says which.
std::string prepare_tcp_socket(boost::asio::ip::tcp::socket& s, const probe_target& t);

// One probe run: its strand, its deadline timer and its callback, called once.
class probe_run {
public:
  probe_run(probe_engine& e, const probe_target& t, probe_callback cb);
  using strand = boost::asio::strand<boost::asio::io_context::executor_type>;
  strand& ex() { return strand_; }
  // Starts the deadline: at t.timeout `on_timeout` runs (on the strand) unless finished.
  template <class F>
  void arm(F on_timeout) {
    timer_.expires_after(timeout_);
    timer_.async_wait(boost::asio::bind_executor(strand_, [this, f = std::move(on_timeout)](auto ec) mutable {
      if (!ec && !done_) f();
    }));
  }
  bool done() const { return done_; }
  // The verdict; ignored after the first.
  void finish(bool ok, std::string reason);

private:
  strand strand_;
  boost::asio::steady_timer timer_;
  std::chrono::microseconds timeout_;
  std::chrono::steady_clock::time_point start_;
  probe_callback cb_;
  bool done_ = false;
};

// "connect: Connection refused", "timeout after 2 s (connecting)".
std::string error_reason(const char* step, const boost::system::error_code& ec);
std::string timeout_reason(std::chrono::microseconds timeout, const char* step);

} // namespace ka::kern
