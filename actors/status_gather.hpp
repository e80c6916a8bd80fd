// Every instance's status with its advert counters, as the admin socket's `status` and
// keepalived's dump files (actors/dump_files.cpp) both need it: all actors asked at once,
// each answer awaited until one deadline, so a gather takes at most about that long
// however many instances there are.
#pragma once
#include <chrono>
#include <vector>

#include "actors/messages.hpp"

namespace ka::act {

struct instances_snapshot {
  json instances = json::array();  // each instance's status, with "counters" from the advert thread
  json advert;                     // the advert thread's status, less its per-instance part
};
instances_snapshot gather_instances(caf::actor_system& sys, const std::vector<instance_actor>& instances,
                                    const advert_actor& advert, std::chrono::milliseconds deadline);

// Each sync group's status (an error object for one that did not answer in time).
json gather_sync_groups(caf::actor_system& sys, const std::vector<sync_group_actor>& groups,
                        std::chrono::milliseconds deadline);

} // namespace ka::act
