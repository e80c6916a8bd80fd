#include "actors/ctl_commands.hpp"

#include <cmath>
#include <cstdlib>

#include "protocol/admin_check.hpp"
#include "protocol/admin_events.hpp"

namespace ka::ctl {

const json* at(const json& v, std::initializer_list<const char*> path) {
  const json* cur = &v;
  for (const char* k : path) {
    if (!cur->is_object())
      return nullptr;
    auto it = cur->find(k);
    if (it == cur->end())
      return nullptr;
    cur = &*it;
  }
  return cur;
}
std::string str(const json* v, const char* fallback) {
  return v && v->is_string() ? v->get<std::string>() : fallback;
}
std::string num(const json* v, const char* fallback) {
  if (!v || !v->is_number())
    return fallback;
  double d = v->get<double>();
  char buf[64];
  if (d == std::floor(d) && std::fabs(d) < 1e15)
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(d));
  else
    std::snprintf(buf, sizeof buf, "%.3g", d);
  return buf;
}


namespace {

// A priority word: 1..254 (digits only), or reset.
std::optional<json> priority_word(const std::string& w) {
  if (w == "reset")
    return json("reset");
  if (w.empty() || w.size() > 3 || w.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  int p = std::atoi(w.c_str());
  if (p < 1 || p > 254)
    return std::nullopt;
  return json(p);
}

} // namespace

std::optional<json> build_request(const std::vector<std::string>& args, std::string& error) {
  if (args.empty()) {
    error = "no command given";
    return std::nullopt;
  }
  const std::string& cmd = args[0];
  auto want = [&](std::size_t n, const char* form) {
    if (args.size() == n)
      return true;
    error = std::string("usage: keepalivectl ") + form;
    return false;
  };
  if (cmd == "status" || cmd == "config" || cmd == "ping" || cmd == "instances" || cmd == "watch") {
    if (!want(1, cmd.c_str()))
      return std::nullopt;
    return json{{"cmd", cmd}};
  }
  if (cmd == "check") {
    if (!want(1, "check"))
      return std::nullopt;
    return json{{"cmd", "status"}};
  }
  if (cmd == "garp") {
    if (!want(2, "garp INSTANCE"))
      return std::nullopt;
    return json{{"cmd", "garp"}, {"instance", args[1]}};
  }
  if (cmd == "priority") {
    if (!want(3, "priority INSTANCE 1..254|reset"))
      return std::nullopt;
    auto p = priority_word(args[2]);
    if (!p) {
      error = "priority must be 1..254 or reset, not '" + args[2] + "'";
      return std::nullopt;
    }
    return json{{"cmd", "priority"}, {"instance", args[1]}, {"priority", *p}};
  }
  if (cmd == "reload") {
    if (!want(1, "reload"))
      return std::nullopt;
    return json{{"cmd", "reload"}};
  }
  if (cmd == "stats") {
    if (!want(2, "stats clear") || args[1] != "clear") {
      error = "usage: keepalivectl stats clear";
      return std::nullopt;
    }
    return json{{"cmd", "stats"}, {"action", "clear"}};
  }
  error = "unknown command '" + cmd + "'";
  return std::nullopt;
}

// reload: one line of counts, or every error of the new configuration; 1 when refused.
int print_reload(const json& v, const std::string* raw) {
  bool ok = v.contains("ok") && v["ok"].is_boolean() && v["ok"].get<bool>();
  if (raw) {
    std::printf("%s\n", raw->c_str());
    return ok ? exit_ok : exit_not_expected;
  }
  if (!ok) {
    std::fprintf(stderr, "keepalivectl: reload refused; the daemon keeps its running configuration\n");
    if (v.contains("errors") && v["errors"].is_array() && !v["errors"].empty())
      for (const auto& e : v["errors"])
        std::fprintf(stderr, "%s\n", e.is_string() ? e.get<std::string>().c_str() : e.dump().c_str());
    else if (v.contains("error") && v["error"].is_string())
      std::fprintf(stderr, "%s\n", v["error"].get<std::string>().c_str());
    return exit_not_expected;
  }
  auto n = [&](const char* k) { return v.contains(k) && v[k].is_number() ? v[k].get<long long>() : 0LL; };
  std::printf("reloaded in %.1f ms: %lld kept, %lld updated (%lld restarted), %lld removed, %lld added\n",
              v.contains("ms") && v["ms"].is_number() ? v["ms"].get<double>() : 0.0, n("kept"), n("updated"),
              n("restarted"), n("removed"), n("added"));
  for (const char* list : {"restarts", "not_reloaded"})
    if (v.contains(list) && v[list].is_array())
      for (const auto& e : v[list])
        if (e.is_string())
          std::printf("  %s: %s\n", list[0] == 'r' ? "restarted" : "not reloaded (read at start-up)",
                      e.get<std::string>().c_str());
  return exit_ok;
}

void print_reply(const std::string& cmd, const json& r) {
  if (cmd == "instances") {
    if (const json* names = at(r, {"instances"}); names && names->is_array())
      for (const auto& n : *names)
        std::printf("%s\n", str(&n).c_str());
  } else if (cmd == "garp") {
    std::printf("%s: gratuitous ARP/NA sent for %s addresses (%s each)\n", str(at(r, {"instance"})).c_str(),
                num(at(r, {"addresses"})).c_str(), num(at(r, {"repeat"})).c_str());
  } else if (cmd == "priority") {
    const json* p = at(r, {"priority"});
    const json* o = p ? at(*p, {"override"}) : nullptr;
    std::printf("%s: priority configured %s, override %s, effective %s\n", str(at(r, {"instance"})).c_str(),
                num(p ? at(*p, {"configured"}) : nullptr).c_str(),
                o && o->is_number() ? num(o).c_str() : "none", num(p ? at(*p, {"effective"}) : nullptr).c_str());
  } else if (cmd == "stats") {
    std::printf("counters cleared\n");
  }
}

int print_check(const json& status, bool as_json) {
  json problems = json::array();
  std::size_t n = 0;
  if (const json* insts = at(status, {"instances"}); insts && insts->is_array())
    for (const auto& i : *insts) {
      ++n;
      std::string why = proto::check_instance(i);
      if (!why.empty())
        problems.push_back({{"instance", str(at(i, {"name"}))}, {"state", str(at(i, {"state"}))}, {"problem", why}});
    }
  if (as_json) {
    std::printf("%s", proto::admin_line({{"ok", problems.empty()}, {"instances", n}, {"problems", problems}}).c_str());
  } else if (problems.empty()) {
    std::printf("ok: %zu instance%s as expected\n", n, n == 1 ? "" : "s");
  } else {
    for (const auto& p : problems)
      std::printf("%s: %s\n", str(at(p, {"instance"})).c_str(), str(at(p, {"problem"})).c_str());
  }
  return problems.empty() ? exit_ok : exit_not_expected;
}

void print_status_extras(const json& s) {
  if (const json* insts = at(s, {"instances"}); insts && insts->is_array())
    for (const auto& i : *insts) {
      std::string name = str(at(i, {"name"}));
      if (const json* o = at(i, {"priority", "override"}); o && o->is_number())
        std::printf("%s: priority override %s (configured %s, effective %s)\n", name.c_str(), num(o).c_str(),
                    num(at(i, {"priority", "configured"})).c_str(), num(at(i, {"priority", "effective"})).c_str());
      if (const json* t = at(i, {"tracking"}); t && t->is_array())
        for (const auto& o : *t) {
          const json* fault = at(o, {"fault"});
          std::printf("%s: tracks %s %s: %s, weight %s, delta %s%s\n", name.c_str(), str(at(o, {"kind"})).c_str(),
                      str(at(o, {"name"})).c_str(), str(at(o, {"last_result"}), "no result yet").c_str(),
                      num(at(o, {"weight"})).c_str(), num(at(o, {"delta"})).c_str(),
                      fault && fault->is_boolean() && fault->get<bool>() ? ", FAULT" : "");
        }
    }
  if (const json* fl = at(s, {"scripts", "in_flight"}); fl && fl->is_array())
    for (const auto& h : *fl)
      std::printf("hook running: %s: %s (%s ms)\n", str(at(h, {"instance"})).c_str(), str(at(h, {"command"})).c_str(),
                  num(at(h, {"running_ms"})).c_str());
  std::printf("kernel actor: queue depth %s, %s GARPs waiting\n", num(at(s, {"kernel", "queue_depth"})).c_str(),
              num(at(s, {"kernel", "garp_waiting"})).c_str());
  if (const json* errs = at(s, {"kernel", "recent_errors"}); errs && errs->is_array())
    for (const auto& e : *errs)
      std::printf("  kernel error: %s\n", str(at(e, {"error"})).c_str());
  if (const json* h = at(s, {"advert", "lateness_us", "histogram"}); h && h->is_array()) {
    std::string line;
    for (const auto& b : *h) {
      const json* le = at(b, {"le_us"});
      line += (line.empty() ? "" : ", ") + (le && le->is_number() ? "<=" + num(le) : std::string(">")) + ": "
              + num(at(b, {"count"}));
    }
    std::printf("advert lateness (us): %s\n", line.c_str());
  }
  if (const json* e = at(s, {"events"}); e && e->is_object())
    std::printf("events: %s published, %s watching\n", num(at(*e, {"published"})).c_str(),
                num(at(*e, {"watchers"})).c_str());
  if (const json* c = at(s, {"daemon", "stats_cleared_s_ago"}); c && c->is_number())
    std::printf("counters cleared %s s ago\n", num(c).c_str());
}

void print_event(const std::string& line, bool as_json) {
  if (as_json) {
    std::printf("%s\n", line.c_str());
  } else {
    json ev;
    try {
      ev = json::parse(line);
    } catch (const json::exception&) {
      std::printf("%s\n", line.c_str());
      std::fflush(stdout);
      return;
    }
    std::printf("%s\n", proto::event_text(ev).c_str());
  }
  std::fflush(stdout);  // a pipe reader sees each event as it comes
}

} // namespace ka::ctl
