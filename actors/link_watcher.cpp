// The link watcher: a plain thread reading rtnetlink notifications and telling every
// instance about link and address changes. It only reads; writes stay with the kernel actor.
#include <caf/send.hpp>

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <set>
#include <system_error>
#include <thread>
#include <tuple>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"

namespace ka::act {

struct link_watcher::impl {
  std::vector<instance_actor> instances;
  kern::netlink_monitor monitor;
  int stopfd = -1;
  std::thread thread;
  // Every address the kernel has, as last heard: after an overrun, a fresh dump compared
  // with it gives the address events that were lost.
  using addr_key = std::tuple<int, proto::ip_address, int>;
  std::set<addr_key> known;
  std::uint64_t resyncs = 0;

  static addr_key key(const kern::addr_event& ev) { return {ev.ifindex, ev.addr, ev.prefix_len}; }

  void remember(const std::vector<kern::addr_event>& addrs) {
    for (const auto& ev : addrs) {
      if (ev.added)
        known.insert(key(ev));
      else
        known.erase(key(ev));
    }
  }

  // Notifications were lost (ENOBUFS): re-read links and addresses and tell every instance
  // what is true now, as the events it missed. Instances ignore links that did not change.
  void resync(std::vector<kern::link_event>& links, std::vector<kern::addr_event>& addrs) {
    std::vector<kern::link_event> now_links;
    std::vector<kern::addr_event> now_addrs;
    if (!kern::netlink_monitor::snapshot(now_links, now_addrs)) {
      log::error("link watcher: netlink notifications were lost and re-reading the state "
                 "failed: changes may go unnoticed");
      return;
    }
    ++resyncs;
    std::set<addr_key> now;
    for (const auto& ev : now_addrs)
      now.insert(key(ev));
    links = std::move(now_links);
    addrs.clear();
    for (const auto& k : known)
      if (!now.count(k))
        addrs.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), false});
    for (const auto& k : now)
      if (!known.count(k))
        addrs.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), true});
    known = std::move(now);
    log::warning("link watcher: netlink notifications were lost (socket overrun); state "
                 "re-read: %zu links, %zu address changes found (resync %llu)", links.size(),
                 addrs.size(), static_cast<unsigned long long>(resyncs));
  }

  void loop() {
    pthread_setname_np(pthread_self(), "ka-links");
    pollfd fds[2] = {{monitor.fd(), POLLIN, 0}, {stopfd, POLLIN, 0}};
    std::vector<kern::link_event> links;
    std::vector<kern::addr_event> addrs;
    if (kern::netlink_monitor::snapshot(links, addrs))
      remember(addrs);
    for (;;) {
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR)
          continue;
        log::error("link watcher: poll: %s", strerror(errno));
        return;
      }
      if (fds[1].revents)
        return;
      links.clear();
      addrs.clear();
      if (monitor.read(links, addrs))
        remember(addrs);
      else
        resync(links, addrs);
      for (const auto& ev : links)
        for (const auto& i : instances)
          caf::anon_send(i, link_atom::value, ev);
      for (const auto& ev : addrs)
        for (const auto& i : instances)
          caf::anon_send(i, addr_atom::value, ev);
    }
  }
};

link_watcher::link_watcher(std::vector<instance_actor> instances)
  : impl_(new impl{std::move(instances), kern::netlink_monitor(), -1, std::thread(), {}, 0}) {
  impl_->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (impl_->stopfd < 0)
    throw std::system_error(errno, std::generic_category(), "eventfd");
  impl* raw = impl_.get();
  impl_->thread = std::thread([raw] { raw->loop(); });
}

link_watcher::~link_watcher() { stop(); }

void link_watcher::stop() {
  if (!impl_->thread.joinable())
    return;
  std::uint64_t one = 1;
  (void)!::write(impl_->stopfd, &one, sizeof one);
  impl_->thread.join();
  ::close(impl_->stopfd);
}

} // namespace ka::act
