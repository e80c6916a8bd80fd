// Arguments of the admin socket's commands that take some (garp, priority, stats), read
// from the request object and checked before any actor is asked. Pure.
//   {"cmd":"garp","instance":"VI_1"}
//   {"cmd":"priority","instance":"VI_1","priority":200}   (1..254)
//   {"cmd":"priority","instance":"VI_1","priority":"reset"}
//   {"cmd":"stats","action":"clear"}
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "protocol/admin_protocol.hpp"

namespace ka::proto {

// The request line as an object, or nullopt with an error reply in `error`.
std::optional<json> admin_request(std::string_view line, json& error);

// Longest instance name accepted in a request: keepalived's names are short words; the
// limit keeps error replies (which quote the name) small.
constexpr std::size_t max_instance_arg = 128;

// Member "instance": a non-empty string of at most max_instance_arg bytes.
std::optional<std::string> instance_arg(const json& req, json& error);

// Member "priority": an integer 1..254, or "reset" (then 0).
std::optional<int> priority_arg(const json& req, json& error);

// Member "action" of `stats`: "clear" is the only one.
std::optional<std::string> stats_arg(const json& req, json& error);

} // namespace ka::proto
