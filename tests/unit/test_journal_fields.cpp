// The journal fields of a log line (kernel/journal.hpp): a transition line gives INSTANCE=
// and STATE=, anything else none.
#include <doctest/doctest.h>

#include "kernel/journal.hpp"

using ka::kern::journal::fields_of;
using v = std::vector<std::string>;

TEST_CASE("journal fields: a transition line") {
  CHECK(fields_of("VRRP_Instance(VI_1) Entering MASTER STATE") == v{"INSTANCE=VI_1", "STATE=MASTER"});
  CHECK(fields_of("VRRP_Instance(web (x)) Entering FAULT STATE") == v{"INSTANCE=web (x)", "STATE=FAULT"});
  CHECK(fields_of("VRRP_Group(G1) Entering BACKUP STATE") == v{"SYNC_GROUP=G1", "STATE=BACKUP"});
}

TEST_CASE("journal fields: other lines have none") {
  for (const char* line : {"", "Starting Keepalive", "VRRP_Instance(VI_1) Changing effective priority from 100 to 90",
                           "VRRP_Instance() Entering MASTER STATE", "VRRP_Instance(VI_1) Entering  STATE",
                           "VRRP_Instance(VI_1) Entering MASTER STATE now", "VRRP_Instance(VI_1) Entering A B STATE",
                           "x VRRP_Instance(VI_1) Entering MASTER STATE"})
    CHECK_MESSAGE(fields_of(line).empty(), line);
}
