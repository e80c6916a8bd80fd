#include "protocol/lateness_buckets.hpp"

#include <algorithm>

namespace ka::proto {

std::vector<lateness_bucket> lateness_buckets(const std::vector<std::pair<std::int64_t, std::uint64_t>>& samples) {
  const auto& bounds = lateness_bounds();
  std::vector<lateness_bucket> out;
  for (auto b : bounds)
    out.push_back({b, 0});
  out.push_back({std::nullopt, 0});
  for (const auto& [value, count] : samples) {
    auto it = std::lower_bound(bounds.begin(), bounds.end(), value);
    out[static_cast<std::size_t>(it - bounds.begin())].count += count;
  }
  return out;
}

} // namespace ka::proto
