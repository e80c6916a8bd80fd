// SMTP_CHECK: the server is up when it greets with 220, answers HELO with 250 and QUIT
// with 221, all within the timeout.
#pragma once
#include <string>

#include "kernel/probe.hpp"

namespace ka::kern {

struct smtp_probe_spec {
  probe_target target;
  std::string helo_name;     // empty: this host's name
};

void start_smtp_probe(probe_engine& e, const smtp_probe_spec& spec, probe_callback cb);

} // namespace ka::kern
