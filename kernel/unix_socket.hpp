// Unix stream sockets for the admin interface: the daemon's listener and the CLI's client.
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace ka::kern {

class unix_listener {
public:
  // Binds a new socket at `path` with `mode` (and group `group` when given), and listens.
  // An existing path is replaced only when it is a stale socket (nobody answers on it); a
  // socket a running daemon serves, or anything that is not a socket (file, directory,
  // symbolic link...), is left alone and reported. Throws std::system_error.
  unix_listener(std::string path, mode_t mode, std::optional<gid_t> group = std::nullopt);
  ~unix_listener();  // closes and unlinks
  unix_listener(const unix_listener&) = delete;
  unix_listener& operator=(const unix_listener&) = delete;
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  std::optional<gid_t> group() const { return group_; }  // given at construction
  int accept();      // non-blocking client fd, or -1

private:
  std::string path_;
  std::optional<gid_t> group_;
  int fd_ = -1;
};

// Blocking connect; returns the fd or -1 with a readable reason in `err`.
int unix_connect(const std::string& path, std::string* err);

// The group's id, from the group database (getgrnam_r). Throws std::runtime_error naming
// the group when it is unknown.
gid_t group_id(const std::string& name);

// Who is at the other end of a connected Unix socket, as the kernel saw it at connect():
// SO_PEERCRED (pid, uid, gid) and SO_PEERGROUPS (supplementary groups).
struct peer_credentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  bool in_group(gid_t g) const;
};
// False with errno set when the kernel does not say.
bool peer_of(int fd, peer_credentials& out);

} // namespace ka::kern
