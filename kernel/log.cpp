#include "kernel/log.hpp"

#include <syslog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace ka::log {
namespace {
std::atomic<bool> to_console{true};
std::atomic<bool> with_detail{false};
std::mutex console_mutex;

int syslog_priority(level lv) {
  switch (lv) {
    case level::error: return LOG_ERR;
    case level::warning: return LOG_WARNING;
    case level::notice: return LOG_NOTICE;
    case level::info: return LOG_INFO;
    case level::debug: return LOG_DEBUG;
  }
  return LOG_INFO;
}

const char* tag(level lv) {
  switch (lv) {
    case level::error: return "error";
    case level::warning: return "warning";
    case level::notice: return "notice";
    case level::info: return "info";
    case level::debug: return "debug";
  }
  return "";
}
} // namespace

void init(const char* ident, bool console, bool detail) {
  to_console = console;
  with_detail = detail;
  if (!console)
    openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void vwrite(level lv, const char* fmt, va_list ap) {
  if (lv == level::debug && !with_detail)
    return;
  if (!to_console) {
    vsyslog(syslog_priority(lv), fmt, ap);
    return;
  }
  char text[2048];
  vsnprintf(text, sizeof text, fmt, ap);
  auto now = std::chrono::system_clock::now();
  auto t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  struct tm tmv;
  localtime_r(&t, &tmv);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%H:%M:%S", &tmv);
  std::lock_guard<std::mutex> guard(console_mutex);
  fprintf(stderr, "%s.%03lld %s: %s\n", stamp, static_cast<long long>(ms), tag(lv), text);
  fflush(stderr);
}

void write(level lv, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vwrite(lv, fmt, ap);
  va_end(ap);
}

} // namespace ka::log
