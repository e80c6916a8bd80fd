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

#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <system_error>
#include <thread>

#include "actors/spawn.hpp"
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

  impl(std::vector<watch_target> t) : targets(std::move(t)) {
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
    char buf[IF_NAMESIZE] = {};
    if (!if_indextoname(static_cast<unsigned>(ifindex), buf))
      return {};
    return names[ifindex] = buf;
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

  void route(const kern::addr_event& ev) {
    if (ev.added && all_vips.count(ev.addr))
      return;
    std::string name = name_of(ev.ifindex);
    if (name.empty()) {  // an interface we never knew: let everyone judge
      for (const auto& w : targets)
        caf::anon_send(w.handle, addr_atom::value, ev);
      return;
    }
    if (auto* ts = on(name))
      for (const auto* w : *ts)
        if (ev.added || std::find(w->vips.begin(), w->vips.end(), ev.addr) != w->vips.end())
          caf::anon_send(w->handle, addr_atom::value, ev);
  }

  void loop() {
    pthread_setname_np(pthread_self(), "ka-links");
    pollfd fds[2] = {{monitor.fd(), POLLIN, 0}, {stopfd, POLLIN, 0}};
    std::vector<kern::link_event> links;
    std::vector<kern::addr_event> addrs;
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
      if (!monitor.read(links, addrs))
        log::warning("link watcher: netlink notifications were lost (socket overrun)");
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

void link_watcher::stop() {
  if (!impl_->thread.joinable())
    return;
  std::uint64_t one = 1;
  (void)!::write(impl_->stopfd, &one, sizeof one);
  impl_->thread.join();
  ::close(impl_->stopfd);
}

} // namespace ka::act
