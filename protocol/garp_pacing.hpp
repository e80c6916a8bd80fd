// Spacing of gratuitous ARPs and unsolicited NAs on an interface: global_defs
// vrrp_garp_interval / vrrp_gna_interval, or a garp_group's garp_interval / gna_interval
// for the interfaces it names (one group's interfaces share one spacing, as
// keepalived.conf(5) says of `interfaces { }`). Switches and hosts that drop bursts get
// the messages one at a time. Pure: the kernel actor feeds it the clock and sends what it
// returns.
#pragma once
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ka::proto {

// Which spacing applies where, resolved from the config.
struct garp_spacing {
  std::chrono::microseconds arp{0}, na{0};   // 0: no spacing, send at once
};
struct garp_spacing_table {
  garp_spacing global;                        // vrrp_garp_interval / vrrp_gna_interval
  struct group {
    garp_spacing spacing;
    std::vector<std::string> interfaces;
  };
  std::vector<group> groups;                  // garp_group blocks, in config order
  // The queue key and spacing of an interface: its group (the first that names it) or
  // the interface alone with the global spacing.
  std::pair<std::string, garp_spacing> lookup(const std::string& ifname) const;
};

// One message waiting for its turn.
struct garp_frame {
  int ifindex = 0;
  bool v4 = true;                             // gratuitous ARP; false: unsolicited NA
  std::vector<std::uint8_t> bytes;
};

// Per queue (a group or a lone interface) and kind (ARP, NA): the time the next message
// may go, and the messages waiting for it.
class garp_pacer {
public:
  using time_point = std::chrono::steady_clock::time_point;
  struct step {
    std::vector<garp_frame> send_now;
    std::optional<time_point> wake;           // call on_tick(key) then; none: queue empty
  };
  // A message for queue `key` with spacing `every`: at once if the queue is idle and its
  // last message is `every` old, otherwise queued behind the others.
  step enqueue(const std::string& key, std::chrono::microseconds every, time_point now, garp_frame f);
  // The queue's time has come: what may go now.
  step on_tick(const std::string& key, time_point now);
  std::size_t queued() const;
private:
  struct queue {
    std::chrono::microseconds every{0};
    time_point next{};                        // earliest time for the next message
    std::deque<garp_frame> waiting;
    bool tick_pending = false;
  };
  step drain(queue& q, time_point now);
  std::map<std::string, queue> queues_;
};

} // namespace ka::proto
