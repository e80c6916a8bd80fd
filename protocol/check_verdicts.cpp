#include "protocol/check_verdicts.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>

namespace ka::proto {

check_verdict misc_verdict(int code, bool dynamic) {
  std::string said = "exit status " + std::to_string(code);
  if (!dynamic || code == 0)
    return {code == 0, std::nullopt, said};
  if (code == 1)
    return {false, std::nullopt, said};
  return {true, code - 2, said + ": weight " + std::to_string(code - 2)};
}

check_verdict file_verdict(long long value, int weight, bool reverse, bool dynamic) {
  std::string said = "value " + std::to_string(value);
  if (weight == 0) {
    bool down = (value != 0) != reverse;
    return {!down, std::nullopt, said};
  }
  long long product = value * weight * (reverse ? -1 : 1);
  if (product <= INT_MIN)
    return {false, std::nullopt, said + ": weighted " + std::to_string(product) + ", fault"};
  int held = product > INT_MAX ? INT_MAX : static_cast<int>(product);
  check_verdict v{true, std::nullopt, said};
  if (dynamic) {
    v.weight = held;
    v.reason += ": weight change " + std::to_string(held);
  }
  return v;
}

std::optional<long long> parse_track_number(std::string_view text) {
  std::string s(text.substr(0, 127));  // keepalived reads at most 127 bytes
  errno = 0;
  long long v = std::strtoll(s.c_str(), nullptr, 0);
  if (errno || v < INT32_MIN || v > static_cast<long long>(INT32_MAX) + 1)
    return std::nullopt;
  return v;
}

} // namespace ka::proto
