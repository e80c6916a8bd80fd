#include "protocol/process_match.hpp"

namespace ka::proto {

bool process_matches(const std::vector<std::string>& process, const std::string& param_mode,
                     const std::string& name, const std::vector<std::string>& argv) {
  if (process.empty())
    return false;
  if (process.size() == 1 && param_mode.empty())
    return name == process[0].substr(0, 15);
  if (argv.empty() || argv[0] != process[0])
    return false;
  const std::size_t want = process.size() - 1;  // configured parameters
  const std::size_t have = argv.size() - 1;
  if (param_mode.empty() || (want == 0 && param_mode != "partial")) {
    if (have != want)
      return false;
    for (std::size_t i = 1; i <= want; ++i)
      if (argv[i] != process[i])
        return false;
    return true;
  }
  if (have < want)
    return false;
  for (std::size_t i = 1; i <= want; ++i) {
    const bool last = i == want;
    if (param_mode == "initial" && last) {
      if (argv[i].compare(0, process[i].size(), process[i]) != 0)
        return false;
    } else if (argv[i] != process[i]) {
      return false;
    }
  }
  // partial allows more parameters after the configured ones; initial does not.
  return param_mode == "partial" || have == want;
}

bool quorum_met(int count, int quorum, int quorum_max) {
  return count >= quorum && (quorum_max < 0 || count <= quorum_max);
}

} // namespace ka::proto
