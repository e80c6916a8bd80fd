// DNS_CHECK: one query over UDP to the real server, sent and matched by c-ares (ID,
// question, retransmission), judged by protocol/dns_answer.hpp. c-ares is driven from
// the engine's io_context: its sockets are watched with asio descriptors and handed to
// ares_process_fd when readable, so no thread blocks in c-ares.
#pragma once
#include <cstdint>
#include <string>

#include "kernel/probe.hpp"

namespace ka::kern {

struct dns_probe_spec {
  probe_target target;      // port: the real server's DNS port (53 unless connect_port says)
  std::string name = ".";   // keepalived's default
  std::uint16_t type = 6;   // SOA, keepalived's default (protocol/dns_answer.hpp: dns_type_code)
};

void start_dns_probe(probe_engine& engine, const dns_probe_spec& spec, probe_callback done);

} // namespace ka::kern
