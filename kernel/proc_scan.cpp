#include "kernel/proc_scan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <memory>

namespace ka::kern {

namespace {

// The whole of a /proc file, with read(2): a process that ends while it is read makes
// read fail with ESRCH, which must mean "skip it". (std::ifstream's buffer throws
// std::ios_base::failure from underflow on such an error, whatever its exception mask:
// that once ended the process tracker on a busy machine.)
bool read_proc_file(const std::string& path, std::string& out) {
  out.clear();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  char buf[4096];
  bool ok = true;
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    ok = n == 0;
    break;
  }
  ::close(fd);
  return ok;
}

} // namespace

std::vector<proc_entry> scan_processes() {
  std::vector<proc_entry> out;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(opendir("/proc"), closedir);
  if (!dir)
    return out;
  std::string status, cmdline;
  while (auto* de = readdir(dir.get())) {
    if (!std::isdigit(static_cast<unsigned char>(de->d_name[0])))
      continue;
    proc_entry e;
    e.pid = std::atoi(de->d_name);
    std::string base = std::string("/proc/") + de->d_name;
    if (!read_proc_file(base + "/status", status) || status.rfind("Name:", 0) != 0
        || !read_proc_file(base + "/cmdline", cmdline))
      continue;  // gone already, or going
    auto start = status.find_first_not_of(" \t", 5);
    auto end = status.find('\n');
    e.name = start == std::string::npos || start >= end ? "" : status.substr(start, end - start);
    std::string word;
    for (char c : cmdline) {
      if (c == '\0') {
        e.argv.push_back(word);
        word.clear();
      } else {
        word += c;
      }
    }
    if (!word.empty())
      e.argv.push_back(word);
    out.push_back(std::move(e));
  }
  return out;
}

} // namespace ka::kern
