// What a vrrp_instance tracks once its sync group is taken into account, as a pure
// function (no config types, no I/O): the sync group actor's members and the trackers
// both start from it (actors/instance_tracking.cpp).
//
// keepalived 2.2.7's behaviour, observed in a lab (tests/lab/sync_fifo.sh runs the group
// case against it):
// - the group's track_interface / track_script / track_file / track_process entries are
//   added to every member, with the group's weights (or the object's own), whether or not
//   sync_group_tracking_weight is set: a weighted group script that fails lowers every
//   member's priority by its weight, an unweighted one puts every member in FAULT (and the
//   group follows: "Syncing instances to FAULT state");
// - a member's own weighted entries, without sync_group_tracking_weight on its group, are
//   treated per kind: a script is not tracked at all ("ignoring tracked script ... with
//   weights due to SYNC group"), a file is tracked with weight 0 ("ignoring weight ...
//   specify weight 0"), an interface keeps its weight although a warning says it is
//   ignored, a process keeps its weight silently;
// - with sync_group_tracking_weight (or the deprecated global_tracking, which keepalived
//   still honours so, with a warning), a member's own weights apply to that member only.
// Not observed (a choice made here): an object tracked both by a member and by its group
// counts once, with the member's own entry.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace ka::proto {

enum class track_kind : std::uint8_t { interface, script, file, process };
const char* to_string(track_kind k);

// One tracked object with its resolved weight (the entry's, else the object's own).
struct track_entry {
  track_kind kind = track_kind::script;
  std::string name;
  int weight = 0;
  bool reverse = false;
  bool from_group = false;  // added by the member's sync group
  bool operator==(const track_entry& o) const {
    return kind == o.kind && name == o.name && weight == o.weight && reverse == o.reverse
           && from_group == o.from_group;
  }
};

// How keepalived treats a member's own weighted entry of kind `k` when its sync group
// has no sync_group_tracking_weight.
enum class member_weight_rule : std::uint8_t {
  keep,            // the weight applies (track_process)
  keep_with_note,  // the weight applies, a warning says otherwise (track_interface)
  zero_weight,     // tracked as unweighted: a failure means FAULT (track_file)
  drop,            // not tracked at all (track_script)
};
member_weight_rule weighted_member_rule(track_kind k);

struct member_tracking {
  std::vector<track_entry> entries;
  std::vector<std::string> notes;  // one warning line each, for the start-up log
};

// `own`: the instance's entries. `in_group`: it is a member of a sync group, whose
// entries are `group` and whose sync_group_tracking_weight is `group_weights`.
member_tracking resolve_member_tracking(const std::vector<track_entry>& own, bool in_group,
                                        const std::vector<track_entry>& group, bool group_weights);

} // namespace ka::proto
