// parser/: the bounds that keep a hostile config from crashing or exhausting the front
// end (load_limits in parser/source.hpp), each a config_error with file:line:column.
// The inputs that once crashed it are in tests/fuzz/regressions/ (tests/fuzz/regressions.sh).
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <chrono>
#include <new>
#include <stdexcept>
#include <string>

#include "parser/grammar.hpp"
#include "parser/load.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace ka::config;

namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// The config_error a load throws; fails the test if it throws none (or anything else).
template <class Load>
config_error error_from(Load&& load) {
  try {
    load();
  } catch (const config_error& e) {
    return e;
  }
  FAIL("expected a config_error");
  return config_error(source_pos{}, "", "");
}

config_error string_error(const std::string& text) {
  return error_from([&] { load_string(text, "t.conf"); });
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

TEST_CASE("parser limits: blocks nest at most 128 deep") {
  auto e = string_error(repeat("a {\n", 30000));
  CHECK(std::string(e.what()) ==
        "t.conf:129:3: found '{' opening a block nested 129 deep, expected at most 128 nested blocks");
  auto one_line = string_error("global_defs " + repeat("a { ", 200));
  CHECK(one_line.where().line == 1);
  CHECK(one_line.where().column == 13 + 128 * 4 + 2);  // the 129th "a { "
  config ok = load_string(repeat("a {\n", 128) + repeat("}\n", 128));
  CHECK(ok.diagnostics.size() == 1);  // the unknown keyword 'a'
}

TEST_CASE("parser limits: block depth counts the blocks around an include") {
  temp_dir d;
  d.write("inner.conf", repeat("c {\n", 127));
  std::string main = d.write("main.conf", "a {\n b {\n  include inner.conf\n }\n}\n");
  auto e = error_from([&] { load_file(main); });
  CHECK(e.where().to_string() == d.path + "/inner.conf:127:3");
  CHECK(e.found() == "'{' opening a block nested 129 deep");
}

TEST_CASE("parser limits: a decimal too small for a double is an error, not an exception") {
  auto e = string_error("vrrp_instance V {\n interface eth0\n virtual_router_id 1\n advert_int 0." +
                        repeat("0", 310) + "1\n}\n");
  CHECK(e.where().to_string() == "t.conf:4:13");
  CHECK(e.expected() == "a number of seconds 0.01..255 for advert_int");
  config c = load_string("vrrp_instance V {\n interface eth0\n virtual_router_id 1\n preempt_delay .5\n"
                         " advert_int 2.000000000000000000000000000000000\n}\n");
  CHECK(c.instances.at(0).preempt_delay == 0.5);
  CHECK(c.instances.at(0).advert_int == 2);
}

TEST_CASE("parser limits: include reads regular files only") {
  auto zero = string_error("global_defs {\n router_id r\n}\ninclude /dev/zero\n");
  CHECK(std::string(zero.what()) ==
        "t.conf:4:9: found '/dev/zero' (a character device), expected a regular file for include");
  temp_dir d;
  std::string fifo = d.path + "/fifo.conf";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  auto f = string_error("global_defs {\n router_id r\n}\n  includer " + fifo + "\n");
  CHECK(f.where().to_string() == "t.conf:4:12");
  CHECK(f.found() == "'" + fifo + "' (a FIFO)");
}

TEST_CASE("parser limits: the top-level file must be a regular file, found at once") {
  temp_dir d;
  std::string fifo = d.path + "/fifo.conf";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  auto start = std::chrono::steady_clock::now();
  CHECK(std::string(error_from([&] { load_file("/dev/zero"); }).what()) ==
        "/dev/zero: found '/dev/zero' (a character device), expected a regular file for the configuration");
  CHECK(error_from([&] { load_file(d.path); }).found() == "'" + d.path + "' (a directory)");
  CHECK(error_from([&] { load_file(fifo); }).found() == "'" + fifo + "' (a FIFO)");
  CHECK(seconds_since(start) < 10);
}

TEST_CASE("parser limits: the size of one file and of all files of a load") {
  temp_dir d;
  d.write("a.conf", std::string(100, '#') + "\n");
  d.write("b.conf", std::string(100, '#') + "\n");
  std::string main = d.write("main.conf", "include a.conf\n include b.conf\n");
  load_limits small;
  small.max_file_bytes = 100;
  auto one = error_from([&] { load_file(main, disk(), small); });
  CHECK(std::string(one.what()) == main + ":1:9: found '" + d.path +
                                       "/a.conf' of more than 100 bytes, expected at most 100 bytes in one file");
  load_limits total;
  total.max_total_bytes = 200;
  auto all = error_from([&] { load_file(main, disk(), total); });
  CHECK(all.where().to_string() == main + ":2:10");
  CHECK(all.found() == "'" + d.path + "/b.conf', bringing the files read to 233 bytes");
  CHECK(all.expected() == "at most 200 bytes in all files of one configuration");
  load_limits tiny;
  tiny.max_file_bytes = 10;
  CHECK(error_from([&] { load_file(main, disk(), tiny); }).where().to_string() == main);
}

TEST_CASE("parser limits: a chain of files that each include the next twice") {
  temp_dir d;
  for (int i = 0; i < 22; ++i) {
    std::string next = "c" + std::to_string(i + 1) + ".conf";
    d.write("c" + std::to_string(i) + ".conf", "include " + next + "\ninclude " + next + "\n");
  }
  d.write("c22.conf", "global_defs { router_id x }\n");
  auto start = std::chrono::steady_clock::now();
  auto e = error_from([&] { load_file(d.path + "/c0.conf"); });
  CHECK(seconds_since(start) < 30);
  CHECK(e.where().line == 1);
  CHECK(e.where().column == 9);
  CHECK(e.expected() == "at most 1024 files read in one configuration (includes counted each time)");
}

TEST_CASE("parser limits: glob brace patterns are bounded") {
  // Quoted: an unquoted '{' would open a block.
  auto e = string_error("include \"/nonexistent/" + repeat("{a,b}", 30) + "\"\n");
  CHECK(e.where().to_string() == "t.conf:1:9");
  CHECK(e.expected() == "at most 4 '{' and 32 ',' in the pattern of include");
  config ok = load_string("include \"/nonexistent/{a,b}/{c,d}.conf\"\n");
  CHECK(ok.diagnostics.size() == 1);  // matches no file
}

TEST_CASE("parser limits: a 1 MB quoted string and a million empty words") {
  std::string big(1 << 20, 'x');
  config c = load_string("global_defs {\n router_id \"" + big + "\"\n}\n");
  CHECK(c.global.router_id == big);
  config words = load_string("global_defs {\n router_id " + repeat("\"\"", 1 << 19) + "\n}\n");
  // One warning per extra word, kept to 1000 and a summary of the rest.
  REQUIRE(words.diagnostics.size() == 1001);
  CHECK(words.diagnostics.back().message == std::to_string((1 << 19) - 1001) +
                                                " more diagnostics from here on not shown");
}

TEST_CASE("parser limits: dropped unknown keywords still fail -t") {
  config c = load_string(repeat("router_id x\n", 999) + repeat("bogus\n", 5));
  REQUIRE(c.diagnostics.size() == 1001);
  CHECK(c.diagnostics.back().what == diagnostic::kind::unknown_keyword);
  CHECK(c.diagnostics.back().where.line == 1001);
}

TEST_CASE("parser limits: the words of one load, across its files") {
  temp_dir d;
  d.write("inc.conf", "a b c\nd e\n");
  std::string main = d.write("main.conf", "x y\ninclude inc.conf\n");
  load_limits few;
  few.max_words = 6;  // x y include inc.conf: 4, then a b c d e: 5 more
  auto e = error_from([&] { load_file(main, disk(), few); });
  CHECK(std::string(e.what()) == d.path + "/inc.conf:1:5: found word 7, expected at most 6 "
                                          "words (keywords and arguments) in one configuration");
  few.max_words = 9;
  CHECK(load_file(main, disk(), few).diagnostics.size() == 3);  // x, a, d: unknown keywords
}

TEST_CASE("parser limits: any other exception leaves a load as a config_error") {
  struct failing_source final : file_source {
    bool out_of_memory;
    explicit failing_source(bool oom) : out_of_memory(oom) {}
    std::vector<std::string> glob(const std::string&) override { return {}; }
    file_read read(const std::string&, std::size_t) override {
      if (out_of_memory) throw std::bad_alloc();
      throw std::length_error("basic_string::_M_create");
    }
  };
  failing_source oom(true), other(false);
  CHECK(std::string(error_from([&] { load_file("k.conf", oom); }).what()) ==
        "k.conf: found a configuration too large for memory, expected a smaller configuration");
  CHECK(error_from([&] { load_file("k.conf", other); }).found() ==
        "an internal error (basic_string::_M_create)");
}
