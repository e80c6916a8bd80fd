#include "protocol/garp_pacing.hpp"

#include <algorithm>

namespace ka::proto {

std::pair<std::string, garp_spacing> garp_spacing_table::lookup(const std::string& ifname) const {
  for (std::size_t i = 0; i < groups.size(); ++i)
    if (std::find(groups[i].interfaces.begin(), groups[i].interfaces.end(), ifname) != groups[i].interfaces.end())
      return {"group " + std::to_string(i), groups[i].spacing};
  return {"if " + ifname, global};
}

garp_pacer::step garp_pacer::drain(queue& q, time_point now) {
  step out;
  // One message per `every`; the time is counted from when each one went.
  while (!q.waiting.empty() && now >= q.next) {
    out.send_now.push_back(std::move(q.waiting.front()));
    q.waiting.pop_front();
    q.next = now + q.every;
  }
  q.tick_pending = !q.waiting.empty();
  if (q.tick_pending) out.wake = q.next;
  return out;
}

garp_pacer::step garp_pacer::enqueue(const std::string& key, std::chrono::microseconds every,
                                     time_point now, garp_frame f) {
  if (every.count() <= 0) {
    step out;
    out.send_now.push_back(std::move(f));
    return out;
  }
  queue& q = queues_[key];
  q.every = every;
  q.waiting.push_back(std::move(f));
  if (q.tick_pending) return {};              // a tick is on its way and will take it
  return drain(q, now);
}

garp_pacer::step garp_pacer::on_tick(const std::string& key, time_point now) {
  auto it = queues_.find(key);
  if (it == queues_.end()) return {};
  step out = drain(it->second, now);
  if (it->second.waiting.empty() && now >= it->second.next) queues_.erase(it);
  return out;
}

std::size_t garp_pacer::queued() const {
  std::size_t n = 0;
  for (const auto& [k, q] : queues_) n += q.waiting.size();
  return n;
}

} // namespace ka::proto
