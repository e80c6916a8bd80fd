// Supervision (see actors/supervisor.hpp): one supervisor actor per supervised child, whose
// handle stands for the child's.
#include "actors/supervisor.hpp"

#include <caf/actor_system.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/send.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>

#include "kernel/log.hpp"
#include "protocol/admin_protocol.hpp"

namespace ka::act {
namespace {

// ---- the registry: what `status` shows, and where fault injection finds an actor ----
struct record {
  std::string kind, name;
  caf::weak_actor_ptr supervisor;
  std::uint64_t restarts = 0;
  bool failed = false;           // given up
  std::string last_reason;
  double last_failure_unix = 0;  // wall clock, for the operator
};
std::mutex registry_mutex;
std::map<std::pair<std::string, std::string>, record>& registry() {
  static std::map<std::pair<std::string, std::string>, record> r;
  return r;
}

template <class F>
void with_record(const std::string& kind, const std::string& name, F f) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  auto& r = registry()[{kind, name}];
  r.kind = kind;
  r.name = name;
  f(r);
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct supervisor_state {
  child_spec spec;
  proto::restart_intensity intensity;
  caf::actor child;
  bool in_failed_mode = false;
  // Told to exit: the child is told too, and the supervisor ends with the child's end, so
  // whoever waits for the supervisor (load_balancer's shutdown, before it frees the probe
  // engine the checkers run on) waits for the child as well.
  std::optional<caf::error> exiting;
  // This kind and name's restarts under earlier supervisors (a reload restarts an instance
  // under a new supervisor): the registry's count only grows (a Prometheus counter).
  std::uint64_t earlier_restarts = 0;
  std::vector<std::pair<std::string, caf::message>> sticky;  // latest per key, first-seen order
  static constexpr const char* name = "supervisor";
};
using supervisor_self = caf::stateful_actor<supervisor_state>*;

std::string label(const supervisor_state& st) { return st.spec.kind + " " + st.spec.name; }

void start_child(supervisor_self self, const child_start& how) {
  auto& st = self->state;
  st.child = st.spec.spawn(how);
  if (!st.child)
    return;
  self->monitor(st.child);
  // What the old child's peers told it, in the order they first did.
  for (const auto& [key, msg] : st.sticky)
    st.child->enqueue(caf::make_mailbox_element(self->ctrl(), caf::make_message_id(), {}, msg),
                      self->context());
}

void on_child_failure(supervisor_self self, const std::string& reason) {
  auto& st = self->state;
  st.child = nullptr;
  bool restart = !st.in_failed_mode && st.intensity.on_failure(proto::clock::now());
  with_record(st.spec.kind, st.spec.name, [&](record& r) {
    r.restarts = st.earlier_restarts + st.intensity.restarts();
    r.failed = !restart;
    r.last_reason = reason;
    r.last_failure_unix = unix_now();
  });
  if (restart) {
    log::error("%s failed (%s): restarted (restart %llu, %zu in the last %lld s; the limit is %d)",
               label(st).c_str(), reason.c_str(),
               static_cast<unsigned long long>(st.intensity.restarts()),
               st.intensity.recent(proto::clock::now()),
               static_cast<long long>(st.intensity.limit().period.count()),
               st.intensity.limit().max_restarts);
    return start_child(self, child_start{st.intensity.restarts(), false});
  }
  if (!st.in_failed_mode) {
    log::error("%s failed (%s) %d times in %lld s: NOT RESTARTED ANY MORE; it stays failed",
               label(st).c_str(), reason.c_str(), st.intensity.limit().max_restarts + 1,
               static_cast<long long>(st.intensity.limit().period.count()));
    st.in_failed_mode = true;
    start_child(self, child_start{st.intensity.restarts(), true});
    if (st.child)
      return;
  } else {
    log::error("%s failed again in its failed mode (%s)", label(st).c_str(), reason.c_str());
  }
  if (st.spec.on_give_up)
    st.spec.on_give_up();
}

caf::behavior supervisor(supervisor_self self, child_spec spec, proto::restart_limit limit) {
  auto& st = self->state;
  st.spec = std::move(spec);
  st.intensity = proto::restart_intensity(limit);
  with_record(st.spec.kind, st.spec.name, [&](record& r) {
    r.supervisor = self->ctrl();  // a reload's new supervisor of the same name takes over
    r.failed = false;
    st.earlier_restarts = r.restarts;
  });
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    if (!st.child || dm.source != st.child.address())
      return;
    if (st.exiting) {
      st.child = nullptr;
      return self->quit(*st.exiting);
    }
    // A child that stops on its own (a tracker at shutdown) ends its supervisor too.
    if (!dm.reason || dm.reason == caf::exit_reason::normal || dm.reason == caf::exit_reason::user_shutdown) {
      st.child = nullptr;
      return self->quit(dm.reason);
    }
    on_child_failure(self, to_string(dm.reason));
  });
  self->set_exit_handler([=](caf::exit_msg& em) {
    auto& st = self->state;
    if (st.exiting)
      return;
    if (st.child) {
      st.exiting = em.reason;
      self->send_exit(st.child, em.reason);
      return;  // ends with the child's down message
    }
    self->quit(em.reason);
  });
  // Everything but fault_atom goes to the child, sender and request id kept: the child
  // answers the requester itself. Without a child (given up), a request gets an error.
  self->set_default_handler([](caf::scheduled_actor* ptr, caf::message_view& xs) -> caf::result<caf::message> {
    auto self = static_cast<supervisor_self>(ptr);
    auto& st = self->state;
    auto msg = xs.move_content_to_message();
    if (st.spec.sticky)
      if (auto key = st.spec.sticky(msg)) {
        auto it = std::find_if(st.sticky.begin(), st.sticky.end(),
                               [&](const auto& kv) { return kv.first == *key; });
        if (it != st.sticky.end())
          it->second = msg;
        else
          st.sticky.emplace_back(*key, msg);
      }
    if (!st.child)
      return caf::sec::request_receiver_down;
    auto* e = self->current_mailbox_element();
    // Sender and stages copied, not moved: the element stays CAF's until the handler returns.
    st.child->enqueue(caf::make_mailbox_element(e->sender, e->mid, e->stages, std::move(msg)), self->context());
    return caf::delegated<caf::message>{};
  });
  start_child(self, child_start{});
  return {
    [=](fault_atom) {
      auto& st = self->state;
      if (st.child && fault_injection_enabled())
        self->send(st.child, fault_atom::value);
    },
  };
}

} // namespace

caf::actor spawn_supervisor(caf::actor_system& sys, child_spec spec, proto::restart_limit limit) {
  return sys.spawn(supervisor, std::move(spec), limit);
}

json supervision_status() {
  std::lock_guard<std::mutex> lock(registry_mutex);
  json all = json::array();
  for (const auto& [key, r] : registry()) {
    if (r.restarts == 0 && !r.failed)
      continue;
    json j;
    j["kind"] = r.kind;
    j["name"] = r.name;
    j["restarts"] = r.restarts;
    j["failed"] = r.failed;
    j["last_reason"] = r.last_reason;
    j["last_failure_unix"] = r.last_failure_unix;
    all.push_back(std::move(j));
  }
  return all;
}

std::uint64_t supervision_restarts(const std::string& kind, const std::string& name) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  auto it = registry().find({kind, name});
  return it == registry().end() ? 0 : it->second.restarts;
}

bool fault_injection_enabled() {
#ifdef KA_FAULT_INJECTION
  static const bool on = [] {
    const char* v = std::getenv("KEEPALIVE_FAULT_INJECTION");
    return v && std::strcmp(v, "1") == 0;
  }();
  return on;
#else
  return false;
#endif
}

std::string inject_fault(const std::string& kind, const std::string& name) {
  if (!fault_injection_enabled())
    return "fault injection is off (start the daemon with KEEPALIVE_FAULT_INJECTION=1, in a "
           "build with KA_FAULT_INJECTION)";
  caf::strong_actor_ptr target;
  {
    std::lock_guard<std::mutex> lock(registry_mutex);
    auto it = registry().find({kind, name});
    if (it == registry().end())
      return "no supervised " + kind + " named " + name;
    target = it->second.supervisor.lock();
  }
  if (!target)
    return kind + " " + name + ": its supervisor has stopped";
  caf::anon_send(caf::actor_cast<caf::actor>(target), fault_atom::value);
  return "";
}

json fault_command(const std::string& line) {
  json req = json::parse(line, nullptr, false);
  if (!req.is_object() || !req.contains("kind") || !req.contains("name") || !req["kind"].is_string()
      || !req["name"].is_string())
    return proto::admin_error("fault: expected {\"cmd\":\"fault\",\"kind\":K,\"name\":N}");
  auto err = inject_fault(req["kind"].get<std::string>(), req["name"].get<std::string>());
  if (!err.empty())
    return proto::admin_error(err);
  return {{"ok", true}};
}

void supervised_child(caf::scheduled_actor* self) {
  self->set_exception_handler([](caf::scheduled_actor* who, std::exception_ptr& eptr) -> caf::error {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(eptr);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log::error("actor %s threw: %s", who->name(), what.c_str());
    return caf::error(static_cast<std::uint8_t>(caf::exit_reason::unhandled_exception), caf::atom("exit"),
                      caf::make_message(what));
  });
  if (!fault_injection_enabled())
    return;
  self->set_default_handler([](caf::scheduled_actor* who, caf::message_view& xs) -> caf::result<caf::message> {
    const auto& c = xs.content();
    if (c.match_elements<caf::atom_value>() && c.get_as<caf::atom_value>(0) == fault_atom::value)
      throw std::runtime_error("fault injected (KEEPALIVE_FAULT_INJECTION)");
    return caf::print_and_drop(who, xs);
  });
}

} // namespace ka::act
