#include "actors/script_users.hpp"

#include <unistd.h>

#include <algorithm>

#include "actors/pool_config.hpp"
#include "kernel/log.hpp"
#include "protocol/script_security.hpp"

namespace ka::act {
namespace {

struct settle {
  const config::process_options& po;
  bool default_exists = false;
  bool root_scripts = false;   // some script runs as root
  bool insecure = false;       // some root script is unsafe and runs all the same
  bool quiet = false;          // identity() logs nothing (the hooks' default, asked once)

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
      if (!quiet)
        log::error("%s: not run: %s", what.c_str(), choice.reason.c_str());
      return false;
    }
    out.reset();
    if (choice.user.empty())
      return true;
    std::string error;
    out = kern::lookup_credentials(choice.user, choice.group, error);
    if (!out) {
      if (!quiet)
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

  // A notify hook: its own `user [group]` if written, else the default identity; cleared
  // (not run) when refused.
  void hook(const std::string& owner, const std::map<std::string, config::run_as>& users,
            const char* keyword, std::string& command, hook_identities& out, bool default_ok) {
    if (command.empty())
      return;
    std::string what = owner + " " + keyword + " '" + command + "'";
    const std::string key = owner + " " + keyword;
    std::optional<kern::credentials> as = out.fallback;
    bool ok = default_ok;
    if (auto it = users.find(keyword); it != users.end()) {
      ok = identity(what, it->second.user, it->second.group, as);
      out.by_hook[key] = as;
    } else if (!default_ok) {
      identity(what, "", "", as);  // says why, for this hook
    }
    if (!ok || !safe_enough(what, command, as))
      command.clear();
  }

  // A load-balancing hook: the user [group] written with the command, else the default.
  void lvs_hook(const std::string& key, config::lvs_command& c, hook_identities& out, bool default_ok) {
    if (c.command.empty())
      return;
    std::string what = key + " '" + c.command + "'";
    std::optional<kern::credentials> as = out.fallback;
    bool ok = default_ok;
    if (!c.user.empty()) {
      ok = identity(what, c.user, c.group, as);
      out.by_hook[key] = as;
    } else if (!default_ok) {
      identity(what, "", "", as);  // says why, for this hook
    }
    if (!ok || !safe_enough(what, c.command, as))
      c.command.clear();
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

  // Notify hooks: each one's own user if written, else the default identity.
  s.quiet = true;
  bool hooks_ok = s.identity("notify hooks", "", "", out.hooks.fallback);
  s.quiet = false;
  static constexpr const char* k_hooks[] = {"notify", "notify_master", "notify_backup",
                                            "notify_fault", "notify_stop"};
  for (auto& i : cfg.instances) {
    std::string owner = "vrrp_instance " + i.name;
    std::string* commands[] = {&i.notify, &i.notify_master, &i.notify_backup, &i.notify_fault, &i.notify_stop};
    for (std::size_t k = 0; k < 5; ++k)
      s.hook(owner, i.hook_users, k_hooks[k], *commands[k], out.hooks, hooks_ok);
  }
  for (auto& g : cfg.sync_groups) {
    std::string owner = "vrrp_sync_group " + g.name;
    std::string* commands[] = {&g.notify, &g.notify_master, &g.notify_backup, &g.notify_fault, &g.notify_stop};
    for (std::size_t k = 0; k < 5; ++k)
      s.hook(owner, g.hook_users, k_hooks[k], *commands[k], out.hooks, hooks_ok);
  }
  // The FIFO scripts: their own user [group], else the default; removed when refused.
  auto fifo_script = [&](const char* keyword, std::optional<config::file_as>& script,
                         std::optional<kern::credentials>& as) {
    if (!script)
      return;
    std::string what = std::string(keyword) + " '" + script->path + "'";
    if (!s.identity(what, script->as.user, script->as.group, as) || !s.safe_enough(what, script->path, as))
      script.reset();
  };
  fifo_script("notify_fifo_script", cfg.global.fifo.notify.script, out.notify_fifo_script);
  fifo_script("vrrp_notify_fifo_script", cfg.global.fifo.vrrp.script, out.vrrp_notify_fifo_script);
  fifo_script("lvs_notify_fifo_script", cfg.global.fifo.lvs.script, out.lvs_notify_fifo_script);
  if (s.root_scripts && !cfg.global.process.enable_script_security)
    log::warning("scripts run as root without enable_script_security%s",
                 s.insecure ? ", and some of them could be changed by other users (see above)" : "");
  return out;
}

void settle_lvs_hooks(config::config& cfg, script_identities& ids) {
  settle s{cfg.global.process};
  s.default_exists = kern::user_exists(proto::default_script_user);
  s.quiet = true;
  bool hooks_ok = s.identity("notify hooks", "", "", ids.hooks.fallback);  // as settle_script_users
  s.quiet = false;
  for (auto& v : cfg.virtual_servers) {
    std::string pool = pool_name(v);
    s.lvs_hook(pool_hook_key(pool, "quorum_up"), v.quorum_up, ids.hooks, hooks_ok);
    s.lvs_hook(pool_hook_key(pool, "quorum_down"), v.quorum_down, ids.hooks, hooks_ok);
    for (auto& r : v.real_servers) {
      if (r.sorry || !r.notes.present())
        continue;
      std::string rs = "real_server " + endpoint_name(r.addr, r.port);
      auto& notes = r.notes.write();
      s.lvs_hook(pool_hook_key(pool, rs + " notify_up"), notes.notify_up, ids.hooks, hooks_ok);
      s.lvs_hook(pool_hook_key(pool, rs + " notify_down"), notes.notify_down, ids.hooks, hooks_ok);
    }
  }
  if (s.root_scripts && !cfg.global.process.enable_script_security)
    log::warning("load-balancing hooks run as root without enable_script_security%s",
                 s.insecure ? ", and some of them could be changed by other users (see above)" : "");
}

} // namespace ka::act
