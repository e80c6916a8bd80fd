#include "kernel/self_stats.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace ka::kern {

std::optional<double> process_start_time() {
  std::ifstream stat_file("/proc/stat");
  double btime = -1;
  for (std::string line; std::getline(stat_file, line);)
    if (line.rfind("btime ", 0) == 0) {
      btime = std::stod(line.substr(6));
      break;
    }
  std::ifstream self("/proc/self/stat");
  std::string all((std::istreambuf_iterator<char>(self)), std::istreambuf_iterator<char>());
  // The command name is in parentheses and may hold spaces: count fields after its ')'.
  auto close = all.rfind(')');
  long ticks_per_s = ::sysconf(_SC_CLK_TCK);
  if (btime < 0 || close == std::string::npos || ticks_per_s <= 0)
    return std::nullopt;
  std::istringstream rest(all.substr(close + 1));
  std::string field;
  // Fields 3.. follow; starttime is field 22, the 20th after the ')'.
  for (int i = 3; i <= 22 && rest >> field; ++i)
    if (i == 22)
      return btime + std::stod(field) / static_cast<double>(ticks_per_s);
  return std::nullopt;
}

std::optional<double> resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  double size = 0, resident = 0;
  if (!(statm >> size >> resident))
    return std::nullopt;
  return resident * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

} // namespace ka::kern
