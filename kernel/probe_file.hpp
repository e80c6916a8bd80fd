// FILE_CHECK: reads the number in the track_file's file and judges it
// (protocol/check_verdicts.hpp). keepalived re-reads the file when inotify says it
// changed; the checker actor may do that too (kernel/inotify.hpp) and run this probe on
// each change, or run it every delay_loop: the probe itself is one read.
#pragma once
#include <string>

#include "kernel/probe.hpp"

namespace ka::kern {

struct file_probe_spec {
  std::string path;       // the track_file's file
  int weight = 0;         // FILE_CHECK's weight, or the track_file's when FILE_CHECK sets none
  bool reverse = false;
  bool dynamic = false;
  long long previous = 0; // the value last read: kept when the file holds an out-of-range number
};

// A missing or empty file reads as 0 (as keepalived). With dynamic the result's weight
// is the change to add to the real server's weight.
void start_file_probe(probe_engine& engine, const file_probe_spec& spec, probe_callback done);

} // namespace ka::kern
