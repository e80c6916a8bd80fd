// The advert thread's send lateness as a short histogram for the admin status: its fine
// buckets (1 us wide below 1 ms, then powers of two) folded into a few wide ones that a
// person can read. Pure.
#pragma once
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace ka::proto {

struct lateness_bucket {
  std::optional<std::int64_t> upper_us;  // samples <= this; nullopt: the rest
  std::uint64_t count = 0;
};

// Upper bounds of the wide buckets, in microseconds; one more bucket holds the rest.
inline const std::vector<std::int64_t>& lateness_bounds() {
  static const std::vector<std::int64_t> b{10, 50, 100, 500, 1000, 5000, 10000, 50000, 100000};
  return b;
}

// `samples`: (value or upper bound in us, count), in any order. Every wide bucket is
// returned, empty ones too, so the shape reads the same from one status to the next.
std::vector<lateness_bucket> lateness_buckets(const std::vector<std::pair<std::int64_t, std::uint64_t>>& samples);

} // namespace ka::proto
