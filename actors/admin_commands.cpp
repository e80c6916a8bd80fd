// See actors/admin_commands.hpp. Arguments are checked first (protocol/admin_requests.hpp),
// and an instance is found by name in the running configuration, so that a hostile client
// (unknown commands, huge arguments, names that do not exist) costs no actor anything.
#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>

#include <chrono>
#include <cmath>

#include "actors/admin_commands.hpp"
#include "actors/event_bus.hpp"
#include "kernel/log.hpp"
#include "protocol/admin_requests.hpp"

namespace ka::act {

namespace {

using namespace std::chrono_literals;
constexpr auto command_deadline = 2s;  // these answer at once; the deadline bounds a stuck actor
constexpr std::size_t names_in_error = 10;

// The instance named `name`, or an error reply naming a few that exist.
std::optional<instance_actor> find_instance(const admin_targets& t, const std::string& name, json& error) {
  if (t.config)
    for (std::size_t i = 0; i < t.config->instances.size() && i < t.instances.size(); ++i)
      if (t.config->instances[i].name == name)
        return t.instances[i];
  std::string known;
  std::size_t n = t.config ? std::min(t.config->instances.size(), t.instances.size()) : 0;
  for (std::size_t i = 0; i < n && i < names_in_error; ++i)
    known += (known.empty() ? "" : ", ") + t.config->instances[i].name;
  if (n > names_in_error)
    known += ", ... (" + std::to_string(n - names_in_error) + " more)";
  error = proto::admin_error("no instance named '" + name + "'" + (known.empty() ? "" : " (known: " + known + ")"));
  return std::nullopt;
}

template <class Handle, class... Ts>
json ask_json(caf::actor_system& sys, const Handle& h, Ts... xs) {
  caf::scoped_actor self{sys};
  json result;
  self->request(h, command_deadline, xs...)
    .receive([&](json& v) { result = std::move(v); },
             [&](caf::error& e) { result = proto::admin_error("no answer: " + to_string(e)); });
  return result;
}

} // namespace

std::optional<json> admin_commands::answer(const std::string& cmd, std::string_view line) {
  if (cmd != "instances" && cmd != "garp" && cmd != "priority" && cmd != "stats")
    return std::nullopt;
  json error;
  auto req = proto::admin_request(line, error);
  if (!req)
    return error;
  if (cmd == "instances") {  // names only, from the configuration: cheap (shell completion)
    json names = json::array();
    if (targets.config)
      for (const auto& i : targets.config->instances)
        names.push_back(i.name);
    return json{{"ok", true}, {"instances", std::move(names)}};
  }
  if (cmd == "stats") {
    if (!proto::stats_arg(*req, error))
      return error;
    caf::scoped_actor self{sys};
    bool all = true;
    auto clear = [&](auto handle) {
      self->request(handle, command_deadline, clear_atom::value)
        .receive([](bool) {}, [&](caf::error&) { all = false; });
    };
    clear(targets.advert);
    for (const auto& i : targets.instances)
      clear(i);
    stats_cleared = event_clock();
    log::notice("admin: counters cleared (stats clear)");
    if (!all)
      return proto::admin_error("some actors did not answer; their counters may not be cleared");
    return json{{"ok", true}, {"cleared_at", *stats_cleared}};
  }
  auto name = proto::instance_arg(*req, error);
  if (!name)
    return error;
  auto inst = find_instance(targets, *name, error);
  if (!inst)
    return error;
  if (cmd == "garp")
    return ask_json(sys, *inst, garp_atom::value);
  auto prio = proto::priority_arg(*req, error);
  if (!prio)
    return error;
  return ask_json(sys, *inst, prio_atom::value, *prio);
}

void admin_commands::add_to_status(json& reply) {
  json d = reply["daemon"];
  d["stats_cleared_at"] = stats_cleared ? json(*stats_cleared) : json();
  if (stats_cleared)
    d["stats_cleared_s_ago"] = std::round((event_clock() - *stats_cleared) * 10) / 10;
  reply["daemon"] = std::move(d);
  if (auto bus = event_bus(sys)) {
    caf::scoped_actor self{sys};
    self->request(bus, 1s, status_atom::value)
      .receive([&](json& v) { reply["events"] = std::move(v); },
               [&](caf::error& e) { reply["events"] = proto::admin_error("no answer: " + to_string(e)); });
  }
}

} // namespace ka::act
