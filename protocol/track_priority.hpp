// keepalived's rule for an instance's effective priority under tracking (keepalived.conf(5),
// track_interface / track_script / track_file / track_process), as a pure function.
#pragma once
#include <cstdint>
#include <vector>

namespace ka::proto {

// One tracked object as the instance sees it.
struct track_term {
  enum class kind : std::uint8_t { up_down, value };
  kind what = kind::up_down;
  int weight = 0;       // 0: unweighted, a failure means FAULT
  bool reverse = false;
  bool ok = true;       // up_down: up / succeeding / quorum met
  long long value = 0;  // value (track_file): the number read from the file
};

struct effective_priority {
  std::uint8_t priority = 100;
  bool fault = false;
};

// How much one term changes the priority, and whether it forces FAULT:
// - up_down, weight 0: FAULT while down (with reverse: while up).
// - up_down, weight > 0: +weight while up; weight < 0: weight (a decrease) while down;
//   reverse negates what is applied, the condition stays (man page: "the direction of
//   adjustment of the priority is reversed").
// - value, weight 0: FAULT while the value is non-zero (with reverse: while it is zero).
// - value, weight != 0: value * weight (negated by reverse) is added; below -253 it is FAULT.
struct term_effect {
  long long delta = 0;
  bool fault = false;
};
term_effect effect_of(const track_term& t);

// The configured priority plus every term's delta, clamped to 1..254. An address owner
// (configured 255) keeps 255: weights never change it, and nothing else reaches 255.
// FAULT if any term forces it (also for the owner).
effective_priority compute_effective_priority(int configured, const std::vector<track_term>& terms);

// A vrrp_script's state under rise/fall: while OK, `fall` consecutive failures make it
// fail; while failed, `rise` consecutive successes make it OK. `init_fail` starts failed.
class rise_fall {
public:
  rise_fall(int rise, int fall, bool init_fail)
      : rise_(rise < 1 ? 1 : rise), fall_(fall < 1 ? 1 : fall), ok_(!init_fail) {}
  // One result; true when the state changed.
  bool on_result(bool success);
  bool ok() const { return ok_; }
  int streak() const { return streak_; }  // consecutive results against the current state

private:
  int rise_, fall_;
  bool ok_;
  int streak_ = 0;
};

} // namespace ka::proto
