// Live events of the admin socket (`{"cmd":"watch"}`, keepalivectl watch): what one event
// is, its JSON line and its human line, and the bounded queue that holds a watcher's
// events until the admin thread can write them. Pure: no I/O, no locks, no CAF.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <iterator>
#include <string>
#include <vector>

#include "protocol/admin_protocol.hpp"

namespace ka::proto {

// One event: a state transition of an instance, a tracker's change, a reload...
struct admin_event {
  double ts = 0;        // wall clock, seconds since the epoch, taken by the publisher
  std::string type;     // "instance", "tracker", "reload", ...
  std::string actor;    // who changed: "vrrp_instance VI_1", "vrrp_script chk", ...
  std::string from;     // old state or value
  std::string to;       // new state or value
  std::string reason;   // what made it change
};

// {"ts":..,"type":..,"actor":..,"old":..,"new":..,"reason":..}
json event_json(const admin_event& ev);
// {"ts":..,"type":"lost","lost":n}: n events were dropped for a watcher that fell behind.
json lost_json(double ts, std::uint64_t n);
// One line for people: "21:30:01.123 vrrp_instance VI_1: BACKUP -> MASTER (reason)", and
// "21:30:02.000 lost 12 events (this watcher fell behind)". Local time.
std::string event_text(const json& ev);

// A watcher's pending event lines, at most `cap` of them. When full, new lines are
// dropped and counted (the gap is where the "lost" line goes): a watcher that does not
// read costs at most `cap` lines, and its publisher never waits.
class event_queue {
public:
  explicit event_queue(std::size_t cap) : cap_(cap) {}
  // False when the line was dropped (full).
  bool push(std::string line);
  // Everything queued, in order, then (when events were dropped since the last take) the
  // lost line made by `lost_line(n)`; the count starts again from zero.
  template <class LostLine>
  std::vector<std::string> take(LostLine lost_line) {
    std::vector<std::string> out(std::make_move_iterator(lines_.begin()),
                                 std::make_move_iterator(lines_.end()));
    lines_.clear();
    if (pending_lost_ > 0) {
      out.push_back(lost_line(pending_lost_));
      pending_lost_ = 0;
    }
    return out;
  }
  std::size_t size() const { return lines_.size(); }
  bool empty() const { return lines_.empty() && pending_lost_ == 0; }
  std::uint64_t lost_total() const { return lost_total_; }

private:
  std::size_t cap_;
  std::deque<std::string> lines_;
  std::uint64_t pending_lost_ = 0, lost_total_ = 0;
};

} // namespace ka::proto
