#include "kernel/inotify.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace ka::kern {

file_watch::file_watch(const std::string& path) {
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  name_ = slash == std::string::npos ? path : path.substr(slash + 1);
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0)
    throw std::system_error(errno, std::generic_category(), "inotify_init1");
  if (inotify_add_watch(fd_, dir.c_str(),
                        // Written (when the writer closes it: a truncating write would
                        // otherwise be read empty in between), renamed into place, or gone.
                        IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE) < 0) {
    int e = errno;
    ::close(fd_);
    throw std::system_error(e, std::generic_category(), "inotify watch on " + dir);
  }
}

file_watch::~file_watch() {
  if (fd_ >= 0)
    ::close(fd_);
}

bool file_watch::drain() {
  alignas(inotify_event) char buf[8192];
  bool ours = false;
  for (;;) {
    ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0)
      return ours;
    for (char* p = buf; p < buf + n;) {
      auto* ev = reinterpret_cast<inotify_event*>(p);
      if (ev->mask & IN_Q_OVERFLOW)
        ours = true;  // events were lost: read the file again to be sure
      else if (ev->len > 0 && name_ == ev->name)
        ours = true;
      p += sizeof(inotify_event) + ev->len;
    }
  }
}

file_number read_number(const std::string& path) {
  file_number out;
  std::ifstream in(path);
  if (!in) {
    out.error = std::string("cannot read: ") + std::strerror(errno);
    return out;
  }
  long long v = 0;
  if (!(in >> v)) {
    out.error = "holds no number";
    return out;
  }
  out.ok = true;
  out.value = v;
  return out;
}

std::string write_number(const std::string& path, long long value) {
  std::ofstream out(path, std::ios::trunc);
  if (!out)
    return std::string("cannot write: ") + std::strerror(errno);
  out << value << '\n';
  out.close();
  return out ? "" : "write failed";
}

} // namespace ka::kern
