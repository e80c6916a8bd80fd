#include "kernel/unix_socket.hpp"

#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
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

// What a path that is not a socket is, for the error message.
std::string kind_of(const std::string& path, const struct stat& st) {
  switch (st.st_mode & S_IFMT) {
    case S_IFREG: return "a regular file";
    case S_IFDIR: return "a directory";
    case S_IFIFO: return "a FIFO";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    case S_IFLNK: {
      char target[4096];
      ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
      return n < 0 ? "a symbolic link" : "a symbolic link to " + std::string(target, static_cast<std::size_t>(n));
    }
  }
  return "not a socket";
}

// Makes room for a new socket at `path`: absent is fine; a stale socket (nobody answers)
// is removed; anything else is refused, untouched.
void clear_path(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) < 0) {
    if (errno == ENOENT)
      return;
    throw std::system_error(errno, std::generic_category(), "admin socket " + path);
  }
  if (!S_ISSOCK(st.st_mode))
    throw std::system_error(EEXIST, std::generic_category(),
                            "admin socket " + path + " exists and is " + kind_of(path, st) +
                            ", not a socket; refusing to replace it");
  std::string why;
  int probe = unix_connect(path, &why);
  if (probe >= 0) {
    ::close(probe);
    throw std::system_error(EADDRINUSE, std::generic_category(),
                            "admin socket " + path + " is served by a running daemon");
  }
  // A socket file left by a crashed daemon. Removed only if it is still the one probed.
  struct stat again;
  if (::lstat(path.c_str(), &again) == 0 && again.st_dev == st.st_dev && again.st_ino == st.st_ino)
    ::unlink(path.c_str());
}
} // namespace

unix_listener::unix_listener(std::string path, mode_t mode, std::optional<gid_t> group)
  : path_(std::move(path)), group_(group) {
  sockaddr_un sa;
  if (!fill(sa, path_))
    throw std::system_error(ENAMETOOLONG, std::generic_category(), "admin socket " + path_);
  clear_path(path_);
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0)
    throw std::system_error(errno, std::generic_category(), "socket(AF_UNIX)");
  // Created owner-only (no window where others may connect), then given its group and mode.
  mode_t old = ::umask(0077);
  int rc = ::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  int e = errno;
  ::umask(old);
  if (rc == 0) {
    bool ok = (!group || ::chown(path_.c_str(), static_cast<uid_t>(-1), *group) == 0) &&
              ::chmod(path_.c_str(), mode) == 0 && ::listen(fd_, 64) == 0;
    e = errno;
    if (!ok)
      ::unlink(path_.c_str());
    rc = ok ? 0 : -1;
  }
  if (rc < 0) {
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

gid_t group_id(const std::string& name) {
  std::vector<char> buf(4096);
  for (;;) {
    struct group gr;
    struct group* found = nullptr;
    int rc = ::getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &found);
    if (rc == ERANGE && buf.size() < (1u << 20)) {
      buf.resize(buf.size() * 4);
      continue;
    }
    if (rc != 0)
      throw std::runtime_error("group '" + name + "': " + std::strerror(rc));
    if (!found)
      throw std::runtime_error("unknown group '" + name + "'");
    return gr.gr_gid;
  }
}

bool peer_credentials::in_group(gid_t g) const {
  return gid == g || std::find(groups.begin(), groups.end(), g) != groups.end();
}

bool peer_of(int fd, peer_credentials& out) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
    return false;
  out.pid = cred.pid;
  out.uid = cred.uid;
  out.gid = cred.gid;
  out.groups.assign(16, 0);
  for (;;) {
    len = static_cast<socklen_t>(out.groups.size() * sizeof(gid_t));
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, out.groups.data(), &len) == 0)
      break;
    if (errno != ERANGE || len <= out.groups.size() * sizeof(gid_t))
      return false;
    out.groups.resize(len / sizeof(gid_t));  // the kernel says how much it needs
  }
  out.groups.resize(len / sizeof(gid_t));
  return true;
}

} // namespace ka::kern
