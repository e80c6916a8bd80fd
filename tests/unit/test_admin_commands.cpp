// The admin socket's commands and live events, their pure parts: request arguments,
// event lines and the bounded watcher queue, `keepalivectl check`'s verdict, the
// lateness histogram, and keepalivectl's command line.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "actors/ctl_commands.hpp"
#include "protocol/admin_check.hpp"
#include "protocol/admin_events.hpp"
#include "protocol/admin_requests.hpp"
#include "protocol/lateness_buckets.hpp"

using ka::json;
using namespace ka::proto;

namespace {
json req(const std::string& line) {
  json error;
  auto r = admin_request(line, error);
  REQUIRE(r.has_value());
  return *r;
}
std::string lost_line(std::uint64_t n) { return "lost " + std::to_string(n); }
} // namespace

TEST_CASE("admin arguments: instance names are checked before any actor is asked") {
  json error;
  CHECK(instance_arg(req(R"({"cmd":"garp","instance":"VI_1"})"), error) == std::optional<std::string>("VI_1"));
  CHECK_FALSE(instance_arg(req(R"({"cmd":"garp"})"), error));
  CHECK(error["ok"] == false);
  CHECK_FALSE(instance_arg(req(R"({"cmd":"garp","instance":""})"), error));
  CHECK_FALSE(instance_arg(req(R"({"cmd":"garp","instance":42})"), error));
  std::string huge(max_instance_arg + 1, 'x');
  CHECK_FALSE(instance_arg(req(R"({"cmd":"garp","instance":")" + huge + "\"}"), error));
  CHECK(error["error"].get<std::string>().find("longer than 128") != std::string::npos);
  CHECK(instance_arg(req(R"({"instance":")" + huge.substr(1) + "\"}"), error));
  CHECK_FALSE(admin_request("[1,2]", error));
  CHECK_FALSE(admin_request("{", error));
}

TEST_CASE("admin arguments: priority 1..254 or reset, nothing else") {
  json error;
  CHECK(priority_arg(req(R"({"priority":1})"), error) == 1);
  CHECK(priority_arg(req(R"({"priority":254})"), error) == 254);
  CHECK(priority_arg(req(R"({"priority":"reset"})"), error) == 0);
  for (const char* bad : {R"({"priority":0})", R"({"priority":255})", R"({"priority":-1})",
                          R"({"priority":100.5})", R"({"priority":"100"})", R"({"priority":"RESET"})",
                          R"({})", R"({"priority":1e30})", R"({"priority":18446744073709551615})"}) {
    CAPTURE(bad);
    CHECK_FALSE(priority_arg(req(bad), error));
  }
  CHECK(stats_arg(req(R"({"action":"clear"})"), error) == std::optional<std::string>("clear"));
  CHECK_FALSE(stats_arg(req(R"({"action":"reset"})"), error));
  CHECK_FALSE(stats_arg(req(R"({})"), error));
}

TEST_CASE("events: JSON line with ts, actor, old, new, reason; a human line") {
  admin_event ev{1700000000.12345, "instance", "vrrp_instance VI_1", "BACKUP", "MASTER", "no advert"};
  json j = event_json(ev);
  CHECK(admin_line(j) == "{\"ts\":1700000000.123,\"type\":\"instance\",\"actor\":\"vrrp_instance VI_1\","
                         "\"old\":\"BACKUP\",\"new\":\"MASTER\",\"reason\":\"no advert\"}\n");
  std::string text = event_text(j);
  CHECK(text.size() > 13);
  CHECK(text.substr(8, 5) == ".123 ");  // HH:MM:SS.mmm, local time
  CHECK(text.substr(13) == "vrrp_instance VI_1: BACKUP -> MASTER (no advert)");
  CHECK(event_text(lost_json(1700000000, 12)).substr(13) == "lost 12 events (this watcher fell behind)");
  ev.reason.clear();
  CHECK(event_text(event_json(ev)).substr(13) == "vrrp_instance VI_1: BACKUP -> MASTER");
  // a client must survive a line it does not know
  CHECK(event_text(json::parse("{\"x\":1}")).substr(0, 12) == "--:--:--.---");
}

TEST_CASE("event queue: bounded; overflow drops the newest and puts one lost line at the gap") {
  event_queue q(3);
  CHECK(q.empty());
  CHECK(q.push("a"));
  CHECK(q.push("b"));
  CHECK(q.take(lost_line) == std::vector<std::string>{"a", "b"});
  CHECK(q.empty());
  for (const char* l : {"c", "d", "e"})
    CHECK(q.push(l));
  CHECK_FALSE(q.push("f"));
  CHECK_FALSE(q.push("g"));
  CHECK(q.size() == 3);
  CHECK_FALSE(q.empty());
  CHECK(q.lost_total() == 2);
  CHECK(q.take(lost_line) == std::vector<std::string>{"c", "d", "e", "lost 2"});
  // after the take, the count starts again; the total stays
  CHECK(q.push("h"));
  CHECK(q.take(lost_line) == std::vector<std::string>{"h"});
  CHECK(q.lost_total() == 2);
  // a thousand pushes into a full queue hold three lines, never more
  for (int i = 0; i < 1000; ++i)
    q.push(std::string(100, 'x'));
  CHECK(q.size() == 3);
  auto out = q.take(lost_line);
  CHECK(out.size() == 4);
  CHECK(out.back() == "lost 997");
}

namespace {
json inst(const char* state, int prio, const char* master = nullptr, int master_prio = 0, bool preempt = true) {
  json v;
  v["name"] = "VI_1";
  v["state"] = state;
  v["priority"] = {{"configured", prio}, {"override", nullptr}, {"effective", prio}};
  v["preempt"] = preempt;
  v["master"] = master ? json(master) : json();
  if (master)
    v["master_priority"] = master_prio;
  return v;
}
} // namespace

TEST_CASE("check: what a monitoring user expects of an instance") {
  CHECK(check_instance(inst("MASTER", 150, "192.0.2.11", 150)) == "");
  CHECK(check_instance(inst("BACKUP", 100, "192.0.2.11", 150)) == "");
  json fault = inst("FAULT", 100);
  fault["fault_reason"] = "interface eth0 is down";
  CHECK(check_instance(fault) == "FAULT (interface eth0 is down)");
  json down = inst("FAULT", 100);  // the machine's FAULT on a link down has no fault_reason
  down["interface"] = "eth0";
  down["link_up"] = false;
  CHECK(check_instance(down) == "FAULT (interface eth0 down)");
  CHECK(check_instance(inst("INIT", 100)) == "INIT");
  CHECK(check_instance(inst("STOP", 100)) == "STOP");
  CHECK(check_instance(inst("BACKUP", 100)) == "BACKUP and no master heard");
  CHECK(check_instance(inst("BACKUP", 200, "192.0.2.11", 150)).find("should have taken over") != std::string::npos);
  CHECK(check_instance(inst("BACKUP", 200, "192.0.2.11", 150, false)) == "");  // nopreempt
  CHECK(check_instance(inst("BACKUP", 255, "192.0.2.11", 150, false)).find("address owner") != std::string::npos);
  CHECK(check_instance(json::object()) == "no state reported");
  CHECK(check_instance(json("junk")) == "no state reported");
}

TEST_CASE("lateness buckets: fine samples folded into fixed wide buckets") {
  auto b = lateness_buckets({{0, 5}, {10, 1}, {11, 2}, {999, 1}, {1000, 1}, {2047, 3}, {200000, 4}});
  REQUIRE(b.size() == lateness_bounds().size() + 1);
  CHECK(b[0].upper_us == 10);
  CHECK(b[0].count == 6);       // 0 and 10
  CHECK(b[1].count == 2);       // 11 in <= 50
  CHECK(b[4].upper_us == 1000);
  CHECK(b[4].count == 2);       // 999, 1000
  CHECK(b[5].count == 3);       // 2047 in <= 5000
  CHECK_FALSE(b.back().upper_us);
  CHECK(b.back().count == 4);
  std::uint64_t total = 0;
  for (const auto& x : lateness_buckets({}))
    total += x.count;
  CHECK(total == 0);
}

TEST_CASE("keepalivectl: command lines to requests, usage errors") {
  std::string err;
  using ka::ctl::build_request;
  CHECK(*build_request({"status"}, err) == json{{"cmd", "status"}});
  CHECK(*build_request({"check"}, err) == json{{"cmd", "status"}});
  CHECK(*build_request({"watch"}, err) == json{{"cmd", "watch"}});
  CHECK(*build_request({"garp", "VI_1"}, err) == json{{"cmd", "garp"}, {"instance", "VI_1"}});
  CHECK(*build_request({"priority", "VI_1", "200"}, err)
        == json{{"cmd", "priority"}, {"instance", "VI_1"}, {"priority", 200}});
  CHECK(*build_request({"priority", "VI_1", "reset"}, err)
        == json{{"cmd", "priority"}, {"instance", "VI_1"}, {"priority", "reset"}});
  CHECK(*build_request({"stats", "clear"}, err) == json{{"cmd", "stats"}, {"action", "clear"}});
  CHECK(*build_request({"reload"}, err) == json{{"cmd", "reload"}});
  for (auto bad : std::vector<std::vector<std::string>>{
         {}, {"nope"}, {"garp"}, {"garp", "a", "b"}, {"priority", "VI_1"}, {"priority", "VI_1", "0"},
         {"priority", "VI_1", "255"}, {"priority", "VI_1", "+5"}, {"priority", "VI_1", "0010"},
         {"stats"}, {"stats", "reset"}, {"status", "extra"}, {"reload", "now"}}) {
    CAPTURE(bad.size());
    CHECK_FALSE(build_request(bad, err));
    CHECK_FALSE(err.empty());
  }
}
