// Internal to validation of the LVS side (validate_lvs.cpp, validate_checkers.cpp): the
// timers every level shares and the checker blocks of a real_server.
#pragma once
#include <climits>
#include <string_view>

#include "parser/validate_blocks.hpp"

namespace ka::config::detail {

constexpr long long k_secs_max = UINT_MAX / 1000000;

// Timers, retries and flags: virtual_server, real_server and the checkers.
using ti = check_timers;

template <class T, ti::item I>
void timer_secs(context& c, T& t, const node& n) {
  t.timers.set_seconds(I, seconds_arg(n, 0, 0, k_secs_max));
  no_more_args(c, n, 1);
}

template <class T>
void timer_retry(context& c, T& t, const node& n) {
  t.timers.set_retries(static_cast<int>(integer_arg(n, 0, 0, INT_MAX)));
  no_more_args(c, n, 1);
}

template <class T, ti::item I>
void timer_flag(context& c, T& t, const node& n) {
  t.timers.set_flag(I, flag_arg(c, n));
}

// TCP_CHECK { ... }, HTTP_GET { ... }, ...: a checker of the real server.
void checker_block(context& c, real_server& r, const node& n);
// Whether keepalived knows `keyword` in a checker of kind k.
bool kind_has(checker_kind k, std::string_view keyword);

} // namespace ka::config::detail
