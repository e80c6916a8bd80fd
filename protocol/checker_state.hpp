// One health checker's schedule and verdict, as keepalived 2.2.7 keeps them: when the next
// check runs, how many failures in a row take an up server down, and which results are
// reported to the pool. Pure: the caller (actors/checker_actor.cpp) runs the probes and the
// timers; tested on a fake clock (tests/unit/test_checker_state.cpp).
//
// The rules:
// - The first check runs `bootstrap` (1 s) plus a random part of `warmup` after start.
// - A success resets the failure count; the next check is `delay_loop` later.
// - A failure of an up checker is retried: `retry` more checks, each `delay_before_retry`
//   after the last, before the checker goes down (so `retry N` is N+1 failures in a row).
//   Once down, failures are not retried: the next check is `delay_loop` later.
// - A checker starts up, or down with `alpha`. Its first verdict is reported either way
//   (the pool learns each checker's state), later ones only when they change it.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace ka::proto {

// The values keepalived takes when nothing is written (keepalived.conf(5)): per kind
// where they differ. `kind` is the checker's keyword (TCP_CHECK, HTTP_GET, ...).
struct checker_timing {
  std::chrono::microseconds delay_loop{std::chrono::seconds(60)};
  std::chrono::microseconds connect_timeout{std::chrono::seconds(5)};
  std::chrono::microseconds delay_before_retry{std::chrono::seconds(1)};
  std::chrono::microseconds warmup{std::chrono::seconds(60)};   // maximum of the random start
  int retry = 1;
  bool alpha = false;
};
// retry: 3 for DNS_CHECK, 0 for MISC_CHECK, else 1. delay_before_retry: delay_loop for
// DNS_CHECK, 3 s for HTTP_GET and SSL_GET, else 1 s. warmup: delay_loop.
int default_retry(const std::string& kind);
std::chrono::microseconds default_delay_before_retry(const std::string& kind,
                                                     std::chrono::microseconds delay_loop);

// Before the first check, keepalived waits one second whatever warmup says.
constexpr std::chrono::microseconds checker_bootstrap{std::chrono::seconds(1)};

class checker_state {
public:
  explicit checker_state(const checker_timing& t);

  // Delay from start to the first check; `random01` in [0, 1) picks the warmup part.
  std::chrono::microseconds first_delay(double random01) const;

  struct verdict {
    bool report = false;            // tell the pool (first verdict, or a change)
    bool up = false;                // the checker's state after this result
    std::chrono::microseconds next{};  // until the next check
    bool retrying = false;          // this failure is being retried
  };
  verdict on_result(bool ok);

  bool up() const { return up_; }
  bool has_run() const { return has_run_; }
  int failures_in_row() const { return failures_in_row_; }
  std::uint64_t checks() const { return checks_; }
  std::uint64_t failures() const { return failures_; }
  std::uint64_t transitions() const { return transitions_; }
  const checker_timing& timing() const { return t_; }

private:
  checker_timing t_;
  bool up_;
  bool has_run_ = false;
  bool reported_ = false;
  int retries_done_ = 0;
  int failures_in_row_ = 0;
  std::uint64_t checks_ = 0, failures_ = 0, transitions_ = 0;
};

} // namespace ka::proto
