// The admin socket's JSON: writer, strict parser, object helpers.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "protocol/json.hpp"

using namespace ka;

namespace {

json::value parsed(std::string_view text) {
  std::string err;
  auto v = json::parse(text, &err);
  INFO("text: " << std::string(text) << " error: " << err);
  REQUIRE(v.has_value());
  return *v;
}

bool rejects(std::string_view text) { return !json::parse(text).has_value(); }

} // namespace

TEST_CASE("dump: scalars") {
  CHECK(json::dump(json::value{}) == "null");
  CHECK(json::dump(nullptr) == "null");
  CHECK(json::dump(true) == "true");
  CHECK(json::dump(false) == "false");
  CHECK(json::dump(3) == "3");
  CHECK(json::dump(3.0) == "3");
  CHECK(json::dump(-42) == "-42");
  CHECK(json::dump(0) == "0");
  CHECK(json::dump(-0.0) == "0");
  CHECK(json::dump(18446744073709551615ull) == "18446744073709551616");  // 2^64, exact
  CHECK(json::dump(9007199254740992.0) == "9007199254740992");
  CHECK(json::dump(3.5) == "3.5");
  CHECK(json::dump(0.1) == "0.1");
  CHECK(json::dump(-2.25) == "-2.25");
  CHECK(json::dump(1e300) == "1e+300");
  CHECK(json::dump(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(json::dump(std::numeric_limits<double>::infinity()) == "null");
  CHECK(json::dump("hi") == "\"hi\"");
}

TEST_CASE("dump: non-integral numbers survive a round trip exactly") {
  for (double d : {0.1, 1.0 / 3.0, 2.5e-8, 123456.789, 1e21, -1.7976931348623157e308,
                   4.9406564584124654e-324}) {
    const auto back = parsed(json::dump(d));
    CHECK(back.as_number() == d);
  }
}

TEST_CASE("dump: string escapes") {
  CHECK(json::dump("a\"b\\c") == R"("a\"b\\c")");
  CHECK(json::dump("\n\r\t\b\f") == R"("\n\r\t\b\f")");
  CHECK(json::dump(std::string("\x01\x1f\x00", 3)) == R"("\u0001\u001f\u0000")");
  CHECK(json::dump("/") == "\"/\"");
  CHECK(json::dump("\x7f") == "\"\x7f\"");
  CHECK(json::dump("caf\xc3\xa9") == "\"caf\xc3\xa9\"");  // UTF-8 passes through
}

TEST_CASE("dump: containers are compact and keep member order") {
  json::value v;
  v.set("name", "VI_1");
  v.set("state", "MASTER");
  v.set("priority", 100);
  v.set("vips", json::array{"192.0.2.100", "192.0.2.101"});
  v.set("empty", json::object{});
  v.set("none", json::array{});
  CHECK(json::dump(v) ==
        R"({"name":"VI_1","state":"MASTER","priority":100,)"
        R"("vips":["192.0.2.100","192.0.2.101"],"empty":{},"none":[]})");
  const std::string line = json::dump(json::value("multi\nline"));
  CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("value: find and set") {
  json::value v;
  CHECK(v.find("x") == nullptr);
  json::value& x = v.set("x", 1);
  CHECK(x.as_number() == 1);
  v.set("y", "two");
  REQUIRE(v.find("y") != nullptr);
  CHECK(v.find("y")->as_string() == "two");
  CHECK(v.find("z") == nullptr);
  // Replacing keeps the member's position.
  v.set("x", false);
  CHECK(json::dump(v) == R"({"x":false,"y":"two"})");
  CHECK(v.as_object().size() == 2);
  CHECK(json::value(3).find("x") == nullptr);
  json::value s("str");
  CHECK_THROWS(s.set("k", 1));
}

TEST_CASE("parse: values") {
  CHECK(parsed("null").is_null());
  CHECK(parsed("true").as_bool());
  CHECK_FALSE(parsed("false").as_bool());
  CHECK(parsed("0").as_number() == 0);
  CHECK(parsed("-0").as_number() == 0);
  CHECK(parsed("42").as_number() == 42);
  CHECK(parsed("-1.5e2").as_number() == -150);
  CHECK(parsed("2E-2").as_number() == 0.02);
  CHECK(parsed("1e+2").as_number() == 100);
  CHECK(parsed("0.5").as_number() == 0.5);
  CHECK(parsed(" \t\r\n{}\n").as_object().empty());
  CHECK(parsed("[]").as_array().empty());
  CHECK(parsed(R"("a\"\\\/\b\f\n\r\t")").as_string() == "a\"\\/\b\f\n\r\t");
  CHECK(parsed(R"("\u00e9\u20AC")").as_string() == "\xc3\xa9\xe2\x82\xac");
  CHECK(parsed(R"("\ud83d\ude00")").as_string() == "\xf0\x9f\x98\x80");
  CHECK(parsed(R"("\u0000")").as_string() == std::string(1, '\0'));
  CHECK(parsed("\"caf\xc3\xa9 \xf0\x9f\x98\x80\"").as_string() == "caf\xc3\xa9 \xf0\x9f\x98\x80");

  const auto v = parsed(R"({"cmd":"status","args":{"instance":"VI_1","n":[1,2,{"x":null}]}})");
  REQUIRE(v.find("cmd") != nullptr);
  CHECK(v.find("cmd")->as_string() == "status");
  const json::value* args = v.find("args");
  REQUIRE(args != nullptr);
  CHECK(args->find("instance")->as_string() == "VI_1");
  const auto& n = args->find("n")->as_array();
  REQUIRE(n.size() == 3);
  CHECK(n[1].as_number() == 2);
  CHECK(n[2].find("x")->is_null());
}

TEST_CASE("parse and dump round-trip") {
  for (const char* text : {
           R"({"a":1,"b":[true,false,null],"c":{"d":"e\u0001"},"f":-0.25,"g":""})",
           R"([[],{},[[[1]]],"\"\\\n"])",
           R"({"z":1,"a":2})",  // order kept, not sorted
           R"("\u001f")",
       }) {
    const auto v = parsed(text);
    CHECK(json::dump(v) == text);
    CHECK(parsed(json::dump(v)) == v);
  }
  json::value built;
  built.set("counters", json::object{{"bad_ttl", 3}, {"auth_failure", 0}});
  built.set("since", 1.5);
  built.set("name", "tab\there");
  CHECK(parsed(json::dump(built)) == built);
}

TEST_CASE("parse: rejections") {
  for (const char* text : {
           "", " ", "nul", "tru", "falsey", "True", "NaN", "Infinity", "-Infinity",
           "01", "-01", "1.", ".5", "+1", "-", "1e", "1e+", "0x10", "1.5.2", "- 1",
           "1e400", "-1e400", "1e-400",
           "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "'a'", "\"a\tb\"", "\"a\nb\"",
           "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
           "\"\xff\"", "\"\xc0\xaf\"", "\"\xe0\x80\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"",
           "\"\xc3\"",
           "[", "]", "[1,]", "[,1]", "[1 2]", "[1,,2]",
           "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{a:1}", "{\"a\" 1}", "{1:2}",
           "{\"a\":1 \"b\":2}", "{\"a\":1,\"a\":2}",
           "{} {}", "1 2", "null x", "[]]",
       }) {
    INFO("text: " << text);
    CHECK(rejects(text));
  }
  CHECK(rejects(std::string_view("1\0", 2)));
}

TEST_CASE("parse: error messages carry the offset") {
  std::string err;
  CHECK_FALSE(json::parse("[1,x]", &err).has_value());
  CHECK(err.find("offset 3") != std::string::npos);
  CHECK_FALSE(json::parse("{\"a\":1,\"a\":2}", &err).has_value());
  CHECK(err.find("offset 7") != std::string::npos);
  CHECK(err.find("duplicate") != std::string::npos);
  CHECK_FALSE(json::parse("true false", &err).has_value());
  CHECK(err.find("offset 5") != std::string::npos);
  CHECK_FALSE(json::parse("", &err).has_value());
  CHECK(err.find("offset 0") != std::string::npos);
  CHECK(json::parse("[1]").has_value());  // a null error pointer is fine
}

TEST_CASE("parse: nesting is bounded") {
  const std::string ok = std::string(128, '[') + std::string(128, ']');
  CHECK(json::parse(ok).has_value());
  const std::string deep = std::string(129, '[') + std::string(129, ']');
  CHECK_FALSE(json::parse(deep).has_value());
  const std::string hostile(100000, '[');
  CHECK_FALSE(json::parse(hostile).has_value());
}
