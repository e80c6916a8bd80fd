// The admin socket: a Unix stream socket speaking one JSON object per line. A thread of its
// own so that a slow or hostile client never holds an actor; it gathers state from the
// actors with blocking requests (a scoped_actor), each bounded by a timeout.
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <thread>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"
#include "kernel/unix_socket.hpp"

namespace ka::act {

namespace {
constexpr std::size_t max_request = 64 * 1024;
constexpr auto ask_timeout = std::chrono::seconds(1);

} // namespace

struct admin_server::impl {
  caf::actor_system& sys;
  std::unique_ptr<kern::unix_listener> listener_ptr;
  kern::unix_listener& listener;
  admin_targets targets;
  int stopfd = -1;
  std::thread thread;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  impl(caf::actor_system& s, std::unique_ptr<kern::unix_listener> l, admin_targets t)
    : sys(s), listener_ptr(std::move(l)), listener(*listener_ptr), targets(std::move(t)) {}

  struct client {
    std::string in, out;
    bool closing = false;
    bool discarding = false;  // inside an over-long line
  };
  std::map<int, client> clients;

  template <class Handle>
  json ask(caf::scoped_actor& self, const Handle& h) {
    json result;
    self->request(h, ask_timeout, status_atom::value)
      .receive([&](json& v) { result = std::move(v); },
               [&](caf::error& e) { result = proto::admin_error("no answer: " + to_string(e)); });
    return result;
  }

  json status() {
    caf::scoped_actor self{sys};
    json reply;
    reply["ok"] = true;
    json daemon = targets.daemon_info;
    daemon["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::steady_clock::now() - started).count();
    reply["daemon"] = daemon;
    json advert = ask(self, targets.advert);
    json instances = json::array();
    for (const auto& i : targets.instances) {
      json s = ask(self, i);
      if (s.contains("name") && s["name"].is_string() && advert.contains("instances")) {
        const json& per = advert["instances"];
        if (auto c = per.find(s["name"].get<std::string>()); c != per.end())
          s["counters"] = *c;
      }
      instances.push_back(std::move(s));
    }
    reply["instances"] = std::move(instances);
    if (advert.is_object())
      advert.erase("instances");
    reply["advert"] = std::move(advert);
    reply["scripts"] = ask(self, targets.scripts);
    reply["kernel"] = ask(self, targets.kernel);
    return reply;
  }

  json answer(const std::string& line) {
    json error;
    std::string cmd = proto::admin_command(line, error);
    if (cmd.empty())
      return error;
    if (cmd == "status")
      return status();
    if (cmd == "ping")
      return {{"ok", true}, {"pong", true}};
    return proto::admin_error("unknown command '" + cmd + "' (known: status, ping)");
  }

  // Answers every complete line in c.in. A line over the limit gets one error and is
  // skipped up to its newline; the connection stays usable (a client still writing the
  // rest of it must not meet a closed socket before it reads the answer).
  void take_lines(client& c) {
    for (;;) {
      std::size_t nl = c.in.find('\n');
      if (c.discarding) {
        if (nl == std::string::npos) {
          c.in.clear();
          return;
        }
        c.in.erase(0, nl + 1);
        c.discarding = false;
        continue;
      }
      if ((nl == std::string::npos ? c.in.size() : nl) > max_request) {
        c.out += proto::admin_line(proto::admin_error("request longer than 64 KiB; skipped to its end of line"));
        c.discarding = true;
        continue;
      }
      if (nl == std::string::npos)
        return;
      std::string line = c.in.substr(0, nl);
      c.in.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      if (line.find_first_not_of(" \t") != std::string::npos)
        c.out += proto::admin_line(answer(line));
    }
  }

  void on_readable(int fd, client& c) {
    char buf[4096];
    // At most 64 reads per wake-up: a client writing nonstop must not starve the others.
    for (int reads = 0; reads < 64; ++reads) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n == 0) {
        // The client is done sending (it may have only shut down its write side, as
        // `socat` and `nc -N` do): answer the complete lines it sent, then close.
        c.closing = true;
        return;
      }
      if (n < 0) {
        if (errno != EAGAIN && errno != EINTR) {
          c.closing = true;
          c.out.clear();
        }
        return;
      }
      c.in.append(buf, static_cast<std::size_t>(n));
      take_lines(c);  // per chunk: a client that never sends '\n' cannot grow c.in unbounded
    }
  }

  void flush(int fd, client& c) {
    while (!c.out.empty()) {
      ssize_t n = ::write(fd, c.out.data(), c.out.size());
      if (n < 0) {
        if (errno == EAGAIN)
          return;
        c.out.clear();
        c.closing = true;
        return;
      }
      c.out.erase(0, static_cast<std::size_t>(n));
    }
  }

  void loop() {
    pthread_setname_np(pthread_self(), "ka-admin");
    for (;;) {
      std::vector<pollfd> fds{{stopfd, POLLIN, 0}, {listener.fd(), POLLIN, 0}};
      for (auto& [fd, c] : clients)
        fds.push_back({fd, static_cast<short>((c.closing ? 0 : POLLIN) | (c.out.empty() ? 0 : POLLOUT)), 0});
      if (::poll(fds.data(), fds.size(), -1) < 0) {
        if (errno == EINTR)
          continue;
        log::error("admin: poll: %s", strerror(errno));
        return;
      }
      if (fds[0].revents)
        break;
      if (fds[1].revents & POLLIN)
        for (int fd; (fd = listener.accept()) >= 0;)
          clients[fd];
      for (std::size_t i = 2; i < fds.size(); ++i) {
        auto it = clients.find(fds[i].fd);
        if (it == clients.end())
          continue;
        if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
          on_readable(it->first, it->second);
        flush(it->first, it->second);
        if (it->second.closing && it->second.out.empty()) {
          ::close(it->first);
          clients.erase(it);
        }
      }
    }
    for (auto& [fd, c] : clients)
      ::close(fd);
    clients.clear();
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

void admin_server::stop() {
  if (!impl_->thread.joinable())
    return;
  std::uint64_t one = 1;
  (void)!::write(impl_->stopfd, &one, sizeof one);
  impl_->thread.join();
  ::close(impl_->stopfd);
}

} // namespace ka::act
