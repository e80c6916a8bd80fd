// A notify FIFO (global_defs notify_fifo / vrrp_notify_fifo) as the daemon's write end.
// No CAF: the notify FIFO actor (actors/notify_fifo_actor.cpp) owns one of these.
#pragma once
#include <cstdint>
#include <string>

namespace ka::kern {

class fifo_writer {
public:
  fifo_writer() = default;
  ~fifo_writer();
  fifo_writer(const fifo_writer&) = delete;
  fifo_writer& operator=(const fifo_writer&) = delete;

  // Creates the FIFO when missing (mode 0600, as keepalived 2.2.7 does; given to
  // user:group when named, empty = unchanged) and opens it. Returns "" or the reason.
  // A path that exists and is not a FIFO is refused, not replaced.
  std::string open(const std::string& path, const std::string& user, const std::string& group);
  enum class result { written, dropped, error };
  // One line (a newline is added). Never blocks: see the .cpp for what is dropped.
  result write_line(const std::string& line);
  bool is_open() const { return fd_ >= 0; }
  int last_errno() const { return errno_; }

private:
  int fd_ = -1;
  int errno_ = 0;
};

} // namespace ka::kern
