// IPVS diffs (protocol/ipvs_diff.hpp): the minimal ordered ops from what the kernel has to
// what a pool wants, and the start-up reconciliation with a dump.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "protocol/ipvs_diff.hpp"
#include "test_helpers.hpp"

using namespace ka::proto;
using ka::test::ip;

namespace {

ipvs_service tcp80(const char* addr = "192.0.2.1") {
  ipvs_service s;
  s.key.addr = ip(addr);
  s.key.port = 80;
  s.scheduler = "wrr";
  return s;
}

ipvs_dest dest(const char* addr, int weight, std::uint16_t port = 80) {
  ipvs_dest d;
  d.addr = ip(addr);
  d.port = port;
  d.weight = weight;
  return d;
}

// "add dest 203.0.113.1:80=1; del service": the ops, in order.
std::string ops(const std::vector<ipvs_op>& v) {
  std::string out;
  for (const auto& o : v) {
    std::string s = ipvs_op_name(o.what);
    if (o.what == ipvs_op::kind::add_dest || o.what == ipvs_op::kind::edit_dest || o.what == ipvs_op::kind::del_dest)
      s += " " + o.dest.addr.to_string() + ":" + std::to_string(o.dest.port) + "=" + std::to_string(o.dest.weight);
    else
      s += " " + o.service.key.to_string();
    out += (out.empty() ? "" : "; ") + s;
  }
  return out;
}

ipvs_service_state state_of(const ipvs_service_set& s) {
  ipvs_service_state st;
  st.service = s.service;
  for (const auto& d : s.dests) st.dests.push_back({d, 0, 0, 0, {}});
  return st;
}

} // namespace

TEST_CASE("ipvs diff: a missing service is added with its destinations") {
  ipvs_service_set want{tcp80(), {dest("203.0.113.1", 1), dest("203.0.113.2", 2)}};
  CHECK(ops(diff_service(want, nullptr)) ==
        "add service TCP 192.0.2.1:80; add dest 203.0.113.1:80=1; add dest 203.0.113.2:80=2");
}

TEST_CASE("ipvs diff: equal sets give no op") {
  ipvs_service_set want{tcp80(), {dest("203.0.113.1", 1)}};
  CHECK(diff_service(want, &want).empty());
  CHECK(diff_services({want}, {want}).empty());
}

TEST_CASE("ipvs diff: adds and edits come before deletes, the service is edited first") {
  ipvs_service_set have{tcp80(), {dest("203.0.113.1", 1), dest("203.0.113.2", 1)}};
  ipvs_service_set want{tcp80(), {dest("203.0.113.2", 0), dest("198.51.100.99", 1, 8080)}};
  want.service.scheduler = "rr";
  CHECK(ops(diff_service(want, &have)) ==
        "edit service TCP 192.0.2.1:80; edit dest 203.0.113.2:80=0; add dest 198.51.100.99:8080=1; "
        "delete dest 203.0.113.1:80=1");
}

TEST_CASE("ipvs diff: forwarding, thresholds and tunnel changes are dest edits") {
  ipvs_service_set have{tcp80(), {dest("203.0.113.1", 1)}};
  ipvs_service_set want = have;
  want.dests[0].forward = ipvs_forward::route;
  CHECK(ops(diff_service(want, &have)) == "edit dest 203.0.113.1:80=1");
  want = have;
  want.dests[0].u_threshold = 100;
  CHECK(ops(diff_service(want, &have)) == "edit dest 203.0.113.1:80=1");
  want = have;
  want.dests[0].port = 8080;                           // another endpoint: add and delete
  CHECK(ops(diff_service(want, &have)) == "add dest 203.0.113.1:8080=1; delete dest 203.0.113.1:80=1");
}

TEST_CASE("ipvs diff: the kernel's hashed flag is not a difference; persistence is") {
  ipvs_service_set want{tcp80(), {}};
  ipvs_service_set have = want;
  have.service.flags |= ipvs_svc_flag::hashed;
  CHECK(diff_service(want, &have).empty());
  want.service.flags |= ipvs_svc_flag::persistent;
  want.service.timeout = 300;
  CHECK(ops(diff_service(want, &have)) == "edit service TCP 192.0.2.1:80");
}

TEST_CASE("ipvs diff: a destination wanted twice is written once") {
  ipvs_service_set want{tcp80(), {dest("203.0.113.1", 3), dest("203.0.113.1", 5)}};
  CHECK(ops(diff_service(want, nullptr)) == "add service TCP 192.0.2.1:80; add dest 203.0.113.1:80=3");
  ipvs_service_set have{tcp80(), {dest("203.0.113.1", 3)}};
  CHECK(diff_service(want, &have).empty());
}

TEST_CASE("ipvs diff: several services (a group): each against its own, unwanted ones deleted") {
  ipvs_service_set a{tcp80("192.0.2.1"), {dest("203.0.113.1", 1)}};
  ipvs_service_set b{tcp80("192.0.2.2"), {dest("203.0.113.1", 1)}};
  ipvs_service_set c{tcp80("192.0.2.3"), {dest("203.0.113.1", 1)}};
  auto b2 = b;
  b2.dests[0].weight = 0;
  CHECK(ops(diff_services({a, b2}, {c, b, a})) == "edit dest 203.0.113.1:80=0; delete service TCP 192.0.2.3:80");
  CHECK(ops(diff_services({a, a}, {})) == "add service TCP 192.0.2.1:80; add dest 203.0.113.1:80=1");
}

TEST_CASE("ipvs diff: fwmark services match by mark and family only") {
  ipvs_service_set want{{}, {dest("203.0.113.1", 1, 0)}};
  want.service.key.fwmark = 7;
  want.service.key.protocol = ipvs_protocol::none;
  auto have = want;
  have.service.key.protocol = ipvs_protocol::tcp;     // what a decoder might fill in
  have.service.key.addr = ip("0.0.0.0");
  CHECK(diff_services({want}, {have}).empty());
  auto v6 = want;
  v6.service.key.fam = ip_address::family::v6;
  CHECK(ops(diff_services({v6}, {have})) == "add service FWM 7 IPv6; add dest 203.0.113.1:0=1; delete service FWM 7");
}

TEST_CASE("ipvs reconcile: leftovers are adopted, unwanted dests of ours removed, others left alone") {
  ipvs_service_set want{tcp80(), {dest("203.0.113.1", 1), dest("203.0.113.2", 1)}};
  ipvs_service_set leftover{tcp80(), {dest("203.0.113.2", 1), dest("203.0.113.9", 4)}};
  ipvs_service_set foreign{tcp80("192.0.2.50"), {dest("203.0.113.1", 1)}};
  std::vector<ipvs_service_state> dump{state_of(foreign), state_of(leftover)};
  CHECK(ops(reconcile({want}, dump)) == "add dest 203.0.113.1:80=1; delete dest 203.0.113.9:80=4");
  // Run again over what that produced: nothing to do (never duplicated).
  std::vector<ipvs_service_state> after{state_of(foreign), state_of(want)};
  CHECK(reconcile({want}, after).empty());
  auto ours = ours_in({want}, after);
  REQUIRE(ours.size() == 1);
  CHECK(ours[0].dests.size() == 2);
}

TEST_CASE("ipvs reconcile: a sorry server already present at start is removed when not needed") {
  ipvs_service_set want{tcp80(), {dest("203.0.113.1", 1)}};
  ipvs_service_set have{tcp80(), {dest("198.51.100.99", 1, 8080), dest("203.0.113.1", 0)}};
  CHECK(ops(reconcile({want}, {state_of(have)})) == "edit dest 203.0.113.1:80=1; delete dest 198.51.100.99:8080=1");
}

TEST_CASE("ipvs reconcile: an empty kernel gets everything; removal deletes each service once") {
  ipvs_service_set a{tcp80("192.0.2.1"), {dest("203.0.113.1", 1)}};
  ipvs_service_set b{tcp80("192.0.2.2"), {}};
  CHECK(ops(reconcile({a, b}, {})) ==
        "add service TCP 192.0.2.1:80; add dest 203.0.113.1:80=1; add service TCP 192.0.2.2:80");
  CHECK(ops(remove_services({a, b, a})) == "delete service TCP 192.0.2.1:80; delete service TCP 192.0.2.2:80");
  CHECK(remove_services({}).empty());
}
