// MISC_CHECK's and FILE_CHECK's verdicts: what a script's exit status or a tracked file's
// number means for a real server, per keepalived.conf(5) and keepalived 2.2.7's
// behaviour (README, "Health checks"). Pure.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ka::proto {

struct check_verdict {
  bool ok = false;
  std::optional<int> weight;  // see each function
  std::string reason;
};

// A MISC_CHECK script that exited with `code`. Without misc_dynamic: 0 is up, anything
// else down. With misc_dynamic: 0 up (the real server back at its configured weight),
// 1 down, 2..255 up with the real server's weight set to code - 2 (`weight`), so 0..253.
check_verdict misc_verdict(int code, bool dynamic);

// A FILE_CHECK reading `value` from its track_file, with the checker's `weight` (or, when
// it sets none, the track_file's) and `reverse`:
// - weight 0: down while the value is non-zero (with reverse: while it is zero);
// - otherwise value * weight (negated by reverse), held to the int range: down when it
//   reaches the lowest int (keepalived's fault weight), else up; with `dynamic`, that
//   product is added to the real server's weight (`weight`).
check_verdict file_verdict(long long value, int weight, bool reverse, bool dynamic);

// The number at the start of a tracked file's text, read as keepalived reads it: leading
// white space, an optional sign, then decimal, 0x hex or 0 octal (strtol with base 0),
// stopping at the first other character. Empty text or no digits: 0. nullopt when the
// value lies outside [INT32_MIN, INT32_MAX + 1]: keepalived then ignores the file's
// new content and keeps the previous value.
std::optional<long long> parse_track_number(std::string_view text);

} // namespace ka::proto
