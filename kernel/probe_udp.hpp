// UDP_CHECK: one datagram to the real server, judged as keepalived 2.2.7 does (README,
// "Health checks").
#pragma once
#include <cstdint>
#include <vector>

#include "kernel/probe.hpp"
#include "protocol/udp_reply.hpp"

namespace ka::kern {

struct udp_probe_spec {
  probe_target target;
  std::vector<std::uint8_t> payload;  // empty: random bytes
  bool require_reply = false;
  proto::udp_expect expect;           // with require_reply: the reply's length and content
};

// Sends the payload from a connected socket, then waits until the timeout:
// - an ICMP destination unreachable (port, host, network...) comes back: down;
// - a reply comes: with require_reply judged by `expect`, without it up;
// - nothing comes: down with require_reply, up without it.
void start_udp_probe(probe_engine& engine, const udp_probe_spec& spec, probe_callback done);

} // namespace ka::kern
