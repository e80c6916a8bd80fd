#include "protocol/track_priority.hpp"

#include <algorithm>

namespace ka::proto {

term_effect effect_of(const track_term& t) {
  term_effect e;
  if (t.what == track_term::kind::up_down) {
    if (t.weight == 0) {
      e.fault = t.reverse ? t.ok : !t.ok;
      return e;
    }
    // The sign of the weight says when it applies: positive while up, negative while down.
    const bool applies = t.weight > 0 ? t.ok : !t.ok;
    if (applies)
      e.delta = t.reverse ? -static_cast<long long>(t.weight) : t.weight;
    return e;
  }
  if (t.weight == 0) {
    e.fault = t.reverse ? t.value == 0 : t.value != 0;
    return e;
  }
  // Saturate rather than overflow: the file holds any 64-bit number, the weight up to 2^31.
  long long v = std::clamp(t.value, -1000000LL, 1000000LL);
  e.delta = v * t.weight;
  if (t.reverse)
    e.delta = -e.delta;
  // keepalived.conf(5): a result below -253 puts the instance in FAULT.
  e.fault = e.delta < -253;
  return e;
}

effective_priority compute_effective_priority(int configured, const std::vector<track_term>& terms) {
  effective_priority out;
  long long sum = 0;
  for (const auto& t : terms) {
    auto e = effect_of(t);
    out.fault = out.fault || e.fault;
    if (!e.fault)
      sum += e.delta;
  }
  if (configured >= 255) {
    out.priority = 255;
    return out;
  }
  out.priority = static_cast<std::uint8_t>(std::clamp<long long>(configured + sum, 1, 254));
  return out;
}

bool rise_fall::on_result(bool success) {
  if (success == ok_) {
    streak_ = 0;
    return false;
  }
  if (++streak_ < (ok_ ? fall_ : rise_))
    return false;
  ok_ = success;
  streak_ = 0;
  return true;
}

} // namespace ka::proto
