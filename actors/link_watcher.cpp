// The link watcher: a plain thread reading rtnetlink notifications and telling instances
// about link and address changes. It only reads; writes stay with the kernel actor.
//
// Routing: an event goes only to the instances on the interface it concerns, never to all.
// With 1,000 instances a master adding its 1,000 VIPs used to send 1,000 x 1,000 messages.
//  - link events: to the instances configured on that interface name (and on the name the
//    ifindex had before, should it have been renamed);
//  - address added: to the instances on that interface (one waiting for an IPv4 address,
//    or following a re-created interface), except for addresses that are some instance's
//    VIP: those are our own adds (a VIP is never an instance's primary address);
//  - address deleted: only to the instances holding that VIP on that interface.
#include <caf/send.hpp>

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>
#include <tuple>

#include "actors/spawn.hpp"
#include "kernel/ifname.hpp"
#include "kernel/log.hpp"

namespace ka::act {

struct link_watcher::impl {
  std::vector<watch_target> targets;
  std::map<std::string, std::vector<const watch_target*>> by_name;
  std::set<proto::ip_address> all_vips;
  std::map<int, std::string> names;  // ifindex -> name, learnt from events and the kernel
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

  // reload: the targets are replaced while the thread runs; it routes under this lock.
  std::mutex targets_mu;

  impl(std::vector<watch_target> t) { set(std::move(t)); }

  void set(std::vector<watch_target> t) {
    targets = std::move(t);
    by_name.clear();
    all_vips.clear();
    for (const auto& w : targets) {
      by_name[w.ifname].push_back(&w);
      all_vips.insert(w.vips.begin(), w.vips.end());
    }
  }

  const std::vector<const watch_target*>* on(const std::string& name) const {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : &it->second;
  }

  // The name of an ifindex; empty when the interface is gone and never seen.
  std::string name_of(int ifindex) {
    if (auto it = names.find(ifindex); it != names.end())
      return it->second;
    std::string name = kern::interface_name(ifindex);
    if (name.empty())
      return {};
    return names[ifindex] = name;
  }

  void send_link(const std::string& name, const kern::link_event& ev) {
    if (auto* ts = on(name))
      for (const auto* w : *ts)
        caf::anon_send(w->handle, link_atom::value, ev);
  }

  void route(const kern::link_event& ev) {
    std::string before = name_of(ev.ifindex);
    names[ev.ifindex] = ev.name;
    send_link(ev.name, ev);
    if (!before.empty() && before != ev.name)
      send_link(before, ev);
  }

  // A virtual address, added or removed, concerns only the instances that hold it (each
  // reports what the kernel holds); another address added on an interface concerns all of
  // that interface's instances (one may be waiting for an IPv4 address to start).
  void route(const kern::addr_event& ev) {
    std::string name = name_of(ev.ifindex);
    if (name.empty()) {  // an interface we never knew: let everyone judge
      for (const auto& w : targets)
        caf::anon_send(w.handle, addr_atom::value, ev);
      return;
    }
    const bool vip = all_vips.count(ev.addr) > 0;
    if (auto* ts = on(name))
      for (const auto* w : *ts)
        if (vip ? std::find(w->vips.begin(), w->vips.end(), ev.addr) != w->vips.end() : ev.added)
          caf::anon_send(w->handle, addr_atom::value, ev);
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
      std::lock_guard<std::mutex> lock(targets_mu);
      for (const auto& ev : links)
        route(ev);
      for (const auto& ev : addrs)
        route(ev);
    }
  }
};

link_watcher::link_watcher(std::vector<watch_target> targets)
  : impl_(new impl(std::move(targets))) {
  impl_->stopfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (impl_->stopfd < 0)
    throw std::system_error(errno, std::generic_category(), "eventfd");
  impl* raw = impl_.get();
  impl_->thread = std::thread([raw] { raw->loop(); });
}

link_watcher::~link_watcher() { stop(); }

void link_watcher::set_targets(std::vector<watch_target> targets) {
  std::lock_guard<std::mutex> lock(impl_->targets_mu);
  impl_->set(std::move(targets));
}

void link_watcher::stop() {
  if (!impl_->thread.joinable())
    return;
  std::uint64_t one = 1;
  (void)!::write(impl_->stopfd, &one, sizeof one);
  impl_->thread.join();
  ::close(impl_->stopfd);
}

} // namespace ka::act
