// How many gratuitous ARPs / unsolicited NAs a master sends, and when the second burst
// follows, resolved as keepalived 2.2.7 was seen to resolve them (README "What follows the
// master"; tests/lab/garp_defaults.sh). Pure rules, no I/O.
#pragma once
#include <optional>

namespace ka::proto {

// The garp keywords one level (global_defs or a vrrp_instance) wrote; unset: not written.
struct garp_words {
  std::optional<double> master_delay;   // seconds
  std::optional<int> master_repeat;
  std::optional<double> lower_delay;    // garp_lower_prio_delay
  std::optional<int> lower_repeat;      // garp_lower_prio_repeat
};

struct garp_timing {
  double master_delay = 5;  // second burst after becoming master; 0: none
  int master_repeat = 5;    // GARPs per address in each burst
  double lower_delay = 5;   // second burst after a lower-priority advert; 0: none
  int lower_repeat = 5;     // 0: a lower-priority advert sends none
};

// An instance's word wins over the global one. The global lower-priority values default
// to the global master ones (not the instance's: observed), and vrrp_min_garp turns the
// global defaults into one GARP with no second burst.
garp_timing resolve_garp_timing(const garp_words& instance, const garp_words& global, bool min_garp);

} // namespace ka::proto
