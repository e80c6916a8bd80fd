// Tracking: the effective priority rule, the state machine's answer to a priority change,
// and which processes a vrrp_track_process counts.
#include <doctest/doctest.h>

#include "protocol/process_match.hpp"
#include "protocol/track_priority.hpp"
#include "protocol/vrrp_state_machine.hpp"

using namespace ka::proto;

namespace {

track_term up_down(int weight, bool ok, bool reverse = false) {
  track_term t;
  t.weight = weight;
  t.ok = ok;
  t.reverse = reverse;
  return t;
}

track_term file_value(int weight, long long value, bool reverse = false) {
  track_term t;
  t.what = track_term::kind::value;
  t.weight = weight;
  t.value = value;
  t.reverse = reverse;
  return t;
}

int prio(int configured, std::vector<track_term> terms) {
  auto e = compute_effective_priority(configured, terms);
  CHECK_FALSE(e.fault);
  return e.priority;
}

bool faulted(int configured, std::vector<track_term> terms) {
  return compute_effective_priority(configured, terms).fault;
}

} // namespace

TEST_CASE("tracking: no terms keep the configured priority") {
  CHECK(prio(100, {}) == 100);
  CHECK(prio(1, {}) == 1);
  CHECK(prio(254, {}) == 254);
}

TEST_CASE("tracking: positive weights add while up, negative subtract while down") {
  CHECK(prio(100, {up_down(20, true)}) == 120);
  CHECK(prio(100, {up_down(20, false)}) == 100);
  CHECK(prio(100, {up_down(-30, true)}) == 100);
  CHECK(prio(100, {up_down(-30, false)}) == 70);
  CHECK(prio(100, {up_down(20, true), up_down(-30, false), up_down(5, true)}) == 95);
}

TEST_CASE("tracking: reverse negates what is applied, the condition stays") {
  CHECK(prio(100, {up_down(20, true, true)}) == 80);
  CHECK(prio(100, {up_down(20, false, true)}) == 100);
  CHECK(prio(100, {up_down(-30, false, true)}) == 130);
  CHECK(prio(100, {up_down(-30, true, true)}) == 100);
}

TEST_CASE("tracking: unweighted failure is FAULT; weight 0 reverse faults while up") {
  CHECK(faulted(100, {up_down(0, false)}));
  CHECK_FALSE(faulted(100, {up_down(0, true)}));
  CHECK(faulted(100, {up_down(0, true, true)}));
  CHECK_FALSE(faulted(100, {up_down(0, false, true)}));
  CHECK(faulted(100, {up_down(10, true), up_down(0, false)}));
}

TEST_CASE("tracking: the result is clamped to 1..254") {
  CHECK(prio(200, {up_down(100, true)}) == 254);
  CHECK(prio(10, {up_down(-50, false)}) == 1);
  CHECK(prio(250, {up_down(4, true), up_down(4, true)}) == 254);  // never 255 by weights
}

TEST_CASE("tracking: an owner (255) keeps 255 whatever the weights, but still faults") {
  CHECK(prio(255, {up_down(-50, false)}) == 255);
  CHECK(prio(255, {up_down(50, true, true)}) == 255);
  CHECK(faulted(255, {up_down(0, false)}));
}

TEST_CASE("tracking: track_file values") {
  CHECK(prio(100, {file_value(1, 0)}) == 100);
  CHECK(prio(100, {file_value(1, 25)}) == 125);
  CHECK(prio(100, {file_value(1, -40)}) == 60);
  CHECK(prio(100, {file_value(-2, 10)}) == 80);
  CHECK(prio(100, {file_value(2, 10, true)}) == 80);
  // weight 0: non-zero is a failure
  CHECK_FALSE(faulted(100, {file_value(0, 0)}));
  CHECK(faulted(100, {file_value(0, 7)}));
  CHECK(faulted(100, {file_value(0, 0, true)}));
  // a result below -253 is FAULT, -253 itself is not
  CHECK(faulted(100, {file_value(1, -254)}));
  CHECK_FALSE(faulted(100, {file_value(1, -253)}));
  CHECK(prio(100, {file_value(1, -253)}) == 1);
  // huge values do not overflow
  CHECK(prio(100, {file_value(2000000000, 9000000000000000000LL)}) == 254);
  CHECK(faulted(100, {file_value(2000000000, -9000000000000000000LL)}));
}

TEST_CASE("tracking: the state machine applies a priority change") {
  sm_params p;
  p.priority = 100;
  p.primary = *ip_address::parse("192.0.2.10");
  auto t0 = time_point{};
  vrrp_state_machine sm(p);
  sm.start(t0);
  REQUIRE(sm.state() == vrrp_state::backup);
  // A master at 150 is heard; we rise to 200: re-arm (the advert thread's steady rule ends),
  // and the master's next advert, now lower than us, is discarded.
  sm.on_advert(t0 + std::chrono::seconds(1), 150, *ip_address::parse("192.0.2.20"));
  auto acts = sm.set_priority(t0 + std::chrono::seconds(2), 200);
  REQUIRE(acts.size() == 1);
  CHECK(acts[0].what == action::kind::arm_master_down);
  CHECK(sm.params().priority == 200);
  CHECK(sm.on_advert(t0 + std::chrono::seconds(3), 150, *ip_address::parse("192.0.2.20")).empty());
  // The timer fires: we take over, and the adverts carry the new priority.
  sm.on_master_down(t0 + std::chrono::seconds(6));
  CHECK(sm.state() == vrrp_state::master);
  CHECK(sm.master_priority() == 200);
  // As master, a drop restarts the adverts (new priority on the wire now).
  acts = sm.set_priority(t0 + std::chrono::seconds(7), 90);
  REQUIRE(acts.size() == 1);
  CHECK(acts[0].what == action::kind::start_adverts);
  CHECK(sm.params().priority == 90);
  // The same priority again changes nothing.
  CHECK(sm.set_priority(t0 + std::chrono::seconds(8), 90).empty());
  // A higher backup's advert now makes us yield.
  sm.on_advert(t0 + std::chrono::seconds(9), 150, *ip_address::parse("192.0.2.20"));
  CHECK(sm.state() == vrrp_state::backup);
}

TEST_CASE("tracking: an owner's priority is never changed") {
  sm_params p;
  p.priority = 255;
  p.primary = *ip_address::parse("192.0.2.10");
  vrrp_state_machine sm(p);
  sm.start(time_point{});
  CHECK(sm.set_priority(time_point{}, 100).empty());
  CHECK(sm.params().priority == 255);
}

TEST_CASE("tracking: process matching") {
  std::vector<std::string> sleep_argv{"sleep", "86400.5"};
  // By name only
  CHECK(process_matches({"sleep"}, "", "sleep", sleep_argv));
  CHECK_FALSE(process_matches({"slee"}, "", "sleep", sleep_argv));
  // The kernel keeps 15 bytes of the name
  CHECK(process_matches({"a_very_long_process_name"}, "", "a_very_long_pro", {"x"}));
  // With parameters: exact
  CHECK(process_matches({"sleep", "86400.5"}, "", "sleep", sleep_argv));
  CHECK_FALSE(process_matches({"sleep", "86400"}, "", "sleep", sleep_argv));
  CHECK_FALSE(process_matches({"sleep", "86400.5"}, "", "sleep", {"sleep", "86400.5", "x"}));
  CHECK_FALSE(process_matches({"sleep", "86400.5"}, "", "sleep", {"/bin/sleep", "86400.5"}));
  // initial: the last configured parameter is a prefix
  CHECK(process_matches({"sleep", "86400"}, "initial", "sleep", sleep_argv));
  CHECK_FALSE(process_matches({"sleep", "86401"}, "initial", "sleep", sleep_argv));
  // partial: more parameters allowed after the configured ones
  CHECK(process_matches({"sleep", "86400.5"}, "partial", "sleep", {"sleep", "86400.5", "x"}));
  CHECK_FALSE(process_matches({"sleep", "86400"}, "partial", "sleep", sleep_argv));
  // param_match without parameters: the command must have none
  CHECK(process_matches({"sleep"}, "initial", "sleep", {"sleep"}));
  CHECK_FALSE(process_matches({"sleep"}, "initial", "sleep", sleep_argv));
}

TEST_CASE("tracking: quorum") {
  CHECK(quorum_met(1, 1, -1));
  CHECK_FALSE(quorum_met(0, 1, -1));
  CHECK(quorum_met(5, 2, -1));
  CHECK_FALSE(quorum_met(3, 1, 2));
  CHECK(quorum_met(0, 0, 0));
  CHECK_FALSE(quorum_met(1, 0, 0));
}

TEST_CASE("tracking: rise and fall") {
  rise_fall rf(2, 3, false);
  CHECK(rf.ok());
  CHECK_FALSE(rf.on_result(false));
  CHECK_FALSE(rf.on_result(false));
  CHECK_FALSE(rf.on_result(true));   // a success breaks the run of failures
  CHECK_FALSE(rf.on_result(false));
  CHECK_FALSE(rf.on_result(false));
  CHECK(rf.on_result(false));        // third in a row
  CHECK_FALSE(rf.ok());
  CHECK_FALSE(rf.on_result(true));
  CHECK(rf.on_result(true));         // rise 2
  CHECK(rf.ok());
  rise_fall init_fail(1, 1, true);
  CHECK_FALSE(init_fail.ok());
  CHECK(init_fail.on_result(true));
  CHECK(init_fail.ok());
}
