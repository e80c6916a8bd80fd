// Tracking in sync groups (protocol/sync_tracking.hpp): what each member tracks, as
// keepalived 2.2.7 does it in a lab, and the effective priority that follows.
#include <doctest/doctest.h>

#include "protocol/sync_tracking.hpp"
#include "protocol/track_priority.hpp"

using namespace ka::proto;

namespace {

track_entry e(track_kind k, const char* name, int weight, bool reverse = false) {
  track_entry t;
  t.kind = k;
  t.name = name;
  t.weight = weight;
  t.reverse = reverse;
  return t;
}

// The effective priority of `configured` with the entries' objects all down (failing).
effective_priority all_failing(int configured, const std::vector<track_entry>& es) {
  std::vector<track_term> terms;
  for (const auto& x : es) {
    track_term t;
    t.weight = x.weight;
    t.reverse = x.reverse;
    if (x.kind == track_kind::file) {
      t.what = track_term::kind::value;
      t.value = 5;  // a non-zero value: a failure for an unweighted file
    } else {
      t.ok = false;
    }
    terms.push_back(t);
  }
  return compute_effective_priority(configured, terms);
}

} // namespace

TEST_CASE("an instance outside any sync group keeps its entries as they are") {
  std::vector<track_entry> own = {e(track_kind::script, "chk", -60), e(track_kind::file, "tf", 1)};
  auto r = resolve_member_tracking(own, false, {e(track_kind::script, "other", 0)}, false);
  CHECK(r.entries == own);
  CHECK(r.notes.empty());
}

TEST_CASE("a group's entries go to every member with the group's weights, with or without sync_group_tracking_weight") {
  std::vector<track_entry> group = {e(track_kind::script, "chk", -60), e(track_kind::interface, "eth2", 0)};
  for (bool weights : {false, true}) {
    auto r = resolve_member_tracking({}, true, group, weights);
    REQUIRE(r.entries.size() == 2);
    CHECK(r.entries[0].from_group);
    CHECK(r.entries[0].weight == -60);
    CHECK(r.notes.empty());
    // Observed: a weighted group script failing takes each member from 150 to 90 ...
    CHECK(all_failing(150, {r.entries[0]}).priority == 90);
    CHECK_FALSE(all_failing(150, {r.entries[0]}).fault);
    // ... and an unweighted group interface down puts each member in FAULT.
    CHECK(all_failing(150, {r.entries[1]}).fault);
  }
}

TEST_CASE("a member's own weighted entries without sync_group_tracking_weight, per kind as keepalived") {
  std::vector<track_entry> own = {e(track_kind::script, "chk", -60), e(track_kind::file, "tf", 1),
                                  e(track_kind::interface, "eth2", -10),
                                  e(track_kind::process, "tp", -20)};
  auto r = resolve_member_tracking(own, true, {}, false);
  REQUIRE(r.entries.size() == 3);  // the script is not tracked at all
  CHECK(r.entries[0].kind == track_kind::file);
  CHECK(r.entries[0].weight == 0);  // tracked unweighted: non-zero value = FAULT
  CHECK(all_failing(150, {r.entries[0]}).fault);
  CHECK(r.entries[1].kind == track_kind::interface);
  CHECK(all_failing(150, {r.entries[1]}).priority == 140);  // observed: 150 -> 140
  CHECK(r.entries[2].kind == track_kind::process);
  CHECK(all_failing(150, {r.entries[2]}).priority == 130);  // observed: 150 -> 130
  REQUIRE(r.notes.size() == 3);  // script, file, interface; the process silently
  CHECK(r.notes[0].find("tracked script chk") != std::string::npos);
  CHECK(r.notes[1].find("tracked file tf") != std::string::npos);
  CHECK(r.notes[2].find("tracked interface eth2") != std::string::npos);
}

TEST_CASE("a member's unweighted entries stay; with sync_group_tracking_weight its weights stay") {
  std::vector<track_entry> own = {e(track_kind::script, "chk", 0), e(track_kind::file, "tf", 0)};
  CHECK(resolve_member_tracking(own, true, {}, false).entries == own);
  std::vector<track_entry> weighted = {e(track_kind::script, "chk", -60), e(track_kind::file, "tf", 2, true)};
  auto r = resolve_member_tracking(weighted, true, {}, true);
  CHECK(r.entries == weighted);
  CHECK(r.notes.empty());
  CHECK(all_failing(150, {r.entries[0]}).priority == 90);  // observed: that member only
}

TEST_CASE("an object tracked by a member and by its group counts once, the member's entry") {
  auto r = resolve_member_tracking({e(track_kind::process, "tp", -20)}, true,
                                   {e(track_kind::process, "tp", -50), e(track_kind::file, "tf", 3)}, false);
  REQUIRE(r.entries.size() == 2);
  CHECK(r.entries[0].weight == -20);
  CHECK_FALSE(r.entries[0].from_group);
  CHECK(r.entries[1].name == "tf");
  CHECK(r.entries[1].from_group);
}
