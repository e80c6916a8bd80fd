// Logging to syslog (daemon default) or to stderr (-l). Thread-safe; printf-style so that
// call sites stay one line. -D (detail) enables debug-level lines.
#pragma once
#include <cstdarg>

namespace ka::log {

enum class level { error, warning, notice, info, debug };

void init(const char* ident, bool console, bool detail);
bool detail();
void write(level lv, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

#define KA_LOG_FN(name, lv)                                                        \
  inline void name(const char* fmt, ...) __attribute__((format(printf, 1, 2)));   \
  void vwrite_##name(const char* fmt, va_list ap);                                 \
  inline void name(const char* fmt, ...) {                                         \
    va_list ap;                                                                    \
    va_start(ap, fmt);                                                             \
    vwrite_##name(fmt, ap);                                                        \
    va_end(ap);                                                                    \
  }
KA_LOG_FN(error, level::error)
KA_LOG_FN(warning, level::warning)
KA_LOG_FN(notice, level::notice)
KA_LOG_FN(info, level::info)
KA_LOG_FN(debug, level::debug)
#undef KA_LOG_FN

void vwrite(level lv, const char* fmt, va_list ap);

} // namespace ka::log
