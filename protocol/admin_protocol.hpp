// The admin socket's wire format: one JSON object per line, each way. Requests are
// {"cmd":"status"} or {"cmd":"ping"}; every reply has "ok" and, when false, "error".
// Pure: no I/O. JSON is nlohmann-json (Debian nlohmann-json3-dev), ordered so that members
// keep the order in which the actors build them.
#pragma once
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace ka {
using json = nlohmann::ordered_json;
}

namespace ka::proto {

// The one writer of admin lines: compact JSON and '\n'. Strings are byte strings from
// configs and clients, not always UTF-8: each invalid byte becomes U+FFFD, so a reply is
// always valid JSON that any client can parse. Never throws; on a failure of its own
// (memory) it returns an error line.
std::string admin_line(const json& reply) noexcept;

// {"ok":false,"error":why}
json admin_error(std::string why);

// A request line's command, or an error reply in `error` (then the result is empty).
std::string admin_command(std::string_view line, json& error);

} // namespace ka::proto
