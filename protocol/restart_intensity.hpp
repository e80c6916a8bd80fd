// Supervision's restart intensity (actors/supervisor.hpp): how many times a failed actor
// may be restarted within a sliding period before its supervisor gives up on it. Pure: the
// caller passes the time (tested with a fake clock, tests/unit/test_supervision.cpp).
#pragma once
#include <chrono>
#include <cstdint>
#include <deque>

#include "protocol/vrrp_state_machine.hpp"  // clock, time_point

namespace ka::proto {

struct restart_limit {
  // At most `max_restarts` restarts in any `period`: one more failure in that period and
  // the actor stays failed. The defaults let a rare fault heal for good while a fault
  // that comes back at once (a bug on every message) ends in a few seconds.
  int max_restarts = 5;
  std::chrono::seconds period{60};
};

class restart_intensity {
public:
  explicit restart_intensity(restart_limit limit = {}) : limit_(limit) {}
  // A failure at `now`: true when a restart is allowed (and counted), false when it would
  // be the (max_restarts + 1)-th in the period: the actor stays failed from then on, and
  // every later call answers false too.
  bool on_failure(time_point now);
  bool given_up() const { return given_up_; }
  std::uint64_t restarts() const { return restarts_; }        // since start-up
  std::uint64_t failures() const { return failures_; }        // restarts + the one given up on
  // Restarts inside the period ending at `now`.
  std::size_t recent(time_point now) const;
  const restart_limit& limit() const { return limit_; }

private:
  void forget_before(time_point now);
  restart_limit limit_;
  std::deque<time_point> window_;  // times of the restarts still inside the period
  std::uint64_t restarts_ = 0, failures_ = 0;
  bool given_up_ = false;
};

} // namespace ka::proto
