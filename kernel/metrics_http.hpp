// The metrics listener's HTTP side (Boost.Beast): GET /metrics answered with whatever the
// renderer returns, anything else 404 or 405. One thread of its own; what a client may
// cost is bounded (README "Metrics"): clients at once, request size, time to send a
// request and to take the answer, one answer in flight per client. No CAF: the renderer
// (actors/metrics_server.cpp) asks the actors.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "protocol/ip_address.hpp"

namespace ka::kern {

struct http_limits {
  std::size_t max_clients = 16;          // connected at once; more get 503 and are closed
  std::size_t max_header = 8 * 1024;     // request line and headers; no body is accepted
  std::chrono::milliseconds request_timeout{5000};   // a begun request must arrive within
  std::chrono::milliseconds idle_timeout{30000};     // keep-alive: next request within
  std::chrono::milliseconds write_timeout{10000};    // the answer must be taken within
};

// A listening TCP socket on addr:port (IPv6: v6only), made before daemonising so that a
// refusal is the start-up's exit status. Throws std::system_error naming the address.
int listen_tcp(const proto::ip_address& addr, std::uint16_t port);

class metrics_http {
public:
  // The body of GET /metrics and its Content-Type. Runs on the server's thread, one
  // request at a time: other clients wait while it runs.
  using renderer = std::function<std::string()>;
  // Takes ownership of `listen_fd` and starts the thread.
  metrics_http(int listen_fd, renderer render, std::string content_type, http_limits limits = {});
  ~metrics_http();
  void stop();
  struct impl;
private:
  std::unique_ptr<impl> impl_;
};

} // namespace ka::kern
