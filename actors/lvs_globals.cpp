#include "actors/lvs_globals.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <optional>
#include <string>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"

namespace ka::act {
namespace {

constexpr std::uint32_t k_master = 1, k_backup = 2;  // IP_VS_STATE_MASTER / _BACKUP

// One IPVS-wide request, waited for (start and exit only).
ipvs_global_result ask(caf::actor_system& sys, const kernel_actor& kernel, const ipvs_global& g) {
  caf::scoped_actor self{sys};
  ipvs_global_result out;
  self->request(kernel, std::chrono::seconds(5), ipvs_atom::value, g)
    .receive([&](ipvs_global_result& r) { out = std::move(r); },
             [&](caf::error& e) { out.error = to_string(e); });
  return out;
}

const char* daemon_name(std::uint32_t state) { return state == k_master ? "master" : "backup"; }

// Follows the sync daemon's instance from the lines every instance writes to its FIFO
// writers (`INSTANCE "VI_1" MASTER 100`): it takes a writer's place beside them, so no
// instance needs an interface of its own for it.
struct follower_state {
  kernel_actor kernel;
  kern::ipvs_msg::sync_daemon daemon;
  std::string instance;
  std::uint32_t running = k_backup;       // the daemon running now
  std::uint64_t switches = 0;
  static constexpr const char* name = "lvs-sync-follower";
};

template <class Self>
void run_daemon(Self self, const kernel_actor& kernel, kern::ipvs_msg::sync_daemon d,
                bool start) {
  ipvs_global g;
  g.what = start ? ipvs_global::kind::start_daemon : ipvs_global::kind::stop_daemon;
  g.daemon = std::move(d);
  self->request(kernel, std::chrono::seconds(5), ipvs_atom::value, g)
    .then([](const ipvs_global_result&) {},  // an error is logged by the kernel actor
          [](caf::error& e) { log::error("lvs_sync_daemon: %s", to_string(e).c_str()); });
}

notify_fifo_actor::behavior_type follower(notify_fifo_actor::stateful_pointer<follower_state> self,
                                          kernel_actor kernel, kern::ipvs_msg::sync_daemon daemon,
                                          std::string instance) {
  self->state.kernel = std::move(kernel);
  self->state.daemon = std::move(daemon);
  self->state.instance = std::move(instance);
  return {
    [=](fifo_atom, const std::string& line) {
      auto& st = self->state;
      std::string head = "INSTANCE \"" + st.instance + "\" ";
      if (line.compare(0, head.size(), head) != 0) return;
      std::string state = line.substr(head.size(), line.find(' ', head.size()) - head.size());
      if (state == "STOP") return;  // at exit: lvs_globals::stop() ends the daemon
      std::uint32_t want = state == "MASTER" ? k_master : k_backup;
      if (want == st.running) return;
      // One daemon at a time, as keepalived: the other one stops first.
      kern::ipvs_msg::sync_daemon old = st.daemon, now = st.daemon;
      old.state = st.running;
      now.state = want;
      run_daemon(self, st.kernel, old, false);
      run_daemon(self, st.kernel, now, true);
      log::info("lvs_sync_daemon: %s is %s: %s sync daemon", st.instance.c_str(), state.c_str(),
                daemon_name(want));
      st.running = want;
      ++st.switches;
    },
    [=](status_atom) {
      json v;
      v["instance"] = self->state.instance;
      v["running"] = daemon_name(self->state.running);
      v["switches"] = self->state.switches;
      return v;
    },
  };
}

} // namespace

struct lvs_globals::impl {
  kernel_actor kernel;
  config::flush_on_stop flush_on_stop = config::flush_on_stop::no;
  std::optional<kern::ipvs_msg::timeouts> saved;   // the kernel's, to be put back at exit
  std::optional<kern::ipvs_msg::sync_daemon> daemon;
  std::vector<std::uint32_t> started;              // daemons started at start
  std::string instance;                            // lvs_sync_daemon inst
  notify_fifo_actor follower, lvs_fifo;
};

lvs_globals::lvs_globals(caf::actor_system& sys, const config::config& cfg, kernel_actor kernel,
                         const std::vector<notify_fifo_actor>& vrrp_fifos, const script_identities& ids)
  : impl_(new impl) {
  auto& im = *impl_;
  im.kernel = std::move(kernel);
  const auto& lvs = cfg.global.lvs;
  im.flush_on_stop = lvs.lvs_flush_on_stop;
  if (cfg.global.fifo.notify.fifo && !vrrp_fifos.empty())
    pool_fifos_.push_back(vrrp_fifos.front());  // notify_fifo gets every line
  if (const auto& f = cfg.global.fifo.lvs; f.fifo) {
    im.lvs_fifo = spawn_notify_fifo_actor(sys, *f.fifo, f.script, ids.lvs_notify_fifo_script);
    pool_fifos_.push_back(im.lvs_fifo);
  }
  bool wanted = lvs.lvs_flush || lvs.timeouts || lvs.sync_daemon;
  if (!wanted) return;
  if (lvs.lvs_flush) {
    ipvs_global g;
    g.what = ipvs_global::kind::flush;
    if (ask(sys, im.kernel, g).error.empty()) log::info("lvs_flush: the IPVS table was flushed");
  }
  if (lvs.timeouts) {
    ipvs_global get;
    get.what = ipvs_global::kind::get_timeouts;
    auto before = ask(sys, im.kernel, get);
    if (before.error.empty()) im.saved = before.timeouts;
    ipvs_global set;
    set.what = ipvs_global::kind::set_timeouts;
    set.timeouts.tcp = lvs.timeouts->tcp.value_or(0);  // 0: left as it is
    set.timeouts.tcp_fin = lvs.timeouts->tcpfin.value_or(0);
    set.timeouts.udp = lvs.timeouts->udp.value_or(0);
    auto now = ask(sys, im.kernel, set);
    if (now.error.empty())
      log::info("lvs_timeouts: tcp %u tcpfin %u udp %u", now.timeouts.tcp, now.timeouts.tcp_fin, now.timeouts.udp);
  }
  if (const auto& sd = lvs.sync_daemon) {
    kern::ipvs_msg::sync_daemon d;
    d.ifname = sd->interface;
    int vrid = 0;
    if (!sd->instance.empty()) {
      bool found = false;
      for (const auto& i : cfg.instances)
        if (i.name == sd->instance) {
          found = true;
          vrid = i.vrid;
        }
      if (found)
        im.instance = sd->instance;
      else
        log::warning("lvs_sync_daemon: no vrrp_instance %s: both sync daemons run", sd->instance.c_str());
    }
    d.sync_id = static_cast<std::uint32_t>(sd->id.value_or(vrid));
    d.maxlen = static_cast<std::uint16_t>(sd->maxlen.value_or(0));
    d.port = static_cast<std::uint16_t>(sd->port.value_or(0));
    d.ttl = static_cast<std::uint8_t>(sd->ttl.value_or(0));
    d.group = sd->group;
    im.daemon = d;
    // Without an instance both run; with one, the backup daemon until it is MASTER.
    std::vector<std::uint32_t> states{k_backup};
    if (im.instance.empty()) states = {k_master, k_backup};
    for (auto s : states) {
      ipvs_global g;
      g.what = ipvs_global::kind::start_daemon;
      g.daemon = d;
      g.daemon.state = s;
      if (ask(sys, im.kernel, g).error.empty()) {
        im.started.push_back(s);
        log::info("lvs_sync_daemon: %s sync daemon on %s, sync id %u", daemon_name(s), d.ifname.c_str(), d.sync_id);
      }
    }
    if (!im.instance.empty())
      im.follower = sys.spawn(follower, im.kernel, d, im.instance);
  }
}

lvs_globals::~lvs_globals() = default;

void lvs_globals::follow(const config::config& cfg, const std::vector<instance_actor>& instances,
                         const std::vector<notify_fifo_actor>& vrrp_fifos) {
  if (!impl_->follower) return;
  for (std::size_t i = 0; i < cfg.instances.size() && i < instances.size(); ++i)
    if (cfg.instances[i].name == impl_->instance) {
      auto fifos = vrrp_fifos;
      fifos.push_back(impl_->follower);
      caf::anon_send(instances[i], fifo_atom::value, std::move(fifos));
    }
}

notify_fifo_actor lvs_globals::lvs_fifo() const { return impl_->lvs_fifo; }

bool lvs_globals::flushes_on_stop() const { return impl_->flush_on_stop == config::flush_on_stop::all; }

void lvs_globals::stop(caf::actor_system& sys, bool keep_ipvs) {
  auto& im = *impl_;
  if (im.flush_on_stop == config::flush_on_stop::all && !keep_ipvs) {
    ipvs_global g;
    g.what = ipvs_global::kind::flush;
    if (ask(sys, im.kernel, g).error.empty()) log::info("lvs_flush_on_stop: the IPVS table was flushed");
  }
  if (im.daemon) {
    // The daemons running now: the follower's one, or those started at start.
    std::vector<std::uint32_t> running = im.started;
    if (im.follower) {
      caf::scoped_actor self{sys};
      self->request(im.follower, std::chrono::seconds(2), status_atom::value)
        .receive([&](const json& v) { running = {v["running"] == "master" ? k_master : k_backup}; },
                 [&](caf::error&) {});
      caf::anon_send_exit(im.follower, caf::exit_reason::user_shutdown);
    }
    for (auto s : running) {
      ipvs_global g;
      g.what = ipvs_global::kind::stop_daemon;
      g.daemon.state = s;
      if (ask(sys, im.kernel, g).error.empty()) log::info("lvs_sync_daemon: %s sync daemon stopped", daemon_name(s));
    }
  }
  if (im.saved) {
    ipvs_global g;
    g.what = ipvs_global::kind::set_timeouts;
    g.timeouts = *im.saved;
    if (ask(sys, im.kernel, g).error.empty())
      log::info("lvs_timeouts: put back to tcp %u tcpfin %u udp %u", im.saved->tcp, im.saved->tcp_fin, im.saved->udp);
  }
  if (im.lvs_fifo)  // stops lvs_notify_fifo_script
    caf::anon_send_exit(im.lvs_fifo, caf::exit_reason::user_shutdown);
}

} // namespace ka::act
