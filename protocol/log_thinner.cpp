#include "protocol/log_thinner.hpp"

namespace ka::proto {

log_thinner::verdict log_thinner::on_event(time_point now) {
  ++total_;
  if (logged_once_ && now - last_line_ < period_) {
    ++pending_;
    return {};
  }
  verdict v{true, pending_};
  logged_once_ = true;
  last_line_ = now;
  pending_ = 0;
  return v;
}

} // namespace ka::proto
