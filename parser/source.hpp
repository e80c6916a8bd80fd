// Where the loader (load.cpp) gets its files from, and the limits of one load.
// The daemon reads the disk; the fuzzer (tests/fuzz/fuzz_config.cpp) serves files from
// memory, so that include splicing is fuzzed without touching the disk.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace ka::config {

// Bounds that keep a hostile or broken config from exhausting the daemon at start-up.
// keepalived.conf files are kilobytes and nest a few blocks deep; these are far above
// any real config and far below what would hurt (see "Limits" in README.md).
struct load_limits {
  std::size_t max_file_bytes = 4u << 20;    // one file
  std::size_t max_total_bytes = 16u << 20;  // all files of one load, each read counted
  int max_files = 1024;                     // files read by one load, each read counted
  int max_include_depth = 32;               // include inside included file ...
  int max_block_depth = 128;                // nested { } blocks, across includes
  std::size_t max_words = 1000000;          // keywords and arguments of one load
};

struct file_read {
  enum class status { ok, unreadable, not_regular, too_large };
  status result = status::unreadable;
  std::string text;  // ok: the contents
  std::string kind;  // not_regular: "a directory", "a FIFO", ...
};

class file_source {
public:
  virtual ~file_source() = default;
  // Matches of a glob(3) pattern with csh-style braces, sorted, directories left out.
  virtual std::vector<std::string> glob(const std::string& pattern) = 0;
  // Reads a regular file of at most max_bytes; never blocks on a FIFO or device.
  virtual file_read read(const std::string& path, std::size_t max_bytes) = 0;
};

// The real filesystem.
file_source& disk();

} // namespace ka::config
