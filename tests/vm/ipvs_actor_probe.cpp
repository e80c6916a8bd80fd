// The kernel actor's IPVS side (actors/kernel_actor.cpp), seen as a pool will see it: through
// an ipvs_writer handle. Run on a kernel with IPVS (tests/vm/ipvs_in_vm.sh) and on one
// without (ctest ipvs_actor_absent), where every op must fail naming its service, saying
// "IPVS not available in this kernel", and the actor must go on answering.
//   ipvs_actor_probe present | absent
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <string>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"

using namespace ka;
using kind = proto::ipvs_op::kind;

namespace {

int failures = 0;
void check(bool ok, const std::string& what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what.c_str());
  if (!ok) ++failures;
}

proto::ipvs_op make(kind k) {
  proto::ipvs_op o;
  o.what = k;
  o.service.key.addr = *proto::ip_address::parse("192.0.2.200");
  o.service.key.port = 80;
  o.service.scheduler = "rr";
  o.dest.addr = *proto::ip_address::parse("203.0.113.20");
  o.dest.port = 80;
  return o;
}

} // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode != "present" && mode != "absent") {
    std::fprintf(stderr, "usage: ipvs_actor_probe present | absent\n");
    return 2;
  }
  log::init("ipvs_actor_probe", true, false);
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  act::kernel_actor kernel = act::spawn_kernel_actor(sys);
  act::ipvs_writer writer = kernel;  // what a pool actor holds
  caf::scoped_actor self{sys};
  auto timeout = std::chrono::seconds(10);
  auto apply = [&](const act::ipvs_ops& ops) {
    act::ipvs_errors out;
    self->request(writer, timeout, act::ipvs_atom::value, ops)
      .receive([&](act::ipvs_errors& e) { out = std::move(e); },
               [&](caf::error& e) { check(false, "ipvs request: " + to_string(e)); });
    return out;
  };
  auto dump = [&] {
    act::ipvs_table out;
    self->request(writer, timeout, act::ipvs_atom::value, act::dump_atom::value)
      .receive([&](act::ipvs_table& t) { out = std::move(t); },
               [&](caf::error& e) { check(false, "dump request: " + to_string(e)); });
    return out;
  };
  auto status = [&] {
    json out;
    self->request(kernel, timeout, act::status_atom::value)
      .receive([&](json& j) { out = std::move(j); }, [&](caf::error& e) { check(false, "status: " + to_string(e)); });
    return out;
  };

  act::ipvs_ops add{make(kind::add_service), make(kind::add_dest)};
  if (mode == "absent") {
    for (int round = 1; round <= 2; ++round) {  // the actor goes on answering, and says it again
      auto errs = apply(add);
      check(errs.size() == 2, "round " + std::to_string(round) + ": each op fails: " + std::to_string(errs.size()));
      for (const auto& e : errs) {
        std::printf("  %s\n", e.message.c_str());
        check(e.message.find("IPVS not available in this kernel") != std::string::npos &&
                  e.message.find("TCP 192.0.2.200:80") != std::string::npos,
              "the error names the service and says IPVS is not available");
      }
      check(dump().empty(), "the dump is empty");
    }
    auto s = status()["ipvs"];
    check(s.value("available", true) == false, "status: ipvs available false: " + s.dump());
    check(s.value("failed", 0) == 4, "status: 4 failed ops");
  } else {
    check(apply(add).empty(), "add a service and a destination");
    auto t = dump();
    check(t.size() == 1 && t[0].service.key.to_string() == "TCP 192.0.2.200:80" && t[0].dests.size() == 1 &&
              t[0].dests[0].dest.addr.to_string() == "203.0.113.20",
          "the dump shows them");
    auto errs = apply({make(kind::add_service)});
    check(errs.size() == 1 && errs[0].message == "add service TCP 192.0.2.200:80: File exists (service already exists)",
          "a second add is a typed error naming the service: " + (errs.empty() ? "" : errs[0].message));
    check(apply({make(kind::del_service)}).empty(), "delete the service");
    check(dump().empty(), "the dump is empty again");
    auto s = status()["ipvs"];
    check(s.value("available", false) && s.value("ops", 0) == 4 && s.value("failed", 0) == 1,
          "status: " + s.dump());
  }
  caf::anon_send_exit(kernel, caf::exit_reason::user_shutdown);
  std::printf("%d failed\n", failures);
  return failures ? 1 : 0;
}
