// -S/--log-facility's values (kernel/log_facility.hpp), as keepalived 2.2.7 takes them.
#include <doctest/doctest.h>
#include <syslog.h>

#include "kernel/log_facility.hpp"

using ka::kern::log_facility_name;
using ka::kern::parse_log_facility;

TEST_CASE("log facility: 0-7 and local0-local7 are LOG_LOCAL0-7") {
  const int locals[] = {LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
                        LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7};
  for (int i = 0; i < 8; ++i) {
    CHECK(parse_log_facility(std::to_string(i)) == locals[i]);
    CHECK(parse_log_facility("local" + std::to_string(i)) == locals[i]);
    CHECK(std::string(log_facility_name(locals[i])) == "local" + std::to_string(i));
  }
}

TEST_CASE("log facility: user and daemon by name") {
  CHECK(parse_log_facility("user") == LOG_USER);
  CHECK(parse_log_facility("daemon") == LOG_DAEMON);
  CHECK(std::string(log_facility_name(LOG_DAEMON)) == "daemon");
  CHECK(std::string(log_facility_name(LOG_USER)) == "user");
}

TEST_CASE("log facility: anything else is refused") {
  for (const char* bad : {"", "8", "9", "-1", "07", "3 ", " 3", "local", "local8", "local33",
                          "LOCAL3", "Daemon", "kern", "auth", "7x", "local-1"})
    CHECK_MESSAGE(!parse_log_facility(bad), bad);
}
