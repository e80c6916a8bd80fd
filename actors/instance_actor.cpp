// One VRRP instance: owns its state machine, and turns the machine's actions into
// messages to the advert actor (timing, sockets), the kernel actor (addresses, GARP) and
// the script actor (notify hooks). Address changes are awaited, so that actions keep their
// order: a notify_master hook never runs before the virtual address is there.
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <memory>
#include <optional>
#include <utility>

#include "actors/address_vmacs.hpp"  // use_vmac on addresses
#include "actors/event_bus.hpp"  // live events
#include "actors/instance_tracking.hpp"
#include "actors/spawn.hpp"
#include "actors/supervisor.hpp"
#include "actors/unicast_config.hpp"  // unicast VRRP
#include "kernel/log.hpp"
#include "protocol/accept_mode.hpp"  // accept mode
#include "protocol/vmac.hpp"

namespace ka::act {
namespace {

using namespace std::chrono;
using proto::action;
using proto::vrrp_state;

constexpr auto kernel_timeout = seconds(2);
using centiseconds = duration<std::int64_t, std::centi>;  // the unit of VRRP intervals

struct instance_state {
  // The instance's config, inside the daemon's one shared copy of the whole config (the
  // admin socket's `config` answers from it too): no per-actor copy of 1,000 instances.
  std::shared_ptr<const config::config> all;
  const config::vrrp_instance* cfg = nullptr;
  std::uint32_t id = 0;
  kernel_actor kernel;
  advert_actor advert;
  script_actor scripts;

  link_lookup link;                             // from the kernel actor at start
  bool link_up = false;
  bool started = false;                         // registered and the machine started
  std::optional<proto::vrrp_state_machine> sm;
  std::vector<kern::address_spec> vips;        // then virtual_ipaddress_excluded (routes-vmac)
  routing_set routing;                          // routes-vmac: virtual_routes, virtual_rules
  proto::advert_expectation expect;
  std::uint64_t down_token = 0;                 // only the latest master-down timer counts
  std::uint64_t master_epoch = 0;               // bumps each time we become master
  bool vips_wanted = false;                     // we added them (MASTER) and keep them
  std::vector<bool> vip_present;                // per VIP: on the interface, as the kernel says
  bool warned_vip_count = false;
  std::uint64_t vip_restores = 0;
  std::string fault_reason;
  bool rebinding = false;                       // a re-created interface is being looked up
  // tracking: tracked objects, whether they put us in FAULT, and a start held back until
  // the tracked interfaces' first lookups have answered.
  instance_tracking tracking;
  bool track_fault = false;
  int track_lookups = 0;
  std::optional<proto::time_point> deferred_start;
  // ---- sync groups and notify FIFOs ----
  std::optional<sync_group_actor> group;        // our vrrp_sync_group, if any
  std::uint32_t group_member = 0;               // our index in it
  bool group_hold = false;                      // the group holds us in FAULT
  std::optional<sync_report> reported;          // the last report sent to the group
  std::vector<notify_fifo_actor> fifos;         // notify_fifo, vrrp_notify_fifo
  // ---- keepalived's stats dump (SIGUSR2): the counters the advert thread does not keep
  // (the last state announced, `announced`, is kept with the live events below)
  std::uint64_t became_master = 0, released_master = 0, pri_zero_rcvd = 0, pri_zero_sent = 0;
  // ---- accept mode ----
  bool strict = false;                          // strict_mode, else global vrrp_strict
  proto::accept_decision accept;                // protocol/accept_mode.hpp
  std::optional<firewall_set> dropping;         // what our drop rules hold now, if any
  // ---- use_vmac ----
  struct vmac_link {
    int ifindex = 0;
    bool up = false;
    bool adopted = false;
  };
  std::string vmac_name;                        // empty: no use_vmac
  proto::mac_address vmac_mac{};
  bool xmit_base = false;                       // adverts on the base interface
  std::optional<vmac_link> vmac;                // once the kernel actor has it up
  bool vmac_busy = false;                       // a lookup or re-creation is under way
  std::uint64_t vmac_ups = 0;                   // "up" events seen
  // use_vmac on addresses, use_vmac_addr: vmacs of the instance's for addresses on other
  // interfaces or of the other family (protocol/vmac.hpp, plan_address_vmacs), each made
  // or adopted through the kernel actor like the instance's own.
  struct address_vmac_link {
    proto::address_vmac plan;
    std::optional<vmac_link> link;              // once the kernel actor has it up
  };
  std::vector<address_vmac_link> addr_vmacs;
  std::vector<int> addr_vmac_of;                // per address (virtual_ipaddress, then
                                                // _excluded): index in addr_vmacs, or -1
  std::uint64_t addr_vmac_events = 0;           // link events about them seen
  // ---- supervision (actors/supervisor.hpp) ----
  bool resuming = false;                        // restarted: take back what the advert thread holds
  bool supervision_failed = false;              // restarted too often: FAULT for good
  // ---- admin commands and live events (actors/event_bus.hpp) ----
  std::optional<int> prio_override;             // keepalivectl priority: replaces the configured one
  std::uint64_t transitions_base = 0;           // the machine's count at the last `stats clear`
  vrrp_state announced = vrrp_state::init;      // the last state announced: an event's "old"
  std::string cause;                            // why the coming transition, for its event
  static constexpr const char* name = "vrrp_instance";
};

using instance_self = instance_actor::stateful_pointer<instance_state>;

proto::duration advert_interval(const config::vrrp_instance& c) {
  return duration_cast<proto::duration>(duration<double>(c.advert_int));
}

bool is_v6(const instance_state& st) { return st.expect.family == proto::ip_address::family::v6; }

// use_vmac: the virtual addresses live on the vmac, and so do GARPs and, unless
// vmac_xmit_base, the adverts; without it everything is on the instance's interface.
int vip_ifindex(const instance_state& st) { return st.vmac ? st.vmac->ifindex : st.link.link.ifindex; }
const proto::mac_address& garp_mac(const instance_state& st) {
  return st.vmac ? st.vmac_mac : st.link.link.mac;
}
bool adverts_on_vmac(const instance_state& st) { return st.vmac && !st.xmit_base; }

// Whether the interface has what the instance's family needs to send: an IPv4 address,
// or an IPv6 link-local address (DAD done).
bool has_source(const instance_state& st, const link_lookup& l) {
  return is_v6(st) ? l.has_link_local : l.has_primary;
}

// The source address of our adverts and our tie-break address.
const proto::ip_address& source_of(const instance_state& st, const link_lookup& l) {
  // Unicast VRRP: unicast_src_ip is the source, and so our tie-break address at the peers.
  if (const auto* u = unicast_source(*st.cfg, st.expect.family))
    return *u;
  return is_v6(st) ? l.link_local : l.primary;
}

std::vector<std::uint8_t> advert_packet(const instance_state& st, std::uint8_t priority) {
  proto::vrrp_advert adv;
  adv.version = st.expect.version;
  adv.fam = st.expect.family;
  adv.vrid = static_cast<std::uint8_t>(st.cfg->vrid);
  adv.priority = priority;
  adv.auth = st.expect.auth;
  adv.auth_data = st.expect.auth_data;
  adv.interval_cs = st.expect.interval_cs;
  adv.addrs = st.expect.vips;
  if (adv.version == 2)
    return proto::encode_v2(adv);
  // The checksum covers the addresses the datagram will carry: the socket sends from
  // exactly this source (IP_MULTICAST_IF / IPV6_PKTINFO) to the VRRP group.
  return proto::encode_v3(adv, source_of(st, st.link),
                          is_v6(st) ? proto::vrrp_group_v6() : proto::vrrp_group_v4(),
                          st.expect.sum);
}

// "master" for MASTER...: the state's hook keyword is notify_ and this.
std::string state_word(proto::vrrp_state s) {
  std::string w = proto::to_string(s);
  for (auto& ch : w)
    ch = static_cast<char>(ch - 'A' + 'a');
  return w;
}

// keepalived's order: the state's own hook, then the generic `notify` with its arguments.
notify_job notify_for(const instance_state& st, vrrp_state s) {
  notify_job job{st.cfg->name, s, {}, {}};
  const std::string* specific = nullptr;
  switch (s) {
    case vrrp_state::master: specific = &st.cfg->notify_master; break;
    case vrrp_state::backup: specific = &st.cfg->notify_backup; break;
    case vrrp_state::fault: specific = &st.cfg->notify_fault; break;
    case vrrp_state::stopped: specific = &st.cfg->notify_stop; break;
    case vrrp_state::init: break;
  }
  const std::string owner = "vrrp_instance " + st.cfg->name + " ";
  if (specific && !specific->empty()) {
    job.commands.push_back(kern::split_command(*specific));
    job.keys.push_back(owner + "notify_" + state_word(s));
  }
  if (!st.cfg->notify.empty()) {
    job.keys.push_back(owner + "notify");
    auto argv = kern::split_command(st.cfg->notify);
    argv.push_back("INSTANCE");
    argv.push_back(st.cfg->name);
    argv.push_back(proto::to_string(s));
    argv.push_back(std::to_string(st.cfg->priority));
    job.commands.push_back(std::move(argv));
  }
  return job;
}

// The priority tracking starts from: the admin's override, else the configured one.
int base_priority(const instance_state& st) { return st.prio_override.value_or(st.cfg->priority); }

void log_transition(const instance_state& st, vrrp_state s) {
  log::notice("VRRP_Instance(%s) Entering %s STATE", st.cfg->name.c_str(), proto::to_string(s));
}

// ---- sync groups and notify FIFOs ----
// A transition as the outside world sees it: the log line, the hooks, the FIFO lines.
void announce(instance_self self, vrrp_state s) {
  auto& st = self->state;
  log_transition(st, s);
  st.became_master += s == vrrp_state::master && st.announced != vrrp_state::master;
  st.released_master += st.announced == vrrp_state::master && s != vrrp_state::master;
  // live events: the watchers see the transition with its cause (set where it arose)
  publish_event(self->home_system(), {0, "instance", "vrrp_instance " + st.cfg->name,
                                      proto::to_string(st.announced), proto::to_string(s),
                                      std::exchange(st.cause, std::string())});
  st.announced = s;
  self->send(st.scripts, notify_atom::value, notify_for(st, s));
  std::string line = "INSTANCE \"" + st.cfg->name + "\" " + proto::to_string(s) + " "
                     + std::to_string(st.cfg->priority);
  for (const auto& f : st.fifos)
    self->send(f, fifo_atom::value, line);
}

// Tells our sync group what changed: the state we are entering, or our wish for MASTER.
void report_sync(instance_self self, vrrp_state s, bool own_fault, bool wants) {
  auto& st = self->state;
  if (!st.group)
    return;
  sync_report r{st.group_member, s, own_fault, wants};
  if (st.reported && st.reported->state == r.state && st.reported->own_fault == r.own_fault
      && st.reported->wants_master == r.wants_master)
    return;
  st.reported = r;
  self->send(*st.group, sync_atom::value, r);
}

void report_sync(instance_self self) {
  auto& st = self->state;
  if (st.sm)
    report_sync(self, st.sm->state(), st.sm->state() == vrrp_state::fault && st.sm->own_fault(),
                st.sm->wants_master());
}

// Each address's GARP/NA leaves from the interface it is on, with that interface's MAC:
// the instance's (or its vmac's), or an address vmac's virtual MAC (use_vmac on addresses).
void garp_burst(instance_self self, int repeat = -1) {
  auto& st = self->state;
  if (repeat < 0) repeat = st.cfg->garp_master_repeat;
  for (int j = -1; j < static_cast<int>(st.addr_vmacs.size()); ++j) {
    std::vector<proto::ip_address> addrs;
    for (std::size_t i = 0; i < st.vips.size(); ++i)
      if ((i < st.addr_vmac_of.size() ? st.addr_vmac_of[i] : -1) == j)
        addrs.push_back(st.vips[i].addr);
    if (addrs.empty())
      continue;
    if (j < 0) {
      self->send(st.kernel, garp_atom::value, vip_ifindex(st), garp_mac(st), addrs, repeat);
    } else if (const auto& v = st.addr_vmacs[static_cast<std::size_t>(j)]; v.link) {
      self->send(st.kernel, garp_atom::value, v.link->ifindex, v.plan.mac, addrs, repeat);
    }
  }
}

// routes-vmac: garp_master_refresh (else global_defs vrrp_garp_master_refresh), seconds;
// 0 or unset: no refresh, keepalived's default.
std::chrono::milliseconds garp_refresh_interval(const instance_state& st) {
  auto v = st.cfg->garp_master_refresh ? st.cfg->garp_master_refresh : st.all->global.vrrp.vrrp_garp_master_refresh;
  return duration_cast<milliseconds>(duration<double>(v.value_or(0)));
}
int garp_refresh_repeat(const instance_state& st) {
  if (st.cfg->garp_master_refresh_repeat) return *st.cfg->garp_master_refresh_repeat;
  return static_cast<int>(st.all->global.vrrp.vrrp_garp_master_refresh_repeat.value_or(1));
}

using done_fn = std::function<void()>;

// accept mode: a master that does not accept has its addresses in the nftables drop sets
// while it holds them (keepalived's order: the rule before the addresses, out after them).
void with_firewall(instance_self self, bool add, done_fn then) {
  auto& st = self->state;
  if (st.accept.accept || st.dropping.has_value() == add)
    return then();
  auto fail = [=](caf::error& e) {
    log::error("%s: kernel actor did not answer (drop rules): %s", self->state.cfg->name.c_str(),
               to_string(e).c_str());
    then();
  };
  if (add) {
    firewall_set set;
    for (const auto& v : st.vips)
      set.elements.push_back({v.addr, v.ifindex});
    self->request(st.kernel, kernel_timeout, firewall_atom::value, add_atom::value, set)
      .await([=](const kernel_errors& errs) {
               if (errs.empty())
                 self->state.dropping = set;
               then();
             },
             fail);
  } else {
    // Exactly what went in: the interface may have been re-created with another index since.
    self->request(st.kernel, kernel_timeout, firewall_atom::value, del_atom::value, *st.dropping)
      .await([=](const kernel_errors& errs) {
               if (errs.empty())
                 self->state.dropping.reset();
               then();
             },
             fail);
  }
}

// routes-vmac: the master's routes and rules, then `then` (also when the kernel actor
// fails: the addresses' part of the transition goes on, the error is logged there).
void with_routing(instance_self self, bool add, done_fn then) {
  auto& st = self->state;
  if (st.routing.empty())
    return then();
  auto ok = [=](const kernel_errors&) { then(); };
  auto fail = [=](caf::error& e) {
    log::error("%s: kernel actor did not answer (routes): %s", self->state.cfg->name.c_str(),
               to_string(e).c_str());
    then();
  };
  if (add)
    self->request(st.kernel, kernel_timeout, add_atom::value, st.routing).await(ok, fail);
  else
    self->request(st.kernel, kernel_timeout, del_atom::value, st.routing).await(ok, fail);
}

// Carries out the machine's actions in order. Kernel and advert requests are awaited, so no
// other message (an advert, a timer) is handled between two actions of one transition.
void run_actions(instance_self self, std::deque<action> todo, done_fn done = {}) {
  auto& st = self->state;
  while (!todo.empty()) {
    action a = todo.front();
    todo.pop_front();
    switch (a.what) {
      case action::kind::start_adverts:
        self->send(st.advert, start_atom::value, st.id, advert_packet(st, st.sm->params().priority),
                   advert_interval(*st.cfg));
        break;
      case action::kind::stop_adverts:
        ++st.master_epoch;  // a pending GARP refresh belongs to the old mastership
        self->send(st.advert, stop_atom::value, st.id);
        break;
      case action::kind::send_advert: {
        st.pri_zero_sent += a.priority == 0;
        auto rest = std::make_shared<std::deque<action>>(std::move(todo));
        self->request(st.advert, seconds(1), send_atom::value, st.id, advert_packet(st, a.priority))
          .await([=](bool) { run_actions(self, std::move(*rest), done); },
                 [=](caf::error&) { run_actions(self, std::move(*rest), done); });
        return;
      }
      case action::kind::arm_master_down: {
        // The advert thread may re-arm and take over before this actor hears of it
        // (proto::backup_shortcuts): each arm says how, for the machine as it is now.
        arm_shortcuts sc;
        sc.rule = st.sm->shortcuts();
        if (sc.rule && sc.rule->takeover) {
          sc.takeover = advert_packet(st, st.sm->params().priority);
          sc.interval = advert_interval(*st.cfg);
        }
        self->send(st.advert, arm_atom::value, st.id, a.deadline, ++st.down_token, std::move(sc));
        break;
      }
      case action::kind::cancel_master_down:
        ++st.down_token;
        self->send(st.advert, cancel_atom::value, st.id);
        break;
      case action::kind::add_vips:
      case action::kind::remove_vips: {
        bool add = a.what == action::kind::add_vips;
        st.vips_wanted = add;  // before the kernel answers: our own deletes are not "external"
        auto rest = std::make_shared<std::deque<action>>(std::move(todo));
        // routes-vmac: routes and rules follow the addresses in (a route's src or via
        // may need them) and leave before them.
        auto go_on = [=] { run_actions(self, std::move(*rest), done); };
        auto next = [=](const kernel_errors& errs) {
          // The kernel's ACK is the truth of that moment; address events refine it later.
          if (errs.empty())
            self->state.vip_present.assign(self->state.vips.size(), add);
          if (add)
            with_routing(self, true, go_on);
          else
            with_firewall(self, false, go_on);  // accept mode
        };
        auto fail = [=](caf::error& e) {
          log::error("%s: kernel actor did not answer: %s", self->state.cfg->name.c_str(),
                     to_string(e).c_str());
          if (add)
            go_on();
          else
            with_firewall(self, false, go_on);
        };
        if (add)
          with_firewall(self, true, [=] {  // accept mode: dropped before they are there
            self->request(self->state.kernel, kernel_timeout, add_atom::value, self->state.vips)
              .await(next, fail);
          });
        else
          with_routing(self, false, [=] {
            self->request(self->state.kernel, kernel_timeout, del_atom::value, self->state.vips)
              .await(next, fail);
          });
        return;
      }
      case action::kind::send_garp:
        if (st.sm->state() != vrrp_state::master)
          break;
        garp_burst(self);
        if (st.cfg->garp_master_delay > 0)
          self->delayed_send(self, duration_cast<milliseconds>(duration<double>(st.cfg->garp_master_delay)),
                             garp_again_atom::value, st.master_epoch);
        // routes-vmac: a master refreshes switches' and hosts' caches every
        // garp_master_refresh seconds for as long as this mastership lasts.
        if (auto every = garp_refresh_interval(st); every.count() > 0)
          self->delayed_send(self, every, garp_refresh_atom::value, st.master_epoch);
        break;
      case action::kind::notify:
        announce(self, a.state);
        break;
      case action::kind::lower_prio_garp: {
        // garp_lower_prio_repeat GARPs now and as many garp_lower_prio_delay later (both
        // resolved at load with their global defaults; repeat 0: none, delay 0: no second).
        int repeat = st.cfg->garp_lower_prio_repeat.value_or(0);
        if (st.sm->state() != vrrp_state::master || repeat <= 0)
          break;
        garp_burst(self, repeat);
        if (double delay = st.cfg->garp_lower_prio_delay.value_or(0); delay > 0)
          self->delayed_send(self, duration_cast<milliseconds>(duration<double>(delay)), garp_again_atom::value,
                             st.master_epoch, repeat);
        break;
      }
    }
  }
  if (done)
    done();
}

void run(instance_self self, const std::vector<action>& acts, done_fn done = {}) {
  report_sync(self);  // the group may set the other members moving while we act
  run_actions(self, std::deque<action>(acts.begin(), acts.end()), std::move(done));
}

// True when the machine answered a backup's advert with nothing but a re-arm of the
// master-down timer by its Master_Down_Interval, and would answer the same advert again
// the same way: then the advert thread may apply that answer itself (repeat_atom).
// preempt_delay makes the answer depend on time, so it is left out.
bool steady_backup(const instance_state& st, const advert_in& adv, const std::vector<action>& acts) {
  const auto& p = st.sm->params();
  return st.sm->state() == vrrp_state::backup && p.preempt_delay.count() == 0
         && acts.size() == 1 && acts.front().what == action::kind::arm_master_down
         && acts.front().deadline - adv.at
              == proto::master_down_interval(p.version, p.priority, st.sm->master_adver_int());
}

// Without a usable interface there is no state machine to ask: report FAULT directly.
void fault_before_start(instance_self self, std::string reason) {
  auto& st = self->state;
  if (st.fault_reason == reason)
    return;
  bool entering = st.fault_reason.empty();  // a new reason while in FAULT is no transition
  st.fault_reason = std::move(reason);
  log::error("VRRP_Instance(%s): %s", st.cfg->name.c_str(), st.fault_reason.c_str());
  if (!entering)
    return;
  st.cause = st.fault_reason;
  announce(self, vrrp_state::fault);
  report_sync(self, vrrp_state::fault, true, false);
}

// ---- tracking (track_interface / track_script / track_file / track_process) ----
// Whether the machine may leave FAULT: the instance's own interface is up (unless
// dont_track_primary) and no tracked object forces FAULT.
bool healthy(const instance_state& st) {
  // use_vmac: the vmac must be up too (down by hand, or with its base), and so must each
  // address vmac (keepalived 2.2.7 enters FAULT when one is set down or deleted).
  return (st.cfg->dont_track_primary || st.link_up) && !st.track_fault && !st.supervision_failed
         && (st.vmac_name.empty() || (st.vmac && st.vmac->up))
         && std::all_of(st.addr_vmacs.begin(), st.addr_vmacs.end(),
                        [](const instance_state::address_vmac_link& v) { return v.link && v.link->up; });
}

// Applies the tracked objects' effect (protocol/track_priority.hpp): the effective
// priority, then FAULT or out of it.
void apply_tracking(instance_self self) {
  auto& st = self->state;
  auto eff = st.tracking.effective(base_priority(st));
  if (!st.started)
    return;  // start_machine() applies it
  auto now = proto::clock::now();
  if (eff.priority != st.sm->params().priority && st.sm->params().priority != 255) {
    log::notice("VRRP_Instance(%s) Changing effective priority from %d to %d",
                st.cfg->name.c_str(), st.sm->params().priority, eff.priority);
    run(self, st.sm->set_priority(now, eff.priority));
  }
  if (eff.fault == st.track_fault)
    return;
  st.track_fault = eff.fault;
  st.cause = eff.fault ? st.tracking.fault_reason() : "tracked objects no longer force FAULT";
  if (eff.fault)
    log::warning("VRRP_Instance(%s): %s", st.cfg->name.c_str(), st.tracking.fault_reason().c_str());
  else
    log::notice("VRRP_Instance(%s): tracked objects no longer force FAULT", st.cfg->name.c_str());
  run(self, st.sm->on_interface(now, healthy(st)));
}

// A link event about a tracked interface (the link watcher sends them too); true when it was one.
bool on_tracked_link(instance_self self, const kern::link_event& ev) {
  auto& st = self->state;
  if (ev.name == st.cfg->interface)
    return false;
  auto names = st.tracking.interfaces();
  if (std::find(names.begin(), names.end(), ev.name) == names.end())
    return false;
  if (st.tracking.apply_interface(ev.name, ev.up, ev.up ? "up" : "down")) {
    log::warning("VRRP_Instance(%s): tracked interface %s is %s", st.cfg->name.c_str(),
                 ev.name.c_str(), ev.up ? "up" : "down");
    publish_event(self->home_system(), {0, "tracker", "vrrp_instance " + st.cfg->name + " track_interface " + ev.name,
                                        ev.up ? "down" : "up", ev.up ? "up" : "down", "link event"});
    apply_tracking(self);
  }
  return true;
}

void start_machine(instance_self self, proto::time_point basis);

// The tracked interfaces' state at start, asked of the kernel actor like our own link.
void lookup_tracked_interfaces(instance_self self) {
  auto& st = self->state;
  for (const auto& name : st.tracking.interfaces()) {
    ++st.track_lookups;
    auto done = [=](bool up, const std::string& detail) {
      auto& st = self->state;
      st.tracking.apply_interface(name, up, detail);
      apply_tracking(self);
      if (--st.track_lookups == 0 && st.deferred_start) {
        auto basis = *st.deferred_start;
        st.deferred_start.reset();
        start_machine(self, basis);
      }
    };
    self->request(st.kernel, kernel_timeout, lookup_atom::value, name)
      .then([=](const link_lookup& l) {
              done(l.found && l.link.up, !l.found ? "does not exist" : l.link.up ? "up" : "down");
            },
            [=](caf::error& e) { done(false, "lookup failed: " + to_string(e)); });
  }
}

// Where address number `k` (virtual_ipaddress, then _excluded) goes: its address vmac
// (use_vmac on addresses, use_vmac_addr), else the instance's vmac or interface; nullopt
// when that is an interface without a vmac other than the instance's (not supported yet).
std::optional<int> address_ifindex(const instance_state& st, std::size_t k, const config::virtual_ip& v) {
  int j = k < st.addr_vmac_of.size() ? st.addr_vmac_of[k] : -1;
  if (j >= 0) {
    const auto& link = st.addr_vmacs[static_cast<std::size_t>(j)].link;
    return link ? std::optional<int>(link->ifindex) : std::nullopt;
  }
  if (!v.dev.empty() && v.dev != st.cfg->interface)
    return std::nullopt;
  return vip_ifindex(st);
}

std::optional<std::string> build_vips_from_config(instance_state& st) {
  st.vips.clear();
  st.expect.vips.clear();
  st.vip_present.clear();
  std::size_t k = 0;
  for (const auto& v : st.cfg->vips) {
    auto ifindex = address_ifindex(st, k++, v);
    if (!ifindex)
      return "virtual address " + v.addr.to_string() + " on dev " + v.dev
             + ": addresses on another interface than the instance's are not supported yet"
               " without use_vmac (on the address) or use_vmac_addr";
    // One family per instance: the parser refuses a mix in virtual_ipaddress.
    kern::address_spec spec;
    spec.ifindex = *ifindex;
    spec.addr = v.addr;
    spec.prefix_len = v.prefix_len;
    spec.label = v.label;
    spec.broadcast = v.broadcast;
    spec.scope = kern::scope_from_name(v.scope);
    st.vips.push_back(spec);
    st.expect.vips.push_back(v.addr);
  }
  // routes-vmac: virtual_ipaddress_excluded go in and out with the VIPs, but are not in
  // st.expect.vips, which is what adverts carry and what received adverts are checked against.
  for (const auto& v : st.cfg->vips_excluded) {
    auto ifindex = address_ifindex(st, k++, v);
    if (!ifindex)
      return "excluded address " + v.addr.to_string() + " on dev " + v.dev
             + ": addresses on another interface than the instance's are not supported yet"
               " without use_vmac (on the address) or use_vmac_addr";
    kern::address_spec spec;
    spec.ifindex = *ifindex;
    spec.addr = v.addr;
    spec.prefix_len = v.prefix_len;
    spec.label = v.label;
    spec.broadcast = v.broadcast;
    spec.scope = kern::scope_from_name(v.scope);
    st.vips.push_back(spec);
  }
  st.routing = routing_set{};
  st.routing.fam = st.expect.family;
  for (const auto& r : st.cfg->virtual_routes)
    if (r.route) st.routing.routes.push_back(*r.route);
  for (const auto& r : st.cfg->virtual_rules)
    if (r.rule) st.routing.rules.push_back(*r.rule);
  st.vip_present.assign(st.vips.size(), false);
  if (st.expect.vips.size() > proto::max_advert_addresses) {
    if (!st.warned_vip_count)
      log::warning("VRRP_Instance(%s): %zu virtual addresses, an advert carries at most %zu: "
                   "the first %zu are advertised, the others are added and removed without "
                   "being advertised (as virtual_ipaddress_excluded)",
                   st.cfg->name.c_str(), st.expect.vips.size(), proto::max_advert_addresses,
                   proto::max_advert_addresses);
    st.warned_vip_count = true;
    st.expect.vips = proto::advertised_addresses(st.expect.vips);
  }
  return std::nullopt;
}

// An address that cannot be placed refuses the whole set: nothing half-built is left for
// the status (which reads vips beside vip_present) or for a later add.
std::optional<std::string> build_vips(instance_state& st) {
  auto error = build_vips_from_config(st);
  if (error) {
    st.vips.clear();
    st.expect.vips.clear();
    st.vip_present.clear();
  }
  return error;
}

// `basis`: when the machine starts, as far as its timers are concerned. At start-up it is
// the daemon's start for every instance, so that their master-down timers do not depend on
// the order in which 1,000 instances got through their start-up messages.
void resume_machine(instance_self self);
void start_machine(instance_self self, proto::time_point basis) {
  auto& st = self->state;
  if (st.track_lookups > 0) {  // tracking: wait for the tracked interfaces' state
    st.deferred_start = basis;
    return;
  }
  // tracking: the effective priority from the start
  auto eff = st.tracking.effective(base_priority(st));
  st.track_fault = eff.fault;
  proto::sm_params p;
  p.version = st.cfg->version;
  p.priority = eff.priority;
  p.advert_int = advert_interval(*st.cfg);
  p.preempt = !st.cfg->nopreempt;
  p.preempt_delay = duration_cast<proto::duration>(duration<double>(st.cfg->preempt_delay));
  p.initial_master = st.cfg->initial_master;
  p.primary = source_of(st, st.link);
  p.sync_gated = st.group.has_value();
  // Strict mode forbids both answers (parser/validate_strict.cpp resets what the instance
  // wrote; a global default is overridden here).
  const auto& gv = st.all->global.vrrp;
  bool strict = proto::strict_mode(st.cfg->strict_mode, gv.vrrp_strict);
  p.lower_prio_no_advert = strict || st.cfg->lower_prio_no_advert.value_or(gv.vrrp_lower_prio_no_advert.value_or(false));
  p.higher_prio_send_advert = !strict && st.cfg->higher_prio_send_advert.value_or(gv.vrrp_higher_prio_send_advert);
  st.sm.emplace(p);
  // Unicast VRRP: never a silent fallback, nor a peer silently left out.
  if (auto w = unicast_fallback_warning(*st.cfg))
    log::warning("VRRP_Instance(%s): %s", st.cfg->name.c_str(), w->c_str());
  for (const auto& w : unicast_family_warnings(*st.cfg, st.expect.family))
    log::warning("VRRP_Instance(%s): %s", st.cfg->name.c_str(), w.c_str());
  st.started = true;
  st.fault_reason.clear();
  st.link_up = st.link.link.up;
  if (st.resuming)  // supervision: restarted; the advert thread says what we were
    return resume_machine(self);
  if (st.group_hold) {  // sync group: another member's fault holds us from the start
    auto acts = st.sm->group_fault(basis, true);
    if (!healthy(st))
      st.sm->on_interface(basis, false);
    return run(self, acts);
  }
  run(self, healthy(st) ? st.sm->start(basis) : st.sm->on_interface(basis, false));
}

// Supervision (actors/supervisor.hpp): this instance was restarted after its actor failed.
// The advert thread kept doing what the old actor asked (sending its adverts, or timing
// its master-down), so it knows what we were on the wire: a MASTER whose adverts are still
// going out resumes MASTER at once (its addresses re-added: the kernel keeps those still
// there, and one that went missing comes back), a BACKUP resumes BACKUP, both without a
// transition, notify or GARP. Anything else starts afresh. Then whatever now holds us
// down (tracking, the sync group, the interface, or supervision having given up) applies.
void resume_from(instance_self self, vrrp_state was) {
  auto& st = self->state;
  auto now = proto::clock::now();
  auto acts = st.sm->resume(now, was);
  if (st.supervision_failed)  // the failed mode: taken back only to leave it properly
    log::error("VRRP_Instance(%s): its actor failed too often: FAULT until the daemon restarts",
               st.cfg->name.c_str());
  else if (was == vrrp_state::master || was == vrrp_state::backup)
    log::notice("VRRP_Instance(%s): restarted; resuming %s without a transition",
                st.cfg->name.c_str(), proto::to_string(was));
  if (st.group_hold) {
    auto more = st.sm->group_fault(now, true);
    acts.insert(acts.end(), more.begin(), more.end());
  }
  if (!healthy(st)) {
    auto more = st.sm->on_interface(now, false);
    acts.insert(acts.end(), more.begin(), more.end());
  }
  run(self, acts);
}

void resume_machine(instance_self self) {
  auto& st = self->state;
  st.resuming = false;
  self->request(st.advert, seconds(1), status_atom::value, st.id)
    .await(
      [=](const json& held) {
        auto was = held.value("sending", false) ? vrrp_state::master
                   : held.value("master_down_armed", false) ? vrrp_state::backup
                                                            : vrrp_state::init;
        resume_from(self, was);
      },
      [=](caf::error&) { resume_from(self, vrrp_state::init); });
}

// Takes `l` as the instance's link: rebuilds the VIP specs for its ifindex and registers
// with the advert actor (which opens a socket on the device). `done` gets "" or the reason.
void bind_link(instance_self self, const link_lookup& l,
               std::function<void(const std::string&)> done) {
  auto& st = self->state;
  st.link = l;
  if (auto err = build_vips(st))
    return done(*err);
  instance_registration reg{st.id, st.cfg->name, st.cfg->interface, l.link.ifindex,
                            source_of(st, l), st.expect, self, unicast_of(*st.all, *st.cfg)};
  if (adverts_on_vmac(st)) {  // use_vmac: send and receive on the vmac
    reg.ifname = st.vmac_name;
    reg.ifindex = st.vmac->ifindex;
    reg.shadow_ifindex = l.link.ifindex;
  }
  self->request(st.advert, seconds(2), register_atom::value, reg)
    .await([=](const std::string& err) { done(err); },
           [=](caf::error& e) { done("advert actor: " + to_string(e)); });
}

// use_vmac: asks the kernel actor for the instance's vmac on the base interface `l`
// (adopted when a crash of ours left it, else created), then `done` with "" or the reason.
void ensure_vmac(instance_self self, const link_lookup& l, std::function<void(const std::string&)> done) {
  auto& st = self->state;
  vmac_request rq;
  rq.instance = st.cfg->name;
  rq.name = st.vmac_name;
  rq.base_ifindex = l.link.ifindex;
  rq.base_name = st.cfg->interface;
  rq.mac = st.vmac_mac;
  rq.v4 = !is_v6(st);
  if (is_v6(st) && !st.xmit_base && l.has_link_local)
    rq.link_local = l.link_local;
  self->request(st.kernel, kernel_timeout, vmac_atom::value, rq)
    .await(
      [=](const vmac_reply& r) {
        auto& st = self->state;
        if (!r.error.empty())
          return done("use_vmac: " + r.error);
        st.vmac = instance_state::vmac_link{r.ifindex, r.up, r.adopted};
        done("");
      },
      [=](caf::error& e) { done("use_vmac: kernel actor: " + to_string(e)); });
}

// use_vmac on addresses, use_vmac_addr: the address vmacs from number `i` on, one after
// the other, each on its base interface (looked up by name), adopted or created like the
// instance's own; then `done` with "" or the first reason it could not be.
void ensure_address_vmacs(instance_self self, std::size_t i, std::function<void(const std::string&)> done) {
  auto& st = self->state;
  if (i >= st.addr_vmacs.size())
    return done("");
  auto plan = st.addr_vmacs[i].plan;
  auto fail = [=](caf::error& e) { done("use_vmac: kernel actor: " + to_string(e)); };
  self->request(st.kernel, kernel_timeout, lookup_atom::value, plan.base)
    .await(
      [=](const link_lookup& l) {
        auto& st = self->state;
        if (!l.found)
          return done("vmac " + plan.name + ": interface " + plan.base + " does not exist");
        vmac_request rq;
        rq.instance = st.cfg->name;
        rq.name = plan.name;
        rq.base_ifindex = l.link.ifindex;
        rq.base_name = plan.base;
        rq.mac = plan.mac;
        rq.v4 = plan.fam == proto::ip_address::family::v4;
        // keepalived copies the base's link-local onto an IPv6 address vmac too.
        if (!rq.v4 && l.has_link_local)
          rq.link_local = l.link_local;
        self->request(st.kernel, kernel_timeout, vmac_atom::value, rq)
          .await(
            [=](const vmac_reply& r) {
              auto& st = self->state;
              if (!r.error.empty())
                return done("use_vmac: " + r.error);
              st.addr_vmacs[i].link = instance_state::vmac_link{r.ifindex, r.up, r.adopted};
              ensure_address_vmacs(self, i + 1, done);
            },
            fail);
      },
      fail);
}

// use_vmac: lets the kernel actor delete the address vmacs, then the instance's vmac (at
// exit), then `done`.
void release_vmac(instance_self self, std::function<void()> done) {
  auto& st = self->state;
  for (auto& v : st.addr_vmacs) {
    if (!v.link)
      continue;
    vmac_remove rq{st.cfg->name, v.plan.name, v.link->ifindex};
    v.link.reset();
    self->request(st.kernel, kernel_timeout, del_atom::value, rq)
      .await([=](const kernel_errors&) { release_vmac(self, done); },
             [=](caf::error&) { release_vmac(self, done); });
    return;
  }
  if (!st.vmac)
    return done();
  vmac_remove rq{st.cfg->name, st.vmac_name, st.vmac->ifindex};
  st.vmac.reset();
  self->request(st.kernel, kernel_timeout, del_atom::value, rq)
    .await([=](const kernel_errors&) { done(); }, [=](caf::error&) { done(); });
}

// Takes the base interface `l` and, with use_vmac, its vmac first, then the address vmacs;
// `done` as bind_link's.
void bind_with_vmac(instance_self self, const link_lookup& l,
                    std::function<void(const std::string&)> done) {
  auto& st = self->state;
  auto then_addresses = [=](const std::string& err) {
    if (!err.empty())
      return done(err);
    ensure_address_vmacs(self, 0, [=](const std::string& err) {
      if (!err.empty())
        return done(err);
      bind_link(self, l, done);
    });
  };
  if (st.vmac_name.empty())
    return then_addresses("");
  ensure_vmac(self, l, then_addresses);
}

void on_lookup(instance_self self, const link_lookup& l, proto::time_point basis) {
  auto& st = self->state;
  if (st.started)
    return;
  st.link = l;
  if (!l.found)
    return fault_before_start(self, "interface " + st.cfg->interface + " does not exist");
  // Unicast VRRP: no peers with unicast_fault_no_peer is FAULT, never multicast.
  if (auto why = unicast_fault(*st.cfg))
    return fault_before_start(self, *why);
  if (!has_source(st, l))
    return fault_before_start(self, "interface " + st.cfg->interface
                                      + (is_v6(st) ? " has no IPv6 link-local address (or it is still tentative)"
                                                   : " has no IPv4 address"));
  bind_with_vmac(self, l, [=](const std::string& err) {
    if (self->state.started)  // several link events may each have started a lookup
      return;
    if (!err.empty())
      return fault_before_start(self, err);
    start_machine(self, basis);
  });
}

// A later attempt, when the interface or its address appears after start-up.
void initialise(instance_self self) {
  auto& st = self->state;
  self->request(st.kernel, kernel_timeout, lookup_atom::value, st.cfg->interface)
    .then([=](const link_lookup& l) { on_lookup(self, l, proto::clock::now()); },
          [=](caf::error& e) { fault_before_start(self, "kernel actor: " + to_string(e)); });
}

// The interface was deleted and created again (a VLAN or bond rebuilt): same name, new
// ifindex. Follow it: new addresses, a socket on the new device, and out of FAULT if up.
// The state machine keeps its tie-break address from start-up.
void rebind(instance_self self) {
  auto& st = self->state;
  if (st.rebinding)
    return;
  st.rebinding = true;
  self->request(st.kernel, kernel_timeout, lookup_atom::value, st.cfg->interface)
    .then(
      [=](const link_lookup& l) {
        auto& st = self->state;
        st.rebinding = false;
        // Without a source address yet, the address event that brings one retries.
        if (!l.found || !has_source(st, l) || l.link.ifindex == st.link.link.ifindex)
          return;
        int old_ifindex = st.link.link.ifindex;
        // use_vmac: the vmac went with the old interface; a new one goes on the new.
        bind_with_vmac(self, l, [=](const std::string& err) {
          auto& st = self->state;
          if (!err.empty())
            return log::error("VRRP_Instance(%s): %s", st.cfg->name.c_str(), err.c_str());
          log::notice("VRRP_Instance(%s): interface %s was re-created (ifindex %d -> %d)",
                      st.cfg->name.c_str(), st.cfg->interface.c_str(), old_ifindex,
                      st.link.link.ifindex);
          if (st.link.link.up && !st.link_up) {
            st.link_up = true;
            run(self, st.sm->on_interface(proto::clock::now(), healthy(st)));
          }
        });
      },
      [=](caf::error&) { self->state.rebinding = false; });
}

// use_vmac: the vmac's state as the kernel has it. Down (by hand, or with its base) is
// FAULT until it is up again, as keepalived does.
void set_vmac_up(instance_self self, bool up) {
  auto& st = self->state;
  if (!st.vmac || st.vmac->up == up)
    return;
  st.vmac->up = up;
  if (!st.started)
    return;  // start_machine reads it
  log::warning("VRRP_Instance(%s): vmac %s is %s", st.cfg->name.c_str(), st.vmac_name.c_str(),
               up ? "up" : "down");
  run(self, st.sm->on_interface(proto::clock::now(), healthy(st)));
}

// use_vmac on addresses: a link event about address vmac `j`. Up or down (by hand, or with
// its base) moves the instance out of or into FAULT, as keepalived 2.2.7 does; one deleted
// stays missing and the instance in FAULT (keepalived does not make it again either). A
// "down" may be old news (a vmac is created down), so the kernel is asked for the truth.
void on_address_vmac_link(instance_self self, std::size_t j, const kern::link_event& ev) {
  auto& st = self->state;
  auto& v = st.addr_vmacs[j];
  if (!v.link || ev.ifindex != v.link->ifindex)
    return;
  auto apply = [=](bool up, bool gone) {
    auto& st = self->state;
    auto& v = st.addr_vmacs[j];
    if (!v.link || v.link->up == up)
      return;
    v.link->up = up;
    log::warning("VRRP_Instance(%s): vmac %s is %s", st.cfg->name.c_str(), v.plan.name.c_str(),
                 gone ? "deleted" : up ? "up" : "down");
    if (st.started)
      run(self, st.sm->on_interface(proto::clock::now(), healthy(st)));
  };
  auto seen = ++st.addr_vmac_events;
  if (ev.up)
    return apply(true, false);
  int ifindex = ev.ifindex;
  self->request(st.kernel, kernel_timeout, lookup_atom::value, v.plan.name)
    .then(
      [=](const link_lookup& l) {
        if (self->state.addr_vmac_events != seen)
          return;  // a later event said more
        bool same = l.found && l.link.ifindex == ifindex;
        apply(same && l.link.up, !same);
      },
      [=](caf::error&) {});
}

// use_vmac: a link event about the vmac's name. An "up" is believed. A "down" may be old
// news (the vmac is created down, and those events wait while the kernel actor answers),
// so the kernel is asked: down, or gone? Gone (deleted by hand), it is made again.
void on_vmac_link(instance_self self, const kern::link_event& ev) {
  auto& st = self->state;
  if (!st.vmac || ev.ifindex != st.vmac->ifindex)
    return;  // not ours yet, or another link's name now (our re-creation answers itself)
  if (ev.up) {
    ++st.vmac_ups;
    return set_vmac_up(self, true);
  }
  if (st.vmac_busy)
    return;
  st.vmac_busy = true;
  auto ups = st.vmac_ups;
  self->request(st.kernel, kernel_timeout, lookup_atom::value, st.vmac_name)
    .then(
      [=](const link_lookup& l) {
        auto& st = self->state;
        if (l.found && st.vmac && l.link.ifindex == st.vmac->ifindex) {
          st.vmac_busy = false;
          if (st.vmac_ups == ups)  // else an "up" came after this answer was asked for
            set_vmac_up(self, l.link.up);
          return;
        }
        if (!st.started) {
          st.vmac_busy = false;
          return;
        }
        log::warning("VRRP_Instance(%s): vmac %s was deleted; creating it again",
                     st.cfg->name.c_str(), st.vmac_name.c_str());
        st.vmac.reset();
        // FAULT first, its actions and hooks done, then the new vmac and out of FAULT.
        run(self, st.sm->on_interface(proto::clock::now(), healthy(st)), [=] {
          bind_with_vmac(self, self->state.link, [=](const std::string& err) {
            auto& st = self->state;
            st.vmac_busy = false;
            if (!err.empty())
              return log::error("VRRP_Instance(%s): %s", st.cfg->name.c_str(), err.c_str());
            log::notice("VRRP_Instance(%s): vmac %s is back (ifindex %d)", st.cfg->name.c_str(),
                        st.vmac_name.c_str(), st.vmac->ifindex);
            run(self, st.sm->on_interface(proto::clock::now(), healthy(st)));
          });
        });
      },
      [=](caf::error&) { self->state.vmac_busy = false; });
}

json status(const instance_state& st) {
  json v;
  auto state = st.sm ? st.sm->state() : vrrp_state::init;
  if (!st.started && !st.fault_reason.empty())
    state = vrrp_state::fault;
  v["name"] = st.cfg->name;
  v["state"] = proto::to_string(state);
  v["interface"] = st.cfg->interface;
  v["vrid"] = st.cfg->vrid;
  v["version"] = st.cfg->version;
  v["family"] = is_v6(st) ? "IPv6" : "IPv4";
  json prio;
  prio["configured"] = st.cfg->priority;
  prio["override"] = st.prio_override ? json(*st.prio_override) : json();  // keepalivectl priority
  prio["effective"] = st.sm ? st.sm->params().priority : st.cfg->priority;
  v["priority"] = prio;
  v["advert_int_s"] = st.cfg->advert_int;
  // RFC 5798 Master_Adver_Interval: what the master advertises, which a v3 backup times
  // its master-down interval from (our own advert_int in v2 and when master).
  if (st.sm)
    v["master_adver_int_s"] = static_cast<double>(st.sm->master_adver_int().count()) / 1e6;
  else
    v["master_adver_int_s"] = nullptr;
  v["preempt"] = !st.cfg->nopreempt;
  if (st.sm && (state == vrrp_state::master || state == vrrp_state::backup)) {
    v["master"] = st.sm->master_priority() > 0 ? json(st.sm->master_address().to_string())
                                              : json();
    v["master_priority"] = st.sm->master_priority();
  } else {
    v["master"] = nullptr;
  }
  v["primary_address"] = st.link.has_primary ? json(st.link.primary.to_string()) : json();
  if (is_v6(st))
    v["link_local_address"] = st.link.has_link_local ? json(st.link.link_local.to_string()) : json();
  if (st.sm) {
    auto in_state = duration<double>(proto::clock::now() - st.sm->since()).count();
    v["in_state_s"] = std::round(in_state * 1000) / 1000;
    v["transitions"] = st.sm->transitions() - st.transitions_base;  // since `stats clear`
    json to = json::object();  // metrics: transitions by to-state
    for (auto s : {vrrp_state::init, vrrp_state::backup, vrrp_state::master, vrrp_state::fault, vrrp_state::stopped})
      to[proto::to_string(s)] = st.sm->transitions_to(s);
    v["transitions_to"] = to;
  }
  v["link_up"] = st.link_up;
  if (!st.vmac_name.empty()) {  // use_vmac
    json vm;
    vm["name"] = st.vmac_name;
    vm["ifindex"] = st.vmac ? json(st.vmac->ifindex) : json();
    vm["mac"] = proto::to_string(st.vmac_mac);
    vm["up"] = st.vmac && st.vmac->up;
    vm["adopted"] = st.vmac && st.vmac->adopted;
    vm["xmit_base"] = st.xmit_base;
    v["vmac"] = vm;
  } else {
    v["vmac"] = nullptr;
  }
  json avm = json::array();  // use_vmac on addresses, use_vmac_addr
  for (const auto& a : st.addr_vmacs) {
    json o;
    o["name"] = a.plan.name;
    o["base"] = a.plan.base;
    o["ifindex"] = a.link ? json(a.link->ifindex) : json();
    o["mac"] = proto::to_string(a.plan.mac);
    o["up"] = a.link && a.link->up;
    o["adopted"] = a.link && a.link->adopted;
    avm.push_back(o);
  }
  v["address_vmacs"] = avm;
  json on_if = json::array();
  for (std::size_t i = 0; i < st.vips.size(); ++i)
    if (i < st.vip_present.size() && st.vip_present[i])
      on_if.push_back(st.vips[i].addr.to_string());
  v["vips_held"] = !st.vips.empty() && on_if.size() == st.vips.size();  // kernel's view
  v["vips_on_interface"] = on_if;
  v["vip_restores"] = st.vip_restores;
  v["became_master"] = st.became_master;      // keepalived's stats dump (SIGUSR2)
  v["released_master"] = st.released_master;
  v["priority_zero_received"] = st.pri_zero_rcvd;
  v["priority_zero_sent"] = st.pri_zero_sent;
  json vips = json::array();
  for (const auto& vip : st.cfg->vips)
    vips.push_back(vip.addr.to_string() + "/" + std::to_string(vip.prefix_len));
  v["vips"] = vips;
  if (!st.fault_reason.empty())
    v["fault_reason"] = st.fault_reason;
  // tracking
  if (st.track_fault)
    v["fault_reason"] = st.tracking.fault_reason();
  // supervision: restarts of this instance's actor (actors/supervisor.hpp)
  v["restarts"] = supervision_restarts("vrrp_instance", st.cfg->name);
  if (st.supervision_failed)
    v["fault_reason"] = "its actor failed too often; not restarted any more";
  if (!st.tracking.objects.empty())
    v["tracking"] = st.tracking.status();
  json acc;  // accept mode
  acc["accept"] = st.accept.accept;
  acc["reason"] = st.accept.why;
  acc["strict_mode"] = st.strict;
  acc["dropping"] = st.dropping.has_value();  // our addresses are in the drop sets now
  v["accept_mode"] = acc;
  return v;
}

// reload: the instance's new config, changed only in what parser/reload_plan.cpp lets
// change in place: priority (on the wire at once, as a tracking change), the
// virtual_ipaddress list (a master adds the new addresses and removes the dropped ones,
// the others are not touched; the next advert carries the new list), hooks and GARP
// timing (read where they are used). No transition, no gap in the adverts.
void reload_in_place(instance_self self, const instance_reload& r, done_fn done) {
  auto& st = self->state;
  auto before_all = st.all;  // keeps *before alive until the end
  const config::vrrp_instance* before = st.cfg;
  st.all = r.all;
  st.cfg = &st.all->instances.at(r.index);
  auto same_vip = [](const config::virtual_ip& a, const config::virtual_ip& b) {
    return a.addr == b.addr && a.prefix_len == b.prefix_len && a.label == b.label && a.scope == b.scope
           && a.broadcast == b.broadcast && a.dev == b.dev;
  };
  bool vips_changed = before->vips.size() != st.cfg->vips.size()
                      || !std::equal(before->vips.begin(), before->vips.end(), st.cfg->vips.begin(), same_vip);
  bool prio_changed = before->priority != st.cfg->priority;
  if (prio_changed)
    log::notice("VRRP_Instance(%s) reload: priority %d -> %d", st.cfg->name.c_str(), before->priority,
                st.cfg->priority);
  if (!vips_changed || !st.link.found) {
    if (prio_changed)
      apply_tracking(self);
    return done();
  }
  auto old_vips = st.vips;
  auto old_present = st.vip_present;
  bool holding = st.started && st.vips_wanted && st.sm->state() == vrrp_state::master;
  bind_link(self, st.link, [=](const std::string& err) {
    auto& st = self->state;
    if (!err.empty())
      log::error("VRRP_Instance(%s) reload: %s", st.cfg->name.c_str(), err.c_str());
    auto same = [](const kern::address_spec& a, const kern::address_spec& b) {
      return a.ifindex == b.ifindex && a.addr == b.addr && a.prefix_len == b.prefix_len;
    };
    std::vector<kern::address_spec> added, removed;
    for (std::size_t i = 0; i < st.vips.size(); ++i) {
      auto o = std::find_if(old_vips.begin(), old_vips.end(), [&](const auto& v) { return same(v, st.vips[i]); });
      if (o == old_vips.end())
        added.push_back(st.vips[i]);
      else
        st.vip_present[i] = old_present[static_cast<std::size_t>(o - old_vips.begin())];
    }
    for (const auto& v : old_vips)
      if (std::none_of(st.vips.begin(), st.vips.end(), [&](const auto& n) { return same(n, v); }))
        removed.push_back(v);
    log::notice("VRRP_Instance(%s) reload: %zu virtual address(es) added, %zu removed", st.cfg->name.c_str(),
                added.size(), removed.size());
    auto finish = [=] {
      auto& st = self->state;
      if (prio_changed)
        apply_tracking(self);
      // The advert thread sends the packet it was given: the new address list from now on.
      if (st.started && st.sm->state() == vrrp_state::master)
        self->send(st.advert, start_atom::value, st.id, advert_packet(st, st.sm->params().priority),
                   advert_interval(*st.cfg));
      done();
    };
    if (!holding)
      return finish();
    auto del_then_finish = [=] {
      if (removed.empty())
        return finish();
      self->request(self->state.kernel, kernel_timeout, del_atom::value, removed)
        .await([=](const kernel_errors&) { finish(); }, [=](caf::error&) { finish(); });
    };
    if (added.empty())
      return del_then_finish();
    self->request(st.kernel, kernel_timeout, add_atom::value, added)
      .await(
        [=](const kernel_errors& errs) {
          auto& st = self->state;
          if (errs.empty())
            for (std::size_t i = 0; i < st.vips.size(); ++i)
              if (std::any_of(added.begin(), added.end(), [&](const auto& a) { return same(a, st.vips[i]); }))
                st.vip_present[i] = true;
          garp_burst(self);
          del_then_finish();
        },
        [=](caf::error&) { del_then_finish(); });
  });
}

// ---- admin commands ----
json admin_garp(instance_self self) {
  auto& st = self->state;
  auto state = st.sm ? st.sm->state() : vrrp_state::init;
  if (!st.started || state != vrrp_state::master)
    return proto::admin_error("instance " + st.cfg->name + " is " + proto::to_string(state)
                              + ", not MASTER: no gratuitous ARP/NA sent");
  log::notice("VRRP_Instance(%s) sending gratuitous %s on request (keepalivectl garp)",
              st.cfg->name.c_str(), is_v6(st) ? "NAs" : "ARPs");
  garp_burst(self);
  json v;
  v["ok"] = true;
  v["instance"] = st.cfg->name;
  v["addresses"] = st.vips.size();
  v["repeat"] = st.cfg->garp_master_repeat;
  return v;
}

// A runtime priority, in place of the configured one: tracking weights still apply, and
// the machine changes its adverts and its election as on a tracked change.
json admin_priority(instance_self self, int priority) {
  auto& st = self->state;
  if (st.cfg->priority == 255)
    return proto::admin_error("instance " + st.cfg->name
                              + " is the address owner (priority 255): its priority cannot be overridden");
  if (priority < 0 || priority > 254)
    return proto::admin_error("priority must be 1..254, or reset");
  if (priority == 0)
    st.prio_override.reset();
  else
    st.prio_override = priority;
  log::notice("VRRP_Instance(%s) priority override %s", st.cfg->name.c_str(),
              priority ? ("set to " + std::to_string(priority)).c_str() : "reset");
  st.cause = priority ? "priority override " + std::to_string(priority) : "priority override reset";
  apply_tracking(self);
  st.cause.clear();  // no transition came of it (or its event has it already)
  json v;
  v["ok"] = true;
  v["instance"] = st.cfg->name;
  v["priority"] = status(st)["priority"];
  return v;
}

instance_actor::behavior_type instance_behavior(instance_self self, std::shared_ptr<const config::config> all, std::size_t index,
                                                std::uint32_t id, kernel_actor kernel,
                                                advert_actor advert, script_actor scripts,
                                                child_start how) {
  supervised_child(self);
  auto& st = self->state;
  st.resuming = how.restarts > 0;
  st.supervision_failed = how.failed;
  st.all = std::move(all);
  st.cfg = &st.all->instances.at(index);
  st.id = id;
  st.kernel = kernel;
  st.advert = advert;
  st.scripts = scripts;
  st.expect.vrid = static_cast<std::uint8_t>(st.cfg->vrid);
  if (st.cfg->auth == config::auth_kind::pass) {
    st.expect.auth = proto::auth_type::pass;
    st.expect.auth_data = proto::pass_auth_data(st.cfg->auth_pass);
  }
  st.expect.interval_cs = static_cast<std::uint16_t>(std::lround(st.cfg->advert_int * 100));
  // keepalived: an instance's family is that of its virtual addresses (one family each,
  // the parser checks), its version the instance's or global vrrp_version, and always 3
  // for IPv6 (the parser has already made it so).
  st.expect.version = static_cast<std::uint8_t>(st.cfg->version);
  if (!st.cfg->vips.empty() && !st.cfg->vips.front().addr.is_v4())
    st.expect.family = proto::ip_address::family::v6;
  // old_unicast_checksum (v3 unicast over IPv4): `on` sends the old form, `never`
  // refuses it on receipt; otherwise the advert thread adopts it from a peer that uses it.
  st.expect.sum = st.cfg->old_unicast_checksum == config::old_checksum::on
                      ? proto::v3_checksum::old_unicast : proto::v3_checksum::rfc5798;
  st.expect.accept_old_sum = st.cfg->old_unicast_checksum != config::old_checksum::never;
  for (const auto& note : st.tracking.build(*st.cfg, *st.all))  // tracking
    log::warning("VRRP_Instance(%s): %s", st.cfg->name.c_str(), note.c_str());
  // accept mode: decided once, from the configured priority (an owner stays one).
  st.strict = proto::strict_mode(st.cfg->strict_mode, st.all->global.vrrp.vrrp_strict);
  st.accept = proto::decide_accept(st.cfg->accept, st.strict, st.cfg->version, st.cfg->priority);
  if (st.cfg->use_vmac) {  // use_vmac: the macvlan's name and MAC (protocol/vmac.hpp)
    st.vmac_name = proto::vmac_name(*st.cfg->use_vmac, st.all->global.vrrp.vmac_prefix, st.cfg->vrid);
    st.vmac_mac = proto::vmac_mac(st.cfg->vmac_mac, st.expect.family, st.expect.vrid)
                    .value_or(proto::vrrp_virtual_mac(st.expect.family, st.expect.vrid));
    st.xmit_base = st.cfg->vmac_xmit_base;
    // keepalived.conf(5): unicast with use_vmac needs vmac_xmit_base; we imply it.
    if (!st.xmit_base && unicast_of(*st.all, *st.cfg)) {
      st.xmit_base = true;
      log::warning("VRRP_Instance(%s): use_vmac with unicast peers: adverts go from %s, as "
                   "with vmac_xmit_base", st.cfg->name.c_str(), st.cfg->interface.c_str());
    }
  }
  {  // use_vmac on addresses, use_vmac_addr (actors/address_vmacs.hpp)
    auto plan = address_vmacs_of(*st.all, *st.cfg);
    for (auto& v : plan.vmacs)
      st.addr_vmacs.push_back({std::move(v), std::nullopt});
    st.addr_vmac_of = std::move(plan.of_address);
  }
  lookup_tracked_interfaces(self);
  return {
    [=](init_atom, const link_lookup& l, proto::time_point basis) {
      if (self->state.resuming)  // supervision: the interface as it is now, not at start-up
        return initialise(self);
      on_lookup(self, l, basis);
    },
    [=](advert_atom, const advert_in& adv) {
      auto& st = self->state;
      if (!st.started)
        return;
      st.pri_zero_rcvd += adv.priority == 0;
      auto conflicts = st.sm->owner_conflicts();
      // The advertised interval: a v3 backup adopts its master's (v2 ignores it).
      auto acts = st.sm->on_advert(adv.at, adv.priority, adv.src, centiseconds(adv.interval_cs));
      if (st.sm->owner_conflicts() != conflicts)
        log::error("VRRP_Instance(%s): configuration error: %s is the address owner (priority "
                   "255) too; lowering ours to 254", st.cfg->name.c_str(),
                   adv.src.to_string().c_str());
      bool steady = steady_backup(st, adv, acts);
      if (std::any_of(acts.begin(), acts.end(), [](const action& a) { return a.what == action::kind::notify; }))
        st.cause = "advert from " + adv.src.to_string() + " priority " + std::to_string(adv.priority);
      run(self, acts);
      if (steady)  // after run(): its arm would end the rule
        self->send(st.advert, repeat_atom::value, st.id, adv.src, adv.priority, adv.interval_cs,
                   duration_cast<proto::duration>(acts.front().deadline - adv.at));
    },
    [=](down_atom, std::uint64_t token) {
      auto& st = self->state;
      if (st.started && token == st.down_token) {
        st.cause = "master-down timer expired (no advert at or above our priority)";
        run(self, st.sm->on_master_down(proto::clock::now()));
      }
    },
    [=](link_atom, const kern::link_event& ev) {
      auto& st = self->state;
      if (!st.vmac_name.empty() && ev.name == st.vmac_name)  // use_vmac
        return on_vmac_link(self, ev);
      for (std::size_t j = 0; j < st.addr_vmacs.size(); ++j)  // use_vmac on addresses
        if (ev.name == st.addr_vmacs[j].plan.name)
          return on_address_vmac_link(self, j, ev);
      if (on_tracked_link(self, ev))  // tracking
        return;
      if (!st.started) {
        // The interface may appear (or get its address) after start-up: try again. So may
        // the base interface of an address vmac (use_vmac on addresses).
        bool base = std::any_of(st.addr_vmacs.begin(), st.addr_vmacs.end(),
                                [&](const instance_state::address_vmac_link& v) { return v.plan.base == ev.name; });
        if ((ev.name == st.cfg->interface || base) && ev.up && st.sm == std::nullopt)
          initialise(self);
        return;
      }
      if (ev.name == st.cfg->interface && ev.ifindex != st.link.link.ifindex) {
        if (ev.up)
          rebind(self);
        return;
      }
      if (ev.ifindex != st.link.link.ifindex || ev.up == st.link_up)
        return;
      st.link_up = ev.up;
      log::warning("VRRP_Instance(%s): interface %s is %s", st.cfg->name.c_str(),
                   st.cfg->interface.c_str(), ev.up ? "up" : "down");
      st.cause = "interface " + st.cfg->interface + (ev.up ? " up" : " down");
      run(self, st.sm->on_interface(proto::clock::now(), healthy(st)));
    },
    [=](addr_atom, const kern::addr_event& ev) {
      auto& st = self->state;
      if (!st.started) {
        // The interface is there but had no source address at start-up (no IPv4 address,
        // or an IPv6 link-local one still in DAD, whose end is an address event too).
        if (ev.added && ev.addr.fam == st.expect.family && st.link.found
            && ev.ifindex == st.link.link.ifindex)
          initialise(self);
        return;
      }
      // A re-created interface that came up without an address gets one now.
      if (ev.added && !st.link_up && ev.addr.fam == st.expect.family
          && ev.ifindex != st.link.link.ifindex)
        return rebind(self);
      for (std::size_t i = 0; i < st.vips.size(); ++i)
        if (st.vips[i].ifindex == ev.ifindex && st.vips[i].addr == ev.addr)
          st.vip_present[i] = ev.added;
      if (ev.added || !st.vips_wanted || st.sm->state() != vrrp_state::master)
        return;
      for (const auto& vip : st.vips) {
        if (vip.ifindex != ev.ifindex || vip.addr != ev.addr)
          continue;
        ++st.vip_restores;
        log::warning("VRRP_Instance(%s): virtual address %s was removed from %s; restoring it",
                     st.cfg->name.c_str(), vip.addr.to_string().c_str(),
                     (st.vmac ? st.vmac_name : st.cfg->interface).c_str());
        self->request(st.kernel, kernel_timeout, add_atom::value, std::vector<kern::address_spec>{vip})
          .await([=](const kernel_errors&) { garp_burst(self); }, [=](caf::error&) {});
      }
    },
    [=](garp_again_atom, std::uint64_t epoch) {
      auto& st = self->state;
      if (st.started && epoch == st.master_epoch && st.sm->state() == vrrp_state::master)
        garp_burst(self);
    },
    [=](garp_again_atom, std::uint64_t epoch, int repeat) {  // after a lower-priority advert
      auto& st = self->state;
      if (st.started && epoch == st.master_epoch && st.sm->state() == vrrp_state::master)
        garp_burst(self, repeat);
    },
    [=](garp_refresh_atom, std::uint64_t epoch) {  // routes-vmac
      auto& st = self->state;
      if (!st.started || epoch != st.master_epoch || st.sm->state() != vrrp_state::master)
        return;  // that mastership ended: its refresh chain ends with it
      garp_burst(self, garp_refresh_repeat(st));
      self->delayed_send(self, garp_refresh_interval(st), garp_refresh_atom::value, epoch);
    },
    [=](shutdown_atom) -> caf::typed_response_promise<bool> {
      auto rp = self->make_response_promise<bool>();
      auto& st = self->state;
      st.cause = "shutdown";
      if (!st.started) {
        announce(self, vrrp_state::stopped);
        report_sync(self, vrrp_state::stopped, false, false);
        release_vmac(self, [rp]() mutable { rp.deliver(true); });
        return rp;
      }
      // use_vmac: the vmac goes after the addresses on it, as keepalived removes it at exit.
      run(self, st.sm->shutdown(proto::clock::now()),
          [=]() mutable { release_vmac(self, [rp]() mutable { rp.deliver(true); }); });
      return rp;
    },
    [=](track_atom, const track_update& u) {  // tracking
      if (self->state.tracking.apply(u))
        apply_tracking(self);
    },
    // ---- sync groups and notify FIFOs ----
    [=](sync_atom, const sync_group_actor& g, std::uint32_t member) {
      self->state.group = g;
      self->state.group_member = member;
      // reload: a group started again hears a running member's state at once.
      self->state.reported.reset();
      report_sync(self);
    },
    [=](reload_atom, const instance_reload& r) -> caf::typed_response_promise<bool> {
      auto rp = self->make_response_promise<bool>();
      reload_in_place(self, r, [rp]() mutable { rp.deliver(true); });
      return rp;
    },
    [=](fifo_atom, const std::vector<notify_fifo_actor>& fifos) { self->state.fifos = fifos; },
    [=](sync_atom, proto::sync_command::kind what) {
      auto& st = self->state;
      using k = proto::sync_command::kind;
      if (what == k::hold_fault || what == k::release_fault)
        st.group_hold = what == k::hold_fault;
      if (!st.started)  // no machine yet: start_machine applies a hold
        return;
      auto now = proto::clock::now();
      st.cause = "sync group";
      switch (what) {
        case k::hold_fault: return run(self, st.sm->group_fault(now, true));
        case k::release_fault: return run(self, st.sm->group_fault(now, false));
        case k::to_backup: return run(self, st.sm->group_backup(now));
        case k::to_master: return run(self, st.sm->grant_master(now));
      }
    },
    [=](status_atom) { return status(self->state); },
    // ---- admin commands (keepalivectl garp / priority / stats clear) ----
    [=](garp_atom) { return admin_garp(self); },
    [=](prio_atom, int priority) { return admin_priority(self, priority); },
    [=](clear_atom) {
      self->state.transitions_base = self->state.sm ? self->state.sm->transitions() : 0;
      return true;
    },
  };
}

} // namespace

instance_actor spawn_instance_actor(caf::actor_system& sys, std::shared_ptr<const config::config> all, std::size_t index,
                                    std::uint32_t id, kernel_actor kernel, advert_actor advert,
                                    script_actor scripts, child_start how) {
  return sys.spawn(instance_behavior, std::move(all), index, id, kernel, advert, scripts, how);
}

} // namespace ka::act
