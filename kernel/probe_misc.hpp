// MISC_CHECK: runs the configured command and judges its exit status
// (protocol/check_verdicts.hpp). The child is watched through its pidfd on the engine's
// io_context, so no thread waits for it and no SIGCHLD is needed.
#pragma once
#include <chrono>
#include <optional>
#include <string>

#include "kernel/probe.hpp"
#include "kernel/process.hpp"

namespace ka::kern {

struct misc_probe_spec {
  std::string misc_path;                 // the command line, split as kernel/process.hpp says
  std::chrono::microseconds timeout{std::chrono::seconds(5)};  // misc_timeout (the checker's default: delay_loop)
  bool dynamic = false;                  // misc_dynamic
  std::optional<credentials> user;       // looked up before (never on an engine thread)
};

// Exit 0: up; still running at the timeout: SIGTERM to its process group, SIGKILL 2 s
// later, and down (as keepalived 2.2.7). With dynamic the result's weight is the real
// server's new weight (exit status - 2) for 2..255; none: its configured weight.
void start_misc_probe(probe_engine& engine, const misc_probe_spec& spec, probe_callback done);

} // namespace ka::kern
