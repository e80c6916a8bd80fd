#include "protocol/garp_timing.hpp"

namespace ka::proto {

garp_timing resolve_garp_timing(const garp_words& instance, const garp_words& global, bool min_garp) {
  // keepalived's built-in defaults: five GARPs, five more 5 s later; vrrp_min_garp: one.
  const double g_master_delay = global.master_delay.value_or(min_garp ? 0 : 5);
  const int g_master_repeat = global.master_repeat.value_or(min_garp ? 1 : 5);
  garp_timing t;
  t.master_delay = instance.master_delay.value_or(g_master_delay);
  t.master_repeat = instance.master_repeat.value_or(g_master_repeat);
  t.lower_delay = instance.lower_delay.value_or(global.lower_delay.value_or(g_master_delay));
  t.lower_repeat = instance.lower_repeat.value_or(global.lower_repeat.value_or(g_master_repeat));
  return t;
}

} // namespace ka::proto
