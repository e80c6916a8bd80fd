// `keepalivectl check`: whether an instance, as `status` reports it, is in the state a
// monitoring user expects (README "keepalivectl"). Pure: works on the status JSON.
#pragma once
#include <string>

#include "protocol/admin_protocol.hpp"

namespace ka::proto {

// "" when `instance` (one element of status.instances) is as expected, else why not:
// - its state is MASTER or BACKUP (FAULT, INIT, STOP: not);
// - a BACKUP has heard a master (else the addresses may be served by no one);
// - a BACKUP that preempts does not outrank the master it hears (it should have taken
//   over: a stuck election, or the master's adverts go one way only);
// - an address owner (effective priority 255) is MASTER.
std::string check_instance(const json& instance);

} // namespace ka::proto
