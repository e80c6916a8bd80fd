// The syslog facility of -S/--log-facility, spelled as keepalived's option takes it:
// 0-7 (LOG_LOCAL0..7), local0-local7, user or daemon (the default). Lower case only, as
// keepalived 2.2.7 refuses LOCAL3.
#pragma once
#include <optional>
#include <string>

namespace ka::kern {

// The <syslog.h> facility value (LOG_LOCAL3, ...), or nullopt for anything else.
std::optional<int> parse_log_facility(const std::string& text);
// "local3", "user", "daemon": for messages; "?" for a value parse_log_facility never gives.
const char* log_facility_name(int facility);

} // namespace ka::kern
