#include "protocol/admin_check.hpp"

namespace ka::proto {

namespace {
const json* member(const json& v, const char* key) {
  if (!v.is_object()) return nullptr;
  auto it = v.find(key);
  return it == v.end() ? nullptr : &*it;
}
std::string text(const json* v) { return v && v->is_string() ? v->get<std::string>() : ""; }
long long number(const json* v, long long fallback) {
  return v && v->is_number() ? v->get<long long>() : fallback;
}
} // namespace

std::string check_instance(const json& inst) {
  std::string state = text(member(inst, "state"));
  if (state.empty())
    return "no state reported";
  if (state != "MASTER" && state != "BACKUP") {
    std::string why = text(member(inst, "fault_reason"));
    const json* link = member(inst, "link_up");
    if (why.empty() && state == "FAULT" && link && link->is_boolean() && !link->get<bool>())
      why = "interface " + text(member(inst, "interface")) + " down";
    return state + (why.empty() ? "" : " (" + why + ")");
  }
  const json* prio = member(inst, "priority");
  long long effective = number(prio ? member(*prio, "effective") : nullptr, 0);
  if (state == "MASTER")
    return {};
  if (effective == 255)
    return "BACKUP, but the address owner (priority 255) should be MASTER";
  const json* master = member(inst, "master");
  if (!master || !master->is_string())
    return "BACKUP and no master heard";
  long long master_prio = number(member(inst, "master_priority"), 0);
  const json* preempt = member(inst, "preempt");
  bool preempts = preempt && preempt->is_boolean() && preempt->get<bool>();
  if (preempts && master_prio > 0 && effective > master_prio)
    return "BACKUP with priority " + std::to_string(effective) + " above its master's ("
           + master->get<std::string>() + ", " + std::to_string(master_prio)
           + ") and preempt on: it should have taken over";
  return {};
}

} // namespace ka::proto
