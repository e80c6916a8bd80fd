// The admin protocol: reply lines are valid, one-line JSON whatever bytes a config or a
// client put in them; requests are parsed strictly with clear errors.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "protocol/admin_protocol.hpp"

using ka::json;
using namespace ka::proto;

namespace {
// A reply line must parse back (strict UTF-8) and end with its only newline.
json reparse(const std::string& line) {
  REQUIRE(!line.empty());
  CHECK(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);
  return json::parse(line);
}
} // namespace

TEST_CASE("admin_line: members keep the order they were set in") {
  json v;
  v["ok"] = true;
  v["name"] = "VI_1";
  v["a"] = 1;
  CHECK(admin_line(v) == "{\"ok\":true,\"name\":\"VI_1\",\"a\":1}\n");
}

TEST_CASE("admin_line: a Latin-1 byte (0xE9) becomes U+FFFD, the rest intact") {
  json v;
  v["name"] = std::string("caf\xE9_VI");
  std::string line = admin_line(v);
  CHECK(line == "{\"name\":\"caf\xEF\xBF\xBD_VI\"}\n");
  CHECK(reparse(line)["name"] == "caf\xEF\xBF\xBD_VI");
}

TEST_CASE("admin_line: invalid UTF-8 anywhere (keys, arrays, truncated sequences)") {
  json v;
  v[std::string("k\xFF")] = json::array({std::string("\xC3"), std::string("a\xE2\x82"), "ok"});
  json back = reparse(admin_line(v));
  CHECK(back["k\xEF\xBF\xBD"][2] == "ok");
  CHECK(back["k\xEF\xBF\xBD"][0] == "\xEF\xBF\xBD");
}

TEST_CASE("admin_line: valid UTF-8 and control characters pass escaped, not replaced") {
  json v;
  v["s"] = std::string("r\xC3\xA9seau \"q\" \\ tab\t nl\n nul") + std::string(1, '\0') + "\x1f";
  std::string line = admin_line(v);
  CHECK(line == "{\"s\":\"r\xC3\xA9seau \\\"q\\\" \\\\ tab\\t nl\\n nul\\u0000\\u001f\"}\n");
  CHECK(reparse(line)["s"] == v["s"]);
}

TEST_CASE("admin_line: numbers") {
  json v;
  v["n"] = 18446744073709551615ULL;
  v["i"] = -3;
  v["d"] = 0.25;
  v["nan"] = std::nan("");
  CHECK(admin_line(v) == "{\"n\":18446744073709551615,\"i\":-3,\"d\":0.25,\"nan\":null}\n");
}

TEST_CASE("admin_error") {
  CHECK(admin_line(admin_error("no \xE9")) == "{\"ok\":false,\"error\":\"no \xEF\xBF\xBD\"}\n");
}

TEST_CASE("admin_command: the command of a well-formed request") {
  json err;
  CHECK(admin_command("{\"cmd\":\"status\"}", err) == "status");
  CHECK(admin_command(" {\"pad\":[1,2], \"cmd\" : \"ping\"} ", err) == "ping");
  CHECK(err.is_null());
}

TEST_CASE("admin_command: errors") {
  auto error_of = [](std::string_view line) {
    json err;
    CHECK(admin_command(line, err).empty());
    REQUIRE(err.is_object());
    CHECK(err["ok"] == false);
    return err["error"].get<std::string>();
  };
  CHECK(error_of("this is not json").rfind("bad request: ", 0) == 0);
  CHECK(error_of("{\"cmd\":\"sta").rfind("bad request: ", 0) == 0);
  CHECK(error_of("{\"cmd\":\"st\xE9\"}").rfind("bad request: ", 0) == 0);  // not UTF-8
  CHECK(error_of("{\"cmd\":\"ping\"} trailing").rfind("bad request: ", 0) == 0);
  for (const char* line : {"{\"nocmd\":1}", "[1,2]", "{\"cmd\":42}", "\"status\""})
    CHECK(error_of(line) == "bad request: expected an object with a string member \"cmd\"");
  // The error (which quotes what was read) is itself a valid reply line.
  json err;
  admin_command("{\"cmd\":\xE9\xE9}", err);
  CHECK(reparse(admin_line(err))["ok"] == false);
}
