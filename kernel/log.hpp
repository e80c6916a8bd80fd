// Logging to syslog (daemon default) or to stderr (-l). Thread-safe; printf-style so that
// call sites stay one line. -D (detail) enables debug-level lines.
//
// Once start_async() has run, lines go through a bounded queue to a logger thread, so that
// no caller waits for syslog or the console. A thread marked real-time (the advert thread)
// never blocks on the queue either: if it is busy or full, the line is dropped and counted,
// and the logger reports the count. stop() (also at exit) writes what is queued.
#pragma once
#include <cstdarg>
#include <cstdint>

namespace ka::log {

enum class level { error, warning, notice, info, debug };

// facility: the syslog facility (<syslog.h> value) when not on the console; -1 = LOG_DAEMON.
void init(const char* ident, bool console, bool detail, int facility = -1);
void write(level lv, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

void vwrite(level lv, const char* fmt, va_list ap);

// Starts the logger thread (after daemonising: a fork keeps no threads). Idempotent.
void start_async();
// Writes every queued line and ends the logger thread; later lines are written directly.
void stop();
// Marks the calling thread real-time: its lines are dropped rather than ever waiting.
void set_realtime_thread();
// Lines dropped so far because the queue was full or busy.
std::uint64_t dropped();

// log::error(...), log::warning(...), ...: one line each at their level.
#define KA_LOG_FN(name, lv)                                                        \
  inline void name(const char* fmt, ...) __attribute__((format(printf, 1, 2)));   \
  inline void name(const char* fmt, ...) {                                         \
    va_list ap;                                                                    \
    va_start(ap, fmt);                                                             \
    vwrite(lv, fmt, ap);                                                           \
    va_end(ap);                                                                    \
  }
KA_LOG_FN(error, level::error)
KA_LOG_FN(warning, level::warning)
KA_LOG_FN(notice, level::notice)
KA_LOG_FN(info, level::info)
KA_LOG_FN(debug, level::debug)
#undef KA_LOG_FN

} // namespace ka::log
