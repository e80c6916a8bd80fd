// Sorting a load's findings into file order (report.hpp). Validation finds things in
// passes (each block, then references, then per-instance checks), so the order found is
// not the order written.
#include "parser/report.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace ka::config {

std::string report_line::to_string() const { return where.to_string() + ": " + kind + ": " + text; }

const char* kind_text(diagnostic::kind k) {
  switch (k) {
    case diagnostic::kind::unknown_keyword: return "unknown keyword";
    case diagnostic::kind::not_acted_on: return "not acted on yet";
    case diagnostic::kind::warning: return "warning";
  }
  return "";
}

std::vector<report_line> in_file_order(const std::vector<diagnostic>& diagnostics,
                                       const std::vector<config_error>& errors,
                                       const std::vector<std::string>& files) {
  std::vector<report_line> lines;
  for (const auto& d : diagnostics) lines.push_back({d.where, kind_text(d.what), d.message, false});
  for (const auto& e : errors) lines.push_back({e.where(), "error", "found " + e.found() + ", expected " + e.expected(), true});
  std::map<std::string, std::size_t> rank;
  for (const auto& f : files) rank.emplace(f, rank.size());  // the first read of a file counts
  auto key = [&](const report_line& l) {
    auto r = rank.find(l.where.file.str());
    return std::make_tuple(r == rank.end() ? files.size() : r->second, l.where.line, l.where.column);
  };
  std::stable_sort(lines.begin(), lines.end(),
                   [&](const report_line& a, const report_line& b) { return key(a) < key(b); });
  return lines;
}

} // namespace ka::config
