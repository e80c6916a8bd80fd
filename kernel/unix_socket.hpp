// Unix stream sockets for the admin interface: the daemon's listener and the CLI's client.
#pragma once
#include <string>
#include <sys/types.h>

namespace ka::kern {

class unix_listener {
public:
  // Removes a stale socket file, binds, chmods to `mode`, listens. Throws std::system_error.
  unix_listener(std::string path, mode_t mode);
  ~unix_listener();  // closes and unlinks
  unix_listener(const unix_listener&) = delete;
  unix_listener& operator=(const unix_listener&) = delete;
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  int accept();      // non-blocking client fd, or -1

private:
  std::string path_;
  int fd_ = -1;
};

// Blocking connect; returns the fd or -1 with a readable reason in `err`.
int unix_connect(const std::string& path, std::string* err);

} // namespace ka::kern
