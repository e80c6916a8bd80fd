// Which running processes a vrrp_track_process counts (keepalived.conf(5)): pure matching
// of one process's name and command line against the configured `process` words.
#pragma once
#include <string>
#include <vector>

namespace ka::proto {

enum class param_match { none, exact_all, partial, initial };

// `process`: the configured words (command, then parameters). `param_mode`: "" (not
// written), "partial" or "initial". `name`: the Name: line of /proc/PID/status (the kernel
// truncates it to 15 bytes); `argv`: /proc/PID/cmdline split at NULs.
// Without parameters and without param_match, the command is matched against the name
// (its first 15 bytes, as the kernel keeps them). With parameters, or with param_match,
// argv[0] must equal the command and the parameters must match: every one exactly and no
// more (not written), the first n exactly and any more after them (partial), or the first
// n-1 exactly and the last as a prefix of the process's n-th (initial).
bool process_matches(const std::vector<std::string>& process, const std::string& param_mode,
                     const std::string& name, const std::vector<std::string>& argv);

// quorum..quorum_max (unset: no upper bound) processes mean success.
bool quorum_met(int count, int quorum, int quorum_max /* -1: none */);

} // namespace ka::proto
