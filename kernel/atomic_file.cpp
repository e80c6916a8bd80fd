#include "kernel/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace ka::kern {

std::string write_file_atomically(const std::string& path, const std::string& content, mode_t mode) {
  std::vector<char> tmp(path.begin(), path.end());
  for (char c : std::string(".XXXXXX")) tmp.push_back(c);
  tmp.push_back('\0');
  // mkostemp: O_CREAT | O_EXCL with a random name, mode 0600 until fchmod below.
  int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0)
    return std::string("cannot create a file beside ") + path + ": " + std::strerror(errno);
  auto fail = [&](const char* what) {
    std::string why = std::string(what) + " " + tmp.data() + ": " + std::strerror(errno);
    ::close(fd);
    ::unlink(tmp.data());
    return why;
  };
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write");
    done += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, mode) != 0) return fail("cannot chmod");
  if (::close(fd) != 0) {
    std::string why = std::string("cannot write ") + tmp.data() + ": " + std::strerror(errno);
    ::unlink(tmp.data());
    return why;
  }
  if (::rename(tmp.data(), path.c_str()) != 0) {
    std::string why = "cannot rename " + std::string(tmp.data()) + " to " + path + ": " + std::strerror(errno);
    ::unlink(tmp.data());
    return why;
  }
  return {};
}

} // namespace ka::kern
