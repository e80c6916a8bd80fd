// tracking: what one vrrp_instance tracks, as the instance actor sees it. Built from the
// config; updated by the trackers' messages (track_update) and by link events of tracked
// interfaces; turned into the effective priority by protocol/track_priority.hpp.
// Not an actor: state owned by the instance actor.
#pragma once
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "parser/config.hpp"
#include "protocol/sync_tracking.hpp"
#include "protocol/track_priority.hpp"

namespace ka::act {

// What `inst` tracks: its own entries and its sync group's, with resolved weights, as
// keepalived 2.2.7 does (protocol/sync_tracking.hpp). Entries naming an object that does
// not exist are left out (the parser already warned). The trackers (their subscribers),
// the link watcher (tracked interfaces) and the instance itself all start from this.
proto::member_tracking tracked_entries(const config::config& all, const config::vrrp_instance& inst);

struct tracked_object {
  std::string kind;            // "interface", "script", "file" or "process"
  std::string name;
  bool from_group = false;     // tracked because the instance's sync group tracks it
  proto::track_term term;
  bool heard = false;          // a result came in (else: the assumed initial state)
  std::string detail;          // the last result
};

struct instance_tracking {
  std::vector<tracked_object> objects;

  // Weights and reverse: the entry's when it gives a weight, else the tracked object's own
  // (track_interface has none: 0, an unweighted interface); see tracked_entries(). Returns
  // the notes (warnings) for the start-up log.
  std::vector<std::string> build(const config::vrrp_instance& inst, const config::config& all);
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
