// The admin socket: a Unix stream socket speaking one JSON object per line. A thread of its
// own so that a slow or hostile client never holds an actor. What one client may cost is
// bounded (limits below, README "Admin socket"): peers are checked with SO_PEERCRED,
// clients are counted, each client's unread replies and unfinished line are capped in size
// and time, and requests are answered one per client per round, so that clients that send
// without reading delay a well-behaved one by at most a few status replies.
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "actors/admin_commands.hpp"  // garp, priority, stats, instances
#include "actors/event_bus.hpp"       // watch
#include "actors/missing_interfaces.hpp"
#include "actors/spawn.hpp"
#include "actors/status_gather.hpp"
#include "actors/supervisor.hpp"  // supervision: fault injection
#include "parser/dump.hpp"
#include "kernel/log.hpp"
#include "kernel/unix_socket.hpp"

namespace ka::act {

namespace {

using clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr std::size_t max_request = 64 * 1024;    // one request line
constexpr std::size_t max_clients = 32;           // connected at once; more are turned away
constexpr std::size_t out_low = 64 * 1024;        // unread replies over this: requests wait
constexpr std::size_t out_high = 1024 * 1024;     // unread replies over this: disconnected
// (beyond the last reply itself: one `config` of a big configuration may be larger)
constexpr auto stall_timeout = 5s;    // unread replies that see no byte taken: disconnected
constexpr auto partial_timeout = 5s;  // a begun request line must end within this
constexpr auto idle_timeout = 60s;    // no byte either way: disconnected
// Every actor is asked at once and each request expires at this deadline, so a status
// takes at most about this long however many instances there are (README "Admin socket").
constexpr auto status_deadline = 1s;
constexpr std::size_t read_chunk = 4096;
// watch: events waiting for one watcher in the bus's sink, beyond what its socket and
// `out_low` of unread lines hold; more are dropped and counted ("lost" line).
constexpr std::size_t watch_queue = 256;

// One line to a socket that is being turned away or closed; best effort, never blocks.
void say_and_close(int fd, const std::string& why) {
  std::string line = proto::admin_line(proto::admin_error(why));
  (void)!::send(fd, line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::close(fd);
}
} // namespace

struct admin_server::impl {
  caf::actor_system& sys;
  std::unique_ptr<kern::unix_listener> listener_ptr;
  kern::unix_listener& listener;
  admin_targets targets;
  int stopfd = -1;
  std::shared_ptr<event_wake> events_wake = std::make_shared<event_wake>();  // watch: the sinks write it
  admin_commands commands{sys, targets, {}};
  std::thread thread;
  clock::time_point started = clock::now();

  impl(caf::actor_system& s, std::unique_ptr<kern::unix_listener> l, admin_targets t)
    : sys(s), listener_ptr(std::move(l)), listener(*listener_ptr), targets(std::move(t)) {}

  struct client {
    std::string in, out;
    bool eof = false;          // the client sent all it will: answer its lines, then close
    bool discarding = false;   // inside an over-long line
    std::size_t last_reply = 0;  // size of the last reply queued
    clock::time_point last_io;
    clock::time_point out_progress;              // last byte taken, or replies queued
    std::optional<clock::time_point> partial_since;  // waiting for the end of a line
    // watch: set once the client watches; it then only receives events (what it sends is
    // read and dropped, to see it go), and no idle limit applies.
    event_sink_ptr watch;
    bool has_line() const { return !watch && !discarding && in.find('\n') != std::string::npos; }
    bool may_read() const { return !eof && !has_line() && (watch || out.size() <= out_low); }
    bool may_answer() const { return has_line() && out.size() <= out_low; }
  };
  std::map<int, client> clients;

  // ---- answers ------------------------------------------------------------------------

  json status() {
    json reply = gather_status(sys, targets, started, status_deadline);
    commands.add_to_status(reply);  // the event bus's counters
    return reply;
  }

  // reload: set_targets() swaps them while no answer reads them.
  std::mutex targets_mu;

  json answer(const std::string& line) {
    json error;
    std::string cmd = proto::admin_command(line, error);
    if (cmd.empty())
      return error;
    if (cmd == "reload") {  // not under targets_mu: the reload sets the targets
      std::function<json()> reload;
      {
        std::lock_guard<std::mutex> lock(targets_mu);
        reload = targets.reload;
      }
      return reload ? reload() : proto::admin_error("reload is not available");
    }
    std::lock_guard<std::mutex> lock(targets_mu);
    if (cmd == "status")
      return status();
    if (cmd == "ping")
      return {{"ok", true}, {"pong", true}};
    if (cmd == "config")
      return {{"ok", true}, {"config", json(*targets.config)}};
    if (cmd == "fault")  // supervision tests only: refused unless enabled (actors/supervisor.hpp)
      return fault_command(line);
    if (auto r = commands.answer(cmd, line))
      return *r;
    if (cmd.size() > 64)
      cmd = cmd.substr(0, 64) + "...";
    return proto::admin_error("unknown command '" + cmd + "' (known: status, config, ping, reload, "
                              + admin_commands::names() + ")");
  }

  // ---- one client ---------------------------------------------------------------------

  // Starts or stops the clock of a request line the client has begun and not ended.
  static void note_partial(client& c, clock::time_point now) {
    bool waiting = (c.discarding || !c.in.empty()) && c.in.find('\n') == std::string::npos;
    if (!waiting)
      c.partial_since.reset();
    else if (!c.partial_since)
      c.partial_since = now;
  }

  void queue(client& c, const json& reply, clock::time_point now) {
    if (c.out.empty())
      c.out_progress = now;
    std::string line = proto::admin_line(reply);
    c.last_reply = line.size();
    c.out += line;
  }

  // One read. A line over the limit gets one error and is skipped up to its newline; the
  // connection stays usable (a client still writing the rest of it must not meet a
  // closed socket before it reads the answer). False: the connection is broken.
  bool read_some(int fd, client& c, clock::time_point now) {
    char buf[read_chunk];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0)
      return errno == EAGAIN || errno == EINTR;
    c.last_io = now;
    if (c.watch && n > 0)
      return true;  // a watcher's input is not read as requests
    if (n == 0) {
      // Done sending (it may have only shut down its write side, as `socat` and `nc -N`
      // do): answer the complete lines it sent, then close.
      c.eof = true;
      return true;
    }
    std::string_view got(buf, static_cast<std::size_t>(n));
    if (c.discarding) {
      std::size_t nl = got.find('\n');
      if (nl == std::string_view::npos)
        return true;
      got.remove_prefix(nl + 1);
      c.discarding = false;
    }
    c.in.append(got);
    std::size_t nl = c.in.find('\n');
    if ((nl == std::string::npos ? c.in.size() : nl) > max_request) {
      queue(c, proto::admin_error("request longer than 64 KiB; skipped to its end of line"), now);
      std::size_t end = c.in.find('\n', max_request);
      c.discarding = end == std::string::npos;
      c.in.erase(0, c.discarding ? c.in.size() : end + 1);
    }
    note_partial(c, now);
    return true;
  }

  // Answers the client's first complete line.
  void answer_one(client& c, clock::time_point now) {
    std::size_t nl = c.in.find('\n');
    std::string line = c.in.substr(0, nl);
    c.in.erase(0, nl + 1);
    note_partial(c, now);
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos)
      return;
    if (start_watch(c, line, now))
      return;
    json reply;
    try {
      reply = answer(line);
    } catch (const std::exception& e) {
      reply = proto::admin_error(std::string("internal error: ") + e.what());
    }
    queue(c, reply, clock::now());
  }

  // watch: {"cmd":"watch"} makes the client a watcher: it is subscribed to the event bus
  // and gets one JSON line per event from now on. False: the line is another request.
  bool start_watch(client& c, const std::string& line, clock::time_point now) {
    json error;
    if (proto::admin_command(line, error) != "watch")
      return false;
    auto bus = event_bus(sys);
    if (!bus) {
      queue(c, proto::admin_error("no event bus in this daemon"), now);
      return true;
    }
    c.watch = std::make_shared<event_sink>(events_wake, watch_queue);
    c.in.clear();
    c.partial_since.reset();
    caf::anon_send(bus, watch_atom::value, c.watch);
    queue(c, {{"ok", true}, {"watching", true}}, now);
    return true;
  }

  // watch: a watcher's new events into its unread lines, unless those are over `out_low`
  // already (then they wait in its sink, which drops and counts beyond watch_queue).
  void feed_watchers(clock::time_point now) {
    for (auto& [fd, c] : clients)
      if (c.watch && c.out.size() <= out_low)
        for (auto& line : c.watch->take()) {
          if (c.out.empty())
            c.out_progress = now;
          c.out += line;
        }
  }

  // False: the connection is broken.
  bool flush(int fd, client& c, clock::time_point now) {
    while (!c.out.empty()) {
      ssize_t n = ::send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0)
        return errno == EAGAIN || errno == EINTR;
      c.out.erase(0, static_cast<std::size_t>(n));
      c.last_io = c.out_progress = now;
    }
    return true;
  }

  // Why the client must go now, or "" to keep it. `tell` says whether it may be told.
  static const char* limit_hit(const client& c, clock::time_point now, bool& tell) {
    tell = false;
    if (c.out.size() > out_high + c.last_reply)
      return "more than 1 MiB of replies left unread";
    if (!c.out.empty() && now - c.out_progress > stall_timeout)
      return "replies left unread for 5 s";
    tell = true;
    if (c.partial_since && now - *c.partial_since > partial_timeout)
      return "request line not completed within 5 s";
    if (!c.watch && now - c.last_io > idle_timeout)
      return "idle for 60 s";
    return "";
  }

  // When the next limit of this client falls due.
  static clock::time_point next_deadline(const client& c) {
    clock::time_point t = c.watch ? clock::time_point::max() : c.last_io + idle_timeout;
    if (!c.out.empty())
      t = std::min(t, c.out_progress + stall_timeout);
    if (c.partial_since)
      t = std::min(t, *c.partial_since + partial_timeout);
    return t;
  }

  // ---- the listener -------------------------------------------------------------------

  // Root (or the daemon's own user), or a member of the admin group when there is one.
  // "" when the peer may stay.
  std::string refusal(int fd) {
    kern::peer_credentials peer;
    if (!kern::peer_of(fd, peer))
      return std::string("cannot read the peer's credentials: ") + strerror(errno);
    if (peer.uid == 0 || peer.uid == ::geteuid())
      return {};
    auto group = listener.group();
    if (group && peer.in_group(*group))
      return {};
    std::string who = "uid " + std::to_string(peer.uid) + " (pid " + std::to_string(peer.pid) + ")";
    return group ? "permission denied: " + who + " is neither root nor in the admin group (gid " +
                     std::to_string(*group) + ")"
                 : "permission denied: " + who + " is not root (no admin_group configured)";
  }

  void accept_all(clock::time_point now) {
    for (int fd; (fd = listener.accept()) >= 0;) {
      if (std::string why = refusal(fd); !why.empty()) {
        log::warning("admin: refused a client: %s", why.c_str());
        say_and_close(fd, why);
      } else if (clients.size() >= max_clients) {
        say_and_close(fd, "too many clients (" + std::to_string(max_clients) + "); try again later");
      } else {
        client& c = clients[fd];
        c.last_io = c.out_progress = now;
      }
    }
  }

  // ---- the loop -----------------------------------------------------------------------

  void round() {
    std::vector<pollfd> fds{{stopfd, POLLIN, 0}, {listener.fd(), POLLIN, 0}, {events_wake->fd, POLLIN, 0}};
    clock::time_point now = clock::now();
    clock::time_point wake = now + idle_timeout;
    for (auto& [fd, c] : clients) {
      short ev = static_cast<short>((c.may_read() ? POLLIN : 0) | (c.out.empty() ? 0 : POLLOUT));
      fds.push_back({fd, ev, 0});
      wake = std::min(wake, c.may_answer() ? now : next_deadline(c));
    }
    auto ms = std::chrono::ceil<std::chrono::milliseconds>(wake - now).count();
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(0, ms))) < 0) {
      if (errno == EINTR)
        return;
      throw std::system_error(errno, std::generic_category(), "poll");
    }
    if (fds[0].revents) {
      stopping = true;
      return;
    }
    now = clock::now();
    if (fds[1].revents & POLLIN)
      accept_all(now);
    if (fds[2].revents & POLLIN) {
      std::uint64_t count;
      (void)!::read(events_wake->fd, &count, sizeof count);
    }
    feed_watchers(now);
    for (std::size_t i = 3; i < fds.size(); ++i) {
      auto it = clients.find(fds[i].fd);
      if (it == clients.end())
        continue;
      client& c = it->second;
      bool alive = true;
      if ((fds[i].events & POLLIN) && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        alive = read_some(it->first, c, now);
      if (alive && c.may_answer())
        answer_one(c, now);
      alive = alive && flush(it->first, c, now);
      bool tell = false;
      const char* why = alive ? limit_hit(c, now, tell) : "";
      if (*why) {
        log::info("admin: closing a client: %s", why);
        if (tell)
          say_and_close(it->first, why);
        else
          ::close(it->first);
        clients.erase(it);
      } else if (!alive || (c.eof && !c.has_line() && c.out.empty() && !c.watch)
                 || (c.watch && c.eof && (fds[i].revents & (POLLHUP | POLLERR)))) {
        // (a watcher that only shut down its sending side still gets its events)
        ::close(it->first);
        clients.erase(it);
      }
    }
  }

  bool stopping = false;

  void drop_all() {
    for (auto& [fd, c] : clients)
      ::close(fd);
    clients.clear();
  }

  void loop() {
    pthread_setname_np(pthread_self(), "ka-admin");
    while (!stopping) {
      // Nothing may end this thread but stop(): a failure costs the clients, not the daemon.
      try {
        round();
        continue;
      } catch (const std::exception& e) {
        log::error("admin: %s; dropping every client", e.what());
      } catch (...) {
        log::error("admin: unknown failure; dropping every client");
      }
      drop_all();
      std::this_thread::sleep_for(100ms);
    }
    drop_all();
  }
};

admin_server::admin_server(caf::actor_system& sys, std::unique_ptr<kern::unix_listener> listener,
                           admin_targets targets)
  : impl_(std::make_unique<impl>(sys, std::move(listener), std::move(targets))) {
  impl_->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (impl_->stopfd < 0)
    throw std::system_error(errno, std::generic_category(), "eventfd");
  impl* raw = impl_.get();
  impl_->thread = std::thread([raw] { raw->loop(); });
}

admin_server::~admin_server() { stop(); }

void admin_server::set_targets(admin_targets targets) {
  std::lock_guard<std::mutex> lock(impl_->targets_mu);
  impl_->targets = std::move(targets);
}

void admin_server::stop() {
  if (!impl_->thread.joinable())
    return;
  std::uint64_t one = 1;
  (void)!::write(impl_->stopfd, &one, sizeof one);
  impl_->thread.join();
  ::close(impl_->stopfd);
}

} // namespace ka::act
