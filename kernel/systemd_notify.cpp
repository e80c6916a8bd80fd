#include "kernel/systemd_notify.hpp"

#include <systemd/sd-daemon.h>

#include <cstdlib>
#include <cstring>
#include <ctime>

#include "kernel/log.hpp"

namespace ka::kern::systemd {
namespace {

// STATUS= is one line: a newline would start another variable.
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r')
      c = ' ';
  return s;
}

void send(const std::string& text) {
  if (!enabled())
    return;
  // unset_environment = 0: later messages (reload, stop) need the variable again.
  int rc = sd_notify(0, text.c_str());
  if (rc < 0)
    log::warning("service manager notification failed: %s", std::strerror(-rc));
}

} // namespace

bool enabled() {
  const char* s = std::getenv("NOTIFY_SOCKET");
  return s && *s;
}

void ready(const std::string& status) { send("READY=1\nSTATUS=" + one_line(status)); }

void status(const std::string& status) { send("STATUS=" + one_line(status)); }

void reloading() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  auto usec = static_cast<unsigned long long>(ts.tv_sec) * 1000000ULL +
              static_cast<unsigned long long>(ts.tv_nsec) / 1000ULL;
  send("RELOADING=1\nSTATUS=Reloading the configuration\nMONOTONIC_USEC=" + std::to_string(usec));
}

void reloaded(const std::string& status) { ready(status); }

void stopping(const std::string& status) { send("STOPPING=1\nSTATUS=" + one_line(status)); }

} // namespace ka::kern::systemd
