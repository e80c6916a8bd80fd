// Supervision under a fake clock: the restart intensity (protocol/restart_intensity.hpp)
// and a restarted instance's state machine resuming (vrrp_state_machine::resume).
#include <doctest/doctest.h>

#include <algorithm>

#include "protocol/restart_intensity.hpp"
#include "protocol/vrrp_state_machine.hpp"
#include "test_helpers.hpp"

using namespace ka::proto;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {
time_point at_s(double s) { return time_point{} + milliseconds(static_cast<long>(s * 1000)); }
} // namespace

TEST_CASE("restart_intensity: N restarts in the period are allowed, the N+1-th gives up") {
  restart_intensity r({3, seconds(10)});
  CHECK(r.on_failure(at_s(100)));
  CHECK(r.on_failure(at_s(101)));
  CHECK(r.on_failure(at_s(109.9)));
  CHECK(r.recent(at_s(109.9)) == 3);
  CHECK_FALSE(r.given_up());
  CHECK_FALSE(r.on_failure(at_s(109.95)));  // the fourth within 10 s
  CHECK(r.given_up());
  CHECK(r.restarts() == 3);
  CHECK(r.failures() == 4);
  // Given up is for good: even long after, no restart.
  CHECK_FALSE(r.on_failure(at_s(1000)));
  CHECK(r.restarts() == 3);
  CHECK(r.failures() == 5);
}

TEST_CASE("restart_intensity: failures spread wider than the period restart forever") {
  restart_intensity r({2, seconds(10)});
  for (int i = 0; i < 100; ++i)
    CHECK(r.on_failure(at_s(i * 5.0)));  // two in any 10 s, never three
  CHECK(r.restarts() == 100);
  CHECK_FALSE(r.given_up());
}

TEST_CASE("restart_intensity: the window slides; one exactly a period old is out of it") {
  restart_intensity r({2, seconds(10)});
  CHECK(r.on_failure(at_s(0)));
  CHECK(r.on_failure(at_s(5)));
  CHECK(r.recent(at_s(9.999)) == 2);
  CHECK(r.recent(at_s(10)) == 1);
  CHECK(r.on_failure(at_s(10)));  // the one at 0 left the window at 10 exactly
  CHECK_FALSE(r.on_failure(at_s(14.9)));  // 5 and 10 are still in it
  CHECK(r.given_up());
}

TEST_CASE("restart_intensity: a limit of 0 never restarts") {
  restart_intensity r({0, seconds(60)});
  CHECK_FALSE(r.on_failure(at_s(1)));
  CHECK(r.given_up());
  CHECK(r.restarts() == 0);
}

namespace {
sm_params resume_params(std::uint8_t prio = 100) {
  sm_params p;
  p.priority = prio;
  p.primary = ka::test::ip("192.0.2.10");
  return p;
}
bool has(const std::vector<action>& as, action::kind k) {
  return std::any_of(as.begin(), as.end(), [&](const action& a) { return a.what == k; });
}
} // namespace

TEST_CASE("resume: a MASTER whose adverts were still sent is MASTER again, silently") {
  vrrp_state_machine sm(resume_params(100));
  auto acts = sm.resume(at_s(5), vrrp_state::master);
  CHECK(sm.state() == vrrp_state::master);
  CHECK(sm.transitions() == 0);
  CHECK(has(acts, action::kind::start_adverts));  // the current packet, same priority
  CHECK(has(acts, action::kind::add_vips));       // restores one that went missing
  CHECK_FALSE(has(acts, action::kind::remove_vips));
  CHECK_FALSE(has(acts, action::kind::notify));
  CHECK_FALSE(has(acts, action::kind::send_garp));
  CHECK(sm.master_address() == ka::test::ip("192.0.2.10"));
  // And it behaves as a master from there: a higher priority takes over.
  auto yield = sm.on_advert(at_s(6), 200, ka::test::ip("192.0.2.20"));
  CHECK(sm.state() == vrrp_state::backup);
  CHECK(has(yield, action::kind::remove_vips));
  CHECK(sm.transitions() == 1);
}

TEST_CASE("resume: a BACKUP stays BACKUP without a notify, with its master-down timer") {
  vrrp_state_machine sm(resume_params(100));
  auto acts = sm.resume(at_s(5), vrrp_state::backup);
  CHECK(sm.state() == vrrp_state::backup);
  CHECK(sm.transitions() == 0);
  CHECK_FALSE(has(acts, action::kind::notify));
  CHECK_FALSE(has(acts, action::kind::add_vips));
  REQUIRE(has(acts, action::kind::arm_master_down));
  auto arm = *std::find_if(acts.begin(), acts.end(), [](const action& a) { return a.what == action::kind::arm_master_down; });
  CHECK(arm.deadline == at_s(5) + master_down_interval(2, 100, seconds(1)));
  // No master heard before the timer: MASTER, a real transition this time.
  auto up = sm.on_master_down(arm.deadline);
  CHECK(sm.state() == vrrp_state::master);
  CHECK(has(up, action::kind::notify));
}

TEST_CASE("resume: nothing held (INIT or FAULT before) is a normal start, with its notify") {
  vrrp_state_machine sm(resume_params(100));
  auto acts = sm.resume(at_s(5), vrrp_state::init);
  CHECK(sm.state() == vrrp_state::backup);
  CHECK(has(acts, action::kind::notify));
  CHECK(sm.transitions() == 1);
  // Resuming twice does nothing: the machine has started.
  CHECK(sm.resume(at_s(6), vrrp_state::master).empty());
  CHECK(sm.state() == vrrp_state::backup);
}

TEST_CASE("resume: a resumed MASTER that is then unhealthy goes to FAULT and releases") {
  vrrp_state_machine sm(resume_params(100));
  sm.resume(at_s(5), vrrp_state::master);
  auto down = sm.on_interface(at_s(5), false);
  CHECK(sm.state() == vrrp_state::fault);
  CHECK(has(down, action::kind::stop_adverts));
  CHECK(has(down, action::kind::remove_vips));
  CHECK(has(down, action::kind::notify));
}
