// What a load found, as `keepalive -t` prints it: every error and every diagnostic, one
// line each, in file order, so that an operator reads them beside the config.
#pragma once
#include <string>
#include <vector>

#include "parser/config.hpp"
#include "parser/load.hpp"

namespace ka::config {

struct report_line {
  source_pos where;
  std::string kind;  // "error", "unknown keyword", "not acted on yet", "warning"
  std::string text;  // "found X, expected Y" for an error, else the diagnostic's message
  bool error = false;
  std::string to_string() const;  // "file:line:column: kind: text"
};

const char* kind_text(diagnostic::kind k);

// By file (in the order `files` lists them, files not listed after those), then line and
// column; what shares a position keeps the order it was found in, errors after diagnostics.
std::vector<report_line> in_file_order(const std::vector<diagnostic>& diagnostics,
                                       const std::vector<config_error>& errors,
                                       const std::vector<std::string>& files);

} // namespace ka::config
