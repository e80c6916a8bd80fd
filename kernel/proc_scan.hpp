// tracking: the running processes as /proc shows them (name and command line), for
// vrrp_track_process. No CAF.
#pragma once
#include <string>
#include <vector>

namespace ka::kern {

struct proc_entry {
  int pid = 0;
  std::string name;                 // the Name: line of /proc/PID/status
  std::vector<std::string> argv;    // /proc/PID/cmdline split at NULs (empty for kernel threads)
};

// Every process readable now; processes that end during the scan are skipped.
std::vector<proc_entry> scan_processes();

} // namespace ka::kern
