#include "kernel/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

extern char** environ;

namespace ka::kern {

std::vector<std::string> split_command(const std::string& command) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < command.size(); ++i) {
    char c = command[i];
    if (quote) {
      if (c == quote)
        quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < command.size())
        cur += command[++i];
      else
        cur += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < command.size()) {
      cur += command[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word)
        words.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word)
    words.push_back(cur);
  return words;
}

const char* to_string(run_result::outcome o) {
  switch (o) {
    case run_result::outcome::exited: return "exited";
    case run_result::outcome::signalled: return "signalled";
    case run_result::outcome::timed_out: return "timed_out";
    case run_result::outcome::spawn_failed: return "spawn_failed";
  }
  return "?";
}

int spawn_process(const std::vector<std::string>& argv, child_process& out) {
  if (argv.empty())
    return EINVAL;
  out.started = std::chrono::steady_clock::now();
  std::vector<char*> args;
  for (auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  // The daemon blocks its signals in every thread; a hook must start with none blocked
  // and default dispositions, in its own process group so a timeout kills its children too.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
                                    | POSIX_SPAWN_SETPGROUP);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);

  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &files, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  if (rc != 0)
    return rc;
  out.pid = pid;
  out.pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (out.pidfd >= 0)
    fcntl(out.pidfd, F_SETFD, FD_CLOEXEC);
  return 0;
}

run_result reap_process(child_process& child, bool kill_it) {
  using namespace std::chrono;
  if (kill_it)
    ::kill(-child.pid, SIGKILL);
  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (child.pidfd >= 0)
    ::close(child.pidfd);
  child.pidfd = -1;
  run_result res;
  res.took = duration_cast<milliseconds>(steady_clock::now() - child.started);
  if (kill_it) {
    res.how = run_result::outcome::timed_out;
  } else if (WIFEXITED(status)) {
    res.how = run_result::outcome::exited;
    res.code = WEXITSTATUS(status);
  } else {
    res.how = run_result::outcome::signalled;
    res.code = WTERMSIG(status);
  }
  return res;
}

run_result run_and_wait(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  using namespace std::chrono;
  child_process child;
  if (int rc = spawn_process(argv, child)) {
    run_result res;
    res.code = rc;
    return res;
  }
  bool timed_out = false;
  if (child.pidfd >= 0) {
    pollfd p{child.pidfd, POLLIN, 0};
    int n;
    do {
      auto left = timeout - duration_cast<milliseconds>(steady_clock::now() - child.started);
      n = ::poll(&p, 1, left.count() > 0 ? static_cast<int>(left.count()) : 0);
    } while (n < 0 && errno == EINTR);
    timed_out = n == 0;
  }
  return reap_process(child, timed_out);
}

} // namespace ka::kern
