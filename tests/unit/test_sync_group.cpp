// vrrp_sync_group decisions (protocol/sync_group.hpp) and the state machine's gated MASTER,
// under a fake clock: members follow each other as keepalived 2.2.7's do in a lab.
#include <doctest/doctest.h>

#include "parser/load.hpp"
#include "protocol/sync_group.hpp"
#include "test_helpers.hpp"

using namespace ka::proto;
using ck = sync_command::kind;
using kind = action::kind;

namespace {

using ka::test::ip;

time_point at(double s) {
  return time_point{} + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(s));
}

sm_params gated(std::uint8_t prio) {
  sm_params p;
  p.priority = prio;
  p.primary = ip("192.0.2.10");
  p.sync_gated = true;
  return p;
}

bool has(const std::vector<action>& as, kind k) {
  for (const auto& a : as)
    if (a.what == k) return true;
  return false;
}

// Two members both BACKUP: the usual state after start.
sync_group_logic two_backups() {
  sync_group_logic g(2);
  g.on_state(0, vrrp_state::backup, false);
  auto r = g.on_state(1, vrrp_state::backup, false);
  CHECK(r.group_transition == vrrp_state::backup);
  return g;
}

} // namespace

TEST_CASE("sync group: BACKUP once every member is BACKUP, not before") {
  sync_group_logic g(2);
  auto r = g.on_state(0, vrrp_state::backup, false);
  CHECK_FALSE(r.group_transition.has_value());
  CHECK(g.state() == vrrp_state::init);
  r = g.on_state(1, vrrp_state::backup, false);
  CHECK(r.group_transition == vrrp_state::backup);
  CHECK(r.commands.empty());
}

TEST_CASE("sync group: one member wanting MASTER waits for the others") {
  auto g = two_backups();
  auto r = g.on_want(0, true);
  CHECK(r.commands.empty());                 // member 1 still hears its master
  r = g.on_want(1, true);
  REQUIRE(r.commands.size() == 2);
  CHECK(r.commands[0] == sync_command{0, ck::to_master});
  CHECK(r.commands[1] == sync_command{1, ck::to_master});
  CHECK_FALSE(r.group_transition.has_value());  // nobody is MASTER yet
  g.on_state(0, vrrp_state::master, false);
  r = g.on_state(1, vrrp_state::master, false);
  CHECK(r.group_transition == vrrp_state::master);  // once, when the last one is there
}

TEST_CASE("sync group: a withdrawn wish is not granted") {
  auto g = two_backups();
  g.on_want(0, true);
  g.on_want(0, false);                       // member 0 heard its master again
  auto r = g.on_want(1, true);
  CHECK(r.commands.empty());
  CHECK_FALSE(g.member_wants(0));
}

TEST_CASE("sync group: a fault of one member holds the others in FAULT until it clears") {
  auto g = two_backups();
  g.on_want(0, true);
  g.on_want(1, true);
  g.on_state(0, vrrp_state::master, false);
  g.on_state(1, vrrp_state::master, false);
  auto r = g.on_state(1, vrrp_state::fault, true);   // member 1's link is cut
  REQUIRE(r.commands.size() == 1);
  CHECK(r.commands[0] == sync_command{0, ck::hold_fault});
  CHECK(r.group_transition == vrrp_state::fault);
  r = g.on_state(0, vrrp_state::fault, false);       // member 0 follows: held, not its own
  CHECK(r.commands.empty());
  CHECK_FALSE(r.group_transition.has_value());        // the group was already FAULT
  r = g.on_state(1, vrrp_state::backup, false);       // member 1's link is back
  REQUIRE(r.commands.size() == 1);
  CHECK(r.commands[0] == sync_command{0, ck::release_fault});
  CHECK_FALSE(r.group_transition.has_value());        // member 0 still FAULT
  r = g.on_state(0, vrrp_state::backup, false);
  CHECK(r.group_transition == vrrp_state::backup);
}

TEST_CASE("sync group: two own faults release nobody until both clear") {
  auto g = two_backups();
  auto r = g.on_state(0, vrrp_state::fault, true);
  CHECK(r.commands == std::vector<sync_command>{{1, ck::hold_fault}});
  r = g.on_state(1, vrrp_state::fault, true);
  CHECK(r.commands == std::vector<sync_command>{{0, ck::hold_fault}});
  r = g.on_state(0, vrrp_state::fault, false);  // 0's link back, but held by 1
  CHECK(r.commands == std::vector<sync_command>{{1, ck::release_fault}});
  r = g.on_state(1, vrrp_state::backup, false);
  CHECK(r.commands == std::vector<sync_command>{{0, ck::release_fault}});
}

TEST_CASE("sync group: a master stepping down takes the other masters to BACKUP") {
  auto g = two_backups();
  g.on_want(0, true);
  g.on_want(1, true);
  g.on_state(0, vrrp_state::master, false);
  g.on_state(1, vrrp_state::master, false);
  auto r = g.on_state(0, vrrp_state::backup, false);
  CHECK(r.commands == std::vector<sync_command>{{1, ck::to_backup}});
  CHECK_FALSE(r.group_transition.has_value());
  r = g.on_state(1, vrrp_state::backup, false);
  CHECK(r.group_transition == vrrp_state::backup);
}

TEST_CASE("sync group: STOP once every member stopped") {
  auto g = two_backups();
  auto r = g.on_state(0, vrrp_state::stopped, false);
  CHECK_FALSE(r.group_transition.has_value());
  r = g.on_state(1, vrrp_state::stopped, false);
  CHECK(r.group_transition == vrrp_state::stopped);
}

TEST_CASE("state machine: a gated backup waits for the group's grant") {
  vrrp_state_machine sm(gated(100));
  sm.start(at(0));
  auto acts = sm.on_master_down(at(3.61));
  CHECK(sm.state() == vrrp_state::backup);
  CHECK(sm.wants_master());
  REQUIRE(acts.size() == 1);
  CHECK(acts[0].what == kind::arm_master_down);
  CHECK(acts[0].deadline == at(3.61) + master_down_interval(2, 100, std::chrono::seconds(1)));
  // A master heard again ends the wish.
  sm.on_advert(at(4), 200, ip("192.0.2.20"));
  CHECK_FALSE(sm.wants_master());
  sm.on_master_down(at(8));
  acts = sm.grant_master(at(8.1));
  CHECK(sm.state() == vrrp_state::master);
  CHECK(has(acts, kind::add_vips));
  CHECK(has(acts, kind::cancel_master_down));
  CHECK_FALSE(sm.wants_master());
}

TEST_CASE("state machine: group FAULT holds until both the group and the link allow") {
  vrrp_state_machine sm(gated(100));
  sm.start(at(0));
  sm.on_master_down(at(4));
  sm.grant_master(at(4));
  auto acts = sm.group_fault(at(5), true);
  CHECK(sm.state() == vrrp_state::fault);
  CHECK(has(acts, kind::remove_vips));
  CHECK(has(acts, kind::stop_adverts));
  CHECK_FALSE(sm.own_fault());
  sm.on_interface(at(6), false);   // our own link goes too
  CHECK(sm.own_fault());
  CHECK(sm.group_fault(at(7), false).empty());  // released by the group, link still down
  CHECK(sm.state() == vrrp_state::fault);
  sm.group_fault(at(8), true);
  acts = sm.on_interface(at(9), true);  // link back, group still holding
  CHECK(acts.empty());
  CHECK(sm.state() == vrrp_state::fault);
  acts = sm.group_fault(at(10), false);
  CHECK(sm.state() == vrrp_state::backup);
  CHECK(has(acts, kind::arm_master_down));
}

TEST_CASE("state machine: group BACKUP takes a master to BACKUP, nothing else") {
  vrrp_state_machine sm(gated(100));
  sm.start(at(0));
  CHECK(sm.group_backup(at(1)).empty());
  sm.on_master_down(at(4));
  sm.grant_master(at(4));
  auto acts = sm.group_backup(at(5));
  CHECK(sm.state() == vrrp_state::backup);
  CHECK(has(acts, kind::remove_vips));
  CHECK(has(acts, kind::stop_adverts));
  CHECK(has(acts, kind::arm_master_down));
}

// ---- the keywords this work makes effective are no longer reported as not acted on ----
TEST_CASE("sync groups, their tracking and notify FIFOs are acted on; track_bfd is not yet") {
  using namespace ka::config;
  config c = load_string(
    "global_defs {\n notify_fifo /tmp/f\n notify_fifo_script /bin/cat\n"
    " vrrp_notify_fifo /tmp/v\n vrrp_notify_fifo_script /bin/cat\n}\n"
    "vrrp_script chk {\n script /bin/true\n}\n"
    "track_file tf {\n file /tmp/tf\n}\n"
    "vrrp_track_process tp {\n process sshd\n}\n"
    "bfd_instance b1 {\n neighbor_ip 192.0.2.9\n}\n"
    "vrrp_sync_group G {\n group {\n V\n W\n }\n notify /bin/n\n notify_master /bin/m\n"
    " notify_backup /bin/b\n notify_fault /bin/f\n notify_stop /bin/s\n"
    " track_interface {\n eth1\n }\n track_script {\n chk weight -10\n }\n"
    " track_file {\n tf\n }\n track_process {\n tp\n }\n track_bfd {\n b1\n }\n"
    " sync_group_tracking_weight\n}\n"
    "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n virtual_ipaddress { 192.0.2.1 }\n}\n"
    "vrrp_instance W {\n interface eth1\n virtual_router_id 8\n virtual_ipaddress { 192.0.2.2 }\n}\n");
  std::vector<std::string> reported;
  for (const auto& d : c.diagnostics)
    if (d.what == diagnostic::kind::not_acted_on) reported.push_back(d.message);
  bool bfd = false;
  for (const auto& r : reported) {
    CHECK(r.find("track_interface") == std::string::npos);
    CHECK(r.find("track_script") == std::string::npos);
    CHECK(r.find("track_file") == std::string::npos);
    CHECK(r.find("track_process") == std::string::npos);
    CHECK(r.find("sync_group_tracking_weight") == std::string::npos);
    bfd = bfd || r.find("track_bfd") != std::string::npos;
  }
  CHECK(bfd);
}

TEST_CASE("global_tracking is acted on as sync_group_tracking_weight, with a deprecation warning") {
  using namespace ka::config;
  config c = load_string("vrrp_sync_group G {\n group {\n V\n }\n global_tracking\n}\n"
                         "vrrp_instance V {\n interface eth0\n virtual_router_id 7\n virtual_ipaddress { 192.0.2.1 }\n}\n");
  REQUIRE(c.sync_groups.size() == 1);
  CHECK(c.sync_groups[0].global_tracking);
  int warnings = 0, not_acted = 0;
  for (const auto& d : c.diagnostics) {
    warnings += d.what == diagnostic::kind::warning && d.message.find("deprecated") != std::string::npos;
    not_acted += d.what == diagnostic::kind::not_acted_on;
  }
  CHECK(warnings == 1);
  CHECK(not_acted == 0);
}
