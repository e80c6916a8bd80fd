#include "kernel/notify_fifo.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ka::kern {

fifo_writer::~fifo_writer() {
  if (fd_ >= 0) ::close(fd_);
}

std::string fifo_writer::open(const std::string& path, const std::string& user,
                              const std::string& group) {
  struct stat sb {};
  if (::lstat(path.c_str(), &sb) == 0) {
    if (!S_ISFIFO(sb.st_mode)) return path + " exists and is not a FIFO";
  } else if (errno != ENOENT) {
    return path + ": " + std::strerror(errno);
  } else if (::mkfifo(path.c_str(), 0600) != 0) {
    return "cannot create FIFO " + path + ": " + std::strerror(errno);
  }
  if (!user.empty() || !group.empty()) {
    uid_t uid = static_cast<uid_t>(-1);
    gid_t gid = static_cast<gid_t>(-1);
    if (!user.empty()) {
      const passwd* pw = ::getpwnam(user.c_str());
      if (!pw) return "FIFO " + path + ": unknown user '" + user + "'";
      uid = pw->pw_uid;
      if (group.empty()) gid = pw->pw_gid;
    }
    if (!group.empty()) {
      const struct group* gr = ::getgrnam(group.c_str());
      if (!gr) return "FIFO " + path + ": unknown group '" + group + "'";
      gid = gr->gr_gid;
    }
    if (::chown(path.c_str(), uid, gid) != 0)
      return "FIFO " + path + ": chown: " + std::strerror(errno);
  }
  // O_RDWR rather than O_WRONLY: Linux lets a FIFO be opened for both, so the open neither
  // blocks nor fails (ENXIO) while no reader is attached, and a reader that leaves never
  // makes a write raise SIGPIPE. O_NONBLOCK: a write never waits for a slow reader.
  fd_ = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) return "cannot open FIFO " + path + ": " + std::strerror(errno);
  return "";
}

fifo_writer::result fifo_writer::write_line(const std::string& line) {
  if (fd_ < 0) return result::error;
  std::string out = line + "\n";
  // A line is far below PIPE_BUF (4096), so the kernel writes it whole or not at all.
  // When the pipe is full (no reader, or one that does not keep up: 64 KiB by default)
  // the write fails with EAGAIN and the line is dropped; the caller counts it. The
  // daemon's transitions never wait for a reader.
  ssize_t n = ::write(fd_, out.data(), out.size());
  if (n == static_cast<ssize_t>(out.size())) return result::written;
  errno_ = n < 0 ? errno : 0;
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return result::dropped;
  return result::error;
}

} // namespace ka::kern
