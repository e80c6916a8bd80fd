#include "kernel/log_facility.hpp"

#include <syslog.h>

namespace ka::kern {
namespace {
constexpr int locals[] = {LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
                          LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7};
}

std::optional<int> parse_log_facility(const std::string& text) {
  if (text == "user")
    return LOG_USER;
  if (text == "daemon")
    return LOG_DAEMON;
  std::string digit = text.rfind("local", 0) == 0 ? text.substr(5) : text;
  if (digit.size() == 1 && digit[0] >= '0' && digit[0] <= '7')
    return locals[digit[0] - '0'];
  return std::nullopt;
}

const char* log_facility_name(int facility) {
  static const char* const names[] = {"local0", "local1", "local2", "local3",
                                      "local4", "local5", "local6", "local7"};
  if (facility == LOG_USER)
    return "user";
  if (facility == LOG_DAEMON)
    return "daemon";
  for (int i = 0; i < 8; ++i)
    if (locals[i] == facility)
      return names[i];
  return "?";
}

} // namespace ka::kern
