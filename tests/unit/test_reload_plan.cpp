// Configuration reload as a difference (parser/reload_plan.hpp): what is kept, updated in
// place, restarted, removed and added, per instance, sync group, tracker and virtual server.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "parser/load.hpp"
#include "parser/reload_plan.hpp"

using namespace ka::config;

namespace {

std::string vs_name(const virtual_server& v) {
  return v.addr ? v.addr->to_string() + ":" + std::to_string(v.port) : "group " + v.group;
}

reload_plan plan(const std::string& a, const std::string& b) {
  return plan_reload(load_string(a), load_string(b), vs_name);
}

std::string inst(const std::string& name, int vrid, int prio, const std::string& vips,
                 const std::string& extra = "") {
  return "vrrp_instance " + name + " {\n interface lo\n virtual_router_id " + std::to_string(vrid)
         + "\n priority " + std::to_string(prio) + "\n advert_int 1\n virtual_ipaddress {\n" + vips + "\n }\n"
         + extra + "}\n";
}

const reload_item& item(const std::vector<reload_item>& list, const std::string& name) {
  auto it = std::find_if(list.begin(), list.end(), [&](const reload_item& i) { return i.name == name; });
  REQUIRE(it != list.end());
  return *it;
}

} // namespace

TEST_CASE("reload plan: the same config is all kept, also when its blocks moved") {
  std::string a = inst("A", 1, 100, "192.0.2.1/24") + inst("B", 2, 100, "192.0.2.2/24");
  std::string b = "\n\n# a comment\n" + inst("B", 2, 100, "192.0.2.2/24") + inst("A", 1, 100, "192.0.2.1/24");
  auto p = plan(a, b);
  CHECK(p.unchanged());
  auto c = p.count();
  CHECK(c.kept == 2);
  CHECK(c.updated + c.removed + c.added == 0);
  CHECK(item(p.instances, "A").before == 0);
  CHECK(item(p.instances, "A").after == 1);
}

TEST_CASE("reload plan: priority, VIPs and hooks are updated in place") {
  std::string a = inst("A", 1, 100, "192.0.2.1/24\n192.0.2.3/24") + inst("B", 2, 100, "192.0.2.2/24");
  std::string b = inst("A", 1, 150, "192.0.2.1/24\n192.0.2.4/24", " notify_master /bin/true\n")
                  + inst("B", 2, 100, "192.0.2.2/24");
  auto p = plan(a, b);
  const auto& A = item(p.instances, "A");
  CHECK(A.action == reload_action::update);
  CHECK(std::count(A.changed.begin(), A.changed.end(), "priority") == 1);
  CHECK(std::count(A.changed.begin(), A.changed.end(), "virtual_ipaddress") == 1);
  CHECK(std::count(A.changed.begin(), A.changed.end(), "notify_master") == 1);
  CHECK(item(p.instances, "B").action == reload_action::keep);
  auto c = p.count();
  CHECK(c.kept == 1);
  CHECK(c.updated == 1);
  CHECK(c.restarted == 0);
}

TEST_CASE("reload plan: what cannot change in place restarts, and says why") {
  auto p = plan(inst("A", 1, 100, "192.0.2.1/24"), inst("A", 3, 100, "192.0.2.1/24"));
  const auto& A = item(p.instances, "A");
  CHECK(A.action == reload_action::restart);
  CHECK(A.why.find("virtual_router_id") != std::string::npos);
  // The owner's priority (255) decides who accepts and never yields: no change in place.
  CHECK(item(plan(inst("A", 1, 100, "192.0.2.1/24"), inst("A", 1, 255, "192.0.2.1/24")).instances, "A").action
        == reload_action::restart);
  // An instance that does not accept has drop rules for exactly its addresses.
  auto q = plan(inst("A", 1, 100, "192.0.2.1/24", " no_accept\n"), inst("A", 1, 100, "192.0.2.9/24", " no_accept\n"));
  CHECK(item(q.instances, "A").action == reload_action::restart);
  CHECK(item(q.instances, "A").why.find("accept") != std::string::npos);
  // A global_defs word every instance reads restarts them all.
  auto g = plan(inst("A", 1, 100, "192.0.2.1/24"),
                "global_defs {\n vrrp_strict\n}\n" + inst("A", 1, 100, "192.0.2.1/24"));
  CHECK(item(g.instances, "A").action == reload_action::restart);
}

TEST_CASE("reload plan: instances removed and added") {
  auto p = plan(inst("A", 1, 100, "192.0.2.1/24") + inst("B", 2, 100, "192.0.2.2/24"),
                inst("A", 1, 100, "192.0.2.1/24") + inst("C", 3, 100, "192.0.2.3/24"));
  CHECK(item(p.instances, "A").action == reload_action::keep);
  CHECK(item(p.instances, "B").action == reload_action::remove);
  CHECK(item(p.instances, "B").before == 1);
  CHECK(!item(p.instances, "B").after);
  CHECK(item(p.instances, "C").action == reload_action::add);
  CHECK(item(p.instances, "C").after == 1);
  auto c = p.count();
  CHECK(c.kept == 1);
  CHECK(c.removed == 1);
  CHECK(c.added == 1);
}

TEST_CASE("reload plan: sync groups follow their members, trackers their definition and subscribers") {
  std::string scripts = "vrrp_script S {\n script /bin/true\n interval 1\n weight 10\n}\n"
                        "vrrp_script T {\n script /bin/true\n interval 1\n}\n";
  std::string group = "vrrp_sync_group G {\n group {\n A\n B\n }\n}\n";
  std::string a = scripts + group + inst("A", 1, 100, "192.0.2.1/24", " track_script {\n S\n }\n")
                  + inst("B", 2, 100, "192.0.2.2/24") + inst("C", 3, 100, "192.0.2.3/24", " track_script {\n T\n }\n");
  // Unchanged: all kept.
  CHECK(plan(a, a).unchanged());
  // B restarted (its vrid): the group starts again; A is kept.
  std::string b = scripts + group + inst("A", 1, 100, "192.0.2.1/24", " track_script {\n S\n }\n")
                  + inst("B", 9, 100, "192.0.2.2/24") + inst("C", 3, 100, "192.0.2.3/24", " track_script {\n T\n }\n");
  auto p = plan(a, b);
  CHECK(item(p.instances, "A").action == reload_action::keep);
  CHECK(item(p.instances, "B").action == reload_action::restart);
  CHECK(item(p.sync_groups, "G").action == reload_action::restart);
  CHECK(item(p.trackers, "script S").action == reload_action::keep);
  // S's weight changes: the tracker restarts, and A (whose tracking weights it is) too.
  std::string s2 = "vrrp_script S {\n script /bin/true\n interval 1\n weight 20\n}\n"
                   "vrrp_script T {\n script /bin/true\n interval 1\n}\n";
  auto q = plan(a, s2 + group + inst("A", 1, 100, "192.0.2.1/24", " track_script {\n S\n }\n")
                     + inst("B", 2, 100, "192.0.2.2/24") + inst("C", 3, 100, "192.0.2.3/24", " track_script {\n T\n }\n"));
  CHECK(item(q.trackers, "script S").action == reload_action::restart);
  CHECK(item(q.trackers, "script S").why == "weight changed");
  CHECK(item(q.instances, "A").action == reload_action::restart);
  CHECK(item(q.instances, "C").action == reload_action::keep);
  CHECK(item(q.trackers, "script T").action == reload_action::keep);
  // C removed: T has no subscriber left that it had... its subscribers changed: restart.
  auto r = plan(a, scripts + group + inst("A", 1, 100, "192.0.2.1/24", " track_script {\n S\n }\n")
                     + inst("B", 2, 100, "192.0.2.2/24"));
  CHECK(item(r.instances, "C").action == reload_action::remove);
  CHECK(item(r.trackers, "script T").action == reload_action::restart);
  CHECK(item(r.sync_groups, "G").action == reload_action::keep);
}

TEST_CASE("reload plan: virtual servers kept, updated, removed, added; FIFOs; settings read once") {
  std::string vs1 = "virtual_server 192.0.2.10 80 {\n protocol TCP\n real_server 198.51.100.1 80 {\n weight 1\n }\n}\n";
  std::string vs1b = "virtual_server 192.0.2.10 80 {\n protocol TCP\n real_server 198.51.100.1 80 {\n weight 2\n }\n}\n";
  std::string vs2 = "virtual_server 192.0.2.11 80 {\n protocol TCP\n real_server 198.51.100.1 80 {\n weight 1\n }\n}\n";
  std::string vs3 = "virtual_server 192.0.2.12 80 {\n protocol TCP\n real_server 198.51.100.1 80 {\n weight 1\n }\n}\n";
  auto p = plan(vs1 + vs2, vs1b + vs3);
  CHECK(item(p.virtual_servers, "192.0.2.10:80").action == reload_action::update);
  REQUIRE(item(p.virtual_servers, "192.0.2.10:80").changed.size() == 1);
  CHECK(item(p.virtual_servers, "192.0.2.10:80").changed[0].find("real_server") == 0);
  CHECK(item(p.virtual_servers, "192.0.2.11:80").action == reload_action::remove);
  CHECK(item(p.virtual_servers, "192.0.2.12:80").action == reload_action::add);
  CHECK(plan(vs1 + vs2, vs2 + vs1).unchanged());

  auto f = plan(inst("A", 1, 100, "192.0.2.1/24"),
                "global_defs {\n vrrp_notify_fifo /tmp/f\n}\n" + inst("A", 1, 100, "192.0.2.1/24"));
  CHECK(f.fifos_changed);
  CHECK(item(f.instances, "A").action == reload_action::keep);
  CHECK(!f.unchanged());

  auto n = plan(inst("A", 1, 100, "192.0.2.1/24"),
                "global_defs {\n vrrp_garp_interval 0.1\n}\n" + inst("A", 1, 100, "192.0.2.1/24"));
  CHECK(n.not_reloaded == std::vector<std::string>{"global_defs vrrp_garp_interval"});
  CHECK(item(n.instances, "A").action == reload_action::keep);
  // lvs_* words are applied once at start (actors/lvs_globals.hpp): listed, pools kept;
  // notify_fifo's writer is the pools' too: they are updated to get the new one.
  auto l = plan(vs1, "global_defs {\n lvs_flush\n lvs_timeouts tcp 100\n}\n" + vs1);
  CHECK(l.not_reloaded == std::vector<std::string>{"global_defs lvs_flush", "global_defs lvs_timeouts"});
  CHECK(item(l.virtual_servers, "192.0.2.10:80").action == reload_action::keep);
  auto nf = plan(vs1, "global_defs {\n notify_fifo /tmp/f\n}\n" + vs1);
  CHECK(nf.fifos_changed);
  CHECK(item(nf.virtual_servers, "192.0.2.10:80").action == reload_action::update);
}
