// Log lines to the systemd journal's native socket, with fields beside the text, when
// the daemon runs as a systemd service and no syslog facility was asked for (kernel/log.cpp
// decides). journalctl can then select lines by field: `journalctl INSTANCE=VI_1`,
// `journalctl STATE=MASTER`.
#pragma once
#include <string>
#include <vector>

namespace ka::kern::journal {

// True when systemd connected our output to the journal (JOURNAL_STREAM is set).
bool under_journald();

// The extra fields of a line, "NAME=value" each. A state transition,
// "VRRP_Instance(NAME) Entering STATE STATE" (the line keepalived writes too), gives
// INSTANCE=NAME and STATE=STATE; a sync group's, "VRRP_Group(NAME) Entering ...",
// SYNC_GROUP=NAME and STATE=; any other line none. Pure: no I/O.
std::vector<std::string> fields_of(const std::string& text);

// One line: MESSAGE, PRIORITY (syslog severity), SYSLOG_FACILITY, SYSLOG_IDENTIFIER and
// fields_of(text). False if the journal did not take it (the caller falls back to syslog).
bool send(int priority, int facility, const char* ident, const char* text);

} // namespace ka::kern::journal
