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
#include <system_error>
#include <thread>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"

namespace ka::act {

struct link_watcher::impl {
  std::vector<instance_actor> instances;
  kern::netlink_monitor monitor;
  int stopfd = -1;
  std::thread thread;

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
        for (const auto& i : instances)
          caf::anon_send(i, link_atom::value, ev);
      for (const auto& ev : addrs)
        for (const auto& i : instances)
          caf::anon_send(i, addr_atom::value, ev);
    }
  }
};

link_watcher::link_watcher(std::vector<instance_actor> instances)
  : impl_(new impl{std::move(instances), kern::netlink_monitor(), -1, std::thread()}) {
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
