// tracking: what one vrrp_instance tracks, as the instance actor sees it. Built from the
// config; updated by the trackers' messages (track_update) and by link events of tracked
// interfaces; turned into the effective priority by protocol/track_priority.hpp.
// Not an actor: state owned by the instance actor.
#pragma once
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "parser/config.hpp"
#include "protocol/track_priority.hpp"

namespace ka::act {

struct tracked_object {
  std::string kind;            // "interface", "script", "file" or "process"
  std::string name;
  proto::track_term term;
  bool heard = false;          // a result came in (else: the assumed initial state)
  std::string detail;          // the last result
};

struct instance_tracking {
  std::vector<tracked_object> objects;

  // Weights and reverse: the instance's entry when it gives a weight, else the tracked
  // object's own (track_interface has none: 0, an unweighted interface).
  void build(const config::vrrp_instance& inst, const config::config& all);
  // True when it changed something.
  bool apply(const track_update& u);
  bool apply_interface(const std::string& ifname, bool up, const std::string& detail);
  std::vector<std::string> interfaces() const;
  proto::effective_priority effective(int configured) const;
  // Why the instance is in FAULT because of tracking; empty when it is not.
  std::string fault_reason() const;
  json status() const;
};

} // namespace ka::act
