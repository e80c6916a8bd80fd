// What the TCP-based probes (TCP_CHECK, HTTP_GET, SSL_GET, SMTP_CHECK) share: a socket
// opened and bound as the checker asks (bindto, bind_port, bind_if, fwmark), and a run
// that ends exactly once, by its verdict or by its timeout, whichever comes first
// (timed_run, kernel/asio_run.hpp, shared with the SMTP alert mails).
#pragma once
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <string>
#include <utility>

#include "kernel/asio_run.hpp"
#include "kernel/probe.hpp"

namespace ka::kern {

// "192.0.2.1:80", "[2001:db8::1]:443".
std::string endpoint_text(const probe_target& t);

// Opens `s` for t.addr's family and applies the source options; an error says which.
std::string prepare_tcp_socket(boost::asio::ip::tcp::socket& s, const probe_target& t);

// One probe run (kernel/asio_run.hpp) whose verdict also carries its latency.
class probe_run : public timed_run<probe_result> {
public:
  probe_run(probe_engine& e, const probe_target& t, probe_callback cb)
      : timed_run(e.io(), t.timeout, std::move(cb)), start_(std::chrono::steady_clock::now()) {}
  // The verdict; ignored after the first.
  void finish(bool ok, std::string reason) {
    if (!done()) timed_run::finish(result_since(start_, ok, std::move(reason)));
  }

private:
  std::chrono::steady_clock::time_point start_;
};

} // namespace ka::kern
