// TCP_CHECK: the server is up when a TCP connection to it completes within the timeout.
#pragma once
#include "kernel/probe.hpp"

namespace ka::kern {

struct tcp_probe_spec {
  probe_target target;
};

void start_tcp_probe(probe_engine& e, const tcp_probe_spec& spec, probe_callback cb);

} // namespace ka::kern
