// tracking: one actor per track_file that an instance tracks. The file holds a number;
// the actor reads it at start and again whenever inotify says the file was written,
// replaced, created or deleted (a watch on its directory, kernel/inotify.hpp), and tells
// its instances the value. Detached: it waits for inotify events on a thread of its own.
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <poll.h>
#include <unistd.h>

#include <memory>

#include "actors/event_bus.hpp"  // live events
#include "actors/trackers.hpp"
#include "kernel/inotify.hpp"
#include "kernel/log.hpp"

namespace ka::act {
namespace {

struct file_tracker_state {
  config::track_file cfg;
  std::vector<instance_actor> subscribers;
  int stopfd = -1;
  std::unique_ptr<kern::file_watch> watch;
  bool sent = false;
  long long last = 0;
  std::string last_detail;
  static constexpr const char* name = "track_file";
};

using file_tracker_self = tracker_actor::stateful_pointer<file_tracker_state>;

void read_and_tell(file_tracker_self self) {
  auto& st = self->state;
  auto n = kern::read_number(st.cfg.file);
  // A file that is missing or holds no number counts as 0, said in the detail and the log.
  long long value = n.ok ? n.value : 0;
  std::string detail = n.ok ? "value " + std::to_string(value) : n.error + ": taken as 0";
  if (st.sent && value == st.last && detail == st.last_detail)
    return;
  if (!n.ok && detail != st.last_detail)
    log::warning("VRRP_Track_File(%s): %s: %s", st.cfg.name.c_str(), st.cfg.file.c_str(),
                 detail.c_str());
  else if (st.sent)
    log::notice("VRRP_Track_File(%s): value %lld -> %lld", st.cfg.name.c_str(), st.last, value);
  if (st.sent && value != st.last)  // live events
    publish_event(self->home_system(), {0, "tracker", "track_file " + st.cfg.name, std::to_string(st.last),
                                        std::to_string(value), detail});
  st.sent = true;
  st.last = value;
  st.last_detail = detail;
  track_update u{"file", st.cfg.name, true, value, detail};
  for (const auto& i : st.subscribers)
    self->send(i, track_atom::value, u);
}

tracker_actor::behavior_type file_tracker(file_tracker_self self, config::track_file cfg,
                                          std::vector<instance_actor> subscribers, int stopfd) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.subscribers = std::move(subscribers);
  st.stopfd = stopfd;
  // init_file: write the value when the file is missing, or always with overwrite.
  if (st.cfg.init_file) {
    bool exists = ::access(st.cfg.file.c_str(), F_OK) == 0;
    if (!exists || st.cfg.init_overwrite) {
      auto err = kern::write_number(st.cfg.file, st.cfg.init_value);
      if (!err.empty())
        log::error("VRRP_Track_File(%s): init_file %s: %s", st.cfg.name.c_str(),
                   st.cfg.file.c_str(), err.c_str());
    }
  }
  try {
    st.watch = std::make_unique<kern::file_watch>(st.cfg.file);
  } catch (const std::exception& e) {
    // Without a watch the value read now stays: said once, loudly.
    log::error("VRRP_Track_File(%s): %s: changes of %s will go unnoticed", st.cfg.name.c_str(),
               e.what(), st.cfg.file.c_str());
  }
  read_and_tell(self);
  if (st.watch)
    self->send(self, poll_atom::value);
  return {
    [=](poll_atom) {
      auto& st = self->state;
      pollfd fds[2] = {{st.watch->fd(), POLLIN, 0}, {st.stopfd, POLLIN, 0}};
      // No timeout: a file change or the daemon's stop ends the wait.
      int n = ::poll(fds, 2, -1);
      if (n > 0 && fds[1].revents)
        return self->quit();
      if (n > 0 && st.watch->drain())
        read_and_tell(self);
      self->send(self, poll_atom::value);
    },
  };
}

} // namespace

tracker_actor spawn_file_tracker(caf::actor_system& sys, const config::track_file& cfg,
                                 std::vector<instance_actor> subscribers, int stopfd) {
  return sys.spawn<caf::detached>(file_tracker, cfg, std::move(subscribers), stopfd);
}

} // namespace ka::act
