#include "protocol/restart_intensity.hpp"

#include <algorithm>

namespace ka::proto {

void restart_intensity::forget_before(time_point now) {
  // A restart exactly `period` ago is outside the window: "within M seconds" is < M.
  while (!window_.empty() && now - window_.front() >= limit_.period)
    window_.pop_front();
}

bool restart_intensity::on_failure(time_point now) {
  ++failures_;
  if (given_up_)
    return false;
  forget_before(now);
  if (static_cast<int>(window_.size()) >= std::max(0, limit_.max_restarts)) {
    given_up_ = true;
    return false;
  }
  window_.push_back(now);
  ++restarts_;
  return true;
}

std::size_t restart_intensity::recent(time_point now) const {
  return static_cast<std::size_t>(std::count_if(window_.begin(), window_.end(), [&](time_point t) {
    return now - t < limit_.period;
  }));
}

} // namespace ka::proto
