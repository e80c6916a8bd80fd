// What to write to the kernel's IPVS table to get from what it has to what a pool wants:
// the difference between two sets of services with their destinations, as an ordered
// list of ipvs_op. Pure (see protocol/ipvs_types.hpp): the pool actor sends the result
// to the kernel actor.
#pragma once
#include <vector>

#include "protocol/ipvs_types.hpp"

namespace ka::proto {

// A service and the destinations it has (or should have).
struct ipvs_service_set {
  ipvs_service service;
  std::vector<ipvs_dest> dests;
};

// The same service: by fwmark and family, or by family, protocol, address and port.
bool same_service(const ipvs_service_key& a, const ipvs_service_key& b);
// The same settings, leaving out what the kernel sets by itself (IP_VS_SVC_F_HASHED).
bool same_settings(const ipvs_service& a, const ipvs_service& b);

// The ops that turn `have` (null: the service is not there) into `want`:
// edit the service when its settings differ, then for the destinations: add the
// missing ones and edit those whose settings differ before deleting those not wanted,
// so that a pool which swaps servers (quorum lost: sorry server in, real servers out)
// is never left with no destination in between. A destination wanted twice is written
// once (the first one).
std::vector<ipvs_op> diff_service(const ipvs_service_set& want, const ipvs_service_set* have);

// The same for several services at once (a virtual_server_group's): each wanted service
// against the one with its key in `have`. Services in `have` that are not wanted are
// deleted (with their destinations, by the kernel).
std::vector<ipvs_op> diff_services(const std::vector<ipvs_service_set>& want,
                                   const std::vector<ipvs_service_set>& have);

// Start-up reconciliation with a dump of the kernel's table: a wanted service found there
// is adopted (edited if its settings differ; its destinations that are not wanted, our
// leftovers, are deleted), a missing one is added. Services of the dump that are not
// wanted belong to someone else (another pool, ipvsadm) and are left alone.
std::vector<ipvs_op> reconcile(const std::vector<ipvs_service_set>& want,
                               const std::vector<ipvs_service_state>& dump);

// The wanted services as they are in the dump (those absent left out): a pool's view of
// the kernel after an error.
std::vector<ipvs_service_set> ours_in(const std::vector<ipvs_service_set>& want,
                                      const std::vector<ipvs_service_state>& dump);

// The ops that remove these services (the kernel removes their destinations with them).
std::vector<ipvs_op> remove_services(const std::vector<ipvs_service_set>& have);

} // namespace ka::proto
