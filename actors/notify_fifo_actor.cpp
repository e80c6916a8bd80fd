// The notify FIFO actor: one per configured FIFO (global_defs notify_fifo,
// vrrp_notify_fifo). Instances and sync groups send it one line per transition in
// keepalived's format (`INSTANCE "VI_1" MASTER 100`, `GROUP "G1" MASTER 0`); it writes
// them without ever blocking (kern::fifo_writer: a full pipe drops the line, counted in
// `dropped` of its status), so a FIFO with no reader or a slow one never holds a
// transition. It starts the FIFO's script (notify_fifo_script) with the FIFO's path as its
// last argument, as keepalived does, and stops it when the daemon stops.
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <memory>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"
#include "kernel/notify_fifo.hpp"
#include "kernel/process.hpp"

namespace ka::act {
namespace {

struct fifo_state {
  std::string path;
  std::unique_ptr<kern::fifo_writer> writer;
  std::string error;                // why the FIFO is not open; lines are dropped then
  std::uint64_t written = 0, dropped = 0, failed = 0;
  bool warned_full = false;
  std::vector<std::string> script;  // argv, FIFO path last
  kern::child_process child;
  bool script_running = false;
  ~fifo_state() {
    // The script reads the FIFO for the daemon's life: it ends with it.
    if (script_running) kern::reap_process(child, true);
  }
  static constexpr const char* name = "notify_fifo";
};

using fifo_self = notify_fifo_actor::stateful_pointer<fifo_state>;

notify_fifo_actor::behavior_type fifo_behavior(fifo_self self, config::file_as fifo,
                                               std::optional<config::file_as> script,
                                               std::optional<kern::credentials> script_as) {
  auto& st = self->state;
  st.path = fifo.path;
  st.writer = std::make_unique<kern::fifo_writer>();
  st.error = st.writer->open(fifo.path, fifo.as.user, fifo.as.group);
  if (!st.error.empty())
    log::error("notify FIFO: %s; its lines are dropped", st.error.c_str());
  if (script && st.error.empty()) {
    st.script = kern::split_command(script->path);
    st.script.push_back(fifo.path);
    // Its user, else script_user's default (actors/script_users.cpp).
    if (int err = kern::spawn_process(st.script, st.child, script_as ? &*script_as : nullptr); err != 0)
      log::error("notify FIFO script %s: cannot start: %s", script->path.c_str(), strerror(err));
    else
      st.script_running = true;
  }
  return {
    [=](fifo_atom, const std::string& line) {
      auto& st = self->state;
      switch (st.writer->write_line(line)) {
        case kern::fifo_writer::result::written:
          ++st.written;
          st.warned_full = false;
          break;
        case kern::fifo_writer::result::dropped:
          if (!st.warned_full)  // once per full spell, not once per line
            log::warning("notify FIFO %s is full (no reader, or a slow one): dropping lines",
                         st.path.c_str());
          st.warned_full = true;
          ++st.dropped;
          break;
        case kern::fifo_writer::result::error:
          ++st.failed;
          break;
      }
    },
    [=](status_atom) {
      auto& st = self->state;
      json v;
      v["path"] = st.path;
      v["open"] = st.writer->is_open();
      if (!st.error.empty()) v["error"] = st.error;
      v["written"] = st.written;
      v["dropped"] = st.dropped;
      v["failed"] = st.failed;
      v["script_pid"] = st.script_running ? json(st.child.pid) : json();
      return v;
    },
  };
}

} // namespace

notify_fifo_actor spawn_notify_fifo_actor(caf::actor_system& sys, const config::file_as& fifo,
                                          const std::optional<config::file_as>& script,
                                          std::optional<kern::credentials> script_as) {
  return sys.spawn(fifo_behavior, fifo, script, std::move(script_as));
}

} // namespace ka::act
