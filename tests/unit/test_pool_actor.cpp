// The pool actor (actors/pool_actor.cpp) in a real CAF actor system, against a fake IPVS
// table: an ipvs_writer that applies each op the way the kernel does (EEXIST for an
// existing service or destination, ENOENT for a missing one, and a refusal we ask for),
// records every op, and dumps what it holds. A recording script actor keeps the hooks
// the pool asks to run. The test asserts the ops, the resulting table, the hooks and the
// status JSON.
#include <doctest/doctest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "actors/pool_config.hpp"
#include "actors/spawn.hpp"
#include "parser/load.hpp"
#include "protocol/ipvs_diff.hpp"
#include "test_helpers.hpp"

using namespace ka;
using namespace ka::act;
using ka::test::ip;

namespace {

// The kernel's table as the fake writer holds it, shared with the test thread.
struct fake_kernel {
  std::mutex m;
  std::vector<proto::ipvs_service_state> table;
  std::vector<std::string> ops;            // every op received, as text
  proto::ip_address refuse;                // a destination the "kernel" refuses (EINVAL)
  bool refusing = false;

  static std::string text(const proto::ipvs_op& o) {
    std::string s = proto::ipvs_op_name(o.what);
    using k = proto::ipvs_op::kind;
    if (o.what == k::add_dest || o.what == k::edit_dest || o.what == k::del_dest)
      s += " " + endpoint_name(o.dest.addr, o.dest.port) + "=" + std::to_string(o.dest.weight);
    else
      s += " " + o.service.key.to_string() + (o.what == k::del_service ? "" : " " + o.service.scheduler);
    return s;
  }

  // 0 or an errno, as the kernel answers.
  int apply(const proto::ipvs_op& o) {
    using k = proto::ipvs_op::kind;
    auto svc = std::find_if(table.begin(), table.end(), [&](const proto::ipvs_service_state& s) {
      return proto::same_service(s.service.key, o.service.key);
    });
    if (o.what == k::add_service) {
      if (svc != table.end()) return EEXIST;
      table.push_back({o.service, {}, {}});
      return 0;
    }
    if (svc == table.end()) return ENOENT;
    if (o.what == k::edit_service) {
      svc->service = o.service;
      return 0;
    }
    if (o.what == k::del_service) {
      table.erase(svc);
      return 0;
    }
    if (refusing && o.dest.addr == refuse) return EINVAL;
    auto& dests = svc->dests;
    auto d = std::find_if(dests.begin(), dests.end(),
                          [&](const proto::ipvs_dest_state& x) { return x.dest.same_endpoint(o.dest); });
    if (o.what == k::add_dest) {
      if (d != dests.end()) return EEXIST;
      dests.push_back({o.dest, 0, 0, 0, {}});
      return 0;
    }
    if (d == dests.end()) return ENOENT;
    if (o.what == k::edit_dest)
      d->dest = o.dest;
    else
      dests.erase(d);
    return 0;
  }

  // "TCP 192.0.2.1:80 wrr: 203.0.113.1:80=1 ..." per service, in table order.
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> g(m);
    std::vector<std::string> out;
    for (const auto& s : table) {
      std::string l = s.service.key.to_string() + " " + s.service.scheduler + ":";
      for (const auto& d : s.dests) l += " " + endpoint_name(d.dest.addr, d.dest.port) + "=" + std::to_string(d.dest.weight);
      out.push_back(l);
    }
    return out;
  }
  std::vector<std::string> take_ops() {
    std::lock_guard<std::mutex> g(m);
    auto out = std::move(ops);
    ops.clear();
    return out;
  }
};

ipvs_writer::behavior_type fake_writer(ipvs_writer::pointer, std::shared_ptr<fake_kernel> k) {
  return {
    [k](ipvs_atom, const ipvs_ops& ops) {
      std::lock_guard<std::mutex> g(k->m);
      ipvs_errors errors;
      for (const auto& o : ops) {
        k->ops.push_back(fake_kernel::text(o));
        if (int err = k->apply(o))
          errors.push_back({o, err, fake_kernel::text(o) + ": " + std::strerror(err)});
      }
      return errors;
    },
    [k](ipvs_atom, dump_atom) {
      std::lock_guard<std::mutex> g(k->m);
      return k->table;
    },
    [k](ipvs_atom, dump_atom, const ipvs_keys& keys) {
      std::lock_guard<std::mutex> g(k->m);
      ipvs_table only;  // what the kernel actor answers: the services asked for, if present
      for (const auto& s : k->table)
        for (const auto& key : keys)
          if (proto::same_service(s.service.key, key)) only.push_back(s);
      return only;
    },
  };
}

struct hooks {
  std::mutex m;
  std::vector<std::string> run;   // argv joined, in order
  std::vector<std::string> keys;
  std::vector<std::string> take() {
    std::lock_guard<std::mutex> g(m);
    auto out = std::move(run);
    run.clear();
    return out;
  }
};

script_actor::behavior_type recording_scripts(script_actor::pointer, std::shared_ptr<hooks> h) {
  return {
    [h](notify_atom, const notify_job& job) {
      std::lock_guard<std::mutex> g(h->m);
      for (std::size_t i = 0; i < job.commands.size(); ++i) {
        std::string s;
        for (const auto& a : job.commands[i]) s += (s.empty() ? "" : " ") + a;
        h->run.push_back(s);
        h->keys.push_back(i < job.keys.size() ? job.keys[i] : "");
      }
    },
    [](done_atom, const hook_run&) {},
    [](reload_atom, const hook_identities&) {},
    [](drain_atom) { return true; },
    [](status_atom) { return json::object(); },
  };
}

using strings = std::vector<std::string>;

struct rig {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  std::shared_ptr<fake_kernel> kernel = std::make_shared<fake_kernel>();
  std::shared_ptr<hooks> ran = std::make_shared<hooks>();
  ipvs_writer writer;
  script_actor scripts;
  pool_actor pool;

  void start(const std::string& conf) {
    auto c = config::load_string(conf, "t.conf");
    REQUIRE(c.virtual_servers.size() == 1);
    writer = sys.spawn(fake_writer, kernel);
    scripts = sys.spawn(recording_scripts, ran);
    pool = spawn_pool_actor(sys, pool_of(c, c.virtual_servers[0]), writer, scripts);
  }
  // Waits for the pool's batches and then for the hooks it sent.
  void drain() {
    bool ok = false;
    self->request(pool, caf::infinite, drain_atom::value).receive([&](bool b) { ok = b; }, [](caf::error&) {});
    REQUIRE(ok);
    self->request(scripts, caf::infinite, drain_atom::value).receive([](bool) {}, [](caf::error&) {});
  }
  void report(std::uint32_t server, bool up, const std::string& reason = "") {
    check_report r;
    r.server = server;
    r.up = up;
    r.reason = reason.empty() ? (up ? "connected" : "connect: Connection refused") : reason;
    r.latency_us = 250;
    self->send(pool, check_atom::value, r);
    drain();
  }
  json status() {
    json out;
    self->request(pool, caf::infinite, status_atom::value).receive([&](const json& j) { out = j; }, [](caf::error&) {});
    return out;
  }
  bool shutdown(bool keep) {
    bool ok = false;
    self->request(pool, caf::infinite, shutdown_atom::value, keep).receive([&](bool b) { ok = b; }, [](caf::error&) {});
    self->request(scripts, caf::infinite, drain_atom::value).receive([](bool) {}, [](caf::error&) {});
    return ok;
  }
  ~rig() {
    self->send_exit(pool, caf::exit_reason::user_shutdown);
    self->send_exit(writer, caf::exit_reason::user_shutdown);
    self->send_exit(scripts, caf::exit_reason::user_shutdown);
  }
};

const char* k_quorum_pool = R"(
virtual_server 192.0.2.1 80 {
  protocol TCP
  lvs_sched wrr
  quorum 2
  omega
  quorum_up "/bin/echo qup"
  quorum_down "/bin/echo qdown"
  sorry_server 198.51.100.99 80
  real_server 203.0.113.1 80 {
    notify_up "/bin/echo up 1"
    notify_down "/bin/echo down 1"
    TCP_CHECK { }
  }
  real_server 203.0.113.2 80 {
    TCP_CHECK { }
  }
}
)";

} // namespace

TEST_CASE("pool actor: adopts its leftovers at start, follows reports, swaps in the sorry server, removes all at exit") {
  rig r;
  {
    // A previous run's service with the wrong scheduler, one server gone from the config,
    // and someone else's service beside it.
    proto::ipvs_service old;
    old.key.addr = ip("192.0.2.1");
    old.key.port = 80;
    old.scheduler = "rr";
    proto::ipvs_dest kept, stale;
    kept.addr = ip("203.0.113.1");
    kept.port = 80;
    stale.addr = ip("203.0.113.9");
    stale.port = 80;
    stale.weight = 5;
    proto::ipvs_service foreign = old;
    foreign.key.addr = ip("192.0.2.50");
    r.kernel->table = {{foreign, {}, {{kept, 0, 0, 0, {}}}}, {old, {}, {{kept, 0, 0, 0, {}}, {stale, 0, 0, 0, {}}}}};
  }
  r.start(k_quorum_pool);
  r.drain();
  CHECK(r.kernel->take_ops() == strings{"edit service TCP 192.0.2.1:80 wrr", "add dest 203.0.113.2:80=1",
                                        "delete dest 203.0.113.9:80=5"});
  CHECK(r.kernel->lines() == strings{"TCP 192.0.2.50:80 rr: 203.0.113.1:80=1",
                                     "TCP 192.0.2.1:80 wrr: 203.0.113.1:80=1 203.0.113.2:80=1"});
  CHECK(r.ran->take().empty());
  auto s = r.status();
  CHECK(s["programmed"] == true);
  CHECK(s["quorum"]["up"] == true);
  CHECK(s["sorry_server"]["active"] == false);

  // The config lists the sorry server first: reports name real servers by their place
  // in the config (1 and 2), and one about the sorry server (0) is ignored.
  r.report(0, false);
  CHECK(r.kernel->take_ops().empty());
  CHECK(r.status()["ignored_reports"] == 1);
  r.report(9, false);  // no such server
  check_report bad;
  bad.server = 1;
  bad.checker = 4;     // no such checker
  r.self->send(r.pool, check_atom::value, bad);
  r.drain();
  CHECK(r.kernel->take_ops().empty());
  CHECK(r.status()["ignored_reports"] == 3);
  CHECK(r.status()["real_servers"][0]["reports"] == 0);

  r.report(2, false);  // weight 1 < quorum 2: lost, the sorry server replaces 203.0.113.1
  CHECK(r.kernel->take_ops() == strings{"add dest 198.51.100.99:80=1", "delete dest 203.0.113.1:80=1",
                                        "delete dest 203.0.113.2:80=1"});
  CHECK(r.kernel->lines()[1] == "TCP 192.0.2.1:80 wrr: 198.51.100.99:80=1");
  CHECK(r.ran->take() == strings{"/bin/echo qdown"});
  s = r.status();
  CHECK(s["quorum"]["up"] == false);
  CHECK(s["quorum"]["weight"] == 1);
  CHECK(s["sorry_server"]["active"] == true);
  CHECK(s["real_servers"][1]["up"] == false);
  CHECK(s["real_servers"][1]["last"]["reason"] == "connect: Connection refused");
  CHECK(s["real_servers"][1]["last"]["latency_us"] == 250);
  CHECK(s["real_servers"][0]["up"] == true);
  CHECK(s["real_servers"][0]["in_table"] == false);

  r.report(1, false);  // already out of the table: no op, its notify_down runs
  CHECK(r.kernel->take_ops().empty());
  CHECK(r.ran->take() == strings{"/bin/echo down 1"});
  // Whom it runs as is looked up by this key (actors/script_users.cpp, settle_lvs_hooks).
  CHECK(r.ran->keys.back() == "virtual_server TCP 192.0.2.1:80 real_server 203.0.113.1:80 notify_down");
  r.report(1, false);  // the same verdict again: nothing at all
  CHECK(r.ran->take().empty());
  r.report(1, true);   // 1 < 2: still no quorum, still the sorry server
  CHECK(r.kernel->take_ops().empty());
  CHECK(r.ran->take() == strings{"/bin/echo up 1"});
  r.report(2, true);   // 2 >= 2: quorum back, sorry server out
  CHECK(r.kernel->take_ops() == strings{"add dest 203.0.113.1:80=1", "add dest 203.0.113.2:80=1",
                                        "delete dest 198.51.100.99:80=1"});
  CHECK(r.ran->take() == strings{"/bin/echo qup"});
  CHECK(r.kernel->lines()[1] == "TCP 192.0.2.1:80 wrr: 203.0.113.1:80=1 203.0.113.2:80=1");

  // Exit: omega runs notify_down for the up servers and quorum_down; the service goes.
  CHECK(r.shutdown(false));
  CHECK(r.kernel->take_ops() == strings{"delete service TCP 192.0.2.1:80"});
  CHECK(r.kernel->lines() == strings{"TCP 192.0.2.50:80 rr: 203.0.113.1:80=1"});
  CHECK(r.ran->take() == strings{"/bin/echo down 1", "/bin/echo qdown"});
  r.report(2, false);  // after shutdown: ignored
  CHECK(r.kernel->take_ops().empty());
}

TEST_CASE("pool actor: ha_suspend holds reports back; a refused write is read back; keep leaves the table") {
  rig r;
  r.kernel->refuse = ip("203.0.113.66");
  r.kernel->refusing = true;
  r.start(R"(
virtual_server 192.0.2.2 443 {
  protocol TCP
  ha_suspend
  inhibit_on_failure
  real_server 203.0.113.1 443 { TCP_CHECK { } }
  real_server 203.0.113.66 443 { TCP_CHECK { } }
}
)");
  r.drain();
  CHECK(r.kernel->take_ops() == strings{"add service TCP 192.0.2.2:443 wlc", "add dest 203.0.113.1:443=1",
                                        "add dest 203.0.113.66:443=1"});
  CHECK(r.kernel->lines() == strings{"TCP 192.0.2.2:443 wlc: 203.0.113.1:443=1"});
  auto s = r.status();
  CHECK(s["failed_ops"] == 1);
  REQUIRE(s["recent_errors"].size() == 1);
  CHECK(s["recent_errors"][0].get<std::string>().find("203.0.113.66:443") != std::string::npos);
  CHECK(s["suspended"] == true);

  r.report(0, false);  // suspended: not acted on
  CHECK(r.kernel->take_ops().empty());
  CHECK(r.status()["suspended_reports"] == 1);

  r.self->send(r.pool, suspend_atom::value, true);
  r.drain();  // the report held while suspended is acted on now: inhibit_on_failure, weight 0;
              // the refused server is tried again
  CHECK(r.kernel->take_ops() == strings{"edit dest 203.0.113.1:443=0", "add dest 203.0.113.66:443=1"});
  CHECK(r.kernel->lines() == strings{"TCP 192.0.2.2:443 wlc: 203.0.113.1:443=0"});
  s = r.status();
  CHECK(s["real_servers"][0]["in_table"] == true);
  CHECK(s["real_servers"][0]["table_weight"] == 0);
  CHECK(s["failed_ops"] == 2);

  CHECK(r.shutdown(true));  // keep (--dont-release-ipvs): nothing removed
  CHECK(r.kernel->take_ops().empty());
  CHECK(r.kernel->lines() == strings{"TCP 192.0.2.2:443 wlc: 203.0.113.1:443=0"});
}

TEST_CASE("pool actor: a restart over its own table writes nothing and duplicates nothing") {
  rig first;
  first.start(k_quorum_pool);
  first.drain();
  auto table = first.kernel->table;
  CHECK(first.kernel->take_ops().size() == 3);  // add service, two dests
  CHECK(first.shutdown(true));

  rig second;
  second.kernel->table = table;
  second.start(k_quorum_pool);
  second.drain();
  CHECK(second.kernel->take_ops().empty());
  CHECK(second.kernel->lines() == strings{"TCP 192.0.2.1:80 wrr: 203.0.113.1:80=1 203.0.113.2:80=1"});
}

TEST_CASE("pool actor: reports racing the start-up dump end in the same table, written once") {
  rig r;
  r.start(R"(
virtual_server 192.0.2.3 25 {
  protocol TCP
  alpha
  real_server 203.0.113.1 25 { SMTP_CHECK { } }
  real_server 203.0.113.2 25 { SMTP_CHECK { } }
}
)");
  // No drain first: these may be handled before or after the dump's answer.
  check_report up;
  up.server = 1;
  up.up = true;
  up.reason = "220 ready";
  r.self->send(r.pool, check_atom::value, up);
  check_report down = up;
  down.server = 0;
  down.up = false;
  down.reason = "timeout";
  r.self->send(r.pool, check_atom::value, down);
  r.drain();
  CHECK(r.kernel->take_ops() == strings{"add service TCP 192.0.2.3:25 wlc", "add dest 203.0.113.2:25=1"});
  CHECK(r.kernel->lines() == strings{"TCP 192.0.2.3:25 wlc: 203.0.113.2:25=1"});
  auto s = r.status();
  CHECK(s["real_servers"][0]["up"] == false);
  CHECK(s["real_servers"][0]["downs"] == 0);      // alpha: down from the start, no transition
  CHECK(s["real_servers"][1]["ups"] == 1);
  CHECK(s["quorum"]["up"] == true);
}

namespace {
// A notify FIFO writer that keeps its lines.
struct fifo_lines {
  std::mutex m;
  strings lines;
};
notify_fifo_actor::behavior_type recording_fifo(notify_fifo_actor::pointer, std::shared_ptr<fifo_lines> f) {
  return {
    [f](fifo_atom, const std::string& line) {
      std::lock_guard<std::mutex> g(f->m);
      f->lines.push_back(line);
    },
    [](status_atom) { return json::object(); },
  };
}
} // namespace

TEST_CASE("pool actor: notify FIFO lines as keepalived writes them (VS at start, RS, then VS down)") {
  rig r;
  auto c = config::load_string(R"(
virtual_server 192.0.2.5 80 {
  protocol TCP
  real_server 203.0.113.1 80 { TCP_CHECK { } }
  real_server 203.0.113.2 80 { TCP_CHECK { } }
}
)", "t.conf");
  auto rec = std::make_shared<fifo_lines>();
  auto fifo = r.sys.spawn(recording_fifo, rec);
  r.writer = r.sys.spawn(fake_writer, r.kernel);
  r.scripts = r.sys.spawn(recording_scripts, r.ran);
  r.pool = spawn_pool_actor(r.sys, pool_of(c, c.virtual_servers[0]), r.writer, r.scripts, {fifo});
  r.drain();
  auto lines = [&] {
    r.self->request(fifo, caf::infinite, status_atom::value).receive([](const json&) {}, [](caf::error&) {});
    std::lock_guard<std::mutex> g(rec->m);
    return std::exchange(rec->lines, {});
  };
  CHECK(lines() == strings{"VS [192.0.2.5]:tcp:80 UP"});
  r.report(1, false);
  CHECK(lines() == strings{"RS [203.0.113.2]:tcp:80 [192.0.2.5]:tcp:80 DOWN"});
  r.report(0, false);
  CHECK(lines() == strings{"RS [203.0.113.1]:tcp:80 [192.0.2.5]:tcp:80 DOWN", "VS [192.0.2.5]:tcp:80 DOWN"});
  r.report(1, true);
  CHECK(lines() == strings{"RS [203.0.113.2]:tcp:80 [192.0.2.5]:tcp:80 UP", "VS [192.0.2.5]:tcp:80 UP"});
  CHECK(r.shutdown(false));
  CHECK(lines().empty());  // none at exit
  r.self->send_exit(fifo, caf::exit_reason::user_shutdown);
}
