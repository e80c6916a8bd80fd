// parser/preprocess.cpp: @ID / @^ID lines, $NAME definitions and substitution, built-ins,
// ~SEQ / ~SEQx / ~LST, their bounds, and positions that still name the original text.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "parser/load.hpp"
#include "tests/unit/temp_dir.hpp"

using namespace ka::config;

namespace {

std::optional<config_error> error_of(const std::string& text, const std::string& id = "main") {
  try {
    load_string(text, "t.conf", id);
  } catch (const config_error& e) {
    return e;
  }
  return std::nullopt;
}

std::string vips_of(const config& c) {
  std::string s;
  for (const auto& v : c.instances.at(0).vips) s += (s.empty() ? "" : " ") + v.addr.to_string();
  return s;
}

std::string instance(const std::string& body) {
  return "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n" + body + " }\n}\n";
}

} // namespace

TEST_CASE("conditional lines: @ID and @^ID select by the config id") {
  const std::string text = "global_defs {\n  @main router_id main_router\n  @backup router_id backup_router\n}\n" +
                           instance("  @^main 192.0.2.1\n  @^backup 192.0.2.2\n");
  auto m = load_string(text, "t.conf", "main");
  CHECK(m.global.router_id == "main_router");
  CHECK(vips_of(m) == "192.0.2.2");
  auto b = load_string(text, "t.conf", "backup");
  CHECK(b.global.router_id == "backup_router");
  CHECK(vips_of(b) == "192.0.2.1");
  auto o = load_string(text, "t.conf", "other");
  CHECK(vips_of(o) == "192.0.2.1 192.0.2.2");
  // The word runs to the first blank: `@main$X=1` asks for the id "main$X=1".
  CHECK(load_string("@main$X=1\nglobal_defs {\n router_id $X\n}\n", "t.conf", "main").global.router_id == "$X");
}

TEST_CASE("conditional lines keep the columns of what follows the condition") {
  auto e = error_of(instance("  @main   192.0.2.300\n"));
  REQUIRE(e);
  CHECK(e->where().to_string() == "t.conf:5:11");
}

TEST_CASE("definitions and substitution, as keepalived.conf(5) describes them") {
  auto c = load_string("$A=x\n  $B=  sp  \n$C=1 # comment\n$D=1.${E}\n$E=7\n"
                       "global_defs {\n router_id ${A}_$A_|${B}|${C}|${D}|$A\n}\n",
                       "t.conf", "main");
  // $A before '_' is no reference; ${D} takes ${E}'s value at use time.
  CHECK(c.global.router_id == "x_$A_|sp|1|1.7|x");
  // Undefined names and what are no definitions stay as written.
  // (Also `${UNDEF}`, whose braces then open a block: keepalived 2.2.7 does the same.)
  auto u = load_string("$A =3\nglobal_defs {\n router_id $UNDEF$\n}\n", "t.conf", "main");
  CHECK(u.global.router_id == "$UNDEF$");
  REQUIRE(!u.diagnostics.empty());
  CHECK(u.diagnostics.front().what == diagnostic::kind::unknown_keyword);  // `$A` of `$A =3`
  CHECK(u.diagnostics.front().message == "unknown keyword '$A'");
  // Redefinition: each use sees the value of the time.
  auto r = load_string("$N=1\n" + instance("  192.0.2.$N\n$N=2\n  192.0.2.${N}\n"), "t.conf", "main");
  CHECK(vips_of(r) == "192.0.2.1 192.0.2.2");
  // A definition under a condition, and a condition inside a value.
  auto k = load_string("@main $P=240\n@backup $P=200\n$IF=@main\n"
                       "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n priority $P\n $IF nopreempt\n}\n",
                       "t.conf", "main");
  CHECK(k.instances.at(0).priority == 240);
  CHECK(k.instances.at(0).nopreempt);
}

TEST_CASE("multi-line definitions, nested, with conditions inside") {
  const std::string text =
      "$VIP= \\\n  192.0.2.${NUM}/32 \\\n  @high 198.51.100.${NUM}/32 \\\n  $LAST=${NUM}\n"
      "$INST= \\\nvrrp_instance VI_${NUM} { \\\n interface eth0 \\\n virtual_router_id ${NUM} \\\n"
      " virtual_ipaddress { \\\n  $VIP \\\n } \\\n}\n"
      "$NUM=1\n$INST\n$NUM=2\n$INST\nglobal_defs {\n router_id last$LAST\n}\n";
  auto c = load_string(text, "t.conf", "high");
  REQUIRE(c.instances.size() == 2);
  CHECK(c.instances[1].name == "VI_2");
  CHECK(c.instances[1].vrid == 2);
  CHECK(vips_of(c) == "192.0.2.1 198.51.100.1");
  CHECK(c.global.router_id == "last2");
  CHECK(load_string(text, "t.conf", "low").instances[0].vips.size() == 1);
  // A blank line ends a multi-line value (keepalived 2.2.7 does the same).
  auto b = load_string("$M= \\\n 192.0.2.1 \\\n\n 192.0.2.2\n", "t.conf", "x");
  REQUIRE(!b.diagnostics.empty());
  CHECK(b.diagnostics.front().what == diagnostic::kind::unknown_keyword);
  CHECK(b.diagnostics.front().where.to_string() == "t.conf:4:2");
}

TEST_CASE("built-ins: _PWD, _INSTANCE, _RANDOM, _HASH, _BANG") {
  temp_dir d;
  std::string f = d.write("k.conf", "global_defs {\n router_id ${_INSTANCE}\n notification_email_from \"${_PWD}/${_HASH}${_BANG}\"\n}\n" +
                                        instance("  192.0.2.${_RANDOM 10 12}\n"));
  auto c = load_file(f, "node7");
  CHECK(c.global.router_id == "node7");
  CHECK(c.global.notification_email_from == d.path + "/#!");
  auto first = c.instances.at(0).vips.at(0).addr.to_string();
  CHECK((first == "192.0.2.10" || first == "192.0.2.11" || first == "192.0.2.12"));
  // Outside quotes '#' would start a comment here: an error rather than another meaning.
  auto e = error_of("global_defs {\n router_id a${_HASH}\n}\n");
  REQUIRE(e);
  CHECK(e->where().to_string() == "t.conf:2:13");
  e = error_of("global_defs {\n router_id ${_RANDOM 9 x}\n}\n");
  REQUIRE(e);
  CHECK(e->where().to_string() == "t.conf:2:12");
}

TEST_CASE("~SEQ, ~SEQx and ~LST lines, nested") {
  auto c = load_string(instance("  ~SEQ(N, 3) 192.0.2.1${N}\n  ~SEQ(K, 5, -2, 1) 192.0.2.3${K}\n"
                                "  ~SEQ(I, 1, 2) ~SEQ(J, 1, 2) 10.${I}.${J}.4\n  ~SEQ(P, 0) 192.0.2.6${P}\n"
                                ""),
                       "t.conf", "x");
  CHECK(vips_of(c) == "192.0.2.11 192.0.2.12 192.0.2.13 192.0.2.35 192.0.2.33 192.0.2.31 "
                      "10.1.1.4 10.1.2.4 10.2.1.4 10.2.2.4 192.0.2.61 192.0.2.60");
  auto x = load_string(instance("  ~SEQx(H, 9, 3, 15) 2001:db8::${H}\n"), "t.conf", "x");
  CHECK(vips_of(x) == "2001:db8::9 2001:db8::c 2001:db8::f");
  auto l = load_string(instance("  ~LST(IP, 7, 8) 192.0.2.${IP}\n  ~LST({A, B}, {1, 2}, {3, 4}) 10.${A}.0.${B}\n"),
                       "t.conf", "x");
  CHECK(vips_of(l) == "192.0.2.7 192.0.2.8 10.1.0.2 10.3.0.4");
}

TEST_CASE("~SEQ repeats a multi-line value, also from inside another one") {
  // keepalived.conf(5)'s `~SEQ(IF,0,7) ~SEQ(NUM,0,31) ~SEQ(ID,1,254) $VI4` pattern, smaller.
  const std::string text = "$VIP= \\\n  10.${I}.${J}.1 \\\n  10.${I}.${J}.2\n"
                           "$BODY= \\\n interface eth0 \\\n virtual_router_id 1 \\\n"
                           " virtual_ipaddress { \\\n  ~SEQ(J, 1, 2) $VIP \\\n }\n"
                           "vrrp_instance V {\n $BODY\n}\n";
  auto c = load_string("$I=5\n" + text, "t.conf", "x");
  CHECK(vips_of(c) == "10.5.1.1 10.5.1.2 10.5.2.1 10.5.2.2");
}

TEST_CASE("~SEQ errors name the offending argument") {
  auto check_at = [](const std::string& line, const std::string& where, const std::string& found) {
    auto e = error_of("global_defs {\n router_id r\n}\n" + line + "\n");
    REQUIRE(e);
    CHECK(e->where().to_string() == where);
    CHECK(e->found().find(found) != std::string::npos);
  };
  check_at("~SEQ(N, a, 2) x", "t.conf:4:9", "'a'");
  check_at("~SEQ(, 1, 2) x", "t.conf:4:8", "'1'");
  check_at("~SEQ(N, 1, 0, 2) x", "t.conf:4:12", "a step of 0");
  check_at("~SEQ(N, 1, -1, 2) x", "t.conf:4:12", "a step of -1");
  check_at("~SEQ(N, 1, 2 x", "t.conf:4:1", "'~SEQ(N, 1, 2 x'");
  check_at("~SEQ(N) x", "t.conf:4:1", "1 arguments");
  check_at("~SEQ(N, 1000000) x", "t.conf:4:1", "1000000 values");
  check_at("~LST({A, B}, {1}) x", "t.conf:4:14", "'{1}'");
}

TEST_CASE("an error in expanded text points at the original text and says which expansion") {
  auto e = error_of("$BAD=192.0.2.999\n" + instance("  192.0.2.1\n  ${BAD}\n"));
  REQUIRE(e);
  CHECK(e->where().to_string() == "t.conf:7:3 (after substituting $BAD)");
  // After a substitution the columns of the rest of the line are the original ones.
  e = error_of("$X=192.0.2.1\n" + instance("  ${X} brd 192.0.2.300\n"));
  REQUIRE(e);
  CHECK(e->where().to_string() == "t.conf:6:12 (after substituting $X)");
  e = error_of("$M= \\\n 192.0.2.1 \\\n 192.0.2.x\n" + instance("    $M\n"));
  REQUIRE(e);
  CHECK(e->where().to_string() == "t.conf:8:5 (in the expansion of $M)");
  e = error_of(instance("  ~SEQ(N, 254, 256) 192.0.2.${N}\n"));
  REQUIRE(e);
  CHECK(e->where().to_string() == "t.conf:5:21 (~SEQ(N) with N=256)");
}

TEST_CASE("bounds: recursion, a definition bomb, long lines, many iterations") {
  auto e = error_of("$A=${A}x\nglobal_defs {\n router_id ${A}\n}\n");
  REQUIRE(e);
  CHECK(e->where().to_string() == "t.conf:3:12");
  CHECK(e->expected().find("nested") != std::string::npos);
  // $A=${B}${B}, $B=${C}${C} ... $Y=${Z}${Z}, then $Z=last: ${A} is 2^25 times ${Z}.
  auto chain = [](const std::string& last) {
    std::string defs;
    for (char c = 'A'; c < 'A' + 25; ++c)
      defs += std::string("$") + c + "=${" + char(c + 1) + "}${" + char(c + 1) + "}\n";
    return defs + "$Z=" + last + "\nglobal_defs {\n router_id ${A}\n}\n";
  };
  e = error_of(chain("0123456789abcdef0123456789abcdef"));  // 2^30 bytes if nothing stopped it
  REQUIRE(e);
  CHECK(e->expected().find("bytes in one line") != std::string::npos);
  CHECK(e->where().to_string() == "t.conf:28:12");
  e = error_of(chain(""));  // no bytes, but 2^25 substitutions
  REQUIRE(e);
  CHECK(e->expected().find("substitutions") != std::string::npos);
  // Nested sequences multiply: 1000^3 lines.
  e = error_of("~SEQ(A, 1000) ~SEQ(B, 1000) ~SEQ(C, 1000) xxxxxxxxxxxxxxxxxxxxxxx\n");
  REQUIRE(e);
  CHECK(e->expected().find("bytes of configuration text") != std::string::npos);
}

TEST_CASE("definitions pass between included files in reading order") {
  temp_dir d;
  d.write("inc.conf", "global_defs {\n router_id ${RID}\n}\n");
  auto c = load_file(d.write("main.conf", "$RID=from_main\ninclude inc.conf\n$RID=later\n"), "x");
  CHECK(c.global.router_id == "from_main");
  // A file of definitions included first, used after the include (and in the next include).
  d.write("vars.conf", "$PRIO=150\n@x $VRID=7\n@^x $VRID=8\n");
  d.write("inst.conf", "vrrp_instance V {\n interface eth0\n virtual_router_id $VRID\n priority $PRIO\n}\n");
  auto v = load_file(d.write("top.conf", "include vars.conf\n@x include inst.conf\n"
                                         "global_defs {\n router_id p$PRIO\n}\n"), "x");
  REQUIRE(v.instances.size() == 1);
  CHECK(v.instances[0].vrid == 7);
  CHECK(v.instances[0].priority == 150);
  CHECK(v.global.router_id == "p150");
  CHECK(load_file(d.path + "/top.conf", "y").instances.empty());  // @x include not taken
  // The same file included twice, inside a block: each inclusion sees the values of its time.
  d.write("vip.conf", "192.0.2.$N\n");
  auto t = load_file(d.write("twice.conf", "vrrp_instance V {\n interface eth0\n virtual_router_id 1\n"
                                           " virtual_ipaddress {\n$N=1\n  include vip.conf\n$N=2\n  include vip.conf\n }\n}\n"),
                     "x");
  CHECK(vips_of(t) == "192.0.2.1 192.0.2.2");
  // An error in an included file still names that file.
  d.write("badinc.conf", "global_defs {\n router_id ${_HASH}\n}\n");
  try {
    load_file(d.write("b.conf", "$X=1\ninclude badinc.conf\n"), "x");
    FAIL("no error");
  } catch (const config_error& e) {
    CHECK(e.where().to_string() == d.path + "/badinc.conf:2:12");
  }
}
