// The advert actor: the timing-sensitive part of VRRP on a thread of its own.
// Why not a plain CAF actor: every CAF timer fires from one clock thread, so delayed_send
// lateness follows the whole system's load (docs/caf-facts.md: p99 195 us scheduled vs
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
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <tuple>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"
#include "kernel/vrrp_socket.hpp"
#include "protocol/log_thinner.hpp"
#include "protocol/lateness_buckets.hpp"  // admin status
#include "protocol/prom_text.hpp"  // metrics: the lateness histogram
#include "protocol/unicast.hpp"

namespace ka::act {

using proto::rx_error;
using proto::time_point;
constexpr int default_rt_priority = 10;          // SCHED_FIFO level, below kernel threads
constexpr long default_rttime_us = 10000;        // keepalived's default RLIMIT_RTTIME
constexpr std::size_t locked_stack = 128 * 1024; // of the thread's stack, locked and pre-faulted
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
    std::optional<time_point> wake;   // its entry in `timeline`: the earlier of the two above
    struct repeat_rule {
      proto::ip_address src;
      std::uint8_t priority = 0;
      std::uint16_t interval_cs = 0;  // a v3 master's new interval changes the answer
      proto::duration down{};
    };
    std::optional<repeat_rule> repeat;  // see repeat_atom in messages.hpp
    // A BACKUP's standing shortcuts, from its last arm (arm_shortcuts in messages.hpp).
    arm_shortcuts shortcuts;
    // Sending because its master-down fired with a takeover advert, not yet confirmed by
    // the instance (start_atom); an arm, cancel or stop from it ends that sending.
    bool took_over = false;
    std::uint64_t takeovers = 0, early_rearms = 0;
    // Allocated at its first dropped advert: the counters and log thinners of 20 reasons
    // are ~1 KB, and most instances never drop one (1,000 instances: 1 MB of RSS for
    // nothing, bench/scale.sh).
    struct drops {
      reason_counts counts{};
      reason_logs logs{};
    };
    std::unique_ptr<drops> bad;
  };

  caf::actor_system& sys;
  caf::scoped_execution_unit unit;
  caf::strong_actor_ptr companion;
  int epfd = -1, mailfd = -1, timerfd = -1;
  std::mutex inbox_mutex;
  std::vector<caf::mailbox_element_ptr> inbox;
  std::atomic<bool> quit{false};
  std::thread thread;

  // By ifindex, one per family in use on it: the two families are separate VRRP worlds.
  std::map<int, std::unique_ptr<kern::vrrp_socket_v4>> sockets;
  std::map<int, std::unique_ptr<kern::vrrp_socket_v6>> sockets6;
  std::map<std::uint32_t, instance> instances;                    // by instance id
  // With 1,000 instances, scanning all of them on every wake-up (one per advert sent or
  // timer re-armed) was 2,000,000 visits a second and most of the thread's CPU: the next
  // deadlines are kept sorted instead, and received adverts find their instance by key.
  std::set<std::pair<time_point, std::uint32_t>> timeline;        // (wake, instance id)
  std::optional<time_point> armed;                                // the timerfd's expiry
  // (ifindex, family, vrid) -> id: IPv4 and IPv6 number their VRIDs separately.
  using vrid_key = std::tuple<int, proto::ip_address::family, std::uint8_t>;
  std::map<vrid_key, std::uint32_t> by_vrid;
  // use_vmac: (base ifindex, family, vrid) of instances that send and receive on their
  // vmac; the base interface hears the same multicast adverts, which are no one's there.
  std::map<vrid_key, std::uint32_t> shadowed;
  reason_counts unattributed{};
  reason_logs unattributed_log{};
  // Lateness of the last `lateness_samples` scheduled sends: a ring (to forget the oldest)
  // and a histogram of the same samples with fixed buckets, both O(1) per send, so that
  // status() reads percentiles in a bounded scan instead of sorting on this thread.
  // Buckets: 1 us wide below 1024 us, then one per power of two (upper bound reported).
  static constexpr std::size_t fine_buckets = 1024, coarse_buckets = 44;
  std::vector<std::uint32_t> lateness_ring = std::vector<std::uint32_t>(lateness_samples);
  std::array<std::uint16_t, fine_buckets + coarse_buckets> lateness_hist{};
  std::size_t lateness_count = 0, lateness_next = 0;
  std::uint64_t scheduled_sends = 0;
  std::int64_t lateness_max_us = 0;
  // The same lateness since start, in Prometheus' buckets (seconds): a scraper wants
  // counts that only grow, which the ring above (recent samples only) cannot give.
  proto::prom::histogram lateness_total{{10e-6, 50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3,
                                         10e-3, 25e-3, 50e-3, 100e-3, 250e-3, 500e-3, 1.0}};

  advert_thread_options opts;
  std::size_t locked_bytes = 0;
  bool mlockall_on = false;  // vrrp_no_swap asked for it and the kernel agreed
  std::string rttime_text = "none";
  pid_t tid = 0;

  impl(caf::actor_system& s, advert_thread_options o) : sys(s), unit(&s), opts(std::move(o)) {}

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

  // The first advert goes out at once; the following ones fall on a 1 ms grid of the
  // monotonic clock (at most 1 ms later than one interval after the first), so that masters
  // that started within the same millisecond send in the same wake-up. perf of a master
  // of 1,000 instances: arming the timer (timerfd_settime, a VM exit here) was 40 % of its
  // CPU at one wake-up per advert; 1,000 instances entering MASTER within 0.2 s share
  // about 200 wake-ups a second instead. Later intervals are exact: the grid divides them.
  static time_point on_send_grid(time_point t) {
    constexpr std::chrono::nanoseconds grid = std::chrono::milliseconds(1);
    auto since = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch());
    auto rem = since % grid;
    return rem.count() == 0 ? t : t + (grid - rem);
  }

  // Call after changing an instance's sending, next_send or down_at.
  void reindex(std::uint32_t id, instance& in) {
    if (in.wake)
      timeline.erase({*in.wake, id});
    in.wake.reset();
    if (in.sending)
      in.wake = in.next_send;
    if (in.down_at && (!in.wake || *in.down_at < *in.wake))
      in.wake = in.down_at;
    if (in.wake)
      timeline.emplace(*in.wake, id);
  }

  // Unicast VRRP: one datagram per peer on the interface's shared socket (sendto), each
  // v3 one summed for its destination. Success when every peer's went out.
  int transmit_unicast(instance& in, const std::vector<std::uint8_t>& pkt) {
    const auto& u = *in.reg.unicast;
    int first_err = 0;
    for (const auto& p : u.peers) {
      if (p.addr.fam != in.reg.expect.family)
        continue;  // a peer of the other family cannot hear this instance's adverts
      auto out = proto::resum_for(pkt, in.reg.source, p.addr, in.reg.expect.sum);
      int err = ENODEV;
      if (in.reg.expect.family == proto::ip_address::family::v4) {
        if (auto it = sockets.find(in.reg.ifindex); it != sockets.end())
          err = it->second->send_to(out, p.addr, in.reg.source, u.ttl);
      } else if (auto it = sockets6.find(in.reg.ifindex); it != sockets6.end()) {
        err = it->second->send_to(out, p.addr, in.reg.source, u.ttl);
      }
      if (err != 0 && first_err == 0)
        first_err = err;
    }
    return first_err;
  }

  bool transmit(instance& in, const std::vector<std::uint8_t>& pkt) {
    int err = ENODEV;
    if (in.reg.unicast) {
      err = transmit_unicast(in, pkt);
    } else if (in.reg.expect.family == proto::ip_address::family::v4) {
      if (auto it = sockets.find(in.reg.ifindex); it != sockets.end())
        err = it->second->send(pkt);
    } else if (auto it = sockets6.find(in.reg.ifindex); it != sockets6.end()) {
      err = it->second->send(pkt);
    }
    if (err == 0) {
      ++in.sent;
      return true;
    }
    // One line per failure burst, not per second: a down interface fails every advert.
    if (in.send_errors++ % 60 == 0)
      log::warning("VRRP_Instance(%s): sending advert: %s", in.reg.name.c_str(), strerror(err));
    return false;
  }

  static std::uint32_t bucket_of(std::int64_t us) {
    if (us < static_cast<std::int64_t>(fine_buckets))
      return static_cast<std::uint32_t>(std::max<std::int64_t>(us, 0));
    std::uint32_t b = fine_buckets;
    for (std::int64_t bound = 2 * fine_buckets; us >= bound && b + 1 < fine_buckets + coarse_buckets; bound *= 2)
      ++b;
    return b;
  }
  static std::int64_t bucket_value(std::size_t b) {  // the bucket's value, or upper bound
    return b < fine_buckets ? static_cast<std::int64_t>(b)
                            : (static_cast<std::int64_t>(2 * fine_buckets) << (b - fine_buckets)) - 1;
  }

  void record_lateness(std::chrono::nanoseconds late) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(late).count();
    std::uint32_t b = bucket_of(us);
    if (lateness_count == lateness_samples)
      --lateness_hist[lateness_ring[lateness_next]];  // forget the oldest
    else
      ++lateness_count;
    lateness_ring[lateness_next] = b;
    ++lateness_hist[b];
    lateness_next = (lateness_next + 1) % lateness_samples;
    lateness_max_us = std::max(lateness_max_us, us);
    ++scheduled_sends;
    lateness_total.observe(std::chrono::duration<double>(late).count());
  }

  // A takeover the instance did not confirm: its machine stayed BACKUP (it heard a master
  // between the deadline and our message), so the adverts stop.
  static void end_takeover(instance& in) {
    if (std::exchange(in.took_over, false))
      in.sending = false;
  }

  void run_due(time_point now) {
    while (!timeline.empty() && timeline.begin()->first <= now) {
      std::uint32_t id = timeline.begin()->second;
      auto& in = instances.at(id);
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
        if (!in.shortcuts.takeover.empty() && !in.sending) {
          // The machine would send this advert first on master-down: send it now,
          // not after the instance actor has heard of it (proto::backup_shortcuts).
          in.sending = true;
          in.took_over = true;
          ++in.takeovers;
          in.packet = in.shortcuts.takeover;
          in.interval = in.shortcuts.interval;
          transmit(in, in.packet);
          in.next_send = on_send_grid(now + in.interval);
        }
        in.shortcuts = {};
        caf::anon_send(in.reg.handle, down_atom::value, in.down_token);
      }
      reindex(id, in);  // both deadlines are now in the future or gone
    }
  }

  // Leaves a pending timer alone when it fires no later than needed: a backup re-arms a
  // master-down deadline with every advert heard, and re-programming the timerfd each
  // time cost a syscall per advert. An early expiry finds nothing due and re-arms.
  void rearm(time_point now) {
    if (armed && *armed > now && (timeline.empty() || *armed <= timeline.begin()->first))
      return;
    armed.reset();
    itimerspec its{};
    if (!timeline.empty()) {
      // steady_clock is CLOCK_MONOTONIC on Linux, so its epoch is the timerfd's.
      auto next = timeline.begin()->first;
      armed = next;
      auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(next.time_since_epoch()).count();
      if (ns <= 0)
        ns = 1;
      its.it_value.tv_sec = ns / 1000000000;
      its.it_value.tv_nsec = ns % 1000000000;
    }
    timerfd_settime(timerfd, TFD_TIMER_ABSTIME, &its, nullptr);
  }

  // ---- receiving ----------------------------------------------------------------

  instance* find(int ifindex, proto::ip_address::family fam, std::uint8_t vrid) {
    auto it = by_vrid.find({ifindex, fam, vrid});
    return it == by_vrid.end() ? nullptr : &instances.at(it->second);
  }

  void count_bad(instance* in, rx_error e, const proto::ip_address& src, time_point now) {
    const auto i = static_cast<std::size_t>(e);
    if (in && !in->bad)  // once per instance, not per drop
      in->bad = std::make_unique<instance::drops>();
    ++(in ? in->bad->counts : unattributed)[i];
    auto v = (in ? in->bad->logs : unattributed_log)[i].on_event(now);
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

  // Larger than any VRRP message: a v3 IPv6 advert of 255 addresses is 8 + 255 * 16 =
  // 4088 bytes; anything longer is counted as oversized rather than decoded cut short.
  static constexpr std::size_t rx_buffer = 4096;

  void receive(kern::vrrp_socket_v4& sock) {
    std::uint8_t buf[rx_buffer];
    // At most 64 packets per wake-up, so that timers and mail are served during a flood.
    for (int budget = 64; budget > 0; --budget) {
      long n = sock.receive(buf, sizeof buf);
      if (n < 0)
        return;
      auto at = proto::clock::now();
      std::size_t got = std::min(static_cast<std::size_t>(n), sizeof buf);
      // Attribute even malformed packets to an instance when the VRID byte is readable.
      std::size_t ihl = (buf[0] & 0x0f) * 4u;
      instance* in = got > ihl + 1 ? find(sock.ifindex(), proto::ip_address::family::v4, buf[ihl + 1])
                                   : nullptr;
      if (!in && got > ihl + 1 && shadowed.count({sock.ifindex(), proto::ip_address::family::v4, buf[ihl + 1]}))
        continue;
      // A unicast instance's peers may be routers away: its own TTL rules apply instead.
      auto d = proto::decode_ipv4(buf, got, !(in && in->reg.unicast));
      if (static_cast<std::size_t>(n) > sizeof buf)
        d.error = rx_error::oversized;
      deliver(in, d, at);
    }
  }

  void receive(kern::vrrp_socket_v6& sock) {
    std::uint8_t buf[rx_buffer];
    for (int budget = 64; budget > 0; --budget) {
      kern::vrrp_socket_v6::meta m;
      long n = sock.receive(buf, sizeof buf, m);
      if (n < 0)
        return;
      auto at = proto::clock::now();
      std::size_t got = std::min(static_cast<std::size_t>(n), sizeof buf);
      // No hop limit from the kernel cannot be 255: decode_ipv6 drops it as bad_ttl.
      auto hops = static_cast<std::uint8_t>(m.hop_limit < 0 ? 0 : m.hop_limit);
      instance* in = got > 1 ? find(sock.ifindex(), proto::ip_address::family::v6, buf[1]) : nullptr;
      if (!in && got > 1 && shadowed.count({sock.ifindex(), proto::ip_address::family::v6, buf[1]}))
        continue;
      auto d = proto::decode_ipv6(buf, got, m.src, m.dst, hops, !(in && in->reg.unicast));
      if (static_cast<std::size_t>(n) > sizeof buf)
        d.error = rx_error::oversized;
      deliver(in, d, at);
    }
  }

  // A unicast v3 IPv4 peer summing the old way (keepalived <= 1.3.6, or `old_unicast_checksum`)
  // would drop our RFC sums: unless `old_unicast_checksum never`, we send its form from then
  // on, as keepalived 2.2.7 says it does ("Setting unicast VRRPv3 checksum to old version";
  // seen in a lab to keep sending the RFC form nonetheless, so that both became master).
  // Only the per-peer re-sum changes: the packet the instance gives is summed for the group,
  // which is the old form already (proto::resum_for).
  void adopt_old_checksum(instance& in, const proto::decoded_advert& d) {
    const auto& a = d.advert;
    if (a.version != 3 || a.sum_with_pseudo || !a.sum_old_unicast
        || in.reg.expect.sum == proto::v3_checksum::old_unicast || !in.reg.expect.accept_old_sum)
      return;
    in.reg.expect.sum = proto::v3_checksum::old_unicast;
    log::notice("VRRP_Instance(%s): %s sums its unicast VRRPv3 adverts the old way (224.0.0.18 "
                "in the pseudo-header); sending that checksum from now on",
                in.reg.name.c_str(), d.src.to_string().c_str());
  }

  void deliver(instance* in, const proto::decoded_advert& d, time_point at) {
    if (d.error != rx_error::none) {
      count_bad(in, d.error, d.src, at);
      return;
    }
    if (!in) {
      count_bad(nullptr, rx_error::unknown_vrid, d.src, at);
      return;
    }
    if (auto e = proto::check_against(d.advert, in->reg.expect); e != rx_error::none) {
      count_bad(in, e, d.src, at);
      return;
    }
    if (in->reg.unicast) {
      if (auto e = proto::check_unicast(*in->reg.unicast, d.src, d.ttl); e != rx_error::none) {
        count_bad(in, e, d.src, at);
        return;
      }
      adopt_old_checksum(*in, d);
    }
    ++in->received;
    // A backup hearing its master as before: the instance's answer would be the same
    // re-arm as last time, so give it here. At 1,000 instances this spares 1,000
    // messages a second each way and the wake-ups of a CAF worker and of this thread.
    if (in->repeat && in->down_at && in->repeat->src == d.src
        && in->repeat->priority == d.advert.priority
        && in->repeat->interval_cs == d.advert.interval_cs) {
      in->down_at = at + in->repeat->down;
      reindex(in->reg.id, *in);
      return;
    }
    // A higher priority than ours: the machine re-arms by its Master_Down_Interval, and
    // must not find its old deadline passed while the advert waits for it in a queue.
    if (const auto& r = in->shortcuts.rule; r && in->down_at && d.advert.priority > r->priority
        && (r->version == 2 || d.advert.interval_cs > 0)) {
      auto t = at + r->rearm_after(std::chrono::milliseconds(10 * d.advert.interval_cs));
      if (t > *in->down_at) {
        in->down_at = t;
        ++in->early_rearms;
        reindex(in->reg.id, *in);
      }
    }
    caf::anon_send(in->reg.handle, advert_atom::value,
                   advert_in{d.src, d.advert.priority, d.advert.interval_cs, at});
  }

  // ---- mailbox ----------------------------------------------------------------------

  // Epoll tags of the sockets: even for IPv4, odd for IPv6.
  static std::uint64_t socket_tag(int ifindex, bool v6) {
    return tag_socket_base + 2 * static_cast<std::uint64_t>(ifindex) + (v6 ? 1 : 0);
  }

  std::string do_register(const instance_registration& reg) {
    bool v6 = reg.expect.family == proto::ip_address::family::v6;
    try {
      if (!v6 && !sockets.count(reg.ifindex)) {
        auto s = std::make_unique<kern::vrrp_socket_v4>(reg.ifname, reg.ifindex, reg.source);
        epoll_add(s->fd(), socket_tag(reg.ifindex, false));
        sockets.emplace(reg.ifindex, std::move(s));
      } else if (v6 && !sockets6.count(reg.ifindex)) {
        auto s = std::make_unique<kern::vrrp_socket_v6>(reg.ifname, reg.ifindex, reg.source);
        epoll_add(s->fd(), socket_tag(reg.ifindex, true));
        sockets6.emplace(reg.ifindex, std::move(s));
      } else if (v6 && !reg.unicast) {
        // The latest link-local address (a unicast instance's source goes with each send).
        sockets6.at(reg.ifindex)->set_source(reg.source);
      }
    } catch (const std::exception& e) {
      return std::string("VRRP ") + (v6 ? "IPv6" : "IPv4") + " socket on " + reg.ifname + ": "
             + e.what();
    }
    auto known = instances.find(reg.id);
    bool moved = known != instances.end() && known->second.reg.ifindex != reg.ifindex;
    if (moved)
      by_vrid.erase({known->second.reg.ifindex, known->second.reg.expect.family,
                     known->second.reg.expect.vrid});
    for (auto it = shadowed.begin(); it != shadowed.end();)
      it = it->second == reg.id ? shadowed.erase(it) : std::next(it);
    if (reg.shadow_ifindex)
      shadowed[{reg.shadow_ifindex, reg.expect.family, reg.expect.vrid}] = reg.id;
    instances[reg.id].reg = reg;  // a re-registration (interface re-created) keeps counters
    by_vrid[{reg.ifindex, reg.expect.family, reg.expect.vrid}] = reg.id;
    // Close the sockets of devices no instance uses any more (closing leaves epoll too).
    auto close_unused = [&](auto& socks, proto::ip_address::family fam) {
      for (auto it = socks.begin(); it != socks.end();) {
        bool used = std::any_of(instances.begin(), instances.end(), [&](const auto& kv) {
          return kv.second.reg.ifindex == it->first && kv.second.reg.expect.family == fam;
        });
        it = used ? std::next(it) : socks.erase(it);
      }
    };
    if (moved) {
      close_unused(sockets, proto::ip_address::family::v4);
      close_unused(sockets6, proto::ip_address::family::v6);
    }
    return {};
  }

  json status() {
    json v;
    v["thread"] = "ka-advert";
    auto sched = thread_status();  // the kernel's word, asked on this thread
    v["policy"] = sched_summary();
    v["scheduling"] = sched;
    v["scheduled_sends"] = scheduled_sends;
    // The sample of rank floor(p * n), as a sort would give it (exact below 1024 us).
    auto pct = [&](double p) -> json {
      if (lateness_count == 0)
        return {};
      std::size_t rank = std::min(lateness_count - 1, static_cast<std::size_t>(p * lateness_count));
      std::size_t seen = 0;
      for (std::size_t b = 0; b < lateness_hist.size(); ++b) {
        seen += lateness_hist[b];
        if (seen > rank)
          return bucket_value(b);
      }
      return {};
    };
    json late;
    late["samples"] = lateness_count;
    late["p50"] = pct(0.50);
    late["p99"] = pct(0.99);
    late["max"] = lateness_max_us;
    late["histogram"] = lateness_histogram();  // admin status: the timing's shape
    v["lateness_us"] = late;
    v["lateness_histogram"] = {{"bounds_s", lateness_total.bounds}, {"counts", lateness_total.counts},
                               {"sum_s", lateness_total.sum}, {"count", lateness_total.count}};
    auto reasons = [](const reason_counts& c) {
      json r = json::object();
      for (std::size_t i = 1; i < n_reasons; ++i)
        r[proto::to_string(static_cast<rx_error>(i))] = c[i];
      return r;
    };
    json insts = json::object();
    for (auto& [id, in] : instances) {
      json i;
      i["adverts_sent"] = in.sent;
      i["adverts_received"] = in.received;
      i["send_errors"] = in.send_errors;
      i["master_down_fired"] = in.down_fired;
      // Answers given ahead of the instance actor (proto::backup_shortcuts).
      i["takeover_adverts"] = in.takeovers;
      i["early_rearms"] = in.early_rearms;
      i["bad"] = reasons(in.bad ? in.bad->counts : reason_counts{});
      // Unicast VRRP: the mode, and where the adverts go.
      i["mode"] = in.reg.unicast ? "unicast" : "multicast";
      if (in.reg.expect.version == 3 && in.reg.expect.family == proto::ip_address::family::v4)
        i["v3_checksum"] = in.reg.expect.sum == proto::v3_checksum::old_unicast ? "old_unicast" : "rfc5798";
      i["interface"] = in.reg.ifname;  // use_vmac: the vmac, unless vmac_xmit_base
      if (in.reg.unicast) {
        json peers = json::array();
        for (const auto& p : in.reg.unicast->peers) {
          json pj;
          pj["address"] = p.addr.to_string();
          pj["min_ttl"] = p.min_ttl ? json(*p.min_ttl) : json();
          pj["max_ttl"] = p.max_ttl ? json(*p.max_ttl) : json();
          peers.push_back(pj);
        }
        i["unicast_peers"] = peers;
        i["unicast_src_ip"] = in.reg.source.to_string();
        i["unicast_ttl"] = in.reg.unicast->ttl;
        i["check_unicast_src"] = in.reg.unicast->check_src;
      }
      insts[in.reg.name] = i;
    }
    v["instances"] = insts;
    v["unattributed_bad"] = reasons(unattributed);
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
        in.repeat.reset();
        in.shortcuts = {};
        if (std::exchange(in.took_over, false) && in.sending && in.packet == pkt && in.interval == ival)
          return;  // the instance confirms the takeover advert already sent (and its rhythm)
        in.sending = true;
        in.packet = pkt;
        in.interval = ival;
        transmit(in, pkt);
        in.next_send = on_send_grid(proto::clock::now() + ival);
        reindex(id, in);
      },
      // reload: a removed or restarted instance leaves; its VRID on its interface is
      // free for the next one (a restarted instance registers under a new id).
      [=](del_atom, std::uint32_t id) {
        auto it = instances.find(id);
        if (it == instances.end())
          return;
        if (it->second.wake)
          timeline.erase({*it->second.wake, id});
        const auto& r = it->second.reg;
        if (auto v = by_vrid.find({r.ifindex, r.expect.family, r.expect.vrid}); v != by_vrid.end() && v->second == id)
          by_vrid.erase(v);
        for (auto sh = shadowed.begin(); sh != shadowed.end();)
          sh = sh->second == id ? shadowed.erase(sh) : std::next(sh);
        instances.erase(it);
      },
      [=](stop_atom, std::uint32_t id) {
        if (auto it = instances.find(id); it != instances.end()) {
          it->second.repeat.reset();
          it->second.shortcuts = {};
          it->second.took_over = false;
          it->second.sending = false;
          reindex(id, it->second);
        }
      },
      [=](send_atom, std::uint32_t id, const std::vector<std::uint8_t>& pkt) {
        auto it = instances.find(id);
        return it != instances.end() && transmit(it->second, pkt);
      },
      [=](arm_atom, std::uint32_t id, time_point deadline, std::uint64_t token, arm_shortcuts& sc) {
        if (auto it = instances.find(id); it != instances.end()) {
          auto& in = it->second;
          in.repeat.reset();
          end_takeover(in);  // sent before this arm: the instance is still a backup
          in.down_at = deadline;
          in.down_token = token;
          in.shortcuts = std::move(sc);
          reindex(id, in);
        }
      },
      [=](cancel_atom, std::uint32_t id) {
        if (auto it = instances.find(id); it != instances.end()) {
          auto& in = it->second;
          in.repeat.reset();
          end_takeover(in);
          in.shortcuts = {};
          in.down_at.reset();
          reindex(id, in);
        }
      },
      [=](repeat_atom, std::uint32_t id, const proto::ip_address& src, std::uint8_t priority,
          std::uint16_t interval_cs, proto::duration down) {
        if (auto it = instances.find(id); it != instances.end() && it->second.down_at)
          it->second.repeat = instance::repeat_rule{src, priority, interval_cs, down};
      },
      [=](status_atom) { return status(); },
      [=](status_atom, std::uint32_t id) {  // supervision: a restarted instance resumes from this
        json v;
        auto it = instances.find(id);
        v["known"] = it != instances.end();
        v["sending"] = it != instances.end() && it->second.sending;
        v["master_down_armed"] = it != instances.end() && it->second.down_at.has_value();
        return v;
      },
      [=](clear_atom) { clear_counters(); return true; },
    };
  }

  // admin `stats clear`: every count and the lateness samples start again from zero.
  void clear_counters() {
    for (auto& [id, in] : instances) {
      in.sent = in.received = in.send_errors = in.down_fired = in.takeovers = in.early_rearms = 0;
      if (in.bad)
        in.bad->counts = reason_counts{};
    }
    unattributed = reason_counts{};
    lateness_hist = {};
    lateness_count = lateness_next = 0;
    scheduled_sends = 0;
    lateness_max_us = 0;
  }

  // The lateness samples in a few wide buckets (protocol/lateness_buckets.hpp).
  json lateness_histogram() const {
    std::vector<std::pair<std::int64_t, std::uint64_t>> by_value;
    for (std::size_t b = 0; b < lateness_hist.size(); ++b)
      if (lateness_hist[b])
        by_value.emplace_back(bucket_value(b), lateness_hist[b]);
    json h = json::array();
    for (const auto& bk : proto::lateness_buckets(by_value))
      h.push_back({{"le_us", bk.upper_us ? json(*bk.upper_us) : json("inf")}, {"count", bk.count}});
    return h;
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

  // Applies the configured scheduling to this thread. Anything the kernel refuses is a
  // warning; status() reports what is in force (asked of the kernel each time).
  void set_realtime() {
    pthread_setname_np(pthread_self(), "ka-advert");
    log::set_realtime_thread();
    tid = static_cast<pid_t>(syscall(SYS_gettid));
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);  // default 50 us slack would dominate lateness
    // Memory first, while still SCHED_OTHER: mlockall faults in the whole process (90 MB
    // measured), far more CPU than RLIMIT_RTTIME allows a real-time thread without a
    // blocking call; past the soft limit the kernel sends SIGXCPU and raises the limit by
    // a second, so the limit in force would no longer be the one configured.
    lock_memory();
    sched_param sp{};
    sp.sched_priority = opts.rt_priority.value_or(default_rt_priority);
    bool realtime = false;
    if (int rc = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp); rc == 0)
      realtime = true;
    else
      log::warning("advert thread: cannot use SCHED_FIFO priority %d: %s", sp.sched_priority,
                   strerror(rc));
    // Pinned only to the CPUs vrrp_cpu_affinity names. Left unpinned, the kernel wakes the
    // thread on whichever CPU is free: on a virtual machine an idle vCPU may itself be
    // descheduled by the hypervisor, and a thread pinned to it waits for it to come back
    // (idle p99 jitter at advert_int 0.05 was 3.8 ms pinned to the last CPU; see README).
    if (!opts.cpus.empty()) {
      cpu_set_t set;
      CPU_ZERO(&set);
      for (int c : opts.cpus)
        if (c >= 0 && c < CPU_SETSIZE)
          CPU_SET(c, &set);
      if (CPU_COUNT(&set) > 0)
        if (int rc = pthread_setaffinity_np(pthread_self(), sizeof set, &set); rc != 0)
          log::warning("advert thread: cannot set CPU affinity: %s", strerror(rc));
    }
    if (opts.nice && setpriority(PRIO_PROCESS, static_cast<id_t>(tid), *opts.nice) != 0)
      log::warning("advert thread: cannot set nice %d: %s", *opts.nice, strerror(errno));
    // A real-time thread that never blocks would starve the CPU: RLIMIT_RTTIME sends
    // SIGXCPU past the soft limit of CPU time without a blocking call. This thread blocks
    // in epoll_wait after O(1) work per event, so it stays far below. (Process-wide limit;
    // only SCHED_FIFO/RR threads are subject to it.)
    // Past the soft limit the kernel sends SIGXCPU, which the main thread takes as a
    // warning; the hard limit (SIGKILL) is left as it is (unlimited by default), so that a
    // sustained flood of packets, which keeps the thread busy without sleeping, cannot
    // kill the daemon. receive() also yields to epoll after a bounded batch.
    if (realtime || opts.rlimit_rttime_us) {
      rlimit rl{};
      getrlimit(RLIMIT_RTTIME, &rl);
      rlim_t want = static_cast<rlim_t>(opts.rlimit_rttime_us.value_or(default_rttime_us));
      rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ? want : std::min(want, rl.rlim_max);
      if (setrlimit(RLIMIT_RTTIME, &rl) != 0)
        log::warning("advert thread: cannot set RLIMIT_RTTIME %lu us: %s",
                     static_cast<unsigned long>(want), strerror(errno));
    }
  }

  // Page faults on this thread would cost milliseconds under memory pressure. Its stack
  // (the part it uses) is locked and pre-faulted; its sockets' buffers are the kernel's.
  // The whole process is locked only with vrrp_no_swap: mlockall(MCL_FUTURE) makes every
  // future mapping resident, every CAF worker's stack included (8 MB each, reserved
  // lazily otherwise), which inflates RSS for everyone.
  void lock_memory() {
    if (opts.no_swap) {
      mlockall_on = mlockall(MCL_CURRENT | MCL_FUTURE) == 0;
      if (!mlockall_on)
        log::warning("advert thread: vrrp_no_swap: mlockall: %s", strerror(errno));
    }
    pthread_attr_t attr;
    void* base = nullptr;
    std::size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      pthread_attr_getstack(&attr, &base, &size);
      pthread_attr_destroy(&attr);
    }
    if (!base || size == 0)
      return;
    // The stack grows down from base + size: lock its top `locked_stack` bytes.
    std::size_t n = std::min(size, locked_stack);
    auto* top = static_cast<char*>(base) + size;
    char* from = top - n;
    if (mlock(from, n) != 0) {
      log::warning("advert thread: cannot lock its stack (%zu bytes): %s", n, strerror(errno));
      return;
    }
    locked_bytes = n;  // mlock faults the pages in
  }

  // "SCHED_FIFO:10", as the kernel has it now.
  static std::string sched_summary() {
    int policy = sched_getscheduler(0);
    sched_param sp{};
    sched_getparam(0, &sp);
    if (policy == SCHED_FIFO || policy == SCHED_RR)
      return std::string(policy == SCHED_FIFO ? "SCHED_FIFO:" : "SCHED_RR:")
             + std::to_string(sp.sched_priority);
    return "SCHED_OTHER";
  }

  json thread_status() const {
    json t;
    int policy = sched_getscheduler(0);
    sched_param sp{};
    sched_getparam(0, &sp);
    const char* name = policy == SCHED_FIFO ? "SCHED_FIFO" : policy == SCHED_RR ? "SCHED_RR"
                                                                             : "SCHED_OTHER";
    t["policy"] = name;
    t["rt_priority"] = sp.sched_priority;
    errno = 0;
    int nice_now = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
    if (errno == 0)
      t["nice"] = nice_now;
    else
      t["nice"] = nullptr;
    cpu_set_t set;
    std::string cpus;  // "0,1", as taskset -c lists them
    if (sched_getaffinity(0, sizeof set, &set) == 0)
      for (int c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &set))
          cpus += (cpus.empty() ? "" : ",") + std::to_string(c);
    t["cpus"] = cpus;
    t["locked_bytes"] = locked_bytes;
    t["mlockall"] = mlockall_on;
    rlimit rl{};
    getrlimit(RLIMIT_RTTIME, &rl);
    if (rl.rlim_cur == RLIM_INFINITY)
      t["rlimit_rttime_us"] = nullptr;
    else
      t["rlimit_rttime_us"] = static_cast<long>(rl.rlim_cur);
    t["tid"] = static_cast<long>(tid);
    return t;
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
        } else if (tag >= tag_socket_base) {
          int ifindex = static_cast<int>((tag - tag_socket_base) / 2);
          if ((tag - tag_socket_base) % 2 == 0) {
            if (auto it = sockets.find(ifindex); it != sockets.end())
              receive(*it->second);
          } else if (auto it = sockets6.find(ifindex); it != sockets6.end()) {
            receive(*it->second);
          }
        }
      }
      auto now = proto::clock::now();
      run_due(now);
      rearm(now);
    }
    // actor_companion trap (docs/caf-facts.md): on_exit() before cleanup(), from the owning thread.
    self()->on_exit();
    self()->cleanup(caf::error{}, &unit);
  }
};

advert_thread::advert_thread(caf::actor_system& sys, advert_thread_options opts)
  : impl_(std::make_unique<impl>(sys, std::move(opts))) {
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
  // A companion without a behaviour terminates on its first message (docs/caf-facts.md).
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
  d.sockets6.clear();
  ::close(d.epfd);
  ::close(d.mailfd);
  ::close(d.timerfd);
}

} // namespace ka::act
