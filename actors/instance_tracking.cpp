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

tracked_object make(const char* kind, const config::tracked& t, int own_weight, bool own_reverse) {
  tracked_object o;
  o.kind = kind;
  o.name = t.name;
  o.term.weight = t.weight_set ? t.weight : own_weight;
  o.term.reverse = t.weight_set ? t.reverse : own_reverse;
  return o;
}

} // namespace

void instance_tracking::build(const config::vrrp_instance& inst, const config::config& all) {
  objects.clear();
  for (const auto& t : inst.track_interface) {
    auto o = make("interface", t, 0, false);
    o.term.ok = false;  // until the kernel says it is up (see instance_actor.cpp)
    o.detail = "not looked up yet";
    objects.push_back(o);
  }
  for (const auto& t : inst.track_script) {
    const auto* s = find_named(all.scripts, t.name);
    if (!s)
      continue;  // the parser already warned and dropped it; kept safe here
    auto o = make("script", t, s->weight, s->reverse);
    // keepalived.conf(5) init_fail: the script is assumed failed until it rises.
    o.term.ok = !s->init_fail;
    o.detail = s->init_fail ? "not run yet (init_fail)" : "not run yet";
    objects.push_back(o);
  }
  for (const auto& t : inst.track_file) {
    const auto* f = find_named(all.track_files, t.name);
    if (!f)
      continue;
    auto o = make("file", t, f->weight, f->reverse);
    o.term.what = proto::track_term::kind::value;
    o.detail = "not read yet";
    objects.push_back(o);
  }
  for (const auto& t : inst.track_process) {
    const auto* p = find_named(all.track_processes, t.name);
    if (!p)
      continue;
    auto o = make("process", t, p->weight, p->reverse);
    o.detail = "not counted yet";
    objects.push_back(o);
  }
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
