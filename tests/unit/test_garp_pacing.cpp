// Spacing of GARP/NA messages per interface or garp_group (protocol/garp_pacing.hpp),
// on a fake clock.
#include <doctest/doctest.h>

#include "protocol/garp_pacing.hpp"

using namespace ka::proto;
using std::chrono::microseconds;
using std::chrono::milliseconds;

namespace {
garp_pacer::time_point at_ms(int ms) { return garp_pacer::time_point{} + milliseconds(ms); }
garp_frame frame(int tag) { return garp_frame{tag, true, {static_cast<std::uint8_t>(tag)}}; }
} // namespace

TEST_CASE("garp pacing: no spacing sends at once") {
  garp_pacer p;
  for (int i = 0; i < 5; ++i) {
    auto s = p.enqueue("if eth0", microseconds(0), at_ms(0), frame(i));
    CHECK(s.send_now.size() == 1);
    CHECK(!s.wake);
  }
  CHECK(p.queued() == 0);
}

TEST_CASE("garp pacing: a burst of five, 200 ms apart") {
  garp_pacer p;
  const auto every = milliseconds(200);
  auto s = p.enqueue("if eth0", every, at_ms(1000), frame(0));
  CHECK(s.send_now.size() == 1);               // an idle queue sends the first at once
  REQUIRE(!s.wake);
  for (int i = 1; i < 5; ++i) {
    auto q = p.enqueue("if eth0", every, at_ms(1000), frame(i));
    CHECK(q.send_now.empty());
    if (i == 1) {
      REQUIRE(q.wake);
      CHECK(*q.wake == at_ms(1200));
    } else {
      CHECK(!q.wake);                          // the tick already asked for covers them
    }
  }
  CHECK(p.queued() == 4);
  // A late tick sends one, then waits a full interval from that send.
  auto t = p.on_tick("if eth0", at_ms(1250));
  REQUIRE(t.send_now.size() == 1);
  CHECK(t.send_now[0].ifindex == 1);           // in order
  REQUIRE(t.wake);
  CHECK(*t.wake == at_ms(1450));
  // An early tick sends nothing and asks again.
  auto e = p.on_tick("if eth0", at_ms(1400));
  CHECK(e.send_now.empty());
  CHECK(*e.wake == at_ms(1450));
  int last = 1;
  for (int ms = 1450; p.queued() > 0; ms += 200) {
    auto k = p.on_tick("if eth0", at_ms(ms));
    REQUIRE(k.send_now.size() == 1);
    CHECK(k.send_now[0].ifindex == ++last);
  }
  CHECK(last == 4);
  // A new message right after the last one still waits its turn.
  auto n = p.enqueue("if eth0", every, at_ms(1860), frame(9));
  CHECK(n.send_now.empty());
  CHECK(*n.wake == at_ms(2050));
}

TEST_CASE("garp pacing: queues are independent; a group shares one") {
  garp_spacing_table t;
  t.global.arp = milliseconds(100);
  t.groups.push_back({garp_spacing{milliseconds(300), milliseconds(0)}, {"eth1", "eth2"}});
  auto [k0, s0] = t.lookup("eth0");
  auto [k1, s1] = t.lookup("eth1");
  auto [k2, s2] = t.lookup("eth2");
  CHECK(k0 == "if eth0");
  CHECK(s0.arp == milliseconds(100));
  CHECK(k1 == k2);                             // eth1 and eth2 share the group's spacing
  CHECK(s1.arp == milliseconds(300));
  CHECK(s2.na == microseconds(0));
  garp_pacer p;
  CHECK(p.enqueue(k1, s1.arp, at_ms(0), frame(1)).send_now.size() == 1);
  CHECK(p.enqueue(k2, s2.arp, at_ms(0), frame(2)).send_now.empty());   // behind eth1's
  CHECK(p.enqueue(k0, s0.arp, at_ms(0), frame(3)).send_now.size() == 1);  // eth0: its own
  CHECK(p.on_tick("nobody", at_ms(0)).send_now.empty());
}
