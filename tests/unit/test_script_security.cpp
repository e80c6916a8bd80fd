// Who runs a script and whether a root script's path is safe (protocol/script_security.hpp),
// as keepalived 2.2.7 does in a lab.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include "protocol/script_security.hpp"

using namespace ka::proto;

TEST_CASE("script user: the script's own, else script_user, else keepalived_script, else the daemon's") {
  script_user_input in;
  in.user = "nobody";
  in.global_user = "daemon";
  in.default_user_exists = true;
  auto c = choose_script_user(in);
  CHECK_FALSE(c.refused);
  CHECK(c.user == "nobody");
  CHECK(c.group.empty());  // the user's primary group
  in.user.clear();
  in.global_group = "adm";
  c = choose_script_user(in);
  CHECK(c.user == "daemon");
  CHECK(c.group == "adm");
  in.global_user.clear();
  in.global_group.clear();
  CHECK(choose_script_user(in).user == "keepalived_script");
  in.default_user_exists = false;
  c = choose_script_user(in);
  CHECK_FALSE(c.refused);
  CHECK(c.user.empty());  // root, the daemon's own
}

TEST_CASE("script user: with enable_script_security, no fallback to root") {
  script_user_input in;
  in.security = true;
  auto c = choose_script_user(in);
  CHECK(c.refused);
  CHECK(c.reason.find("enable_script_security") != std::string::npos);
  in.user = "root";  // named explicitly: allowed (then its path is checked)
  c = choose_script_user(in);
  CHECK_FALSE(c.refused);
  CHECK(c.user == "root");
  in.user.clear();
  in.global_user = "nobody";
  CHECK(choose_script_user(in).user == "nobody");
  in.global_user.clear();
  in.default_user_exists = true;
  CHECK(choose_script_user(in).user == "keepalived_script");
}

TEST_CASE("script path safety: what a non-root user could change, as observed") {
  CHECK_FALSE(unsafe_component(0, 0, S_IFDIR | 0755, true));
  CHECK(unsafe_component(0, 0, S_IFDIR | 0777, true));            // world-writable directory
  CHECK_FALSE(unsafe_component(0, 0, S_IFDIR | 01777, true));     // ... unless sticky (/tmp)
  CHECK_FALSE(unsafe_component(0, 0, S_IFDIR | 0775, true));      // group root may write
  CHECK(unsafe_component(0, 100, S_IFDIR | 0775, true));          // another group may not
  CHECK(unsafe_component(65534, 0, S_IFREG | 0755, false));       // owned by nobody
  CHECK_FALSE(unsafe_component(0, 0, S_IFREG | 0775, false));
  CHECK(unsafe_component(0, 0, S_IFREG | 0757, false));           // world-writable file
  CHECK(unsafe_component(0, 0, S_IFREG | 01777, false));          // sticky means nothing on a file
}
