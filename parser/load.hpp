// Read keepalived.conf syntax into the typed model. The stages are separate files:
// grammar (Spirit X3 -> syntax tree), then validation (syntax tree -> config).
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include "parser/config.hpp"
#include "parser/source.hpp"

namespace ka::config {

// A config that cannot be used. what() is "file:line:column: found X, expected Y".
// Validation goes on past an error (the bad statement or block is skipped) and throws
// one config_error holding every error found: what() then lists them one per line, in
// the order found, and where()/found()/expected() are those of the first.
// Syntax errors (unbalanced braces, quotes) and load limits still stop at the first.
class config_error : public std::runtime_error {
public:
  config_error(source_pos where, std::string found, std::string expected);
  explicit config_error(std::vector<config_error> all);  // at least one
  const source_pos& where() const { return where_; }
  const std::string& found() const { return found_; }
  const std::string& expected() const { return expected_; }
  // Every error, each with its own position; a single error gives itself.
  std::vector<config_error> all() const;
  // What the load had found besides the errors (warnings, unknown keywords, keywords not
  // acted on) and the files it had read, so that `keepalive -t` prints everything, not
  // only the errors. Empty for an error made by hand.
  const std::vector<diagnostic>& diagnostics() const { return diagnostics_; }
  const std::vector<std::string>& files() const { return files_; }
  // Puts `found` before the diagnostics carried already: the loader's warnings (found while
  // reading) come before validation's. `files`, when not empty, replaces the list.
  void carry(std::vector<diagnostic> found, std::vector<std::string> files = {});
private:
  source_pos where_;
  std::string found_, expected_;
  std::vector<config_error> more_;  // the errors after the first
  std::vector<diagnostic> diagnostics_;
  std::vector<std::string> files_;
};

// Throws config_error, and nothing else (a config too big for memory is one too).
// `include` directives are resolved relative to the including file. `config_id` selects
// the conditional lines (@ID, parser/preprocess.hpp); "" means the default, the host name.
config load_file(const std::string& path, const std::string& config_id = {});
// Same, reading files from `files` within `limits` (the fuzzer serves files from memory).
config load_file(const std::string& path, file_source& files, const load_limits& limits = {},
                 const std::string& config_id = {});
// Same, for text in memory; `name` stands for the file name in positions.
config load_string(const std::string& text, const std::string& name = "<string>",
                   const std::string& config_id = {});

} // namespace ka::config
