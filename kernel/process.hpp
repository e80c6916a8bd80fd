// Running notify hooks: split a configured command line, spawn it with a clean signal
// state, wait with a deadline, and kill the whole process group if it hangs.
#pragma once
#include <chrono>
#include <optional>
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

// Whom a script runs as: looked up once, in the daemon, before any fork (a forked child of
// a threaded process must not read /etc/passwd: the lookup may take locks or malloc).
struct credentials {
  std::string user;            // for logs
  unsigned uid = 0, gid = 0;
  std::vector<unsigned> groups;  // supplementary groups, as initgroups(user, gid) gives them
};
// USER and GROUP (empty: the user's primary group). nullopt, with `error` said, when
// either does not exist.
std::optional<credentials> lookup_credentials(const std::string& user, const std::string& group,
                                              std::string& error);
bool user_exists(const std::string& user);
// Where `program` (searched in PATH when it has no '/') could be changed by a user other
// than root (protocol/script_security.hpp): the first such path component, with why;
// "" when it is safe, or cannot be found (running it will say so).
std::string unsafe_path(const std::string& program);

// Spawns argv (PATH is searched) with no signal blocked, default dispositions and its own
// process group; as `as` when given and not the daemon's own identity (fork, then
// setgroups/setgid/setuid in the child before exec). Returns 0 or the errno of the failure.
int spawn_process(const std::vector<std::string>& argv, child_process& out,
                  const credentials* as = nullptr);
// SIGKILLs the child's process group first when `kill_it`; waits for the child, closes its
// pidfd, and says how it ended (timed_out when killed).
run_result reap_process(child_process& child, bool kill_it);

// Blocking: spawns argv (PATH is searched), waits up to `timeout`, SIGKILLs the child's
// process group after it. Call it from a thread that may block.
run_result run_and_wait(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                        const credentials* as = nullptr);

} // namespace ka::kern
