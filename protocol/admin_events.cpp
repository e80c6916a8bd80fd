#include "protocol/admin_events.hpp"

#include <cmath>
#include <ctime>

namespace ka::proto {

json event_json(const admin_event& ev) {
  json v;
  v["ts"] = std::round(ev.ts * 1000) / 1000;
  v["type"] = ev.type;
  v["actor"] = ev.actor;
  v["old"] = ev.from;
  v["new"] = ev.to;
  v["reason"] = ev.reason;
  return v;
}

json lost_json(double ts, std::uint64_t n) {
  json v;
  v["ts"] = std::round(ts * 1000) / 1000;
  v["type"] = "lost";
  v["lost"] = n;
  return v;
}

namespace {
std::string member(const json& v, const char* key) {
  auto it = v.is_object() ? v.find(key) : v.end();
  if (it == v.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_null()) return {};
  return it->dump();
}

std::string clock_text(const json& v) {
  auto it = v.is_object() ? v.find("ts") : v.end();
  if (it == v.end() || !it->is_number())
    return "--:--:--.---";
  double ts = it->get<double>();
  auto secs = static_cast<std::time_t>(std::floor(ts));
  int ms = static_cast<int>(std::lround((ts - std::floor(ts)) * 1000));
  if (ms == 1000) { ++secs; ms = 0; }
  std::tm tm{};
  localtime_r(&secs, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}
} // namespace

std::string event_text(const json& ev) {
  std::string line = clock_text(ev) + " ";
  if (member(ev, "type") == "lost")
    return line + "lost " + member(ev, "lost") + " events (this watcher fell behind)";
  line += member(ev, "actor") + ": " + member(ev, "old") + " -> " + member(ev, "new");
  if (std::string why = member(ev, "reason"); !why.empty())
    line += " (" + why + ")";
  return line;
}

bool event_queue::push(std::string line) {
  if (lines_.size() >= cap_ || pending_lost_ > 0) {
    // Once a gap has begun, later lines wait behind it too: otherwise a line could be
    // written before the "lost" line that belongs before it.
    ++pending_lost_;
    ++lost_total_;
    return false;
  }
  lines_.push_back(std::move(line));
  return true;
}

} // namespace ka::proto
