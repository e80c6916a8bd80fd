// The service manager's readiness protocol (systemd Type=notify, etc/keepalive.service):
// thin wrappers over libsystemd's sd_notify. Every call is a no-op unless the manager gave
// a socket in NOTIFY_SOCKET, so a daemon started by hand or by a script sends nothing.
//
// NOTIFY_SOCKET stays in the environment, so hooks inherit it: a unit's default
// NotifyAccess=main makes the manager ignore anything they send there.
#pragma once
#include <string>

namespace ka::kern::systemd {

// True when NOTIFY_SOCKET names a socket.
bool enabled();

// READY=1 with STATUS=: the configuration is applied (instances started, admin socket
// answering). A manager starts the units ordered after this one only now.
void ready(const std::string& status);
// STATUS= alone: a one-line summary shown by `systemctl status`.
void status(const std::string& status);
// Around a reload (SIGHUP): RELOADING=1 (with MONOTONIC_USEC, which systemd 253's
// Type=notify-reload asks for) before the new configuration is read, then READY=1 and a
// new STATUS= once it is applied or refused.
void reloading();
void reloaded(const std::string& status);
// STOPPING=1 with STATUS=: the shutdown sequence has begun.
void stopping(const std::string& status);

} // namespace ka::kern::systemd
