// Health-check probes: the shared I/O threads and what every probe kind has in common.
// A probe is one asynchronous check of one real server (connect, talk, judge); it never
// blocks a thread, so thousands of checkers share the engine's few threads. Probes know
// nothing of actors: the checker actor (actors/) starts one and gets its result through a
// callback, called exactly once, on an engine thread.
// One file per probe kind (kernel/probe_tcp.cpp, probe_http.cpp, ...), each with its own
// spec struct and a start function of the shape
//   void start_KIND_probe(probe_engine&, const KIND_probe_spec&, probe_callback);
#pragma once
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <thread>
#include <vector>

#include "protocol/ip_address.hpp"

namespace ka::kern {

struct probe_result {
  bool ok = false;
  std::string reason;                       // why it failed, or what it saw when ok
  std::chrono::microseconds latency{0};     // start to verdict
  std::optional<int> weight;                // MISC_CHECK misc_dynamic, FILE_CHECK dynamic
};
using probe_callback = std::function<void(probe_result)>;

// A probe's result, its latency counted from `start`.
inline probe_result result_since(std::chrono::steady_clock::time_point start, bool ok, std::string reason,
                                 std::optional<int> weight = std::nullopt) {
  probe_result r;
  r.ok = ok;
  r.reason = std::move(reason);
  r.latency = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  r.weight = weight;
  return r;
}

// Where a probe connects from and to, and how long it may take (connect_timeout bounds
// the whole probe, as in keepalived).
struct probe_target {
  proto::ip_address addr;
  std::uint16_t port = 0;                   // host order; 0 for ICMP
  std::optional<proto::ip_address> bindto;
  std::optional<std::uint16_t> bind_port;
  std::string bind_if;                      // SO_BINDTODEVICE when set
  std::uint32_t fwmark = 0;                 // SO_MARK when non-zero
  std::chrono::microseconds timeout{std::chrono::seconds(5)};
};

// The probes' I/O threads: one io_context run by a fixed number of threads.
class probe_engine {
public:
  explicit probe_engine(unsigned threads = 1);
  ~probe_engine();                          // stops the context and joins the threads
  probe_engine(const probe_engine&) = delete;
  probe_engine& operator=(const probe_engine&) = delete;
  boost::asio::io_context& io() { return io_; }
  unsigned threads() const { return static_cast<unsigned>(threads_.size()); }
private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
  std::vector<std::thread> threads_;
};

} // namespace ka::kern
