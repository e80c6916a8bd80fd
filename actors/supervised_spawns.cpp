// supervision: the child_spec of each supervised kind (see actors/supervised_spawns.hpp).
#include "actors/supervised_spawns.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/message.hpp>
#include <caf/send.hpp>

#include "actors/spawn.hpp"
#include "actors/supervisor.hpp"
#include "actors/trackers.hpp"
#include "kernel/log.hpp"

namespace ka::act {
namespace {

// `m` is (Atom, Ts...) with Atom's value: match_elements compares types only, and every
// atom has the same type.
template <class Atom, class... Ts>
bool is(const caf::message& m) {
  return m.match_elements<caf::atom_value, Ts...>() && m.get_as<caf::atom_value>(0) == Atom::value;
}

} // namespace

instance_actor spawn_supervised_instance(caf::actor_system& sys, std::shared_ptr<const config::config> all,
                                         std::size_t index, std::uint32_t id, kernel_actor kernel,
                                         advert_actor advert, script_actor scripts) {
  child_spec spec;
  spec.kind = "vrrp_instance";
  spec.name = all->instances.at(index).name;
  // The config slice a new child is spawned from: a reload's update in place (reload_atom,
  // instance_reload: actors/running_set.cpp) moves the instance to the new config and its
  // index there, and a later restart must start from that, not from the config at start.
  // Shared by spawn and sticky, both called on the supervisor's own thread.
  struct slice {
    std::shared_ptr<const config::config> all;
    std::size_t index;
  };
  auto current = std::make_shared<slice>(slice{all, index});
  spec.spawn = [&sys, current, id, kernel, advert, scripts](const child_start& how) {
    return caf::actor_cast<caf::actor>(
      spawn_instance_actor(sys, current->all, current->index, id, kernel, advert, scripts, how));
  };
  spec.sticky = [current](const caf::message& m) -> std::optional<std::string> {
    if (is<reload_atom, instance_reload>(m)) {
      const auto& r = m.get_as<instance_reload>(1);
      *current = slice{r.all, r.index};
      return std::nullopt;  // a new child starts from the new slice: nothing to replay
    }
    if (is<sync_atom, sync_group_actor, std::uint32_t>(m))
      return "group";
    if (is<fifo_atom, std::vector<notify_fifo_actor>>(m))
      return "fifo";
    if (is<init_atom, link_lookup, proto::time_point>(m))
      return "init";
    if (is<track_atom, track_update>(m)) {
      const auto& u = m.get_as<track_update>(1);
      return "track " + u.kind + " " + u.name;
    }
    if (is<sync_atom, proto::sync_command::kind>(m)) {
      auto k = m.get_as<proto::sync_command::kind>(1);
      if (k == proto::sync_command::kind::hold_fault || k == proto::sync_command::kind::release_fault)
        return "group hold";
    }
    return std::nullopt;
  };
  // The failed-mode instance failed too: at least the wire must not keep calling us master.
  spec.on_give_up = [advert, id, name = spec.name] {
    log::error("VRRP_Instance(%s): its adverts are stopped; its addresses may remain", name.c_str());
    caf::anon_send(advert, stop_atom::value, id);
    caf::anon_send(advert, cancel_atom::value, id);
  };
  return supervise<instance_actor>(sys, std::move(spec));
}

tracker_actor spawn_supervised_tracker(caf::actor_system& sys, const std::string& kind, const std::string& name,
                                       std::function<tracker_actor()> spawn,
                                       std::vector<instance_actor> subscribers) {
  child_spec spec;
  spec.kind = kind;
  spec.name = name;
  spec.spawn = [spawn](const child_start& how) {
    return how.failed ? caf::actor{} : caf::actor_cast<caf::actor>(spawn());
  };
  spec.on_give_up = [kind, name, subscribers] {
    // A tracker that cannot track must not pass for one that says "fine".
    std::string short_kind = kind == "vrrp_script" ? "script" : kind == "vrrp_track_process" ? "process" : "";
    if (short_kind.empty()) {
      log::error("%s %s: its instances keep its last value", kind.c_str(), name.c_str());
      return;
    }
    track_update u{short_kind, name, false, 0, "tracker failed too often; not restarted any more"};
    for (const auto& i : subscribers)
      caf::anon_send(i, track_atom::value, u);
  };
  return supervise<tracker_actor>(sys, std::move(spec));
}

pool_actor spawn_supervised_pool(caf::actor_system& sys, pool_definition def, ipvs_writer writer,
                                 script_actor scripts, std::vector<notify_fifo_actor> fifos) {
  child_spec spec;
  spec.kind = "virtual_server";
  spec.name = def.name;
  spec.spawn = [&sys, def, writer, scripts, fifos](const child_start& how) {
    return how.failed ? caf::actor{} : caf::actor_cast<caf::actor>(spawn_pool_actor(sys, def, writer, scripts, fifos));
  };
  spec.sticky = [](const caf::message& m) -> std::optional<std::string> {
    if (is<check_atom, check_report>(m)) {
      const auto& r = m.get_as<check_report>(1);
      return "check " + std::to_string(r.server) + " " + std::to_string(r.checker);
    }
    if (is<suspend_atom, bool>(m))
      return "suspend";
    return std::nullopt;
  };
  spec.on_give_up = [name = def.name] {
    log::error("virtual_server %s: its services stay in the kernel as they are", name.c_str());
  };
  return supervise<pool_actor>(sys, std::move(spec));
}

spawned_checker spawn_supervised_checker(caf::actor_system& sys, kern::probe_engine& engine, checker_plan plan,
                                         checker_place place) {
  if (!plan.error.empty() || !plan.start)  // nothing to supervise: said by the caller
    return spawn_checker_actor(sys, engine, std::move(plan), std::move(place));
  child_spec spec;
  spec.kind = "checker";
  spec.name = place.vs + " " + place.rs + " " + plan.kind + " #" + std::to_string(place.checker);
  spec.spawn = [&sys, &engine, plan, place](const child_start& how) {
    return how.failed ? caf::actor{}
                      : caf::actor_cast<caf::actor>(spawn_checker_actor(sys, engine, plan, place).actor);
  };
  spec.on_give_up = [place, name = spec.name] {
    check_report r;
    r.server = place.server;
    r.checker = place.checker;
    r.up = false;
    r.reason = "checker failed too often; not restarted any more";
    caf::anon_send(place.sink, check_atom::value, r);
  };
  spawned_checker out;
  out.actor = supervise<checker_actor>(sys, std::move(spec));
  return out;
}

} // namespace ka::act
