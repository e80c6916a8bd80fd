#include "protocol/checker_state.hpp"

#include <algorithm>

namespace ka::proto {

int default_retry(const std::string& kind) {
  if (kind == "DNS_CHECK") return 3;
  if (kind == "MISC_CHECK") return 0;
  return 1;
}

std::chrono::microseconds default_delay_before_retry(const std::string& kind,
                                                     std::chrono::microseconds delay_loop) {
  if (kind == "DNS_CHECK") return delay_loop;
  if (kind == "HTTP_GET" || kind == "SSL_GET") return std::chrono::seconds(3);
  return std::chrono::seconds(1);
}

checker_state::checker_state(const checker_timing& t) : t_(t), up_(!t.alpha) {}

std::chrono::microseconds checker_state::first_delay(double random01) const {
  random01 = std::clamp(random01, 0.0, 1.0);
  auto part = std::chrono::microseconds(
      static_cast<std::int64_t>(static_cast<double>(t_.warmup.count()) * random01));
  return checker_bootstrap + part;
}

checker_state::verdict checker_state::on_result(bool ok) {
  ++checks_;
  verdict v;
  bool was_up = up_;
  bool first = !reported_;
  if (ok) {
    failures_in_row_ = 0;
    retries_done_ = 0;
    up_ = true;
    v.next = t_.delay_loop;
  } else {
    ++failures_;
    ++failures_in_row_;
    // Retries protect an up checker only: one already down stays down at delay_loop.
    if (up_ && retries_done_ < t_.retry) {
      ++retries_done_;
      v.retrying = true;
      v.next = t_.delay_before_retry;
    } else {
      retries_done_ = 0;
      up_ = false;
      v.next = t_.delay_loop;
    }
  }
  has_run_ = true;
  v.up = up_;
  // The first verdict: a success, or a failure that is no longer being retried.
  if (first && !v.retrying) {
    v.report = true;
    reported_ = true;
  } else if (reported_ && was_up != up_) {
    v.report = true;
  }
  if (v.report && !first) ++transitions_;
  return v;
}

} // namespace ka::proto
