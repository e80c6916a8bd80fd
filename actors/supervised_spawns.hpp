// supervision: each supervised kind's child_spec (actors/supervisor.hpp): how it is spawned
// again, which messages its new incarnation is told again, and what giving up on it means.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actors/checkers.hpp"
#include "actors/messages.hpp"
#include "actors/pool_config.hpp"
#include "parser/config.hpp"

namespace ka::kern { class probe_engine; }

namespace ka::act {

// A vrrp_instance. Told again: its sync group, its FIFOs, the start (init), its tracked
// objects' latest results and the group's hold. Failed mode: FAULT (adverts stopped,
// addresses released); if that fails too, its adverts are stopped.
instance_actor spawn_supervised_instance(caf::actor_system& sys, std::shared_ptr<const config::config> all,
                                         std::size_t index, std::uint32_t id, kernel_actor kernel,
                                         advert_actor advert, script_actor scripts);

// A tracker (vrrp_script, track_file, vrrp_track_process): a new one reads its source
// again. Given up: a script or process tracker tells its instances "failing" once.
tracker_actor spawn_supervised_tracker(caf::actor_system& sys, const std::string& kind, const std::string& name,
                                       std::function<tracker_actor()> spawn,
                                       std::vector<instance_actor> subscribers);

// A virtual_server's pool: a new one reconciles with the kernel's table (as at start) and
// is told again every checker's latest verdict and the ha_suspend input.
pool_actor spawn_supervised_pool(caf::actor_system& sys, pool_definition def, ipvs_writer writer,
                                 script_actor scripts, std::vector<notify_fifo_actor> fifos = {});

// A checker: a new one starts unknown, so the pool keeps its current view until the new
// one's first result. Given up: the checker reports its server down once.
spawned_checker spawn_supervised_checker(caf::actor_system& sys, kern::probe_engine& engine, checker_plan plan,
                                         checker_place place);

} // namespace ka::act
