// Running notify hooks: split a configured command line, spawn it with a clean signal
// state, wait with a deadline, and kill the whole process group if it hangs.
#pragma once
#include <chrono>
#include <string>
#include <vector>

namespace ka::kern {

// Shell-like word splitting without a shell: whitespace separates words, '...' and "..."
// quote, backslash escapes the next character. Unbalanced quotes end at end of text.
std::vector<std::string> split_command(const std::string& command);

struct run_result {
  enum class outcome { exited, signalled, timed_out, spawn_failed };
  outcome how = outcome::spawn_failed;
  int code = 0;                 // exit status, signal number, or errno for spawn_failed
  std::chrono::milliseconds took{0};
};
const char* to_string(run_result::outcome o);

// A child started without waiting for it: wait for `pidfd` to become readable (the child
// exited), then reap_process(). Lets one thread watch any number of hooks.
struct child_process {
  int pid = -1;
  int pidfd = -1;               // -1 when the kernel has no pidfd_open: reap_process blocks
  std::chrono::steady_clock::time_point started;
};

// Spawns argv (PATH is searched) with no signal blocked, default dispositions and its own
// process group. Returns 0 or the errno of the failure.
int spawn_process(const std::vector<std::string>& argv, child_process& out);
// SIGKILLs the child's process group first when `kill_it`; waits for the child, closes its
// pidfd, and says how it ended (timed_out when killed).
run_result reap_process(child_process& child, bool kill_it);

// Blocking: spawns argv (PATH is searched), waits up to `timeout`, SIGKILLs the child's
// process group after it. Call it from a thread that may block.
run_result run_and_wait(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

} // namespace ka::kern
