#include "parser/reload_plan.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "parser/dump.hpp"
#include "protocol/accept_mode.hpp"

namespace ka::config {

namespace {

// Source positions say where a block was written, not what it asks for.
void strip_where(json& j) {
  if (j.is_object()) {
    j.erase("where");
    for (auto& [k, v] : j.items())
      strip_where(v);
  } else if (j.is_array()) {
    for (auto& v : j)
      strip_where(v);
  }
}

template <class T>
json plain(const T& v) {
  json j = v;
  strip_where(j);
  return j;
}

// The top-level keys whose values differ, sorted. Equal objects (most of them, in a
// reload) are found by one comparison: the key-by-key search is quadratic in an ordered
// JSON object and cost most of a 1,000-instance reload's plan.
std::vector<std::string> differing_keys(const json& a, const json& b) {
  if (a == b)
    return {};
  std::set<std::string> keys;
  for (auto& [k, v] : a.items()) keys.insert(k);
  for (auto& [k, v] : b.items()) keys.insert(k);
  std::vector<std::string> out;
  for (const auto& k : keys) {
    auto ia = a.find(k), ib = b.find(k);
    if (ia == a.end() || ib == b.end() || *ia != *ib)
      out.push_back(k);
  }
  return out;
}

bool same_users(const std::map<std::string, run_as>& a, const std::map<std::string, run_as>& b) {
  if (a.size() != b.size())
    return false;
  for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
    if (ia->first != ib->first || ia->second.user != ib->second.user || ia->second.group != ib->second.group)
      return false;
  return true;
}

// global_defs keywords, by what a change of them means to the running daemon.
// Every instance reads these (resolved at start into its timing, vmac names, script users...).
const std::set<std::string> k_global_for_instances = {
  "vrrp_mcast_group4", "vrrp_mcast_group6", "default_interface", "vrrp_garp_master_delay",
  "vrrp_garp_master_repeat", "vrrp_garp_lower_prio_delay", "vrrp_garp_lower_prio_repeat",
  "vrrp_garp_master_refresh", "vrrp_garp_master_refresh_repeat", "vrrp_min_garp",
  "vrrp_down_timer_adverts", "vrrp_lower_prio_no_advert", "vrrp_higher_prio_send_advert",
  "vrrp_check_unicast_src", "vrrp_skip_check_adv_addr", "vrrp_strict", "vmac_prefix",
  "vmac_addr_prefix", "script_user", "enable_script_security", "vrrp_version",
  "dynamic_interfaces"};
// Read once by threads and actors that live as long as the daemon.
const std::set<std::string> k_global_not_reloaded = {
  "vrrp_garp_interval", "vrrp_gna_interval", "vrrp_cpu_affinity", "vrrp_rt_priority",
  "vrrp_priority", "vrrp_no_swap", "vrrp_rlimit_rttime", "admin_socket", "admin_group",
  "nftables", "nftables_priority", "nftables_counters",
  // IPVS-wide settings, applied once at start and undone at exit (actors/lvs_globals.hpp),
  // and the metrics listener, bound before daemonising.
  "lvs_flush", "lvs_flush_on_stop", "lvs_timeouts", "lvs_sync_daemon", "lvs_notify_fifo",
  "lvs_notify_fifo_script", "metrics_listen"};
const std::set<std::string> k_global_fifos = {"notify_fifo", "notify_fifo_script", "vrrp_notify_fifo",
                                              "vrrp_notify_fifo_script"};
// What every pool reads besides its own block.
// notify_fifo: the pools write their lines to its writer, which a change replaces.
const std::set<std::string> k_global_for_pools = {"rs_init_notifies", "notify_fifo", "notify_fifo_script",
                                                  "script_user", "enable_script_security"};

bool any_in(const std::vector<std::string>& keys, const std::set<std::string>& set) {
  return std::any_of(keys.begin(), keys.end(), [&](const std::string& k) { return set.count(k) > 0; });
}

template <class T, class KeyFn>
std::map<std::string, std::size_t> index_by(const std::vector<T>& list, KeyFn key) {
  std::map<std::string, std::size_t> out;
  for (std::size_t i = 0; i < list.size(); ++i)
    out.emplace(key(list[i]), i);  // a duplicate name was refused by the validator
  return out;
}

// Matches two lists by key, in the new list's order, then the removed ones. `compare`
// fills an item's `changed` (empty: equal); `decide` turns a changed item into update or
// restart (default: restart).
template <class T, class KeyFn, class CompareFn>
std::vector<reload_item> match(const std::vector<T>& before, const std::vector<T>& after, KeyFn key,
                               CompareFn compare) {
  std::vector<reload_item> out;
  auto old_index = index_by(before, key);
  std::set<std::string> seen;
  for (std::size_t j = 0; j < after.size(); ++j) {
    reload_item it;
    it.name = key(after[j]);
    it.after = j;
    seen.insert(it.name);
    if (auto o = old_index.find(it.name); o != old_index.end()) {
      it.before = o->second;
      compare(before[o->second], after[j], it);
      it.action = it.changed.empty() ? reload_action::keep : reload_action::restart;
    } else {
      it.action = reload_action::add;
    }
    out.push_back(std::move(it));
  }
  for (std::size_t i = 0; i < before.size(); ++i)
    if (!seen.count(key(before[i]))) {
      reload_item it;
      it.name = key(before[i]);
      it.before = i;
      it.action = reload_action::remove;
      out.push_back(std::move(it));
    }
  return out;
}

// The sync group an instance is a member of, by name ("" when none).
std::map<std::string, std::string> group_of(const config& c) {
  std::map<std::string, std::string> out;
  for (const auto& g : c.sync_groups)
    for (const auto& m : g.group)
      out.emplace(m.name, g.name);
  return out;
}

const std::vector<std::string> k_in_place = {
  "priority", "virtual_ipaddress", "notify", "notify_master", "notify_backup", "notify_fault",
  "notify_stop", "hook_users", "garp_master_delay", "garp_master_repeat", "garp_lower_prio_delay",
  "garp_lower_prio_repeat", "garp_master_refresh", "garp_master_refresh_repeat",
  "notify_master_rx_lower_pri", "notify_priority_changes", "smtp_alert", "debug"};

// Why virtual_ipaddress cannot change in place, or "": the drop rules of accept mode,
// vmacs and addresses on other interfaces are set up when the instance starts.
std::string vips_in_place_refused(const config& c, const vrrp_instance& i) {
  bool strict = proto::strict_mode(i.strict_mode, c.global.vrrp.vrrp_strict);
  if (!proto::decide_accept(i.accept, strict, i.version, i.priority).accept)
    return "virtual_ipaddress of an instance that does not accept (drop rules)";
  if (i.use_vmac || i.use_vmac_addr)
    return "virtual_ipaddress with use_vmac";
  for (const auto& v : i.vips)
    if ((!v.dev.empty() && v.dev != i.interface) || std::find(v.flags.begin(), v.flags.end(), "use_vmac") != v.flags.end())
      return "virtual_ipaddress on another interface";
  return "";
}

} // namespace

const char* to_string(reload_action a) {
  switch (a) {
    case reload_action::keep: return "keep";
    case reload_action::update: return "update";
    case reload_action::restart: return "restart";
    case reload_action::remove: return "remove";
    case reload_action::add: return "add";
  }
  return "?";
}

bool instance_update_in_place(const std::vector<std::string>& changed) {
  return std::all_of(changed.begin(), changed.end(), [](const std::string& k) {
    return std::find(k_in_place.begin(), k_in_place.end(), k) != k_in_place.end();
  });
}

reload_plan::counts reload_plan::count() const {
  counts c;
  for (const auto* list : {&instances, &sync_groups, &trackers, &virtual_servers})
    for (const auto& it : *list)
      switch (it.action) {
        case reload_action::keep: ++c.kept; break;
        case reload_action::update: ++c.updated; break;
        case reload_action::restart: ++c.updated; ++c.restarted; break;
        case reload_action::remove: ++c.removed; break;
        case reload_action::add: ++c.added; break;
      }
  return c;
}

bool reload_plan::unchanged() const {
  auto c = count();
  return c.updated == 0 && c.removed == 0 && c.added == 0 && !fifos_changed;
}

reload_plan plan_reload(const config& before, const config& after, const vs_key_fn& vs_key) {
  reload_plan plan;

  // ---- global_defs ----
  auto global_changes = differing_keys(plain(before.global), plain(after.global));
  for (const auto& k : global_changes)
    if (k_global_not_reloaded.count(k))
      plan.not_reloaded.push_back("global_defs " + k);
  if (plain(before.garp_groups) != plain(after.garp_groups))
    plan.not_reloaded.push_back("garp_group");
  plan.fifos_changed = any_in(global_changes, k_global_fifos);
  const bool all_instances = any_in(global_changes, k_global_for_instances);
  const bool all_pools = any_in(global_changes, k_global_for_pools);

  // ---- tracked objects: "script NAME", "file NAME", "process NAME" ----
  auto by_name = [](const auto& x) { return x.name; };
  auto compare_json = [](const auto& a, const auto& b, reload_item& it) {
    it.changed = differing_keys(plain(a), plain(b));
  };
  std::map<std::string, reload_action> tracker_action;  // "script NAME" -> action
  auto add_trackers = [&](const char* kind, std::vector<reload_item> items) {
    for (auto& it : items) {
      if (all_instances && it.action == reload_action::keep)  // script_user / security
        it.action = reload_action::restart, it.why = "global_defs changed";
      it.name = std::string(kind) + " " + it.name;
      tracker_action[it.name] = it.action;
      plan.trackers.push_back(std::move(it));
    }
  };
  auto why_changed = [](reload_item& it) {
    if (it.action == reload_action::restart && it.why.empty()) {
      for (const auto& k : it.changed)
        it.why += (it.why.empty() ? "" : ", ") + k;
      it.why += " changed";
    }
  };
  add_trackers("script", match(before.scripts, after.scripts, by_name, compare_json));
  add_trackers("file", match(before.track_files, after.track_files, by_name, compare_json));
  add_trackers("process", match(before.track_processes, after.track_processes, by_name, compare_json));

  for (auto& it : plan.trackers)
    why_changed(it);

  // ---- vrrp_instance ----
  auto groups_before = group_of(before), groups_after = group_of(after);
  auto tracker_changed = [&](const char* kind, const std::vector<tracked>& list) {
    for (const auto& t : list)
      if (auto a = tracker_action.find(std::string(kind) + " " + t.name);
          a != tracker_action.end() && a->second != reload_action::keep)
        return true;
    return false;
  };
  auto group_json = [](const config& c, const std::map<std::string, std::string>& of, const std::string& inst) {
    auto g = of.find(inst);
    if (g == of.end())
      return json(nullptr);
    for (const auto& sg : c.sync_groups)
      if (sg.name == g->second) {
        json j = plain(sg);
        // Hooks and members are the group actor's business; the tracking is the members'.
        for (const char* k : {"notify", "notify_master", "notify_backup", "notify_fault", "notify_stop",
                              "notify_deleted", "smtp_alert", "group"})
          j.erase(k);
        j["name"] = sg.name;
        return j;
      }
    return json(nullptr);
  };
  plan.instances = match(before.instances, after.instances, by_name,
                         [&](const vrrp_instance& a, const vrrp_instance& b, reload_item& it) {
                           it.changed = differing_keys(plain(a), plain(b));
                           if (!same_users(a.hook_users, b.hook_users))
                             it.changed.push_back("hook_users");
                           // What it tracks through its sync group, and whether it has one.
                           if (group_json(before, groups_before, a.name) != group_json(after, groups_after, b.name))
                             it.changed.push_back("vrrp_sync_group");
                           for (const auto* side : {&b})
                             if (tracker_changed("script", side->track_script)
                                 || tracker_changed("file", side->track_file)
                                 || tracker_changed("process", side->track_process))
                               it.changed.push_back("tracked object");
                           if (all_instances)
                             it.changed.push_back("global_defs");
                         });
  for (auto& it : plan.instances) {
    if (it.action != reload_action::restart)
      continue;
    const auto& a = before.instances[*it.before];
    const auto& b = after.instances[*it.after];
    if (!instance_update_in_place(it.changed)) {
      std::string why;
      for (const auto& k : it.changed)
        if (std::find(k_in_place.begin(), k_in_place.end(), k) == k_in_place.end())
          why += (why.empty() ? "" : ", ") + k;
      it.why = why + " changed";
      continue;
    }
    if ((a.priority == 255) != (b.priority == 255)) {
      it.why = "priority to or from 255 (the address owner)";
      continue;
    }
    if (std::find(it.changed.begin(), it.changed.end(), "virtual_ipaddress") != it.changed.end()) {
      auto refused = vips_in_place_refused(before, a);
      if (refused.empty())
        refused = vips_in_place_refused(after, b);
      if (!refused.empty()) {
        it.why = refused;
        continue;
      }
    }
    it.action = reload_action::update;
  }
  std::map<std::string, reload_action> instance_action;
  for (const auto& it : plan.instances)
    instance_action[it.name] = it.action;

  // ---- vrrp_sync_group: its actor holds its members' handles and states, so a group
  // whose members change (restarted, added, removed) or whose own words change starts
  // again; a kept member reports its state to the new group at once.
  plan.sync_groups = match(before.sync_groups, after.sync_groups, by_name, compare_json);
  for (auto& it : plan.sync_groups) {
    if (it.action != reload_action::keep)
      continue;
    const auto& g = after.sync_groups[*it.after];
    for (const auto& m : g.group)
      if (auto a = instance_action.find(m.name);
          a != instance_action.end() && a->second != reload_action::keep && a->second != reload_action::update) {
        it.action = reload_action::restart;
        it.changed.push_back("member " + m.name);
      }
    if (it.action == reload_action::keep && plan.fifos_changed) {
      it.action = reload_action::restart;
      it.changed.push_back("notify FIFOs");
    }
  }
  for (auto& it : plan.sync_groups)
    if (it.action == reload_action::restart && it.why.empty()) {
      for (const auto& k : it.changed)
        it.why += (it.why.empty() ? "" : ", ") + k;
      it.why += " changed";
    }

  // ---- trackers: one whose subscribers change starts again with the new ones ----
  for (auto& it : plan.trackers) {
    if (it.action != reload_action::keep)
      continue;
    auto space = it.name.find(' ');
    std::string kind = it.name.substr(0, space), name = it.name.substr(space + 1);
    auto subscribers = [&](const config& c, const std::map<std::string, std::string>& of) {
      std::set<std::string> out;
      for (const auto& i : c.instances) {
        const auto& list = kind == "script" ? i.track_script : kind == "file" ? i.track_file : i.track_process;
        bool tracks = std::any_of(list.begin(), list.end(), [&](const tracked& t) { return t.name == name; });
        if (auto g = of.find(i.name); !tracks && g != of.end())
          for (const auto& sg : c.sync_groups)
            if (sg.name == g->second) {
              const auto& gl = kind == "script" ? sg.track_script : kind == "file" ? sg.track_file : sg.track_process;
              tracks = std::any_of(gl.begin(), gl.end(), [&](const tracked& t) { return t.name == name; });
            }
        if (tracks) {
          // A restarted instance is a new actor: the tracker must send to it instead.
          auto a = instance_action.find(i.name);
          bool fresh = a != instance_action.end() && a->second != reload_action::keep
                       && a->second != reload_action::update;
          out.insert(i.name + (fresh ? "+" : ""));
        }
      }
      return out;
    };
    if (subscribers(before, groups_before) != subscribers(after, groups_after)) {
      it.action = reload_action::restart;
      it.why = "its instances changed";
    }
  }

  // ---- virtual_server: by service name; a group's definition counts as its own ----
  auto vs_json = [](const config& c, const virtual_server& v) {
    json j = plain(v);
    if (!v.group.empty())
      for (const auto& g : c.vs_groups)
        if (g.name == v.group)
          j["virtual_server_group"] = plain(g);
    return j;
  };
  {
    auto old_index = index_by(before.virtual_servers, vs_key);
    std::set<std::string> seen;
    for (std::size_t j = 0; j < after.virtual_servers.size(); ++j) {
      reload_item it;
      it.name = vs_key(after.virtual_servers[j]);
      it.after = j;
      seen.insert(it.name);
      if (auto o = old_index.find(it.name); o != old_index.end()) {
        it.before = o->second;
        it.changed = differing_keys(vs_json(before, before.virtual_servers[o->second]),
                                    vs_json(after, after.virtual_servers[j]));
        if (all_pools)
          it.changed.push_back("global_defs");
        // The pool reads the kernel's table of its services when it starts and edits it
        // to its new definition (actors/pool_actor.cpp): an update, not a release.
        it.action = it.changed.empty() ? reload_action::keep : reload_action::update;
      } else {
        it.action = reload_action::add;
      }
      plan.virtual_servers.push_back(std::move(it));
    }
    for (std::size_t i = 0; i < before.virtual_servers.size(); ++i)
      if (!seen.count(vs_key(before.virtual_servers[i]))) {
        reload_item it;
        it.name = vs_key(before.virtual_servers[i]);
        it.before = i;
        it.action = reload_action::remove;
        plan.virtual_servers.push_back(std::move(it));
      }
  }
  return plan;
}

} // namespace ka::config
