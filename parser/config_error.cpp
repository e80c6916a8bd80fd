// config_error holding several errors (parser/load.hpp): validation collects every
// error so that `keepalive -t` can print them all, like keepalived does.
#include "parser/load.hpp"

#include <iterator>

namespace ka::config {
namespace {

std::string joined(const std::vector<config_error>& all) {
  std::string text;
  for (const auto& e : all) text += (text.empty() ? "" : "\n") + std::string(e.what());
  return text;
}

} // namespace

config_error::config_error(std::vector<config_error> all)
    : std::runtime_error(joined(all)), where_(all.at(0).where_), found_(all.at(0).found_),
      expected_(all.at(0).expected_), more_(all.begin() + 1, all.end()) {}

void config_error::carry(std::vector<diagnostic> found, std::vector<std::string> files) {
  found.insert(found.end(), std::make_move_iterator(diagnostics_.begin()), std::make_move_iterator(diagnostics_.end()));
  diagnostics_ = std::move(found);
  if (!files.empty()) files_ = std::move(files);
}

std::vector<config_error> config_error::all() const {
  std::vector<config_error> every{config_error(where_, found_, expected_)};
  every.insert(every.end(), more_.begin(), more_.end());
  return every;
}

} // namespace ka::config
