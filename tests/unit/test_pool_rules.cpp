// Pool rules (protocol/pool_rules.hpp): checker-driven up/down, weights, inhibit_on_failure,
// quorum with hysteresis, sorry server, alpha and omega, as keepalived 2.2.7 applies them.
// No clock: nothing in these rules depends on time.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "protocol/pool_rules.hpp"
#include "test_helpers.hpp"

using namespace ka::proto;
using ka::test::ip;

namespace {

// Real servers 203.0.113.1.. on port 80, each with `checkers` checkers.
struct pool_spec {
  std::vector<int> weights;
  int checkers = 1;
  bool alpha = false;
  bool inhibit = false;
  long quorum = 1, hysteresis = 0;
  bool sorry = false, sorry_inhibit = false;
  bool omega = false;
};

pool_settings make(const pool_spec& p) {
  pool_settings s;
  for (std::size_t i = 0; i < p.weights.size(); ++i) {
    pool_server_settings rs;
    rs.dest.addr = ip(("203.0.113." + std::to_string(i + 1)).c_str());
    rs.dest.port = 80;
    rs.dest.weight = p.weights[i];
    rs.inhibit = p.inhibit;
    rs.alpha.assign(static_cast<std::size_t>(p.checkers), p.alpha);
    s.servers.push_back(rs);
  }
  if (p.sorry) {
    pool_sorry_settings ss;
    ss.dest.addr = ip("198.51.100.99");
    ss.dest.port = 8080;
    ss.dest.weight = 1;
    ss.inhibit = p.sorry_inhibit;
    s.sorry = ss;
  }
  s.quorum = p.quorum;
  s.hysteresis = p.hysteresis;
  s.omega = p.omega;
  return s;
}

// "203.0.113.1:80=1 198.51.100.99:8080=0": the desired table, in order.
std::string table(const pool_rules& r) {
  std::string out;
  for (const auto& d : r.desired())
    out += (out.empty() ? "" : " ") + d.addr.to_string() + ":" + std::to_string(d.port) + "=" + std::to_string(d.weight);
  return out;
}

// "up0 qdown": the events, in order ("down0*" for alpha's first down, not a transition).
std::string events(const std::vector<pool_event>& ev) {
  std::string out;
  for (const auto& e : ev) {
    std::string s;
    switch (e.what) {
      case pool_event::kind::server_up: s = "up" + std::to_string(e.server); break;
      case pool_event::kind::server_down: s = "down" + std::to_string(e.server); break;
      case pool_event::kind::quorum_up: s = "qup"; break;
      case pool_event::kind::quorum_down: s = "qdown"; break;
      case pool_event::kind::weight_change:
        s = "w" + std::to_string(e.server) + ":" + std::to_string(e.old_weight) + ">" + std::to_string(e.new_weight);
        break;
    }
    if (!e.transition) s += "*";
    out += (out.empty() ? "" : " ") + s;
  }
  return out;
}

} // namespace

TEST_CASE("pool rules: without alpha every server starts up, with its weight, quorum up") {
  pool_rules r(make({{1, 3}}));
  CHECK(events(r.start()) == "");
  CHECK(r.quorum_up());
  CHECK(r.weight_sum() == 4);
  CHECK(table(r) == "203.0.113.1:80=1 203.0.113.2:80=3");
}

TEST_CASE("pool rules: a server is up only while all its checkers are up") {
  pool_spec p{{1, 1}};
  p.checkers = 2;
  pool_rules r(make(p));
  r.start();
  CHECK(events(r.report(0, 1, false)) == "down0");
  CHECK(table(r) == "203.0.113.2:80=1");
  CHECK(events(r.report(0, 0, false)) == "");          // already down
  CHECK(events(r.report(0, 1, true)) == "");           // checker 0 still down
  CHECK(!r.server_up(0));
  CHECK(events(r.report(0, 0, true)) == "up0");
  CHECK(table(r) == "203.0.113.1:80=1 203.0.113.2:80=1");
  CHECK(events(r.report(0, 0, true)) == "");           // a repeated verdict changes nothing
}

TEST_CASE("pool rules: alpha starts servers down; the first success brings each up") {
  pool_spec p{{2, 2}};
  p.alpha = true;
  p.quorum = 2;
  pool_rules r(make(p));
  CHECK(!r.quorum_up());
  CHECK(events(r.start()) == "");                      // no sorry server: no quorum_down at start
  CHECK(table(r) == "");
  CHECK(events(r.report(1, 0, true)) == "up1 qup");
  CHECK(table(r) == "203.0.113.2:80=2");
}

TEST_CASE("pool rules: alpha's first down runs notify_down once per checker, later ones do not") {
  pool_spec p{{1}};
  p.alpha = true;
  pool_rules r(make(p));
  r.start();
  CHECK(events(r.report(0, 0, false)) == "down0*");
  CHECK(events(r.report(0, 0, false)) == "");
  // Without alpha a first "up" says nothing (the server was assumed up).
  pool_rules plain(make({{1}}));
  plain.start();
  CHECK(events(plain.report(0, 0, true)) == "");
}

TEST_CASE("pool rules: inhibit_on_failure keeps a down server at weight 0, also one never up") {
  pool_spec p{{1, 1}};
  p.inhibit = true;
  p.alpha = true;
  pool_rules r(make(p));
  r.start();
  CHECK(table(r) == "203.0.113.1:80=0 203.0.113.2:80=0");
  r.report(0, 0, true);
  CHECK(table(r) == "203.0.113.1:80=1 203.0.113.2:80=0");
  r.report(0, 0, false);
  CHECK(table(r) == "203.0.113.1:80=0 203.0.113.2:80=0");
}

TEST_CASE("pool rules: all servers down loses the quorum, the first one back regains it") {
  pool_rules r(make({{1, 1}}));
  r.start();
  CHECK(events(r.report(0, 0, false)) == "down0");
  CHECK(events(r.report(1, 0, false)) == "down1 qdown");
  CHECK(table(r) == "");
  CHECK(r.weight_sum() == 0);
  CHECK(events(r.report(1, 0, true)) == "up1 qup");
  CHECK(table(r) == "203.0.113.2:80=1");
}

TEST_CASE("pool rules: quorum with hysteresis: lost below quorum-h, regained at quorum+h") {
  pool_spec p{{1, 1, 1, 1, 1}};
  p.quorum = 3;
  p.hysteresis = 1;
  pool_rules r(make(p));
  r.start();
  CHECK(r.quorum_up());                                // 5 >= 3+1
  CHECK(events(r.report(0, 0, false)) == "down0");     // 4
  CHECK(events(r.report(1, 0, false)) == "down1");     // 3
  CHECK(events(r.report(2, 0, false)) == "down2");     // 2 == quorum-h: still up
  CHECK(r.quorum_up());
  CHECK(events(r.report(3, 0, false)) == "down3 qdown");  // 1 < 2
  CHECK(events(r.report(3, 0, true)) == "up3");         // 2 < 3+1
  CHECK(events(r.report(2, 0, true)) == "up2");         // 3 < 4
  CHECK(!r.quorum_up());
  CHECK(events(r.report(1, 0, true)) == "up1 qup");     // 4
}

TEST_CASE("pool rules: a flapping server inside the hysteresis band does not flap the quorum") {
  pool_spec p{{1, 1, 1}};
  p.quorum = 2;
  p.hysteresis = 1;
  pool_rules r(make(p));
  r.start();
  r.report(0, 0, false);                               // 2
  int quorum_events = 0;
  for (int i = 0; i < 20; ++i)                         // 1 <-> 2, band [1, 3]
    for (const auto& e : r.report(1, 0, i % 2 == 1))
      quorum_events += e.what == pool_event::kind::quorum_up || e.what == pool_event::kind::quorum_down;
  CHECK(quorum_events == 0);
  CHECK(r.quorum_up());
  // Without hysteresis the same flapping flips the quorum every time.
  pool_spec q{{1, 1, 1}};
  q.quorum = 2;
  pool_rules flappy(make(q));
  flappy.start();
  flappy.report(0, 0, false);
  int flips = 0;
  for (int i = 0; i < 20; ++i)
    for (const auto& e : flappy.report(1, 0, i % 2 == 1))
      flips += e.what == pool_event::kind::quorum_up || e.what == pool_event::kind::quorum_down;
  CHECK(flips == 20);
}

TEST_CASE("pool rules: the sorry server replaces the up servers while the quorum is down") {
  pool_spec p{{1, 1, 1}};
  p.quorum = 2;
  p.sorry = true;
  pool_rules r(make(p));
  r.start();
  CHECK(!r.sorry_active());
  CHECK(table(r) == "203.0.113.1:80=1 203.0.113.2:80=1 203.0.113.3:80=1");
  r.report(0, 0, false);
  CHECK(events(r.report(1, 0, false)) == "down1 qdown");
  CHECK(r.sorry_active());
  CHECK(r.server_up(2));
  CHECK(!r.serving(2));
  CHECK(table(r) == "198.51.100.99:8080=1");           // the last up server is taken out
  CHECK(events(r.report(0, 0, true)) == "up0 qup");
  CHECK(table(r) == "203.0.113.1:80=1 203.0.113.3:80=1");
}

TEST_CASE("pool rules: sorry_server_inhibit and inhibit_on_failure keep entries at weight 0") {
  pool_spec p{{1, 1}};
  p.quorum = 2;
  p.sorry = true;
  p.sorry_inhibit = true;
  p.inhibit = true;
  pool_rules r(make(p));
  r.start();
  CHECK(table(r) == "203.0.113.1:80=1 203.0.113.2:80=1 198.51.100.99:8080=0");
  r.report(0, 0, false);
  CHECK(table(r) == "203.0.113.1:80=0 203.0.113.2:80=0 198.51.100.99:8080=1");
  r.report(0, 0, true);
  CHECK(table(r) == "203.0.113.1:80=1 203.0.113.2:80=1 198.51.100.99:8080=0");
}

TEST_CASE("pool rules: starting with the quorum down and a sorry server runs quorum_down") {
  pool_spec p{{1, 1}};
  p.alpha = true;
  p.sorry = true;
  pool_rules r(make(p));
  CHECK(events(r.start()) == "qdown");
  CHECK(table(r) == "198.51.100.99:8080=1");
  CHECK(events(r.report(0, 0, true)) == "up0 qup");
  CHECK(table(r) == "203.0.113.1:80=1");
}

TEST_CASE("pool rules: misc_dynamic weights change the table and the quorum") {
  pool_spec p{{1, 1}};
  p.quorum = 3;
  p.sorry = true;
  pool_rules r(make(p));
  CHECK(events(r.start()) == "qdown");                 // 2 < 3
  CHECK(events(r.report(0, 0, true, 5)) == "w0:1>5 qup");
  CHECK(table(r) == "203.0.113.1:80=5 203.0.113.2:80=1");
  CHECK(events(r.report(0, 0, true, 5)) == "");        // same weight: nothing
  CHECK(events(r.report(0, 0, true, -7)) == "w0:5>0 qdown");  // never negative: 0+1 < 3
  CHECK(!r.quorum_up());
  CHECK(events(r.report(1, 0, false, 9)) == "w1:1>9 qup down1 qdown");
}

TEST_CASE("pool rules: weight 0 servers: up but worth nothing to the quorum") {
  pool_spec p{{0, 0}};
  p.quorum = 0;                                        // the parser lowers quorum to the total: 0
  pool_rules r(make(p));
  CHECK(r.quorum_up());                                // 0 >= 0
  // keepalived loses the quorum whenever the sum is 0, and regains it at the next
  // evaluation since 0 >= 0: one step per event.
  CHECK(events(r.start()) == "qdown");
  CHECK(table(r) == "203.0.113.1:80=0 203.0.113.2:80=0");
  CHECK(events(r.report(0, 0, false)) == "down0 qup");
}

TEST_CASE("pool rules: omega runs notify_down for the up servers in the table, then quorum_down") {
  pool_spec p{{1, 1, 1}};
  p.omega = true;
  pool_rules r(make(p));
  r.start();
  r.report(1, 0, false);
  CHECK(events(r.stop()) == "down0 down2 qdown");
  pool_rules quiet(make({{1, 1}}));
  quiet.start();
  CHECK(events(quiet.stop()) == "");                   // without omega nothing runs
}

TEST_CASE("pool rules: a sorry server that is also a real server is written once") {
  pool_spec p{{1, 1}};
  p.quorum = 2;
  p.sorry = true;
  auto s = make(p);
  s.sorry->dest.addr = ip("203.0.113.2");
  s.sorry->dest.port = 80;
  pool_rules r(s);
  r.start();
  CHECK(table(r) == "203.0.113.1:80=1 203.0.113.2:80=1");
  r.report(0, 0, false);
  CHECK(table(r) == "203.0.113.2:80=1");
}

TEST_CASE("pool rules: hostile reports (unknown server or checker) are ignored") {
  pool_rules r(make({{1}}));
  r.start();
  CHECK(events(r.report(7, 0, false)) == "");
  CHECK(events(r.report(0, 3, false)) == "");
  CHECK(r.server_up(0));
  pool_rules none(make({{}}));
  CHECK(none.weight_sum() == 0);
  CHECK(table(none) == "");
}

TEST_CASE("pool rules: rs_init_notifies says up at start for each server up, before the quorum") {
  pool_spec p{{1, 1}};
  p.checkers = 2;
  p.sorry = true;
  p.quorum = 2;
  auto s = make(p);
  s.rs_init_notifies = true;
  s.servers[1].alpha = {false, true};                 // starts down
  pool_rules r(s);
  CHECK(events(r.start()) == "up0* qdown");
  pool_rules quiet(make({{1, 1}}));
  CHECK(events(quiet.start()) == "");
}
