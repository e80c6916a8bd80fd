// The advert actor: the timing-sensitive part of VRRP on a thread of its own.
// Why not a plain CAF actor: every CAF timer fires from one clock thread, so delayed_send
// lateness follows the whole system's load (docs/caf-notes.md: p99 195 us scheduled vs
// 61 us here, and 0.4 s behind under a saturated scheduler). This thread owns the VRRP
// sockets and one timerfd in epoll, runs at SCHED_FIFO, and carries a CAF identity
// (actor_companion) whose mailbox is drained when an eventfd says mail arrived.
#include <caf/actor_cast.hpp>
#include <caf/actor_companion.hpp>
#include <caf/actor_system.hpp>
#include <caf/scoped_execution_unit.hpp>
#include <caf/send.hpp>

#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"
#include "kernel/vrrp_socket.hpp"
#include "protocol/log_thinner.hpp"

namespace ka::act {

using proto::rx_error;
using proto::time_point;
constexpr int rt_priority = 10;                  // SCHED_FIFO level, below kernel threads
constexpr std::size_t lateness_samples = 4096;   // ring of recent send lateness values
constexpr std::uint64_t tag_mail = 1, tag_timer = 2, tag_socket_base = 16;
constexpr std::size_t n_reasons = static_cast<std::size_t>(rx_error::count);

using reason_counts = std::array<std::uint64_t, n_reasons>;
// Drop lines thinned by time, per reason: the first, then one summary per 10 s.
using reason_logs = std::array<proto::log_thinner, n_reasons>;

struct advert_thread::impl {
  struct instance {
    instance_registration reg;
    bool sending = false;
    std::vector<std::uint8_t> packet;
    proto::duration interval{};
    time_point next_send{};
    std::optional<time_point> down_at;
    std::uint64_t down_token = 0;
    std::uint64_t sent = 0, received = 0, send_errors = 0, down_fired = 0;
    reason_counts bad{};
    reason_logs bad_log{};
  };

  caf::actor_system& sys;
  caf::scoped_execution_unit unit;
  caf::strong_actor_ptr companion;
  int epfd = -1, mailfd = -1, timerfd = -1;
  std::mutex inbox_mutex;
  std::vector<caf::mailbox_element_ptr> inbox;
  std::atomic<bool> quit{false};
  std::thread thread;
  std::string sched_policy = "SCHED_OTHER";

  std::map<int, std::unique_ptr<kern::vrrp_socket_v4>> sockets;  // by ifindex
  std::map<std::uint32_t, instance> instances;                    // by instance id
  reason_counts unattributed{};
  reason_logs unattributed_log{};
  std::vector<std::int64_t> lateness_us;                          // ring buffer
  std::size_t lateness_next = 0;
  std::uint64_t scheduled_sends = 0;
  std::int64_t lateness_max_us = 0;

  explicit impl(caf::actor_system& s) : sys(s), unit(&s) {}

  caf::actor_companion* self() {
    return static_cast<caf::actor_companion*>(caf::actor_cast<caf::abstract_actor*>(companion));
  }

  void epoll_add(int fd, std::uint64_t tag) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = tag;
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
      throw std::system_error(errno, std::generic_category(), "epoll_ctl");
  }

  // ---- sending and timers ----------------------------------------------------

  bool transmit(instance& in, const std::vector<std::uint8_t>& pkt) {
    auto it = sockets.find(in.reg.ifindex);
    int err = it == sockets.end() ? ENODEV : it->second->send(pkt);
    if (err == 0) {
      ++in.sent;
      return true;
    }
    // One line per failure burst, not per second: a down interface fails every advert.
    if (in.send_errors++ % 60 == 0)
      log::warning("VRRP_Instance(%s): sending advert: %s", in.reg.name.c_str(), strerror(err));
    return false;
  }

  void record_lateness(std::chrono::nanoseconds late) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(late).count();
    if (lateness_us.size() < lateness_samples)
      lateness_us.push_back(us);
    else
      lateness_us[lateness_next] = us;
    lateness_next = (lateness_next + 1) % lateness_samples;
    lateness_max_us = std::max(lateness_max_us, us);
    ++scheduled_sends;
  }

  void run_due(time_point now) {
    for (auto& [id, in] : instances) {
      if (in.sending && in.next_send <= now) {
        record_lateness(now - in.next_send);
        transmit(in, in.packet);
        in.next_send += in.interval;
        if (in.next_send <= now)  // we fell behind: resume the rhythm, do not burst
          in.next_send = now + in.interval;
      }
      if (in.down_at && *in.down_at <= now) {
        in.down_at.reset();
        ++in.down_fired;
        caf::anon_send(in.reg.handle, down_atom::value, in.down_token);
      }
    }
  }

  void rearm() {
    std::optional<time_point> next;
    auto consider = [&](time_point t) { if (!next || t < *next) next = t; };
    for (auto& [id, in] : instances) {
      if (in.sending)
        consider(in.next_send);
      if (in.down_at)
        consider(*in.down_at);
    }
    itimerspec its{};
    if (next) {
      // steady_clock is CLOCK_MONOTONIC on Linux, so its epoch is the timerfd's.
      auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(next->time_since_epoch()).count();
      if (ns <= 0)
        ns = 1;
      its.it_value.tv_sec = ns / 1000000000;
      its.it_value.tv_nsec = ns % 1000000000;
    }
    timerfd_settime(timerfd, TFD_TIMER_ABSTIME, &its, nullptr);
  }

  // ---- receiving ----------------------------------------------------------------

  instance* find(int ifindex, std::uint8_t vrid) {
    for (auto& [id, in] : instances)
      if (in.reg.ifindex == ifindex && in.reg.expect.vrid == vrid)
        return &in;
    return nullptr;
  }

  void count_bad(instance* in, rx_error e, const proto::ip_address& src, time_point now) {
    const auto i = static_cast<std::size_t>(e);
    ++(in ? in->bad : unattributed)[i];
    auto v = (in ? in->bad_log : unattributed_log)[i].on_event(now);
    if (!v.log)  // a flood must not flood the log: the counters have every drop
      return;
    std::string who = in ? "VRRP_Instance(" + in->reg.name + ")" : std::string("advert");
    if (v.suppressed == 0)
      log::warning("%s: dropped advert from %s: %s", who.c_str(), src.to_string().c_str(),
                   proto::to_string(e));
    else
      log::warning("%s: dropped advert from %s: %s (and %llu more %s drops not logged "
                   "since the last line)", who.c_str(), src.to_string().c_str(),
                   proto::to_string(e), static_cast<unsigned long long>(v.suppressed),
                   proto::to_string(e));
  }

  void receive(kern::vrrp_socket_v4& sock) {
    std::uint8_t buf[2048];
    for (;;) {
      long n = sock.receive(buf, sizeof buf);
      if (n < 0)
        return;
      auto at = proto::clock::now();
      auto d = proto::decode_ipv4(buf, static_cast<std::size_t>(n));
      // Attribute even malformed packets to an instance when the VRID byte is readable.
      std::size_t ihl = (buf[0] & 0x0f) * 4u;
      instance* in = static_cast<std::size_t>(n) > ihl + 1 ? find(sock.ifindex(), buf[ihl + 1]) : nullptr;
      if (d.error != rx_error::none) {
        count_bad(in, d.error, d.src, at);
        continue;
      }
      if (!in) {
        count_bad(nullptr, rx_error::unknown_vrid, d.src, at);
        continue;
      }
      if (auto e = proto::check_against(d.advert, in->reg.expect); e != rx_error::none) {
        count_bad(in, e, d.src, at);
        continue;
      }
      ++in->received;
      caf::anon_send(in->reg.handle, advert_atom::value,
                     advert_in{d.src, d.advert.priority, d.advert.interval_cs, at});
    }
  }

  // ---- mailbox ----------------------------------------------------------------------

  std::string do_register(const instance_registration& reg) {
    if (!sockets.count(reg.ifindex)) {
      try {
        auto s = std::make_unique<kern::vrrp_socket_v4>(reg.ifname, reg.ifindex, reg.source);
        epoll_add(s->fd(), tag_socket_base + static_cast<std::uint64_t>(reg.ifindex));
        sockets.emplace(reg.ifindex, std::move(s));
      } catch (const std::exception& e) {
        return std::string("VRRP socket on ") + reg.ifname + ": " + e.what();
      }
    }
    instances[reg.id].reg = reg;  // a re-registration (interface re-created) keeps counters
    // Close the sockets of devices no instance uses any more (closing leaves epoll too).
    for (auto it = sockets.begin(); it != sockets.end();) {
      bool used = std::any_of(instances.begin(), instances.end(),
                              [&](const auto& kv) { return kv.second.reg.ifindex == it->first; });
      it = used ? std::next(it) : sockets.erase(it);
    }
    return {};
  }

  json::value status() {
    json::value v;
    v.set("thread", "ka-advert");
    v.set("policy", sched_policy);
    v.set("scheduled_sends", scheduled_sends);
    std::vector<std::int64_t> sorted = lateness_us;
    std::sort(sorted.begin(), sorted.end());
    auto pct = [&](double p) -> json::value {
      if (sorted.empty())
        return {};
      return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * sorted.size()))];
    };
    json::value late;
    late.set("samples", sorted.size());
    late.set("p50", pct(0.50));
    late.set("p99", pct(0.99));
    late.set("max", lateness_max_us);
    v.set("lateness_us", late);
    auto reasons = [](const reason_counts& c) {
      json::value r = json::object{};
      for (std::size_t i = 1; i < n_reasons; ++i)
        r.set(proto::to_string(static_cast<rx_error>(i)), c[i]);
      return r;
    };
    json::value insts = json::object{};
    for (auto& [id, in] : instances) {
      json::value i;
      i.set("adverts_sent", in.sent);
      i.set("adverts_received", in.received);
      i.set("send_errors", in.send_errors);
      i.set("master_down_fired", in.down_fired);
      i.set("bad", reasons(in.bad));
      insts.set(in.reg.name, i);
    }
    v.set("instances", insts);
    v.set("unattributed_bad", reasons(unattributed));
    return v;
  }

  caf::behavior behavior() {
    return {
      [=](register_atom, const instance_registration& reg) { return do_register(reg); },
      [=](start_atom, std::uint32_t id, const std::vector<std::uint8_t>& pkt, proto::duration ival) {
        auto it = instances.find(id);
        if (it == instances.end())
          return;
        auto& in = it->second;
        in.sending = true;
        in.packet = pkt;
        in.interval = ival;
        transmit(in, pkt);
        in.next_send = proto::clock::now() + ival;
      },
      [=](stop_atom, std::uint32_t id) {
        if (auto it = instances.find(id); it != instances.end())
          it->second.sending = false;
      },
      [=](send_atom, std::uint32_t id, const std::vector<std::uint8_t>& pkt) {
        auto it = instances.find(id);
        return it != instances.end() && transmit(it->second, pkt);
      },
      [=](arm_atom, std::uint32_t id, time_point deadline, std::uint64_t token) {
        if (auto it = instances.find(id); it != instances.end()) {
          it->second.down_at = deadline;
          it->second.down_token = token;
        }
      },
      [=](cancel_atom, std::uint32_t id) {
        if (auto it = instances.find(id); it != instances.end())
          it->second.down_at.reset();
      },
      [=](status_atom) { return status(); },
    };
  }

  void drain_mail() {
    std::uint64_t count;
    (void)!::read(mailfd, &count, sizeof count);
    std::vector<caf::mailbox_element_ptr> batch;
    {
      std::lock_guard<std::mutex> guard(inbox_mutex);
      batch.swap(inbox);
    }
    for (auto& m : batch)
      self()->activate(&unit, *m);
  }

  void set_realtime() {
    pthread_setname_np(pthread_self(), "ka-advert");
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);  // default 50 us slack would dominate lateness
    sched_param sp{};
    sp.sched_priority = rt_priority;
    int rc = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
    if (rc == 0) {
      sched_policy = "SCHED_FIFO:" + std::to_string(rt_priority);
    } else {
      sched_policy = std::string("SCHED_OTHER (") + strerror(rc) + ")";
      log::warning("advert thread: cannot use SCHED_FIFO: %s", strerror(rc));
    }
  }

  void loop() {
    set_realtime();
    epoll_event events[16];
    while (!quit) {
      int n = epoll_wait(epfd, events, 16, -1);
      if (n < 0 && errno != EINTR) {
        log::error("advert thread: epoll_wait: %s", strerror(errno));
        break;
      }
      for (int i = 0; i < n; ++i) {
        std::uint64_t tag = events[i].data.u64;
        if (tag == tag_mail) {
          drain_mail();
        } else if (tag == tag_timer) {
          std::uint64_t expirations;
          (void)!::read(timerfd, &expirations, sizeof expirations);  // run_due below
        } else if (auto it = sockets.find(static_cast<int>(tag - tag_socket_base)); it != sockets.end()) {
          receive(*it->second);
        }
      }
      run_due(proto::clock::now());
      rearm();
    }
    // actor_companion trap (docs/caf-notes.md): on_exit() before cleanup(), from the owning thread.
    self()->on_exit();
    self()->cleanup(caf::error{}, &unit);
  }
};

advert_thread::advert_thread(caf::actor_system& sys) : impl_(std::make_unique<impl>(sys)) {
  auto& d = *impl_;
  d.epfd = epoll_create1(EPOLL_CLOEXEC);
  d.mailfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  d.timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (d.epfd < 0 || d.mailfd < 0 || d.timerfd < 0)
    throw std::system_error(errno, std::generic_category(), "advert thread fds");
  d.epoll_add(d.mailfd, tag_mail);
  d.epoll_add(d.timerfd, tag_timer);
  d.companion = caf::actor_cast<caf::strong_actor_ptr>(sys.spawn<caf::actor_companion>());
  impl* raw = impl_.get();
  d.self()->on_enqueue([raw](caf::mailbox_element_ptr ptr) {
    {
      std::lock_guard<std::mutex> guard(raw->inbox_mutex);
      raw->inbox.push_back(std::move(ptr));
    }
    std::uint64_t one = 1;
    (void)!::write(raw->mailfd, &one, sizeof one);
  });
  // A companion without a behaviour terminates on its first message (docs/caf-notes.md).
  d.self()->become(d.behavior());
  d.thread = std::thread([raw] { raw->loop(); });
}

advert_thread::~advert_thread() { stop(); }

advert_actor advert_thread::handle() const {
  return caf::actor_cast<advert_actor>(impl_->companion);
}

void advert_thread::stop() {
  auto& d = *impl_;
  if (!d.thread.joinable())
    return;
  d.quit = true;
  std::uint64_t one = 1;
  (void)!::write(d.mailfd, &one, sizeof one);
  d.thread.join();
  d.sockets.clear();
  ::close(d.epfd);
  ::close(d.mailfd);
  ::close(d.timerfd);
}

} // namespace ka::act
