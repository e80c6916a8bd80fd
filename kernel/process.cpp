#include "kernel/process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "protocol/script_security.hpp"

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

namespace {

// The child's side of a spawn as another user: only async-signal-safe calls between fork
// and exec, and raw syscalls for the identity (glibc's setuid would try to reach threads
// the child does not have). On failure the child exits 127, as a shell does.
[[noreturn]] void exec_as(char* const* args, const credentials& as, const std::vector<gid_t>& groups) {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP)
      ::sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::setpgid(0, 0);
  int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull >= 0 && devnull != 0) {
    ::dup2(devnull, 0);
    ::close(devnull);
  }
  if (::syscall(SYS_setgroups, groups.size(), groups.data()) != 0
      || ::syscall(SYS_setgid, as.gid) != 0 || ::syscall(SYS_setuid, as.uid) != 0)
    ::_exit(127);
  ::execvp(args[0], args);
  ::_exit(127);
}

} // namespace

std::optional<credentials> lookup_credentials(const std::string& user, const std::string& group,
                                              std::string& error) {
  std::vector<char> buf(16384);
  passwd pw{}, *pwp = nullptr;
  if (::getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &pwp) != 0 || !pwp) {
    error = "user '" + user + "' does not exist";
    return std::nullopt;
  }
  credentials c;
  c.user = user;
  c.uid = pw.pw_uid;
  c.gid = pw.pw_gid;
  if (!group.empty()) {
    std::vector<char> gbuf(16384);
    struct group gr {}, *grp = nullptr;
    if (::getgrnam_r(group.c_str(), &gr, gbuf.data(), gbuf.size(), &grp) != 0 || !grp) {
      error = "group '" + group + "' does not exist";
      return std::nullopt;
    }
    c.gid = gr.gr_gid;
  }
  int n = 64;
  std::vector<gid_t> gs(n);
  while (::getgrouplist(user.c_str(), c.gid, gs.data(), &n) < 0)
    gs.resize(n);
  gs.resize(n);
  c.groups.assign(gs.begin(), gs.end());
  return c;
}

bool user_exists(const std::string& user) {
  std::vector<char> buf(16384);
  passwd pw{}, *pwp = nullptr;
  return ::getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &pwp) == 0 && pwp;
}

std::string unsafe_path(const std::string& program) {
  std::string path = program;
  if (program.find('/') == std::string::npos) {  // as execvp will find it
    const char* env = std::getenv("PATH");
    std::string dirs = env ? env : "/usr/local/bin:/usr/bin:/bin";
    path.clear();
    for (std::size_t at = 0; at <= dirs.size();) {
      auto colon = dirs.find(':', at);
      std::string dir = dirs.substr(at, colon == std::string::npos ? std::string::npos : colon - at);
      std::string cand = (dir.empty() ? "." : dir) + "/" + program;
      if (::access(cand.c_str(), X_OK) == 0) {
        path = cand;
        break;
      }
      if (colon == std::string::npos)
        break;
      at = colon + 1;
    }
    if (path.empty())
      return "";
  }
  char real[PATH_MAX];
  if (!::realpath(path.c_str(), real))
    return "";
  std::string full = real;
  // "/", each directory down from it, and the file itself.
  std::vector<std::string> parts{"/"};
  for (std::size_t pos = 1; (pos = full.find('/', pos)) != std::string::npos; ++pos)
    parts.push_back(full.substr(0, pos));
  parts.push_back(full);
  for (const auto& part : parts) {
    struct stat sb {};
    if (::stat(part.c_str(), &sb) != 0)
      return "";
    if (proto::unsafe_component(sb.st_uid, sb.st_gid, sb.st_mode, S_ISDIR(sb.st_mode)))
      return part + (sb.st_uid != 0 ? " is owned by uid " + std::to_string(sb.st_uid)
                                    : std::string(" is writable by users other than root"));
  }
  return "";
}

int spawn_process(const std::vector<std::string>& argv, child_process& out, const credentials* as) {
  if (argv.empty())
    return EINVAL;
  out.started = std::chrono::steady_clock::now();
  std::vector<char*> args;
  for (auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  if (as && (as->uid != ::geteuid() || as->gid != ::getegid())) {
    // posix_spawn cannot change the user: fork, and set it in the child.
    std::vector<gid_t> groups(as->groups.begin(), as->groups.end());
    pid_t pid = ::fork();
    if (pid < 0)
      return errno;
    if (pid == 0)
      exec_as(args.data(), *as, groups);
    // The child does it too: whichever runs first, a timeout's kill(-pid) finds the group.
    ::setpgid(pid, pid);
    out.pid = pid;
    out.pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    if (out.pidfd >= 0)
      fcntl(out.pidfd, F_SETFD, FD_CLOEXEC);
    return 0;
  }

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

run_result run_and_wait(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                        const credentials* as) {
  using namespace std::chrono;
  child_process child;
  if (int rc = spawn_process(argv, child, as)) {
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
