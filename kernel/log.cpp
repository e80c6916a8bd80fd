#include "kernel/log.hpp"

#include "kernel/journal.hpp"

#include <pthread.h>
#include <syslog.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <thread>

namespace ka::log {
namespace {
std::atomic<bool> to_console{true};
std::atomic<bool> with_detail{false};
// Under systemd without -S: the journal's native socket, with fields (kernel/journal.hpp).
std::atomic<bool> to_journal{false};
int syslog_facility = LOG_DAEMON;
const char* syslog_ident = "";
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

// One queued line: fixed size, so that queueing never allocates.
struct entry {
  level lv = level::info;
  std::chrono::system_clock::time_point at;
  char text[512];
};

// 128 lines (~66 KB). The real-time thread's lines are few (drops are thinned at the
// source); other threads wait for room rather than lose a transition line.
constexpr std::size_t queue_lines = 128;

struct async_queue {
  std::mutex m;
  std::condition_variable cv;
  std::condition_variable room;  // a line was taken: waiting writers may go on
  std::array<entry, queue_lines> ring;
  std::size_t head = 0, count = 0;   // guarded by m
  bool quit = false;
  std::thread thread;
  std::atomic<bool> running{false};
  std::atomic<std::uint64_t> dropped{0};
};
async_queue q;
thread_local bool realtime_thread = false;

void emit(level lv, std::chrono::system_clock::time_point at, const char* text) {
  if (!to_console) {
    if (to_journal && kern::journal::send(syslog_priority(lv), syslog_facility, syslog_ident, text))
      return;
    syslog(syslog_priority(lv), "%s", text);
    return;
  }
  auto t = std::chrono::system_clock::to_time_t(at);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count() % 1000;
  struct tm tmv;
  localtime_r(&t, &tmv);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%H:%M:%S", &tmv);
  std::lock_guard<std::mutex> guard(console_mutex);
  fprintf(stderr, "%s.%03lld %s: %s\n", stamp, static_cast<long long>(ms), tag(lv), text);
  fflush(stderr);
}

void logger_loop() {
  pthread_setname_np(pthread_self(), "ka-log");
  std::uint64_t reported = 0;
  entry e;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(q.m);
      q.cv.wait(lock, [] { return q.count > 0 || q.quit; });
      if (q.count == 0)
        break;  // quit, and everything is written
      e = q.ring[q.head];
      q.head = (q.head + 1) % queue_lines;
      --q.count;
    }
    q.room.notify_all();
    emit(e.lv, e.at, e.text);
    if (auto d = q.dropped.load(); d != reported) {
      char text[128];
      std::snprintf(text, sizeof text, "log: %llu line(s) dropped so far (queue full or busy)",
                    static_cast<unsigned long long>(d));
      emit(level::warning, std::chrono::system_clock::now(), text);
      reported = d;
    }
  }
}
} // namespace

void init(const char* ident, bool console, bool detail, int facility) {
  to_console = console;
  with_detail = detail;
  syslog_facility = facility < 0 ? LOG_DAEMON : facility;
  syslog_ident = ident;
  // An explicit -S means syslog, as asked; otherwise the journal when systemd gave us one.
  to_journal = !console && facility < 0 && kern::journal::under_journald();
  if (!console)
    openlog(ident, LOG_PID | LOG_NDELAY, syslog_facility);
}

void start_async() {
  if (q.running.exchange(true))
    return;
  q.quit = false;
  q.thread = std::thread(logger_loop);
  static bool registered = false;
  if (!registered) {
    registered = true;
    std::atexit(stop);
  }
}

void stop() {
  if (!q.running.exchange(false))
    return;
  {
    std::lock_guard<std::mutex> lock(q.m);
    q.quit = true;
  }
  q.cv.notify_one();
  q.room.notify_all();
  q.thread.join();
}

void set_realtime_thread() { realtime_thread = true; }

std::uint64_t dropped() { return q.dropped.load(); }

void vwrite(level lv, const char* fmt, va_list ap) {
  if (lv == level::debug && !with_detail)
    return;
  auto now = std::chrono::system_clock::now();
  if (!q.running) {
    char text[2048];
    vsnprintf(text, sizeof text, fmt, ap);
    emit(lv, now, text);
    return;
  }
  char text[sizeof(entry::text)];
  vsnprintf(text, sizeof text, fmt, ap);
  std::unique_lock<std::mutex> lock(q.m, std::defer_lock);
  if (realtime_thread) {
    // Never wait on the real-time thread: busy or full means the line is dropped.
    if (!lock.try_lock() || q.count == queue_lines) {
      ++q.dropped;
      return;
    }
  } else {
    lock.lock();
    q.room.wait(lock, [] { return q.count < queue_lines || q.quit; });
    if (q.quit) {  // the logger is gone: write it ourselves
      lock.unlock();
      emit(lv, now, text);
      return;
    }
  }
  entry& e = q.ring[(q.head + q.count) % queue_lines];
  e.lv = lv;
  e.at = now;
  std::memcpy(e.text, text, sizeof text);
  ++q.count;
  lock.unlock();
  q.cv.notify_one();
}

void write(level lv, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vwrite(lv, fmt, ap);
  va_end(ap);
}

} // namespace ka::log
