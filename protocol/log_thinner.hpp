// Time-based thinning of repetitive log lines (a flood of bad packets must not flood the
// log): the first event is logged, then at most one summary line per period, carrying how
// many events were left unlogged since the previous line. Pure: the caller passes `now`.
#pragma once
#include <cstdint>

#include "protocol/vrrp_state_machine.hpp"  // clock, time_point, duration

namespace ka::proto {

class log_thinner {
public:
  log_thinner() : log_thinner(std::chrono::seconds(10)) {}
  explicit log_thinner(duration period) : period_(period) {}

  struct verdict {
    bool log = false;              // write a line for this event
    std::uint64_t suppressed = 0;  // events not logged since the previous line
  };
  // One more event at `now`. O(1), no allocation: safe on the real-time thread.
  verdict on_event(time_point now);
  std::uint64_t total() const { return total_; }

private:
  duration period_;
  bool logged_once_ = false;
  time_point last_line_{};
  std::uint64_t pending_ = 0;
  std::uint64_t total_ = 0;
};

} // namespace ka::proto
