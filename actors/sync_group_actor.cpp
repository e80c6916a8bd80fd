// One actor per vrrp_sync_group. Its members (instance actors) report each state they
// enter and whether they want MASTER; the group's pure logic (protocol/sync_group.hpp)
// decides which members must follow, and this actor sends them those commands, runs the
// group's notify hooks once per group transition (the state's own hook, then the generic
// `notify` with `GROUP name STATE 0`, as keepalived 2.2.7 passes them) and writes the
// group's notify FIFO lines (`GROUP "name" STATE 0`).
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"

namespace ka::act {
namespace {

struct group_state {
  std::shared_ptr<const config::config> all;
  const config::vrrp_sync_group* cfg = nullptr;
  std::vector<std::string> member_names;
  std::vector<instance_actor> members;
  script_actor scripts;
  std::vector<notify_fifo_actor> fifos;
  std::optional<proto::sync_group_logic> logic;
  std::uint64_t transitions = 0;
  static constexpr const char* name = "vrrp_sync_group";
};

using group_self = sync_group_actor::stateful_pointer<group_state>;

// "master" for MASTER...: the state's hook keyword is notify_ and this.
std::string state_word(proto::vrrp_state s) {
  std::string w = proto::to_string(s);
  for (auto& ch : w)
    ch = static_cast<char>(ch - 'A' + 'a');
  return w;
}

notify_job group_notify(const config::vrrp_sync_group& g, proto::vrrp_state s) {
  notify_job job{g.name, s, {}, {}};
  const std::string* specific = nullptr;
  switch (s) {
    case proto::vrrp_state::master: specific = &g.notify_master; break;
    case proto::vrrp_state::backup: specific = &g.notify_backup; break;
    case proto::vrrp_state::fault: specific = &g.notify_fault; break;
    case proto::vrrp_state::stopped: specific = &g.notify_stop; break;
    case proto::vrrp_state::init: break;
  }
  const std::string owner = "vrrp_sync_group " + g.name + " ";
  if (specific && !specific->empty()) {
    job.commands.push_back(kern::split_command(*specific));
    job.keys.push_back(owner + "notify_" + state_word(s));
  }
  if (!g.notify.empty()) {
    job.keys.push_back(owner + "notify");
    auto argv = kern::split_command(g.notify);
    // keepalived gives a group the priority 0: a group has none of its own.
    for (const char* a : {"GROUP", g.name.c_str(), proto::to_string(s), "0"})
      argv.emplace_back(a);
    job.commands.push_back(std::move(argv));
  }
  return job;
}

sync_group_actor::behavior_type group_behavior(group_self self,
                                               std::shared_ptr<const config::config> all,
                                               std::size_t index,
                                               std::vector<std::string> member_names,
                                               std::vector<instance_actor> members,
                                               script_actor scripts,
                                               std::vector<notify_fifo_actor> fifos) {
  auto& st = self->state;
  st.all = std::move(all);
  st.cfg = &st.all->sync_groups.at(index);
  st.member_names = std::move(member_names);
  st.members = std::move(members);
  st.scripts = scripts;
  st.fifos = std::move(fifos);
  st.logic.emplace(st.members.size());
  return {
    [=](sync_atom, const sync_report& r) {
      auto& st = self->state;
      if (r.member >= st.members.size())
        return;
      auto before_state = st.logic->member_state(r.member);
      // A new state, or the same FAULT now for a reason of its own (or no longer).
      bool state_news = before_state != r.state || r.state == proto::vrrp_state::fault;
      auto res = state_news ? st.logic->on_state(r.member, r.state, r.own_fault)
                            : st.logic->on_want(r.member, r.wants_master);
      if (state_news && r.wants_master) {  // a report may carry both
        auto more = st.logic->on_want(r.member, true);
        res.commands.insert(res.commands.end(), more.commands.begin(), more.commands.end());
      }
      for (const auto& c : res.commands) {
        if (c.what == proto::sync_command::kind::to_master
            || c.what == proto::sync_command::kind::hold_fault
            || c.what == proto::sync_command::kind::to_backup)
          log::notice("VRRP_Group(%s) Syncing %s to %s state (after %s)", st.cfg->name.c_str(),
                      st.member_names[c.member].c_str(),
                      c.what == proto::sync_command::kind::to_master   ? "MASTER"
                      : c.what == proto::sync_command::kind::to_backup ? "BACKUP"
                                                                       : "FAULT",
                      st.member_names[r.member].c_str());
        self->send(st.members[c.member], sync_atom::value, c.what);
      }
      if (res.group_transition) {
        ++st.transitions;
        auto s = *res.group_transition;
        log::notice("VRRP_Group(%s) Entering %s STATE", st.cfg->name.c_str(), proto::to_string(s));
        self->send(st.scripts, notify_atom::value, group_notify(*st.cfg, s));
        std::string line = std::string("GROUP \"") + st.cfg->name + "\" " + proto::to_string(s) + " 0";
        for (const auto& f : st.fifos)
          self->send(f, fifo_atom::value, line);
      }
    },
    // Reports already in the mailbox are handled before this: shutdown asks it after the
    // members stopped, so that the group's STOP hooks are queued before the scripts drain.
    [=](drain_atom) { return true; },
    [=](status_atom) {
      auto& st = self->state;
      json v;
      v["name"] = st.cfg->name;
      v["state"] = proto::to_string(st.logic->state());
      json m = json::array();
      for (std::size_t i = 0; i < st.members.size(); ++i) {
        json e;
        e["name"] = st.member_names[i];
        e["state"] = proto::to_string(st.logic->member_state(i));
        e["wants_master"] = st.logic->member_wants(i);
        m.push_back(e);
      }
      v["members"] = m;
      v["transitions"] = st.transitions;
      return v;
    },
  };
}

} // namespace

sync_group_actor spawn_sync_group_actor(caf::actor_system& sys,
                                        std::shared_ptr<const config::config> all,
                                        std::size_t index, std::vector<std::string> member_names,
                                        std::vector<instance_actor> members, script_actor scripts,
                                        std::vector<notify_fifo_actor> fifos) {
  return sys.spawn(group_behavior, std::move(all), index, std::move(member_names),
                   std::move(members), scripts, std::move(fifos));
}

} // namespace ka::act
