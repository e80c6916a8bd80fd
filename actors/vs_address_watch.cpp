#include "actors/vs_address_watch.hpp"

#include <caf/send.hpp>

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <system_error>
#include <thread>
#include <utility>

#include "kernel/log.hpp"

namespace ka::act {

struct vs_address_watch::impl {
  std::vector<suspend_target> targets;
  kern::netlink_monitor monitor;            // opened before the first snapshot: no gap
  std::set<std::pair<int, proto::ip_address>> held;  // watched addresses present, by link
  std::vector<bool> active;                 // per target, as last told
  int stopfd = -1;
  std::thread thread;

  bool watched(const proto::ip_address& a) const {
    for (const auto& t : targets)
      for (const auto& x : t.addrs)
        if (x == a) return true;
    return false;
  }

  void note(const kern::addr_event& ev) {
    if (!watched(ev.addr)) return;
    if (ev.added)
      held.insert({ev.ifindex, ev.addr});
    else
      held.erase({ev.ifindex, ev.addr});
  }

  // Tells each pool whose state changed (all of them the first time: `force`).
  void tell(bool force) {
    for (std::size_t i = 0; i < targets.size(); ++i) {
      bool on = false;
      for (const auto& [ifindex, a] : held)
        for (const auto& x : targets[i].addrs)
          on = on || a == x;
      if (!force && on == active[i]) continue;
      active[i] = on;
      caf::anon_send(targets[i].pool, suspend_atom::value, on);
    }
  }

  // The host's addresses as they are now (at start, and after lost notifications).
  void reread() {
    std::vector<kern::link_event> links;
    std::vector<kern::addr_event> addrs;
    if (!kern::netlink_monitor::snapshot(links, addrs)) {
      log::error("ha_suspend: cannot read the host's addresses: virtual servers' checks may stay suspended");
      return;
    }
    held.clear();
    for (const auto& ev : addrs) note(ev);
  }

  void loop() {
    pthread_setname_np(pthread_self(), "ka-vs-addrs");
    pollfd fds[2] = {{monitor.fd(), POLLIN, 0}, {stopfd, POLLIN, 0}};
    std::vector<kern::link_event> links;
    std::vector<kern::addr_event> addrs;
    for (;;) {
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        log::error("ha_suspend: poll: %s", strerror(errno));
        return;
      }
      if (fds[1].revents) return;
      links.clear();
      addrs.clear();
      if (monitor.read(links, addrs)) {
        for (const auto& ev : addrs) note(ev);
      } else {
        reread();  // ENOBUFS: events were lost
      }
      tell(false);
    }
  }
};

vs_address_watch::vs_address_watch(std::vector<suspend_target> targets) : impl_(new impl) {
  impl_->targets = std::move(targets);
  impl_->active.assign(impl_->targets.size(), false);
  impl_->reread();
  impl_->tell(true);
  impl_->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (impl_->stopfd < 0)
    throw std::system_error(errno, std::generic_category(), "eventfd");
  impl* raw = impl_.get();
  impl_->thread = std::thread([raw] { raw->loop(); });
}

vs_address_watch::~vs_address_watch() { stop(); }

void vs_address_watch::stop() {
  if (!impl_->thread.joinable()) return;
  std::uint64_t one = 1;
  (void)!::write(impl_->stopfd, &one, sizeof one);
  impl_->thread.join();
  ::close(impl_->stopfd);
}

} // namespace ka::act
