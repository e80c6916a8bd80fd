// The VRRP state machine under a fake clock: every transition and its actions.
#include <algorithm>
#include <doctest/doctest.h>

#include <string>
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

time_point at(double s) {
  return time_point{} + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(s));
}
time_point at_us(std::int64_t us) { return time_point{} + microseconds(us); }

sm_params params(std::uint8_t prio = 100) {
  sm_params p;
  p.priority = prio;
  p.primary = ip("192.0.2.10");
  return p;
}

std::vector<kind> kinds(const std::vector<action>& as) {
  std::vector<kind> out;
  for (const auto& a : as) out.push_back(a.what);
  return out;
}

// Prints an action list when a CHECK fails, so failures say what happened.
std::string show(const std::vector<action>& as) {
  std::string s;
  for (const auto& a : as) {
    s += to_string(a.what);
    if (a.what == kind::notify) s += std::string("(") + to_string(a.state) + ")";
    s += ' ';
  }
  return s;
}

const action& only(const std::vector<action>& as, kind k) {
  for (const auto& a : as)
    if (a.what == k) return a;
  FAIL("no " << to_string(k) << " in " << show(as));
  return as.front();
}

// 3 s + (256-100)/256 s
constexpr microseconds md100{3609375};
constexpr microseconds skew100{609375};

vrrp_state_machine started_backup(sm_params p = params(), time_point t = at(0)) {
  vrrp_state_machine sm(p);
  sm.start(t);
  REQUIRE(sm.state() == vrrp_state::backup);
  return sm;
}

vrrp_state_machine started_master(sm_params p = params(), time_point t = at(0)) {
  vrrp_state_machine sm = started_backup(p, t);
  sm.on_master_down(t + md100);
  REQUIRE(sm.state() == vrrp_state::master);
  return sm;
}

} // namespace

TEST_CASE("skew time and master down interval, VRRPv2") {
  const duration one = seconds(1);
  CHECK(skew_time(2, 100, one) == microseconds(609375));
  CHECK(skew_time(2, 200, one) == microseconds(218750));
  CHECK(skew_time(2, 255, one) == microseconds(3906));    // 1/256 s, truncated
  CHECK(skew_time(2, 1, one) == microseconds(996093));    // 255/256 s, truncated
  CHECK(master_down_interval(2, 100, one) == microseconds(3609375));
  CHECK(master_down_interval(2, 200, one) == microseconds(3218750));
  CHECK(master_down_interval(2, 255, one) == microseconds(3003906));
  CHECK(master_down_interval(2, 1, one) == microseconds(3996093));
  // v2 skew is not scaled by the advert interval.
  CHECK(skew_time(2, 100, seconds(5)) == microseconds(609375));
  CHECK(master_down_interval(2, 100, seconds(5)) == microseconds(15609375));
}

TEST_CASE("skew time and master down interval, VRRPv3 (interval in centiseconds)") {
  // The interval in whole centiseconds, the division by 256 in microseconds (truncated),
  // as keepalived 2.2.7 computes it.
  const duration one = seconds(1);
  CHECK(skew_time(3, 100, one) == microseconds(609375));  // 156*100 cs/256
  CHECK(skew_time(3, 200, one) == microseconds(218750));  // 56*100 cs/256
  CHECK(skew_time(3, 255, one) == microseconds(3906));    // 100 cs/256 = 3906.25 us
  CHECK(skew_time(3, 1, one) == microseconds(996093));    // 255*100 cs/256
  CHECK(master_down_interval(3, 100, one) == microseconds(3609375));
  CHECK(master_down_interval(3, 200, one) == microseconds(3218750));
  CHECK(master_down_interval(3, 255, one) == microseconds(3003906));
  CHECK(master_down_interval(3, 1, one) == microseconds(3996093));
  // v3 skew scales with the interval.
  CHECK(skew_time(3, 100, seconds(2)) == microseconds(1218750));      // 156*200 cs/256
  CHECK(skew_time(3, 100, milliseconds(50)) == microseconds(30468));  // 156*5 cs/256
  CHECK(skew_time(3, 100, milliseconds(100)) == microseconds(60937)); // not 60 ms
  CHECK(master_down_interval(3, 100, milliseconds(50)) == microseconds(180468));
  // Below a centisecond of precision the interval is truncated first (RFC 5798 units).
  CHECK(skew_time(3, 100, microseconds(109999)) == microseconds(60937));
}

TEST_CASE("start: a non-owner enters BACKUP, drops leftover addresses, arms master-down") {
  vrrp_state_machine sm(params());
  CHECK(sm.state() == vrrp_state::init);
  CHECK(sm.transitions() == 0);
  const auto as = sm.start(at(10));
  CHECK(kinds(as) == std::vector<kind>{kind::remove_vips, kind::arm_master_down, kind::notify});
  CHECK(as[1].deadline == at(10) + md100);
  CHECK(as[2].state == vrrp_state::backup);
  CHECK(sm.state() == vrrp_state::backup);
  CHECK(sm.since() == at(10));
  CHECK(sm.transitions() == 1);
  CHECK(sm.master_priority() == 0);
  CHECK(sm.start(at(11)).empty());  // only once
  CHECK(sm.transitions() == 1);
}

TEST_CASE("start: `state MASTER` below 255 still starts as BACKUP, as keepalived does") {
  sm_params p = params();
  p.initial_master = true;
  vrrp_state_machine sm(p);
  const auto as = sm.start(at(0));
  CHECK(sm.state() == vrrp_state::backup);
  CHECK(only(as, kind::arm_master_down).deadline == at(0) + md100);
}

TEST_CASE("start: the address owner (255) goes straight to MASTER") {
  vrrp_state_machine sm(params(255));
  const auto as = sm.start(at(1));
  CHECK(kinds(as) == std::vector<kind>{kind::start_adverts, kind::add_vips, kind::send_garp,
                                       kind::notify});
  CHECK(as.back().state == vrrp_state::master);
  CHECK(sm.state() == vrrp_state::master);
  CHECK(sm.master_address() == ip("192.0.2.10"));
  CHECK(sm.master_priority() == 255);
  CHECK(sm.transitions() == 1);
}

TEST_CASE("BACKUP -> MASTER when master-down fires") {
  vrrp_state_machine sm = started_backup();
  const auto as = sm.on_master_down(at(0) + md100);
  CHECK(kinds(as) == std::vector<kind>{kind::start_adverts, kind::add_vips, kind::send_garp,
                                       kind::notify});
  CHECK(as.back().state == vrrp_state::master);
  CHECK(sm.state() == vrrp_state::master);
  CHECK(sm.since() == at(0) + md100);
  CHECK(sm.transitions() == 2);
  CHECK(sm.transitions_to(vrrp_state::backup) == 1);  // metrics: by the state entered
  CHECK(sm.transitions_to(vrrp_state::master) == 1);
  CHECK(sm.transitions_to(vrrp_state::fault) == 0);
  CHECK(sm.master_address() == ip("192.0.2.10"));
  CHECK(sm.master_priority() == 100);
  // A stale timer event in MASTER does nothing.
  CHECK(sm.on_master_down(at(9)).empty());
  CHECK(sm.transitions() == 2);
}

TEST_CASE("BACKUP hearing a master") {
  vrrp_state_machine sm = started_backup();

  SUBCASE("higher priority re-arms master-down and is recorded") {
    const auto as = sm.on_advert(at(2), 150, ip("192.0.2.1"));
    REQUIRE(kinds(as) == std::vector<kind>{kind::arm_master_down});
    CHECK(as[0].deadline == at(2) + md100);
    CHECK(sm.master_address() == ip("192.0.2.1"));
    CHECK(sm.master_priority() == 150);
  }
  SUBCASE("equal priority is accepted whatever the address") {
    const auto as = sm.on_advert(at(2), 100, ip("192.0.2.1"));
    REQUIRE(kinds(as) == std::vector<kind>{kind::arm_master_down});
    CHECK(as[0].deadline == at(2) + md100);
  }
  SUBCASE("lower priority with preempt is discarded, so we take over") {
    CHECK(sm.on_advert(at(1), 50, ip("192.0.2.1")).empty());
    CHECK(sm.on_advert(at(2), 50, ip("192.0.2.1")).empty());
    CHECK(sm.state() == vrrp_state::backup);
    sm.on_master_down(at(0) + md100);
    CHECK(sm.state() == vrrp_state::master);
  }
  SUBCASE("priority 0: the master is leaving, take over after Skew_Time") {
    sm.on_advert(at(5), 150, ip("192.0.2.1"));
    const auto as = sm.on_advert(at(10), 0, ip("192.0.2.1"));
    REQUIRE(kinds(as) == std::vector<kind>{kind::arm_master_down});
    CHECK(as[0].deadline == at(10) + skew100);
    const auto up = sm.on_master_down(as[0].deadline);
    CHECK(sm.state() == vrrp_state::master);
    CHECK(sm.since() == at_us(10609375));
    CHECK(only(up, kind::notify).state == vrrp_state::master);
  }
}

TEST_CASE("nopreempt: a lower-priority master is kept") {
  sm_params p = params(200);
  p.preempt = false;
  vrrp_state_machine sm = started_backup(p);
  const auto as = sm.on_advert(at(1), 50, ip("192.0.2.1"));
  REQUIRE(kinds(as) == std::vector<kind>{kind::arm_master_down});
  CHECK(as[0].deadline == at(1) + master_down_interval(2, 200, seconds(1)));
  CHECK(sm.master_priority() == 50);
  // Still discards nothing later either.
  CHECK(kinds(sm.on_advert(at(100), 50, ip("192.0.2.1"))) ==
        std::vector<kind>{kind::arm_master_down});
}

TEST_CASE("preempt_delay: counted from startup") {
  sm_params p = params();
  p.preempt_delay = seconds(5);
  vrrp_state_machine sm = started_backup(p, at(0));
  // Inside the window a lower-priority master is accepted like any other.
  CHECK(kinds(sm.on_advert(at(1), 50, ip("192.0.2.1"))) ==
        std::vector<kind>{kind::arm_master_down});
  CHECK(kinds(sm.on_advert(at(4.9), 50, ip("192.0.2.1"))) ==
        std::vector<kind>{kind::arm_master_down});
  // From startup + delay on it is discarded and we preempt.
  CHECK(sm.on_advert(at(5), 50, ip("192.0.2.1")).empty());
  sm.on_master_down(at(4.9) + md100);
  CHECK(sm.state() == vrrp_state::master);
}

TEST_CASE("preempt_delay: restarts at the first lower-priority advert after a better master") {
  sm_params p = params();
  p.preempt_delay = seconds(5);
  vrrp_state_machine sm = started_backup(p, at(0));
  // A higher-priority master closes the startup window...
  CHECK(kinds(sm.on_advert(at(1), 150, ip("192.0.2.1"))) ==
        std::vector<kind>{kind::arm_master_down});
  // ...so when a lower one appears later, the delay counts from then (t=20 -> 25).
  CHECK(kinds(sm.on_advert(at(20), 50, ip("192.0.2.2"))) ==
        std::vector<kind>{kind::arm_master_down});
  CHECK(kinds(sm.on_advert(at(24), 50, ip("192.0.2.2"))) ==
        std::vector<kind>{kind::arm_master_down});
  CHECK(sm.on_advert(at(25), 50, ip("192.0.2.2")).empty());
}

TEST_CASE("preempt_delay: the window reopens on leaving FAULT") {
  sm_params p = params();
  p.preempt_delay = seconds(5);
  vrrp_state_machine sm = started_backup(p, at(0));
  CHECK(sm.on_advert(at(10), 50, ip("192.0.2.1")).empty());
  sm.on_interface(at(11), false);
  sm.on_interface(at(12), true);
  REQUIRE(sm.state() == vrrp_state::backup);
  CHECK(kinds(sm.on_advert(at(13), 50, ip("192.0.2.1"))) ==
        std::vector<kind>{kind::arm_master_down});
  CHECK(sm.on_advert(at(17), 50, ip("192.0.2.1")).empty());
}

TEST_CASE("MASTER hearing adverts") {
  vrrp_state_machine sm = started_master();
  const auto transitions = sm.transitions();

  SUBCASE("priority 0: advertise at once and restart the advert timer") {
    const auto as = sm.on_advert(at(10), 0, ip("192.0.2.1"));
    CHECK(kinds(as) == std::vector<kind>{kind::start_adverts});
    CHECK(sm.state() == vrrp_state::master);
  }
  SUBCASE("higher priority: step down") {
    const auto as = sm.on_advert(at(10), 101, ip("192.0.2.1"));
    CHECK(kinds(as) == std::vector<kind>{kind::stop_adverts, kind::remove_vips,
                                         kind::arm_master_down, kind::notify});
    CHECK(only(as, kind::arm_master_down).deadline == at(10) + md100);
    CHECK(only(as, kind::notify).state == vrrp_state::backup);
    CHECK(sm.state() == vrrp_state::backup);
    CHECK(sm.since() == at(10));
    CHECK(sm.transitions() == transitions + 1);
    CHECK(sm.master_address() == ip("192.0.2.1"));
    CHECK(sm.master_priority() == 101);
  }
  SUBCASE("equal priority from a higher address: step down") {
    const auto as = sm.on_advert(at(10), 100, ip("192.0.2.11"));
    CHECK(only(as, kind::notify).state == vrrp_state::backup);
    CHECK(sm.state() == vrrp_state::backup);
  }
  SUBCASE("equal priority from a lower address: keep mastership") {
    CHECK(sm.on_advert(at(10), 100, ip("192.0.2.9")).empty());
    CHECK(sm.state() == vrrp_state::master);
  }
  SUBCASE("the tie-break is numeric, not textual") {
    // "192.0.2.2" sorts after "192.0.2.10" as text but is the lower address.
    CHECK(sm.on_advert(at(10), 100, ip("192.0.2.2")).empty());
    CHECK(sm.state() == vrrp_state::master);
  }
  SUBCASE("our own address (a looped-back advert): ignore") {
    CHECK(sm.on_advert(at(10), 100, ip("192.0.2.10")).empty());
  }
  SUBCASE("lower priority: keep mastership, GARPs again, answer with an advert") {
    // keeps mastership; keepalived re-sends its GARPs (garp_lower_prio_*) and, unless
    // lower_prio_no_advert, sends an advert of its own at once
    auto as = sm.on_advert(at(10), 99, ip("192.0.2.200"));
    CHECK(kinds(as) == std::vector<kind>{kind::lower_prio_garp, kind::send_advert});
    CHECK(only(as, kind::send_advert).priority == 100);
    CHECK(sm.state() == vrrp_state::master);
    CHECK(sm.transitions() == transitions);
    // at most one answer per advert_int (1 s): a flood of them is not amplified
    CHECK(kinds(sm.on_advert(at(10.5), 99, ip("192.0.2.200"))) == std::vector<kind>{kind::lower_prio_garp});
    CHECK(kinds(sm.on_advert(at(11), 99, ip("192.0.2.200"))) == std::vector<kind>{kind::lower_prio_garp, kind::send_advert});
  }
}

TEST_CASE("lower_prio_no_advert and higher_prio_send_advert") {
  sm_params p = params();
  SUBCASE("lower_prio_no_advert: a lower priority gets GARPs only, no advert") {
    p.lower_prio_no_advert = true;
    vrrp_state_machine sm = started_master(p);
    CHECK(kinds(sm.on_advert(at(10), 99, ip("192.0.2.200"))) == std::vector<kind>{kind::lower_prio_garp});
  }
  SUBCASE("a master yielding to a higher priority: no last advert by default") {
    vrrp_state_machine sm = started_master(p);
    auto as = sm.on_advert(at(10), 200, ip("192.0.2.200"));
    const auto ks = kinds(as);
    CHECK(ks.front() == kind::stop_adverts);
    CHECK(std::count(ks.begin(), ks.end(), kind::send_advert) == 0);
    CHECK(sm.state() == vrrp_state::backup);
  }
  SUBCASE("higher_prio_send_advert: one advert at our priority before stepping down") {
    p.higher_prio_send_advert = true;
    vrrp_state_machine sm = started_master(p);
    auto as = sm.on_advert(at(10), 200, ip("192.0.2.200"));
    REQUIRE(as.size() >= 3);
    CHECK(as[0].what == kind::send_advert);
    CHECK(as[0].priority == 100);
    CHECK(as[1].what == kind::stop_adverts);
    CHECK(sm.state() == vrrp_state::backup);
  }
}

TEST_CASE("the address owner (255) never yields, except to another owner (as keepalived)") {
  vrrp_state_machine sm(params(255));
  REQUIRE(kinds(sm.start(at(0))).front() == kind::start_adverts);
  SUBCASE("a lower priority: GARPs and an advert in answer, nothing else") {
    CHECK(kinds(sm.on_advert(at(1), 254, ip("192.0.2.200"))) == std::vector<kind>{kind::lower_prio_garp, kind::send_advert});
    CHECK(sm.state() == vrrp_state::master);
    CHECK(sm.transitions() == 1);
  }
  SUBCASE("a priority-0 advert: answered with an advert, still master") {
    CHECK(kinds(sm.on_advert(at(1), 0, ip("192.0.2.200"))) == std::vector<kind>{kind::start_adverts});
    CHECK(sm.state() == vrrp_state::master);
  }
  SUBCASE("another owner, whatever its address: lower ourselves to 254 and step down") {
    const auto as = sm.on_advert(at(1), 255, ip("192.0.2.2"));  // lower address than ours
    CHECK(kinds(as) == std::vector<kind>{kind::stop_adverts, kind::remove_vips,
                                         kind::arm_master_down, kind::notify});
    CHECK(sm.state() == vrrp_state::backup);
    CHECK(sm.params().priority == 254);
    CHECK(sm.owner_conflicts() == 1);
    // From now on a 254 like any other: the other owner's adverts keep us backup.
    CHECK(kinds(sm.on_advert(at(2), 255, ip("192.0.2.2"))) == std::vector<kind>{kind::arm_master_down});
    CHECK(sm.owner_conflicts() == 1);
  }
  SUBCASE("our own looped-back advert is no conflict") {
    CHECK(sm.on_advert(at(1), 255, ip("192.0.2.10")).empty());
    CHECK(sm.params().priority == 255);
    CHECK(sm.owner_conflicts() == 0);
  }
}

TEST_CASE("interface down and up") {
  SUBCASE("MASTER -> FAULT says goodbye (priority 0), then drops adverts and addresses") {
    vrrp_state_machine sm = started_master();
    const auto as = sm.on_interface(at(20), false);
    CHECK(kinds(as) == std::vector<kind>{kind::stop_adverts, kind::send_advert,
                                         kind::remove_vips, kind::notify});
    CHECK(only(as, kind::send_advert).priority == 0);
    CHECK(as.back().state == vrrp_state::fault);
    CHECK(sm.state() == vrrp_state::fault);
    CHECK(sm.since() == at(20));
    // Adverts are ignored in FAULT, and a second down is not a transition.
    CHECK(sm.on_advert(at(21), 0, ip("192.0.2.1")).empty());
    CHECK(sm.on_master_down(at(22)).empty());
    CHECK(sm.on_interface(at(23), false).empty());
    CHECK(sm.transitions() == 3);
  }
  SUBCASE("BACKUP -> FAULT cancels master-down and makes sure no address is left") {
    vrrp_state_machine sm = started_backup();
    const auto as = sm.on_interface(at(2), false);
    CHECK(kinds(as) == std::vector<kind>{kind::cancel_master_down, kind::remove_vips,
                                         kind::notify});
    CHECK(sm.state() == vrrp_state::fault);
  }
  SUBCASE("INIT -> FAULT drops leftover addresses and notifies") {
    vrrp_state_machine sm(params());
    const auto as = sm.on_interface(at(0), false);
    CHECK(kinds(as) == std::vector<kind>{kind::remove_vips, kind::notify});
    CHECK(sm.state() == vrrp_state::fault);
    CHECK(sm.transitions() == 1);
  }
  SUBCASE("FAULT -> BACKUP on link up") {
    vrrp_state_machine sm = started_master();
    sm.on_interface(at(20), false);
    const auto as = sm.on_interface(at(30), true);
    CHECK(kinds(as) == std::vector<kind>{kind::remove_vips, kind::arm_master_down, kind::notify});
    CHECK(as[1].deadline == at(30) + md100);
    CHECK(as[2].state == vrrp_state::backup);
    CHECK(sm.state() == vrrp_state::backup);
    CHECK(sm.since() == at(30));
  }
  SUBCASE("FAULT -> MASTER on link up for the owner") {
    vrrp_state_machine sm(params(255));
    sm.start(at(0));
    sm.on_interface(at(1), false);
    const auto as = sm.on_interface(at(2), true);
    CHECK(kinds(as) == std::vector<kind>{kind::start_adverts, kind::add_vips, kind::send_garp,
                                         kind::notify});
    CHECK(sm.state() == vrrp_state::master);
  }
  SUBCASE("link up outside FAULT changes nothing") {
    vrrp_state_machine sm = started_backup();
    CHECK(sm.on_interface(at(1), true).empty());
    CHECK(sm.state() == vrrp_state::backup);
  }
}

TEST_CASE("shutdown") {
  SUBCASE("MASTER sends priority 0 and drops addresses") {
    vrrp_state_machine sm = started_master();
    const auto as = sm.shutdown(at(50));
    CHECK(kinds(as) == std::vector<kind>{kind::stop_adverts, kind::send_advert,
                                         kind::remove_vips, kind::notify});
    CHECK(only(as, kind::send_advert).priority == 0);
    CHECK(as.back().state == vrrp_state::stopped);
    CHECK(sm.state() == vrrp_state::stopped);
    CHECK(sm.since() == at(50));
  }
  SUBCASE("BACKUP cancels master-down") {
    vrrp_state_machine sm = started_backup();
    CHECK(kinds(sm.shutdown(at(5))) == std::vector<kind>{kind::cancel_master_down, kind::notify});
    CHECK(sm.state() == vrrp_state::stopped);
  }
  SUBCASE("FAULT cancels master-down") {
    vrrp_state_machine sm = started_backup();
    sm.on_interface(at(1), false);
    CHECK(kinds(sm.shutdown(at(5))) == std::vector<kind>{kind::cancel_master_down, kind::notify});
  }
  SUBCASE("nothing happens once stopped") {
    vrrp_state_machine sm = started_master();
    sm.shutdown(at(5));
    const auto transitions = sm.transitions();
    CHECK(sm.shutdown(at(6)).empty());
    CHECK(sm.start(at(6)).empty());
    CHECK(sm.on_advert(at(6), 0, ip("192.0.2.1")).empty());
    CHECK(sm.on_advert(at(6), 255, ip("192.0.2.1")).empty());
    CHECK(sm.on_master_down(at(6)).empty());
    CHECK(sm.on_interface(at(6), false).empty());
    CHECK(sm.on_interface(at(6), true).empty());
    CHECK(sm.state() == vrrp_state::stopped);
    CHECK(sm.transitions() == transitions);
  }
}

TEST_CASE("a full failover story between two routers") {
  // A (prio 200, 192.0.2.20) and B (prio 100, 192.0.2.10), driven by each other's output.
  sm_params pa = params(200);
  pa.primary = ip("192.0.2.20");
  vrrp_state_machine a(pa), b(params(100));
  a.start(at(0));
  b.start(at(0));
  a.on_master_down(at(0) + master_down_interval(2, 200, seconds(1)));
  REQUIRE(a.state() == vrrp_state::master);
  // A's adverts keep B in BACKUP.
  for (int t = 4; t < 10; ++t) b.on_advert(at(t), 200, ip("192.0.2.20"));
  CHECK(b.state() == vrrp_state::backup);
  CHECK(b.master_address() == ip("192.0.2.20"));
  // A stops: B hears priority 0 and takes over after its skew time.
  const auto bye = a.shutdown(at(10));
  CHECK(only(bye, kind::send_advert).priority == 0);
  const auto armed = b.on_advert(at(10), 0, ip("192.0.2.20"));
  b.on_master_down(only(armed, kind::arm_master_down).deadline);
  CHECK(b.state() == vrrp_state::master);
  CHECK(b.since() == at(10) + skew100);
  CHECK(b.transitions() == 2);
}

TEST_CASE("names") {
  CHECK(std::string(to_string(vrrp_state::init)) == "INIT");
  CHECK(std::string(to_string(vrrp_state::backup)) == "BACKUP");
  CHECK(std::string(to_string(vrrp_state::master)) == "MASTER");
  CHECK(std::string(to_string(vrrp_state::fault)) == "FAULT");
  CHECK(std::string(to_string(vrrp_state::stopped)) == "STOP");
  CHECK(std::string(to_string(kind::start_adverts)) == "start_adverts");
  CHECK(std::string(to_string(kind::stop_adverts)) == "stop_adverts");
  CHECK(std::string(to_string(kind::send_advert)) == "send_advert");
  CHECK(std::string(to_string(kind::arm_master_down)) == "arm_master_down");
  CHECK(std::string(to_string(kind::cancel_master_down)) == "cancel_master_down");
  CHECK(std::string(to_string(kind::add_vips)) == "add_vips");
  CHECK(std::string(to_string(kind::remove_vips)) == "remove_vips");
  CHECK(std::string(to_string(kind::send_garp)) == "send_garp");
  CHECK(std::string(to_string(kind::notify)) == "notify");
}
