// VRRPv3 timers in the state machine (RFC 5798 6.1, 6.4): Master_Down_Interval from the
// master's advertised interval, which a backup adopts. Fake clock throughout.
#include <doctest/doctest.h>

#include <vector>

#include "protocol/vrrp_state_machine.hpp"
#include "test_helpers.hpp"

using namespace ka::proto;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;
using kind = action::kind;

namespace {

using ka::test::ip;

time_point at_ms(std::int64_t ms) { return time_point{} + milliseconds(ms); }

constexpr milliseconds cs(std::int64_t n) { return milliseconds(10 * n); }

sm_params v3(std::uint8_t prio = 100, duration advert = seconds(1)) {
  sm_params p;
  p.version = 3;
  p.priority = prio;
  p.advert_int = advert;
  p.primary = ip("192.0.2.10");
  return p;
}

// The single arm_master_down of an action list, whose deadline the tests check.
time_point armed(const std::vector<action>& as) {
  REQUIRE(as.size() >= 1);
  for (const auto& a : as)
    if (a.what == kind::arm_master_down) return a.deadline;
  FAIL("no arm_master_down");
  return {};
}

const ip_address peer = *ip_address::parse("192.0.2.1");

} // namespace

TEST_CASE("v3 backup starts timing with its own interval (RFC 5798 6.4.1)") {
  vrrp_state_machine sm(v3(100, seconds(1)));
  // 3 x 100 cs + (156 x 100 cs) / 256 = 3000 + 609.375 ms
  CHECK(armed(sm.start(at_ms(0))) == at_ms(0) + microseconds(3609375));
  CHECK(sm.master_adver_int() == seconds(1));
}

TEST_CASE("v3 backup adopts the master's advertised interval (RFC 5798 6.4.2)") {
  vrrp_state_machine sm(v3(100, seconds(1)));
  sm.start(at_ms(0));
  // 50 cs: 3 x 50 cs + (156 x 50 cs) / 256 = 1500 + 304.6875 ms
  CHECK(armed(sm.on_advert(at_ms(1000), 200, peer, cs(50))) == at_ms(1000 + 1500) + microseconds(304687));
  CHECK(sm.master_adver_int() == cs(50));
  // The upper bound, 4095 cs: 3 x 4095 cs + (156 x 4095 cs) / 256 = 122850 + 24953.90625 ms
  CHECK(armed(sm.on_advert(at_ms(2000), 200, peer, cs(4095))) == at_ms(2000 + 122850) + microseconds(24953906));
  CHECK(sm.master_adver_int() == cs(4095));
  // The lower bound, 1 cs: 3 x 1 cs + (156 x 1 cs) / 256 = 30 + 6.09375 ms
  CHECK(armed(sm.on_advert(at_ms(3000), 200, peer, cs(1))) == at_ms(3000 + 30) + microseconds(6093));
  CHECK(sm.state() == vrrp_state::backup);

  SUBCASE("the master down timer fires at the adopted deadline") {
    sm.on_advert(at_ms(4000), 200, peer, cs(50));
    CHECK(sm.on_master_down(at_ms(5800)).size() > 0);
    CHECK(sm.state() == vrrp_state::master);
    // As master, our own interval counts again.
    CHECK(sm.master_adver_int() == seconds(1));
  }
  SUBCASE("priority 0: Skew_Time of the adopted interval") {
    sm.on_advert(at_ms(4000), 200, peer, cs(200));
    // (156 x 200 cs) / 256 = 1218.75 ms, not the 609.375 ms of our own 1 s
    const auto as = sm.on_advert(at_ms(5000), 0, peer, cs(200));
    REQUIRE(as.size() == 1);
    CHECK(armed(as) == at_ms(5000) + microseconds(1218750));
  }
  SUBCASE("a caller without the interval (0) keeps the last one") {
    sm.on_advert(at_ms(4000), 200, peer, cs(50));
    CHECK(armed(sm.on_advert(at_ms(5000), 200, peer)) == at_ms(5000 + 1500) + microseconds(304687));
  }
}

TEST_CASE("v3: a discarded lower-priority advert does not change the interval") {
  vrrp_state_machine sm(v3(100, seconds(1)));
  sm.start(at_ms(0));
  sm.on_advert(at_ms(1000), 200, peer, cs(50));
  // Preempting backup: a priority-50 advert is discarded, timer untouched.
  CHECK(sm.on_advert(at_ms(1500), 50, peer, cs(300)).empty());
  CHECK(sm.master_adver_int() == cs(50));
}

TEST_CASE("v3 nopreempt: the accepted lower-priority master's interval is adopted") {
  sm_params p = v3(200, seconds(1));
  p.preempt = false;
  vrrp_state_machine sm(p);
  sm.start(at_ms(0));
  // 3 x 300 cs + (56 x 300 cs) / 256 = 9000 + 656.25 ms
  CHECK(armed(sm.on_advert(at_ms(1000), 50, peer, cs(300))) == at_ms(1000 + 9000) + microseconds(656250));
  CHECK(sm.master_adver_int() == cs(300));
}

TEST_CASE("v3 master yielding times the new master's interval (RFC 5798 6.4.3)") {
  vrrp_state_machine sm(v3(100, seconds(1)));
  sm.start(at_ms(0));
  sm.on_master_down(at_ms(3610));
  REQUIRE(sm.state() == vrrp_state::master);
  const auto as = sm.on_advert(at_ms(4000), 150, peer, cs(200));
  CHECK(sm.state() == vrrp_state::backup);
  // 3 x 200 cs + (156 x 200 cs) / 256 = 6000 + 1218.75 ms
  CHECK(armed(as) == at_ms(4000 + 6000) + microseconds(1218750));
  CHECK(sm.master_adver_int() == cs(200));
}

TEST_CASE("v3 leaving FAULT starts again from our own interval") {
  vrrp_state_machine sm(v3(100, seconds(1)));
  sm.start(at_ms(0));
  sm.on_advert(at_ms(1000), 200, peer, cs(50));
  sm.on_interface(at_ms(2000), false);
  REQUIRE(sm.state() == vrrp_state::fault);
  CHECK(armed(sm.on_interface(at_ms(3000), true)) == at_ms(3000) + microseconds(3609375));
  CHECK(sm.master_adver_int() == seconds(1));
}

TEST_CASE("v2 ignores an advertised interval: its timers are unchanged") {
  sm_params p = v3(100, seconds(1));
  p.version = 2;
  vrrp_state_machine sm(p);
  sm.start(at_ms(0));
  // 3 s + (256-100)/256 s, whatever the advert says
  CHECK(armed(sm.on_advert(at_ms(1000), 200, peer, cs(50))) == at_ms(1000) + microseconds(3609375));
  CHECK(sm.master_adver_int() == seconds(1));
  CHECK(armed(sm.on_advert(at_ms(2000), 0, peer, cs(50))) == at_ms(2000) + microseconds(609375));
}

// backup_shortcuts (actors/advert_actor.cpp gives these answers before the instance actor
// does): they must be the machine's own answers, for every version, interval and priority.
TEST_CASE("backup shortcuts: the re-arm for a higher priority is on_advert's, takeover is on_master_down's") {
  for (int version : {2, 3}) {
    for (auto own : {milliseconds(100), milliseconds(1000), milliseconds(30)}) {
      for (std::uint8_t prio : {1, 100, 254}) {
        sm_params p = v3(prio, own);
        p.version = version;
        if (version == 2)
          p.advert_int = seconds(1);
        for (bool gated : {false, true}) {
          p.sync_gated = gated;
          vrrp_state_machine sm(p);
          CHECK_FALSE(sm.shortcuts());  // INIT: nothing to shortcut
          sm.start(at_ms(0));
          auto sc = sm.shortcuts();
          REQUIRE(sc);
          CHECK(sc->priority == prio);
          for (auto advertised : {cs(10), cs(100), cs(37)}) {
            if (prio == 254 && advertised == cs(37))
              continue;
            auto deadline = armed(sm.on_advert(at_ms(500), static_cast<std::uint8_t>(prio + 1), peer,
                                               version == 3 ? duration(advertised) : duration{0}));
            CHECK(deadline == at_ms(500) + sc->rearm_after(version == 3 ? duration(advertised) : duration{0}));
          }
          auto down = sm.on_master_down(at_ms(100000));
          REQUIRE(!down.empty());
          CHECK(sc->takeover == (down.front().what == kind::start_adverts));
          CHECK(sc->takeover == !gated);
        }
      }
    }
  }
  vrrp_state_machine master(v3(255));
  master.start(at_ms(0));
  CHECK_FALSE(master.shortcuts());  // an owner starts as MASTER: nothing to shortcut
}
