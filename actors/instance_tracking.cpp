#include "actors/instance_tracking.hpp"

#include <nlohmann/json.hpp>

namespace ka::act {

namespace {

template <class T>
const T* find_named(const std::vector<T>& v, const std::string& name) {
  for (const auto& x : v)
    if (x.name == name)
      return &x;
  return nullptr;
}

proto::track_entry entry(proto::track_kind k, const config::tracked& t, int own_weight,
                         bool own_reverse) {
  proto::track_entry e;
  e.kind = k;
  e.name = t.name;
  e.weight = t.weight_set ? t.weight : own_weight;
  e.reverse = t.weight_set ? t.reverse : own_reverse;
  return e;
}

// The entries of one tracking owner (an instance or a sync group), in keepalived's order.
template <class Owner>
std::vector<proto::track_entry> entries_of(const Owner& o, const config::config& all) {
  std::vector<proto::track_entry> out;
  for (const auto& t : o.track_interface)
    out.push_back(entry(proto::track_kind::interface, t, 0, false));
  for (const auto& t : o.track_script)
    if (const auto* s = find_named(all.scripts, t.name))
      out.push_back(entry(proto::track_kind::script, t, s->weight, s->reverse));
  for (const auto& t : o.track_file)
    if (const auto* f = find_named(all.track_files, t.name))
      out.push_back(entry(proto::track_kind::file, t, f->weight, f->reverse));
  for (const auto& t : o.track_process)
    if (const auto* p = find_named(all.track_processes, t.name))
      out.push_back(entry(proto::track_kind::process, t, p->weight, p->reverse));
  return out;
}

} // namespace

proto::member_tracking tracked_entries(const config::config& all, const config::vrrp_instance& inst) {
  const config::vrrp_sync_group* group = nullptr;
  for (const auto& g : all.sync_groups)
    for (const auto& m : g.group)
      if (m.name == inst.name)
        group = &g;
  return proto::resolve_member_tracking(entries_of(inst, all), group != nullptr,
                                        group ? entries_of(*group, all) : std::vector<proto::track_entry>{},
                                        // keepalived 2.2.7: the deprecated global_tracking too
                                        group && (group->sync_group_tracking_weight || group->global_tracking));
}

std::vector<std::string> instance_tracking::build(const config::vrrp_instance& inst, const config::config& all) {
  objects.clear();
  auto resolved = tracked_entries(all, inst);
  for (const auto& e : resolved.entries) {
    tracked_object o;
    o.kind = proto::to_string(e.kind);
    o.name = e.name;
    o.from_group = e.from_group;
    o.term.weight = e.weight;
    o.term.reverse = e.reverse;
    switch (e.kind) {
      case proto::track_kind::interface:
        o.term.ok = false;  // until the kernel says it is up (see instance_actor.cpp)
        o.detail = "not looked up yet";
        break;
      case proto::track_kind::script: {
        // keepalived.conf(5) init_fail: the script is assumed failed until it rises.
        const auto* s = find_named(all.scripts, e.name);
        bool init_fail = s && s->init_fail;
        o.term.ok = !init_fail;
        o.detail = init_fail ? "not run yet (init_fail)" : "not run yet";
        break;
      }
      case proto::track_kind::file:
        o.term.what = proto::track_term::kind::value;
        o.detail = "not read yet";
        break;
      case proto::track_kind::process:
        o.detail = "not counted yet";
        break;
    }
    objects.push_back(std::move(o));
  }
  return resolved.notes;
}

bool instance_tracking::apply(const track_update& u) {
  bool changed = false;
  for (auto& o : objects) {
    if (o.kind != u.kind || o.name != u.name)
      continue;
    changed = changed || !o.heard || o.term.ok != u.ok || o.term.value != u.value;
    o.heard = true;
    o.term.ok = u.ok;
    o.term.value = u.value;
    o.detail = u.detail;
  }
  return changed;
}

bool instance_tracking::apply_interface(const std::string& ifname, bool up, const std::string& detail) {
  bool changed = false;
  for (auto& o : objects) {
    if (o.kind != "interface" || o.name != ifname)
      continue;
    changed = changed || !o.heard || o.term.ok != up;
    o.heard = true;
    o.term.ok = up;
    o.detail = detail;
  }
  return changed;
}

std::vector<std::string> instance_tracking::interfaces() const {
  std::vector<std::string> out;
  for (const auto& o : objects)
    if (o.kind == "interface")
      out.push_back(o.name);
  return out;
}

proto::effective_priority instance_tracking::effective(int configured) const {
  std::vector<proto::track_term> terms;
  for (const auto& o : objects)
    terms.push_back(o.term);
  return proto::compute_effective_priority(configured, terms);
}

std::string instance_tracking::fault_reason() const {
  std::string why;
  for (const auto& o : objects)
    if (proto::effect_of(o.term).fault)
      why += (why.empty() ? "" : ", ") + ("tracked " + o.kind + " " + o.name + ": " + o.detail);
  return why;
}

json instance_tracking::status() const {
  json arr = json::array();
  for (const auto& o : objects) {
    json v;
    v["kind"] = o.kind;
    v["name"] = o.name;
    if (o.from_group)
      v["from_sync_group"] = true;
    v["weight"] = o.term.weight;
    v["reverse"] = o.term.reverse;
    if (o.term.what == proto::track_term::kind::value)
      v["value"] = o.term.value;
    else
      v["ok"] = o.term.ok;
    auto e = proto::effect_of(o.term);
    v["fault"] = e.fault;
    v["delta"] = e.delta;
    v["heard"] = o.heard;
    v["last_result"] = o.detail;
    arr.push_back(std::move(v));
  }
  return arr;
}

} // namespace ka::act
