// Becoming a daemon and owning a pid file. Call daemonize() before any thread exists.
#pragma once
#include <string>

namespace ka::kern {

// Double fork, new session, cwd "/", stdio on /dev/null. Throws std::system_error.
void daemonize();

// Writes the pid at construction, removes the file at destruction. An empty path is a no-op.
class pid_file {
public:
  explicit pid_file(std::string path);   // throws std::system_error
  ~pid_file();
  pid_file(const pid_file&) = delete;
  pid_file& operator=(const pid_file&) = delete;
private:
  std::string path_;
};

} // namespace ka::kern
