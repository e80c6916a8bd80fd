// Accept mode (RFC 5798 6.1 "Accept_Mode") and strict mode, decided as keepalived 2.2.7 does
// (observed in namespace labs; README "Accept mode"): pure rules, no I/O.
#pragma once
#include <optional>

namespace ka::proto {

// An instance's strict mode: its own `strict_mode` when written, else global `vrrp_strict`.
bool strict_mode(std::optional<bool> instance_strict, bool global_strict);

struct accept_decision {
  bool accept = true;        // packets to the virtual addresses are delivered locally
  const char* why = "";      // for the status and logs
};

// `configured`: `accept` (true), `no_accept` (false) or neither. The address owner
// (priority 255) always accepts, even with no_accept; without a word, an instance accepts
// unless strict, where only the owner does; strict mode also refuses accept for VRRPv2
// (RFC 3768 has no accept mode; the parser warns and clears it).
accept_decision decide_accept(std::optional<bool> configured, bool strict, int version, int priority);

} // namespace ka::proto
