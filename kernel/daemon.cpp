#include "kernel/daemon.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>

namespace ka::kern {
namespace {
void fork_and_let_parent_exit() {
  pid_t pid = ::fork();
  if (pid < 0)
    throw std::system_error(errno, std::generic_category(), "fork");
  if (pid > 0)
    ::_exit(0);
}
} // namespace

void daemonize() {
  fork_and_let_parent_exit();
  if (::setsid() < 0)
    throw std::system_error(errno, std::generic_category(), "setsid");
  fork_and_let_parent_exit();  // not a session leader: can never reacquire a terminal
  if (::chdir("/") < 0)
    throw std::system_error(errno, std::generic_category(), "chdir /");
  int null = ::open("/dev/null", O_RDWR);
  if (null < 0)
    throw std::system_error(errno, std::generic_category(), "open /dev/null");
  ::dup2(null, 0);
  ::dup2(null, 1);
  ::dup2(null, 2);
  if (null > 2)
    ::close(null);
}

pid_file::pid_file(std::string path) : path_(std::move(path)) {
  if (path_.empty())
    return;
  std::string text = std::to_string(::getpid()) + "\n";
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::system_error(errno, std::generic_category(), "pid file " + path_);
  ssize_t n = ::write(fd, text.data(), text.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size()))
    throw std::system_error(errno, std::generic_category(), "pid file " + path_);
}

pid_file::~pid_file() {
  if (!path_.empty())
    ::unlink(path_.c_str());
}

} // namespace ka::kern
