// Who runs a script, and whether a root script's path is safe, as keepalived 2.2.7 decides
// (keepalived.conf(5) script_user / enable_script_security, and what it does in a lab):
// - a vrrp_script's `user USER [GROUP]` wins; else global `script_user USER [GROUP]`; else
//   the user keepalived_script if it exists; else the daemon's own user (root). A named
//   user without a group runs with the user's primary group;
// - a named user that does not exist: the script is removed ("Unable to set uid/gid"),
//   and instances tracking it do not track it;
// - with enable_script_security, no script_user and no keepalived_script user, every
//   script without a user of its own is removed (vrrp_scripts) or ignored (notify hooks):
//   keepalived will not fall back to root then;
// - a script run as root whose file or any directory above it could be changed by a
//   non-root user is unsafe: logged, and run all the same without
//   enable_script_security ("SECURITY VIOLATION ... There are insecure scripts"), disabled
//   with it. Observed: a world-writable directory is unsafe unless sticky (/tmp is not);
//   a file or directory owned by another user than root is unsafe; group-writable with
//   group root is not. Scripts run as another user are not checked.
// Pure: the caller looks users up and stats the path (kernel/process.hpp).
#pragma once
#include <string>

namespace ka::proto {

struct script_user_input {
  std::string user, group;                // the script's own `user [group]`; empty: none
  std::string global_user, global_group;  // global_defs script_user; empty: none
  bool default_user_exists = false;       // the user keepalived_script exists
  bool security = false;                  // enable_script_security
};

struct script_user_choice {
  bool refused = false;
  std::string user, group;  // user empty: the daemon's own identity
  std::string reason;       // when refused
};

inline constexpr const char* default_script_user = "keepalived_script";

script_user_choice choose_script_user(const script_user_input& in);

// One path component (the file or a directory above it) as stat(2) gives it: true when a
// user other than root could change it.
bool unsafe_component(unsigned uid, unsigned gid, unsigned mode, bool is_dir);

} // namespace ka::proto
