// Drop-log thinning by time under a fake clock.
#include <doctest/doctest.h>

#include "protocol/log_thinner.hpp"

using namespace ka::proto;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {
time_point at_ms(long ms) { return time_point{} + milliseconds(ms); }
} // namespace

TEST_CASE("log_thinner: the first event is logged, then one summary per period") {
  log_thinner t(seconds(10));
  auto v = t.on_event(at_ms(1000));
  CHECK(v.log);
  CHECK(v.suppressed == 0);
  // A 10 s flood at 1,000 events a second: nothing more until the period is over.
  int lines = 1;
  for (long ms = 1001; ms < 11000; ++ms)
    lines += t.on_event(at_ms(ms)).log;
  CHECK(lines == 1);
  v = t.on_event(at_ms(11000));
  CHECK(v.log);
  CHECK(v.suppressed == 9999);  // every event between the two lines
  CHECK(t.total() == 10001);
}

TEST_CASE("log_thinner: a flood of 10 s gives at most 2 lines, a minute at most 7") {
  log_thinner t(seconds(10));
  int lines = 0;
  for (long ms = 0; ms < 10000; ms += 1)
    lines += t.on_event(at_ms(ms)).log;
  CHECK(lines == 1);
  for (long ms = 10000; ms < 60000; ms += 1)
    lines += t.on_event(at_ms(ms)).log;
  CHECK(lines == 6);
}

TEST_CASE("log_thinner: rare events are all logged, each with nothing suppressed") {
  log_thinner t(seconds(10));
  for (long s = 0; s < 100; s += 11) {
    auto v = t.on_event(at_ms(s * 1000));
    CHECK(v.log);
    CHECK(v.suppressed == 0);
  }
}

TEST_CASE("log_thinner: the count suppressed is carried to the next line however late") {
  log_thinner t(seconds(10));
  t.on_event(at_ms(0));
  t.on_event(at_ms(1));
  t.on_event(at_ms(2));
  auto v = t.on_event(at_ms(3'600'000));  // an hour later
  CHECK(v.log);
  CHECK(v.suppressed == 2);
}
