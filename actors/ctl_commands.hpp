// keepalivectl's commands beyond status, config and ping: building their requests from
// the command line, and what it prints for them (watch, check, garp, priority, stats,
// instances), plus the status table's extra lines. No CAF, no socket: keepalivectl.cpp
// owns the connection.
#pragma once
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "protocol/admin_protocol.hpp"

namespace ka::ctl {

// keepalivectl's exit codes (README "keepalivectl"; keepalivectl --help).
enum exit_code : int {
  exit_ok = 0,
  exit_not_expected = 1,   // check: an instance is not as expected; else the daemon said no
  exit_usage = 2,
  exit_unreachable = 3,    // no daemon, no answer, or an answer that cannot be read
};

// Readers of a status answer, for the tables: the member at `path` (object keys) or
// nullptr; a string member or `fallback`; a number as an integer or 3 digits, or `fallback`.
const json* at(const json& v, std::initializer_list<const char*> path);
std::string str(const json* v, const char* fallback = "-");
std::string num(const json* v, const char* fallback = "-");

// The request for `args` (the command and its arguments), or nullopt with the reason in
// `error` (a usage error).
std::optional<json> build_request(const std::vector<std::string>& args, std::string& error);

// Prints the answer of a one-reply command (not status/config/ping/watch) for people.
void print_reply(const std::string& cmd, const json& reply);

// reload: one line of counts and what was restarted / not reloaded, or every error of
// the refused configuration on stderr; `raw`: print the answer as it is (--json).
// exit_ok, or exit_not_expected when the daemon refused the new configuration.
int print_reload(const json& reply, const std::string* raw);

// check: one line per instance that is not as expected (protocol/admin_check.hpp) on
// stdout, or one "ok" line; exit_ok or exit_not_expected.
int print_check(const json& status, bool as_json);

// The status table's lines about priority overrides, tracked objects, hooks in flight,
// the kernel actor's queue and errors, lateness buckets, events and cleared counters.
void print_status_extras(const json& status);

// One event line (JSON as received) for people, or as it is with --json.
void print_event(const std::string& line, bool as_json);

} // namespace ka::ctl
