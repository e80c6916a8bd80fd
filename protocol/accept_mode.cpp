#include "protocol/accept_mode.hpp"

namespace ka::proto {

bool strict_mode(std::optional<bool> instance_strict, bool global_strict) {
  return instance_strict.value_or(global_strict);
}

accept_decision decide_accept(std::optional<bool> configured, bool strict, int version, int priority) {
  // keepalived never installs the drop rules for the owner: it owns the addresses.
  if (priority == 255)
    return {true, "address owner (priority 255)"};
  if (strict && version == 2 && configured.value_or(false))
    return {false, "strict mode: VRRPv2 has no accept mode"};
  if (configured)
    return {*configured, *configured ? "accept" : "no_accept"};
  if (strict)
    return {false, "strict mode default"};
  return {true, "default"};
}

} // namespace ka::proto
