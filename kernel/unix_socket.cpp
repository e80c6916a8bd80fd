#include "kernel/unix_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace ka::kern {
namespace {
bool fill(sockaddr_un& sa, const std::string& path) {
  std::memset(&sa, 0, sizeof sa);
  sa.sun_family = AF_UNIX;
  if (path.size() >= sizeof sa.sun_path)
    return false;
  std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
  return true;
}
} // namespace

unix_listener::unix_listener(std::string path, mode_t mode) : path_(std::move(path)) {
  sockaddr_un sa;
  if (!fill(sa, path_))
    throw std::system_error(ENAMETOOLONG, std::generic_category(), "admin socket " + path_);
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0)
    throw std::system_error(errno, std::generic_category(), "socket(AF_UNIX)");
  // A socket file left by a crashed daemon would make bind fail with EADDRINUSE.
  // Only remove it if nobody answers on it: two daemons must not share one socket.
  std::string why;
  int probe = unix_connect(path_, &why);
  if (probe >= 0) {
    ::close(probe);
    ::close(fd_);
    throw std::system_error(EADDRINUSE, std::generic_category(),
                            "admin socket " + path_ + " is served by a running daemon");
  }
  ::unlink(path_.c_str());
  // Create it with the final mode already (no window where it is world-accessible).
  mode_t old = ::umask(static_cast<mode_t>(~mode & 0777));
  int rc = ::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  int bind_errno = errno;
  ::umask(old);
  if (rc < 0 || ::chmod(path_.c_str(), mode) < 0 || ::listen(fd_, 16) < 0) {
    int e = rc < 0 ? bind_errno : errno;
    ::close(fd_);
    throw std::system_error(e, std::generic_category(), "admin socket " + path_);
  }
}

unix_listener::~unix_listener() {
  ::close(fd_);
  ::unlink(path_.c_str());
}

int unix_listener::accept() {
  return ::accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int unix_connect(const std::string& path, std::string* err) {
  sockaddr_un sa;
  if (!fill(sa, path)) {
    if (err) *err = "socket path too long: " + path;
    return -1;
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    if (err) *err = std::strerror(errno);
    return -1;
  }
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) {
    if (err) *err = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  return fd;
}

} // namespace ka::kern
