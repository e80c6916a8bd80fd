#include "kernel/journal.hpp"

#include <sys/uio.h>
// Without it, every line would carry CODE_FILE=kernel/journal.cpp: this file, not the caller.
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

#include <cstdlib>
#include <cstring>
#include <utility>

namespace ka::kern::journal {

bool under_journald() {
  const char* s = std::getenv("JOURNAL_STREAM");
  return s && *s;
}

std::vector<std::string> fields_of(const std::string& text) {
  static const std::string mid = ") Entering ", tail = " STATE";
  // The two transition lines: an instance's and a sync group's.
  static const std::pair<std::string, std::string> heads[] = {{"VRRP_Instance(", "INSTANCE="},
                                                              {"VRRP_Group(", "SYNC_GROUP="}};
  for (const auto& [head, field] : heads) {
    if (text.rfind(head, 0) != 0)
      continue;
    auto close = text.find(mid, head.size());
    if (close == std::string::npos || close == head.size())
      return {};
    auto state_at = close + mid.size();
    if (text.size() <= state_at + tail.size() ||
        text.compare(text.size() - tail.size(), tail.size(), tail) != 0)
      return {};
    std::string state = text.substr(state_at, text.size() - tail.size() - state_at);
    if (state.find(' ') != std::string::npos)
      return {};
    return {field + text.substr(head.size(), close - head.size()), "STATE=" + state};
  }
  return {};
}

bool send(int priority, int facility, const char* ident, const char* text) {
  std::vector<std::string> f = fields_of(text);
  f.insert(f.begin(), {std::string("MESSAGE=") + text, "PRIORITY=" + std::to_string(priority),
                       "SYSLOG_FACILITY=" + std::to_string(facility >> 3),
                       std::string("SYSLOG_IDENTIFIER=") + ident});
  std::vector<iovec> iov;
  for (auto& s : f)
    iov.push_back({s.data(), s.size()});
  return sd_journal_sendv(iov.data(), static_cast<int>(iov.size())) >= 0;
}

} // namespace ka::kern::journal
