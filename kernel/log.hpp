// Logging to syslog (daemon default) or to stderr (-l). Thread-safe; printf-style so that
// call sites stay one line. -D (detail) enables debug-level lines.
#pragma once
#include <cstdarg>

namespace ka::log {

enum class level { error, warning, notice, info, debug };

void init(const char* ident, bool console, bool detail);
void write(level lv, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

void vwrite(level lv, const char* fmt, va_list ap);

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
