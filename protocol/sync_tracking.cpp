#include "protocol/sync_tracking.hpp"

#include <algorithm>

namespace ka::proto {

const char* to_string(track_kind k) {
  switch (k) {
    case track_kind::interface: return "interface";
    case track_kind::script: return "script";
    case track_kind::file: return "file";
    case track_kind::process: return "process";
  }
  return "?";
}

member_weight_rule weighted_member_rule(track_kind k) {
  switch (k) {
    case track_kind::script: return member_weight_rule::drop;
    case track_kind::file: return member_weight_rule::zero_weight;
    case track_kind::interface: return member_weight_rule::keep_with_note;
    case track_kind::process: return member_weight_rule::keep;
  }
  return member_weight_rule::keep;
}

member_tracking resolve_member_tracking(const std::vector<track_entry>& own, bool in_group,
                                        const std::vector<track_entry>& group, bool group_weights) {
  member_tracking out;
  for (auto e : own) {
    e.from_group = false;
    if (in_group && !group_weights && e.weight != 0) {
      const std::string what = std::string("tracked ") + to_string(e.kind) + " " + e.name;
      switch (weighted_member_rule(e.kind)) {
        case member_weight_rule::drop:
          out.notes.push_back("not tracking " + what + ": it has a weight (" + std::to_string(e.weight)
                              + ") and the instance is in a sync group without "
                                "sync_group_tracking_weight (as keepalived)");
          continue;
        case member_weight_rule::zero_weight:
          out.notes.push_back("weight of " + what + " taken as 0 (a failure means FAULT): the "
                              "instance is in a sync group without sync_group_tracking_weight "
                              "(as keepalived; give it weight 0)");
          e.weight = 0;
          break;
        case member_weight_rule::keep_with_note:
          out.notes.push_back("weight of " + what + " still applies although the instance is in a "
                              "sync group without sync_group_tracking_weight (as keepalived, "
                              "which warns that it ignores it and then applies it)");
          break;
        case member_weight_rule::keep:
          break;
      }
    }
    out.entries.push_back(std::move(e));
  }
  if (!in_group)
    return out;
  for (auto e : group) {
    bool already = std::any_of(out.entries.begin(), out.entries.end(), [&](const track_entry& o) {
      return o.kind == e.kind && o.name == e.name;
    });
    if (already)
      continue;
    e.from_group = true;
    out.entries.push_back(std::move(e));
  }
  return out;
}

} // namespace ka::proto
