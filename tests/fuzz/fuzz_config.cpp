// libFuzzer target for the whole config front end: preprocessing (@ID, $NAME, ~SEQ),
// grammar, include splicing and validation (parser/load.hpp), as `keepalive -t` runs them.
//
// The input is one or more files separated by lines holding only `%%`; they are served
// from memory as /fuzz/0.conf, /fuzz/1.conf, ... (include patterns are matched with
// fnmatch, relative ones against /fuzz/), so includes are fuzzed without the disk. Any
// exception but config_error escapes and is reported by libFuzzer as a crash.
#include <fnmatch.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "parser/load.hpp"

namespace {

using namespace ka::config;

class memory_source final : public file_source {
public:
  explicit memory_source(std::string_view input) {
    std::size_t i = 0;
    for (;;) {
      auto sep = input.find("\n%%\n");
      files_["/fuzz/" + std::to_string(i++) + ".conf"] = std::string(input.substr(0, sep));
      if (sep == std::string_view::npos) break;
      input.remove_prefix(sep + 4);
    }
    files_["/fuzz/dir/"] = "";  // a directory: glob leaves it out
  }

  std::vector<std::string> glob(const std::string& pattern) override {
    std::vector<std::string> out;
    for (const auto& [name, text] : files_)
      if (name.back() != '/' && fnmatch(pattern.c_str(), name.c_str(), FNM_PATHNAME) == 0) out.push_back(name);
    return out;
  }

  file_read read(const std::string& path, std::size_t max_bytes) override {
    file_read r;
    auto it = files_.find(path);
    if (it == files_.end()) return r;
    if (it->second.size() > max_bytes) {
      r.result = file_read::status::too_large;
      return r;
    }
    r.result = file_read::status::ok;
    r.text = it->second;
    return r;
  }

private:
  std::map<std::string, std::string> files_;
};

// The default limits but for the bytes of one load (256 KiB): ~SEQ and macros multiply a 16 KiB
// input many times over, and 16 MiB of text through the grammar under ASan takes longer
// than the 5 s that libFuzzer allows one input, and big inputs swell ASan's RSS towards the
// 512 MB limit of tests/fuzz/run.sh. The byte limits themselves are tested in
// tests/unit/test_preprocess.cpp and test_parser_limits.cpp.
ka::config::load_limits fuzz_limits() {
  ka::config::load_limits l;
  l.max_total_bytes = 256u << 10;
  return l;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  memory_source files(std::string_view(reinterpret_cast<const char*>(data), size));
  try {
    load_file("/fuzz/0.conf", files, fuzz_limits());
  } catch (const config_error& e) {
    if (std::string_view(e.what()).empty()) __builtin_trap();  // every error says something
  }
  return 0;
}
