// tracking: an inotify watch on the directory of a tracked file, so that a file written in
// place, replaced by rename, created or deleted is all noticed (watching the file itself
// would lose a file replaced by rename). Thin RAII wrapper, no CAF.
#pragma once
#include <string>

namespace ka::kern {

class file_watch {
public:
  // Throws std::system_error when inotify or the watch cannot be set up.
  explicit file_watch(const std::string& path);
  ~file_watch();
  file_watch(const file_watch&) = delete;
  file_watch& operator=(const file_watch&) = delete;
  int fd() const { return fd_; }
  // Reads the pending events (non-blocking); true when one of them is about the file.
  bool drain();

private:
  int fd_ = -1;
  std::string name_;  // the file's name in its directory
};

// The number at the start of a file, as text; nullopt-like: `ok` false when the file
// cannot be read or holds no number.
struct file_number {
  bool ok = false;
  long long value = 0;
  std::string error;
};
file_number read_number(const std::string& path);
// Writes `value` and a newline (init_file); returns "" or the error.
std::string write_number(const std::string& path, long long value);

} // namespace ka::kern
