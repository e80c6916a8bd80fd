// PING_CHECK: one ICMP or ICMPv6 echo to the real server; up when the reply comes within
// the timeout.
#pragma once
#include "kernel/probe.hpp"

namespace ka::kern {

struct ping_probe_spec {
  probe_target target;  // port unused
};

// Uses an unprivileged ping socket (SOCK_DGRAM, IPPROTO_ICMP[V6]: the kernel delivers only
// this socket's replies) when net.ipv4.ping_group_range admits the daemon's group, else a
// raw socket connected to the target with an ICMP type filter (root). keepalived widens
// ping_group_range instead; a sysctl is not a probe's to change.
void start_ping_probe(probe_engine& engine, const ping_probe_spec& spec, probe_callback done);

} // namespace ka::kern
