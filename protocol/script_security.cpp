#include "protocol/script_security.hpp"

#include <sys/stat.h>

namespace ka::proto {

script_user_choice choose_script_user(const script_user_input& in) {
  script_user_choice c;
  if (!in.user.empty()) {
    c.user = in.user;
    c.group = in.group;
    return c;
  }
  if (!in.global_user.empty()) {
    c.user = in.global_user;
    c.group = in.global_group;
    return c;
  }
  if (in.default_user_exists) {
    c.user = default_script_user;
    return c;
  }
  if (in.security) {
    c.refused = true;
    c.reason = std::string("enable_script_security is set, and neither script_user nor a user ")
               + default_script_user + " says whom to run it as (it would run as root)";
  }
  return c;  // the daemon's own user
}

bool unsafe_component(unsigned uid, unsigned gid, unsigned mode, bool is_dir) {
  if (uid != 0)
    return true;
  // A sticky directory lets others add files, but not replace or rename root's.
  const bool sticky = is_dir && (mode & S_ISVTX);
  if ((mode & S_IWOTH) && !sticky)
    return true;
  if ((mode & S_IWGRP) && gid != 0 && !sticky)
    return true;
  return false;
}

} // namespace ka::proto
