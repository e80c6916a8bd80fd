#include "actors/status_gather.hpp"

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

namespace ka::act {

namespace {
template <class Pending>
json collect(Pending& p) {
  json result;
  p.receive([&](json& v) { result = std::move(v); },
            [&](caf::error& e) { result = proto::admin_error("no answer: " + to_string(e)); });
  return result;
}
} // namespace

instances_snapshot gather_instances(caf::actor_system& sys, const std::vector<instance_actor>& instances,
                                    const advert_actor& advert, std::chrono::milliseconds deadline) {
  caf::scoped_actor self{sys};
  auto advert_p = self->request(advert, deadline, status_atom::value);
  std::vector<decltype(self->request(instances.front(), deadline, status_atom::value))> instances_p;
  for (const auto& i : instances)
    instances_p.push_back(self->request(i, deadline, status_atom::value));
  instances_snapshot out;
  out.advert = collect(advert_p);
  for (auto& p : instances_p) {
    json s = collect(p);
    if (s.contains("name") && s["name"].is_string() && out.advert.contains("instances")) {
      const json& per = out.advert["instances"];
      if (auto c = per.find(s["name"].get<std::string>()); c != per.end())
        s["counters"] = *c;
    }
    out.instances.push_back(std::move(s));
  }
  if (out.advert.is_object())
    out.advert.erase("instances");
  return out;
}

json gather_sync_groups(caf::actor_system& sys, const std::vector<sync_group_actor>& groups,
                        std::chrono::milliseconds deadline) {
  caf::scoped_actor self{sys};
  std::vector<decltype(self->request(groups.front(), deadline, status_atom::value))> pending;
  for (const auto& g : groups)
    pending.push_back(self->request(g, deadline, status_atom::value));
  json out = json::array();
  for (auto& p : pending)
    out.push_back(collect(p));
  return out;
}

} // namespace ka::act
