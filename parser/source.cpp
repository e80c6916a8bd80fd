// The disk as a file_source (source.hpp). Only regular files are read: a FIFO would
// block, /dev/zero never ends, a directory has no text; stat() tells them apart before
// anything is opened, and the read stops one byte past the size limit so that a file
// that grows (or a /proc file whose size says 0) cannot run away either.
#include "parser/source.hpp"

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

namespace ka::config {
namespace {

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

file_read not_regular(mode_t mode) {
  file_read r;
  r.result = file_read::status::not_regular;
  r.kind = kind_of(mode);
  return r;
}

class disk_source final : public file_source {
public:
  std::vector<std::string> glob(const std::string& pattern) override {
    glob_t g{};
    std::vector<std::string> out;
    if (::glob(pattern.c_str(), GLOB_BRACE | GLOB_MARK, nullptr, &g) == 0) {
      for (std::size_t i = 0; i < g.gl_pathc; ++i) {
        std::string p = g.gl_pathv[i];
        if (!p.empty() && p.back() != '/') out.push_back(std::move(p));  // skip directories
      }
    }
    globfree(&g);
    return out;
  }

  file_read read(const std::string& path, std::size_t max_bytes) override {
    file_read r;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return r;
    if (!S_ISREG(st.st_mode)) return not_regular(st.st_mode);
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return r;
    // Swapped for something else between stat() and open()?
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return not_regular(st.st_mode);
    }
    if (static_cast<unsigned long long>(st.st_size) > max_bytes) {
      ::close(fd);
      r.result = file_read::status::too_large;
      return r;
    }
    std::string text(static_cast<std::size_t>(st.st_size) + 1, '\0');
    std::size_t got = 0;
    for (;;) {
      if (got == text.size()) {
        if (text.size() > max_bytes) break;
        text.resize(std::min(text.size() * 2 + 4096, max_bytes + 1));
      }
      ssize_t n = ::read(fd, text.data() + got, text.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (n < 0) got = SIZE_MAX;
        break;
      }
      got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (got == SIZE_MAX) return r;
    if (got > max_bytes) {
      r.result = file_read::status::too_large;
      return r;
    }
    text.resize(got);
    r.result = file_read::status::ok;
    r.text = std::move(text);
    return r;
  }
};

} // namespace

file_source& disk() {
  static disk_source d;
  return d;
}

} // namespace ka::config
