// Facts about this process for the metrics: when it started and how much memory it holds,
// from /proc (proc(5)). nullopt when /proc does not say.
#pragma once
#include <optional>

namespace ka::kern {

// Seconds since the Unix epoch: /proc/stat's btime plus /proc/self/stat's starttime.
std::optional<double> process_start_time();
// Resident set size in bytes: /proc/self/statm's resident pages.
std::optional<double> resident_bytes();

} // namespace ka::kern
