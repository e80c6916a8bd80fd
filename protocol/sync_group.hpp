// The decisions of a vrrp_sync_group as a pure value type: which member must follow which,
// and when the group as a whole changes state. No timers, no I/O, no CAF; the sync group
// actor (actors/sync_group_actor.cpp) carries out what it returns.
//
// keepalived 2.2.7's behaviour, observed in a lab (two instances on two interfaces):
// - a member entering FAULT takes every other member to FAULT ("Syncing instances to
//   FAULT state"); they leave it, to BACKUP, when no member has a fault of its own;
// - a member leaving MASTER for BACKUP takes the other masters to BACKUP;
// - a member becomes MASTER only when every member wants to (its master-down timer
//   fired); until then it waits as BACKUP, so a group never has half its members master;
//   then all become MASTER together ("Syncing instances to MASTER state");
// - the group notifies once per group transition: FAULT as soon as one member is in
//   FAULT, MASTER / BACKUP / STOP once every member is in that state.
#pragma once
#include <cstddef>
#include <optional>
#include <vector>

#include "protocol/vrrp_state_machine.hpp"

namespace ka::proto {

// What the group tells one member to do.
struct sync_command {
  enum class kind : std::uint8_t {
    hold_fault,     // stay in (or go to) FAULT: another member has a fault of its own
    release_fault,  // no other member has a fault: leave FAULT if nothing of yours holds you
    to_backup,      // another member left MASTER: leave MASTER too
    to_master,      // every member wants MASTER: take it
  };
  std::size_t member = 0;
  kind what = kind::hold_fault;
  bool operator==(const sync_command& o) const { return member == o.member && what == o.what; }
};
const char* to_string(sync_command::kind k);

struct sync_result {
  std::vector<sync_command> commands;
  std::optional<vrrp_state> group_transition;  // the group entered this state: notify once
};

class sync_group_logic {
public:
  explicit sync_group_logic(std::size_t members);

  // Member `m` entered `s`. `own_fault`: in FAULT for a reason of its own (its interface),
  // not because the group holds it there.
  sync_result on_state(std::size_t m, vrrp_state s, bool own_fault);
  // Member `m`, a BACKUP whose master-down timer fired, wants MASTER (true), or heard a
  // master again and no longer does (false).
  sync_result on_want(std::size_t m, bool wants);

  vrrp_state state() const { return state_; }
  std::size_t size() const { return members_.size(); }
  vrrp_state member_state(std::size_t m) const { return members_.at(m).state; }
  bool member_wants(std::size_t m) const { return members_.at(m).wants; }

private:
  struct member {
    vrrp_state state = vrrp_state::init;
    bool own_fault = false;
    bool wants = false;
    bool held = false;  // we told it hold_fault and not yet release_fault
  };
  void update_holds(sync_result& out);
  void maybe_grant(sync_result& out);
  void update_group_state(sync_result& out);
  std::vector<member> members_;
  vrrp_state state_ = vrrp_state::init;
};

} // namespace ka::proto
