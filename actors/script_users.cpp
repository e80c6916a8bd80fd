#include "actors/script_users.hpp"

#include <unistd.h>

#include <algorithm>

#include "kernel/log.hpp"
#include "protocol/script_security.hpp"

namespace ka::act {
namespace {

struct settle {
  const config::process_options& po;
  bool default_exists = false;
  bool root_scripts = false;   // some script runs as root
  bool insecure = false;       // some root script is unsafe and runs all the same

  // The identity for a script with its own `user [group]` (empty: none); false: refused,
  // said in the log under `what`.
  bool identity(const std::string& what, const std::string& user, const std::string& group,
                std::optional<kern::credentials>& out) {
    proto::script_user_input in;
    in.user = user;
    in.group = group;
    if (po.script_user) {
      in.global_user = po.script_user->user;
      in.global_group = po.script_user->group;
    }
    in.default_user_exists = default_exists;
    in.security = po.enable_script_security;
    auto choice = proto::choose_script_user(in);
    if (choice.refused) {
      log::error("%s: not run: %s", what.c_str(), choice.reason.c_str());
      return false;
    }
    out.reset();
    if (choice.user.empty())
      return true;
    std::string error;
    out = kern::lookup_credentials(choice.user, choice.group, error);
    if (!out) {
      log::error("%s: not run: cannot run it as %s: %s", what.c_str(), choice.user.c_str(), error.c_str());
      return false;
    }
    return true;
  }

  // A script run as root must not be changeable by anyone else; false: refused.
  bool safe_enough(const std::string& what, const std::string& command,
                   const std::optional<kern::credentials>& as) {
    bool as_root = as ? as->uid == 0 : ::geteuid() == 0;
    if (!as_root)
      return true;
    root_scripts = true;
    auto argv = kern::split_command(command);
    if (argv.empty())
      return true;
    auto why = kern::unsafe_path(argv[0]);
    if (why.empty())
      return true;
    if (po.enable_script_security) {
      log::error("%s: not run: it runs as root and %s (enable_script_security)", what.c_str(), why.c_str());
      return false;
    }
    insecure = true;
    log::warning("%s: runs as root although %s", what.c_str(), why.c_str());
    return true;
  }

  // A notify hook: cleared (not run) when refused.
  void hook(const std::string& owner, const char* keyword, std::string& command,
            const std::optional<kern::credentials>& as, bool identity_ok) {
    if (command.empty())
      return;
    std::string what = owner + " " + keyword + " '" + command + "'";
    if (!identity_ok || !safe_enough(what, command, as))
      command.clear();
  }
};

} // namespace

script_identities settle_script_users(config::config& cfg) {
  script_identities out;
  settle s{cfg.global.process};
  s.default_exists = kern::user_exists(proto::default_script_user);
  if (!cfg.global.process.script_user && !s.default_exists)
    log::info("scripts without a user of their own run as root: no script_user, and no user %s",
              proto::default_script_user);

  // vrrp_script: its own user, else the default.
  std::vector<config::vrrp_script> kept;
  for (auto& vs : cfg.scripts) {
    std::string what = "vrrp_script " + vs.name;
    std::optional<kern::credentials> as;
    bool ok = s.identity(what, vs.user.empty() ? "" : vs.user[0], vs.user.size() > 1 ? vs.user[1] : "", as)
              && s.safe_enough(what, vs.script, as);
    if (!ok) {
      log::error("%s: removed; instances and sync groups tracking it do not track it", what.c_str());
      continue;
    }
    out.scripts[vs.name] = as;
    kept.push_back(std::move(vs));
  }
  cfg.scripts = std::move(kept);

  // Notify hooks: the default identity (a hook's own `user [group]` is not acted on yet).
  bool hooks_ok = s.identity("notify hooks", "", "", out.hooks);
  for (auto& i : cfg.instances) {
    std::string owner = "vrrp_instance " + i.name;
    s.hook(owner, "notify", i.notify, out.hooks, hooks_ok);
    s.hook(owner, "notify_master", i.notify_master, out.hooks, hooks_ok);
    s.hook(owner, "notify_backup", i.notify_backup, out.hooks, hooks_ok);
    s.hook(owner, "notify_fault", i.notify_fault, out.hooks, hooks_ok);
    s.hook(owner, "notify_stop", i.notify_stop, out.hooks, hooks_ok);
  }
  for (auto& g : cfg.sync_groups) {
    std::string owner = "vrrp_sync_group " + g.name;
    s.hook(owner, "notify", g.notify, out.hooks, hooks_ok);
    s.hook(owner, "notify_master", g.notify_master, out.hooks, hooks_ok);
    s.hook(owner, "notify_backup", g.notify_backup, out.hooks, hooks_ok);
    s.hook(owner, "notify_fault", g.notify_fault, out.hooks, hooks_ok);
    s.hook(owner, "notify_stop", g.notify_stop, out.hooks, hooks_ok);
  }
  if (s.root_scripts && !cfg.global.process.enable_script_security)
    log::warning("scripts run as root without enable_script_security%s",
                 s.insecure ? ", and some of them could be changed by other users (see above)" : "");
  return out;
}

} // namespace ka::act
