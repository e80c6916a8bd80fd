#include "protocol/sync_group.hpp"

namespace ka::proto {

const char* to_string(sync_command::kind k) {
  switch (k) {
    case sync_command::kind::hold_fault: return "hold_fault";
    case sync_command::kind::release_fault: return "release_fault";
    case sync_command::kind::to_backup: return "to_backup";
    case sync_command::kind::to_master: return "to_master";
  }
  return "unknown";
}

sync_group_logic::sync_group_logic(std::size_t members) : members_(members) {}

sync_result sync_group_logic::on_state(std::size_t m, vrrp_state s, bool own_fault) {
  sync_result out;
  if (m >= members_.size()) return out;
  auto& me = members_[m];
  const vrrp_state before = me.state;
  me.state = s;
  me.own_fault = s == vrrp_state::fault && own_fault;
  if (s != vrrp_state::backup) me.wants = false;
  update_holds(out);
  // A master stepping down to BACKUP (a better master heard) takes the group's other
  // masters with it; the members' peers then take over the whole group.
  if (before == vrrp_state::master && s == vrrp_state::backup)
    for (std::size_t i = 0; i < members_.size(); ++i)
      if (i != m && members_[i].state == vrrp_state::master)
        out.commands.push_back({i, sync_command::kind::to_backup});
  // A member that became MASTER on its own (an address owner does at start) pulls the
  // others that are BACKUP, as keepalived syncs the group to MASTER.
  if (s == vrrp_state::master && before != vrrp_state::master)
    for (std::size_t i = 0; i < members_.size(); ++i)
      if (i != m && members_[i].state == vrrp_state::backup)
        out.commands.push_back({i, sync_command::kind::to_master});
  maybe_grant(out);
  update_group_state(out);
  return out;
}

sync_result sync_group_logic::on_want(std::size_t m, bool wants) {
  sync_result out;
  if (m >= members_.size()) return out;
  members_[m].wants = wants && members_[m].state == vrrp_state::backup;
  maybe_grant(out);
  return out;
}

void sync_group_logic::update_holds(sync_result& out) {
  for (std::size_t i = 0; i < members_.size(); ++i) {
    bool other_fault = false;
    for (std::size_t j = 0; j < members_.size(); ++j)
      if (j != i && members_[j].own_fault) other_fault = true;
    auto& mi = members_[i];
    if (other_fault && !mi.held) {
      mi.held = true;
      mi.wants = false;
      out.commands.push_back({i, sync_command::kind::hold_fault});
    } else if (!other_fault && mi.held) {
      mi.held = false;
      out.commands.push_back({i, sync_command::kind::release_fault});
    }
  }
}

void sync_group_logic::maybe_grant(sync_result& out) {
  bool any_want = false;
  for (const auto& mi : members_) {
    if (mi.state == vrrp_state::master) continue;
    if (mi.state != vrrp_state::backup || !mi.wants) return;  // someone is not ready
    any_want = true;
  }
  if (!any_want) return;
  for (std::size_t i = 0; i < members_.size(); ++i)
    if (members_[i].state == vrrp_state::backup) {
      members_[i].wants = false;
      out.commands.push_back({i, sync_command::kind::to_master});
    }
}

void sync_group_logic::update_group_state(sync_result& out) {
  bool any_fault = false, all_same = true;
  for (const auto& mi : members_) {
    if (mi.state == vrrp_state::fault) any_fault = true;
    if (mi.state != members_.front().state) all_same = false;
  }
  vrrp_state next = state_;
  if (any_fault)
    next = vrrp_state::fault;
  else if (all_same && !members_.empty() && members_.front().state != vrrp_state::init)
    next = members_.front().state;
  // Mixed states are the moment between two members' transitions: no group transition.
  if (next != state_) {
    state_ = next;
    out.group_transition = next;
  }
}

} // namespace ka::proto
