// The kernel actor: the one place netlink writes happen, so that address changes from many
// instances are serialised and their errors come back to whoever asked.
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <cerrno>
#include <cmath>
#include <deque>
#include <chrono>
#include <map>
#include <set>
#include <memory>

#include "actors/event_bus.hpp"  // event_clock()
#include "actors/spawn.hpp"
#include "kernel/ifname.hpp"
#include "kernel/ipvs.hpp"  // load balancing
#include "kernel/log.hpp"
#include "kernel/nft_firewall.hpp"  // accept mode
#include "kernel/macvlan.hpp"
#include "kernel/packet_socket.hpp"
#include "protocol/garp_pacing.hpp"
#include "protocol/na_packet.hpp"

namespace ka::act {
namespace {

// The sockets are opened before the actor exists, so that a daemon that cannot talk to
// the kernel fails at start-up with a clear error (and, incidentally, so that the spawn
// has an argument: CAF 0.17 dereferences a null tuple for argument-less function actors,
// which UBSan reports).
struct kernel_sockets {
  std::shared_ptr<kern::route_socket> route;
  std::shared_ptr<kern::packet_socket> packets;
  std::shared_ptr<kern::nft_firewall> firewall;  // accept mode; null: no instance needs it
  std::shared_ptr<kern::macvlan_links> macvlans;  // use_vmac
  proto::garp_spacing_table garp_spacing;         // vrrp_garp_interval, garp_group, ...
};

struct kernel_state {
  std::shared_ptr<kern::route_socket> route;
  std::shared_ptr<kern::packet_socket> packets;
  std::shared_ptr<kern::nft_firewall> firewall;  // accept mode
  std::uint64_t firewall_adds = 0, firewall_dels = 0;
  // use_vmac: the vmacs this daemon made or adopted, by ifindex, with their name and how
  // many instances use them; only these are ever deleted.
  std::shared_ptr<kern::macvlan_links> macvlans;
  struct owned_vmac {
    std::string name;
    std::set<std::string> users;  // instances; asking twice is one use
  };
  std::map<int, owned_vmac> vmacs;
  std::uint64_t vmacs_created = 0, vmacs_adopted = 0, vmacs_removed = 0;
  std::uint64_t adds = 0, dels = 0, absent = 0, garps = 0, nas = 0, errors = 0;
  std::uint64_t route_adds = 0, route_dels = 0;  // routes-vmac: routes and rules
  // load balancing: the IPVS socket, opened on first use (a daemon without pools never
  // needs IPVS, and a kernel without it must not stop the VRRP side), then kept.
  std::unique_ptr<kern::ipvs> ipvs;
  std::string ipvs_unavailable;  // why it could not be opened ("" : not tried, or open)
  std::uint64_t ipvs_ops = 0, ipvs_failed = 0, ipvs_dumps = 0;
  std::string last_error;
  std::deque<json> recent_errors;                 // the last few, with their time (admin status)
  proto::garp_spacing_table garp_spacing;
  proto::garp_pacer garp_pacer;                   // GARPs / NAs waiting for their turn
  std::uint64_t garps_spaced = 0;                 // sent after waiting
  static constexpr const char* name = "kernel";
};

using kernel_self = kernel_actor::stateful_pointer<kernel_state>;

// Every error of the actor goes through here: the last one, and the last few with their
// wall-clock time for the admin status.
void note_error(kernel_state& st, std::string msg) {
  constexpr std::size_t kept = 8;
  st.recent_errors.push_back({{"ts", std::round(event_clock() * 1000) / 1000}, {"error", msg}});
  if (st.recent_errors.size() > kept)
    st.recent_errors.pop_front();
  st.last_error = std::move(msg);
}

std::string describe(const kern::address_spec& s) {
  return s.addr.to_string() + "/" + std::to_string(s.prefix_len) + " ifindex "
         + std::to_string(s.ifindex);
}

kernel_errors apply(kernel_self self, const std::vector<kern::address_spec>& specs, bool add) {
  kernel_errors errs;
  for (const auto& s : specs) {
    std::string why;
    int rc = add ? self->state.route->add_address(s, &why) : self->state.route->del_address(s, &why);
    if (!add && (rc == kern::route_socket::no_such_address || rc == kern::route_socket::no_such_device)) {
      // Instances delete on every entry to BACKUP or FAULT to clear leftovers of an
      // earlier run: an address that is not there is the usual case, not an error
      // (nor is one whose device is gone: a vmac deleted by hand took it along).
      ++self->state.absent;
      continue;
    }
    (add ? self->state.adds : self->state.dels)++;
    if (rc < 0) {
      std::string msg = std::string(add ? "add " : "delete ") + describe(s) + ": " + why;
      ++self->state.errors;
      note_error(self->state, msg);
      errs.push_back(msg);
      log::error("kernel: %s", msg.c_str());
    } else {
      log::info("kernel: %s %s", add ? "added" : "removed", describe(s).c_str());
    }
  }
  return errs;
}

// routes-vmac: a master's routes and rules. Routes go in before the rules that send
// traffic to their tables, and come out after them, so no packet meets an empty table.
kernel_errors apply_routing(kernel_self self, const routing_set& set, bool add) {
  kernel_errors errs;
  auto& st = self->state;
  auto one = [&](const std::string& what, int rc, const std::string& why) {
    if (rc == kern::route_socket::no_such_object && !add) {
      ++st.absent;  // as for addresses: deleting on every entry to BACKUP finds none
      return;
    }
    (add ? st.route_adds : st.route_dels)++;
    if (rc < 0) {
      std::string msg = std::string(add ? "add " : "delete ") + what + ": " + why;
      ++st.errors;
      note_error(st, msg);
      errs.push_back(msg);
      log::error("kernel: %s", msg.c_str());
    } else {
      log::info("kernel: %s %s%s", add ? "added" : "removed", what.c_str(),
                rc == kern::route_socket::already_there ? " (already there)" : "");
    }
  };
  auto routes = [&] {
    for (const auto& r : set.routes) {
      std::string why;
      int rc = add ? st.route->add_route(r, &why) : st.route->del_route(r, &why);
      one("route " + proto::to_string(r), rc, why);
    }
  };
  auto rules = [&] {
    for (const auto& r : set.rules) {
      std::string why;
      int rc = add ? st.route->add_rule(r, set.fam, &why) : st.route->del_rule(r, set.fam, &why);
      one("rule " + proto::to_string(r), rc, why);
    }
  };
  if (add) {
    routes();
    rules();
  } else {
    rules();
    routes();
  }
  return errs;
}

// accept mode: a non-accepting master's addresses into or out of the drop sets.
kernel_errors apply_firewall(kernel_self self, const firewall_set& set, bool add) {
  auto& st = self->state;
  if (!st.firewall || set.elements.empty())
    return {};
  std::string err = add ? st.firewall->add(set.elements) : st.firewall->del(set.elements);
  (add ? st.firewall_adds : st.firewall_dels)++;
  if (err.empty())
    return {};
  std::string msg = std::string("nftables: ") + (add ? "add" : "delete") + " drop rule elements: " + err;
  ++st.errors;
  note_error(st, msg);
  log::error("kernel: %s", msg.c_str());
  return {msg};
}

// use_vmac: the instance's macvlan, as a crash of ours may have left it (adopted) or new.
// Never touches an interface of that name that is not clearly our own leftover.
vmac_reply ensure_vmac(kernel_self self, const vmac_request& rq) {
  auto& st = self->state;
  vmac_reply r;
  auto refuse = [&](std::string why) {
    r.error = std::move(why);
    ++st.errors;
    note_error(st, r.error);
    log::error("kernel: %s", r.error.c_str());
    return r;
  };
  if (rq.name.size() > proto::max_ifname)
    return refuse("vmac name " + rq.name + " is longer than " + std::to_string(proto::max_ifname)
                  + " characters");
  std::string why;
  auto found = st.macvlans->find(rq.name);
  bool ours = found && st.vmacs.count(found->ifindex);
  if (found && !ours) {
    if (auto no = proto::adoption_refusal(found->what, rq.base_ifindex, rq.mac))
      return refuse("interface " + rq.name + " exists and is not a vmac left by this daemon ("
                    + *no + "); it is left alone");
    r.adopted = true;
    ++st.vmacs_adopted;
    log::notice("kernel: adopted vmac %s (ifindex %d): a macvlan on %s with MAC %s, left by an "
                "earlier run", rq.name.c_str(), found->ifindex, rq.base_name.c_str(),
                proto::to_string(rq.mac).c_str());
  } else if (!found) {
    // Any vmac of ours by that name is gone (deleted by hand, or with its base).
    for (auto it = st.vmacs.begin(); it != st.vmacs.end();)
      it = it->second.name == rq.name ? st.vmacs.erase(it) : std::next(it);
    if (st.macvlans->create(rq.name, rq.base_ifindex, rq.mac, &why) < 0)
      return refuse("create vmac " + rq.name + " on " + rq.base_name + ": " + why);
    found = st.macvlans->find(rq.name);
    if (!found)
      return refuse("vmac " + rq.name + " vanished after its creation");
    ++st.vmacs_created;
    log::info("kernel: created vmac %s (ifindex %d) on %s with MAC %s", rq.name.c_str(),
              found->ifindex, rq.base_name.c_str(), proto::to_string(rq.mac).c_str());
  }
  r.ifindex = found->ifindex;
  auto& own = st.vmacs[r.ifindex];
  if (own.name.empty())
    own.name = rq.name;
  own.users.insert(rq.instance);
  if (auto e = kern::macvlan_links::set_sysctls(rq.name, rq.base_name, rq.v4); !e.empty())
    log::warning("kernel: vmac %s: sysctl: %s", rq.name.c_str(), e.c_str());
  if (st.macvlans->set_up(r.ifindex, &why) < 0)
    return refuse("bring vmac " + rq.name + " up: " + why);
  if (rq.link_local) {
    kern::address_spec ll;
    ll.ifindex = r.ifindex;
    ll.addr = *rq.link_local;
    ll.prefix_len = 64;
    ll.scope = kern::scope_from_name("link");
    ll.deprecated = true;
    if (st.route->add_address(ll, &why) < 0)
      return refuse("link-local address " + ll.addr.to_string() + " on vmac " + rq.name + ": " + why);
  }
  if (auto now = st.macvlans->find(r.ifindex, nullptr))
    r.up = now->up;
  return r;
}

// Deletes a vmac when its last user lets it go, and only one this daemon made or adopted,
// still under the name it had.
kernel_errors remove_vmac(kernel_self self, const vmac_remove& rq) {
  auto& st = self->state;
  auto it = st.vmacs.find(rq.ifindex);
  if (it == st.vmacs.end() || it->second.name != rq.name)
    return {"vmac " + rq.name + " (ifindex " + std::to_string(rq.ifindex) + ") is not ours to remove"};
  it->second.users.erase(rq.instance);
  if (!it->second.users.empty())
    return {};
  st.vmacs.erase(it);
  std::string name;
  auto now = st.macvlans->find(rq.ifindex, &name);
  if (!now || name != rq.name || now->what.kind != "macvlan")
    return {};  // gone already, or the ifindex is someone else's now
  std::string why;
  if (st.macvlans->remove(rq.ifindex, &why) < 0) {
    ++st.errors;
    note_error(st, "remove vmac " + rq.name + ": " + why);
    log::error("kernel: %s", st.last_error.c_str());
    return {st.last_error};
  }
  ++st.vmacs_removed;
  log::info("kernel: removed vmac %s (ifindex %d)", rq.name.c_str(), rq.ifindex);
  return {};
}

// load balancing: the IPVS socket, opened now if it is not yet. On a kernel without IPVS
// this says so once in the log and returns null; it tries again on the next request, as
// the ip_vs module may be loaded meanwhile.
kern::ipvs* ipvs_socket(kernel_self self) {
  auto& st = self->state;
  if (st.ipvs)
    return st.ipvs.get();
  try {
    st.ipvs = std::make_unique<kern::ipvs>();
    if (!st.ipvs_unavailable.empty())
      log::notice("kernel: IPVS is available now");
    st.ipvs_unavailable.clear();
    return st.ipvs.get();
  } catch (const std::exception& e) {
    if (st.ipvs_unavailable != e.what())
      log::error("kernel: %s; virtual servers are not programmed, VRRP goes on", e.what());
    st.ipvs_unavailable = e.what();
    return nullptr;
  }
}

ipvs_errors apply_ipvs(kernel_self self, const ipvs_ops& ops) {
  auto& st = self->state;
  ipvs_errors errs;
  auto* ipvs = ipvs_socket(self);
  if (!ipvs) {
    // Every op fails, each naming its service, so that a pool reports which it could not set.
    for (const auto& op : ops) {
      proto::ipvs_error e;
      e.op = op;
      e.err = EAFNOSUPPORT;
      e.message = kern::describe_ipvs_op(op) + ": " + st.ipvs_unavailable;
      errs.push_back(std::move(e));
    }
    st.ipvs_failed += ops.size();
    return errs;
  }
  errs = ipvs->apply(ops);
  st.ipvs_ops += ops.size();
  st.ipvs_failed += errs.size();
  for (const auto& e : errs) {
    note_error(st, e.message);
    log::error("kernel: IPVS: %s", e.message.c_str());
  }
  st.errors += errs.size();
  return errs;
}

ipvs_table dump_ipvs(kernel_self self, const ipvs_keys* keys = nullptr) {
  auto& st = self->state;
  auto* ipvs = ipvs_socket(self);
  if (!ipvs)
    return {};
  ++st.ipvs_dumps;
  try {
    return keys ? ipvs->dump(*keys) : ipvs->dump();
  } catch (const std::exception& e) {
    ++st.errors;
    note_error(st, e.what());
    log::error("kernel: %s", e.what());
    return {};
  }
}

// lvs_flush, lvs_timeouts, lvs_sync_daemon: one IPVS-wide request; an error is logged.
ipvs_global_result apply_ipvs_global(kernel_self self, const ipvs_global& g) {
  auto& st = self->state;
  ipvs_global_result out;
  auto* ipvs = ipvs_socket(self);
  if (!ipvs) {
    out.error = st.ipvs_unavailable;
    return out;
  }
  try {
    switch (g.what) {
      case ipvs_global::kind::flush: out.error = ipvs->flush(); break;
      case ipvs_global::kind::get_timeouts: break;
      case ipvs_global::kind::set_timeouts: out.error = ipvs->set_timeouts(g.timeouts); break;
      case ipvs_global::kind::start_daemon: out.error = ipvs->start_daemon(g.daemon); break;
      case ipvs_global::kind::stop_daemon: out.error = ipvs->stop_daemon(g.daemon.state); break;
    }
    if (g.what == ipvs_global::kind::get_timeouts || g.what == ipvs_global::kind::set_timeouts)
      out.timeouts = ipvs->get_timeouts();
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  if (g.what != ipvs_global::kind::get_timeouts)
    ++st.ipvs_ops;
  if (!out.error.empty()) {
    ++st.ipvs_failed;
    ++st.errors;
    st.last_error = "IPVS: " + out.error;
    log::error("kernel: IPVS: %s", out.error.c_str());
  }
  return out;
}

// Sends what the pacer lets go now and asks for a tick when the rest may go.
void send_garps(kernel_self self, const std::string& key, proto::garp_pacer::step step, bool waited) {
  auto& st = self->state;
  for (const auto& f : step.send_now) {
    if (int err = st.packets->send(f.ifindex, f.bytes)) {
      ++st.errors;
      log::warning("kernel: %s on ifindex %d: %s", f.v4 ? "gratuitous ARP" : "unsolicited NA", f.ifindex,
                   strerror(err));
    } else {
      ++(f.v4 ? st.garps : st.nas);
      if (waited) ++st.garps_spaced;
    }
  }
  if (step.wake) {
    auto wait = std::chrono::duration_cast<std::chrono::microseconds>(*step.wake - std::chrono::steady_clock::now());
    self->delayed_send(self, std::max(wait, std::chrono::microseconds(0)), repeat_atom::value, key);
  }
}

kernel_actor::behavior_type kernel_behavior(kernel_self self, kernel_sockets socks) {
  self->state.garp_spacing = std::move(socks.garp_spacing);
  self->state.route = std::move(socks.route);
  self->state.packets = std::move(socks.packets);
  self->state.firewall = std::move(socks.firewall);
  self->state.macvlans = std::move(socks.macvlans);
  return {
    [=](lookup_atom, const std::string& ifname) {
      link_lookup res;
      if (auto l = self->state.route->link(ifname)) {
        res.found = true;
        res.link = *l;
        if (auto p = self->state.route->primary_ipv4(l->ifindex)) {
          res.has_primary = true;
          res.primary = *p;
        }
        if (auto ll = self->state.route->link_local_ipv6(l->ifindex)) {
          res.has_link_local = true;
          res.link_local = *ll;
        }
      }
      return res;
    },
    [=](add_atom, const std::vector<kern::address_spec>& specs) { return apply(self, specs, true); },
    [=](del_atom, const std::vector<kern::address_spec>& specs) { return apply(self, specs, false); },
    [=](add_atom, const routing_set& set) { return apply_routing(self, set, true); },   // routes-vmac
    [=](del_atom, const routing_set& set) { return apply_routing(self, set, false); },
    [=](garp_atom, int ifindex, const proto::mac_address& mac,
        const std::vector<proto::ip_address>& addrs, int repeat) {
      auto& st = self->state;
      auto [key, spacing] = st.garp_spacing.lookup(kern::interface_name(ifindex));
      auto now = std::chrono::steady_clock::now();
      for (int i = 0; i < repeat; ++i)
        for (const auto& a : addrs) {
          // keepalived sends IPv6 VIPs' unsolicited NAs as it sends gratuitous ARPs
          // (same repeat and delay); RFC 5798 6.4.2 asks for one per address.
          bool v4 = a.is_v4();
          proto::garp_frame f{ifindex, v4, v4 ? proto::gratuitous_arp_frame(mac, a) : proto::unsolicited_na_frame(mac, a)};
          std::string k = key + (v4 ? " arp" : " na");
          send_garps(self, k, st.garp_pacer.enqueue(k, v4 ? spacing.arp : spacing.na, now, std::move(f)), false);
        }
    },
    [=](repeat_atom, const std::string& key) {  // a GARP queue's turn
      send_garps(self, key, self->state.garp_pacer.on_tick(key, std::chrono::steady_clock::now()), true);
    },
    [=](firewall_atom, add_atom, const firewall_set& set) { return apply_firewall(self, set, true); },
    [=](firewall_atom, del_atom, const firewall_set& set) { return apply_firewall(self, set, false); },
    [=](firewall_atom, stop_atom) {
      kernel_errors errs;
      if (!self->state.firewall)
        return errs;
      if (std::string err = self->state.firewall->remove_tables(); !err.empty()) {
        errs.push_back("nftables: delete tables: " + err);
        log::error("kernel: %s", errs.back().c_str());
      }
      return errs;
    },
    [=](vmac_atom, const vmac_request& rq) { return ensure_vmac(self, rq); },
    [=](del_atom, const vmac_remove& rq) { return remove_vmac(self, rq); },
    [=](ipvs_atom, const ipvs_ops& ops) { return apply_ipvs(self, ops); },  // load balancing
    [=](ipvs_atom, dump_atom) { return dump_ipvs(self); },
    [=](ipvs_atom, dump_atom, const ipvs_keys& keys) { return dump_ipvs(self, &keys); },
    [=](ipvs_atom, const ipvs_global& g) { return apply_ipvs_global(self, g); },
    [=](status_atom) {
      json v;
      v["address_adds"] = self->state.adds;
      v["address_deletes"] = self->state.dels;
      v["address_deletes_absent"] = self->state.absent;
      v["garp_sent"] = self->state.garps;
      v["unsolicited_na_sent"] = self->state.nas;
      v["garp_spaced"] = self->state.garps_spaced;    // of those, sent after waiting their turn
      v["garp_waiting"] = self->state.garp_pacer.queued();
      v["route_rule_adds"] = self->state.route_adds;  // routes-vmac
      v["route_rule_deletes"] = self->state.route_dels;
      if (const auto& fw = self->state.firewall) {  // accept mode
        json f;
        f["table"] = fw->options().table;
        f["priority"] = fw->options().priority;
        f["tables"] = fw->tables();
        f["elements"] = fw->elements();
        f["adds"] = self->state.firewall_adds;
        f["deletes"] = self->state.firewall_dels;
        v["nftables"] = f;
      }
      v["errors"] = self->state.errors;
      v["last_error"] = self->state.last_error;
      v["recent_errors"] = json::array_t(self->state.recent_errors.begin(), self->state.recent_errors.end());
      // Requests waiting behind the one being served (its calls block on netlink ACKs).
      v["queue_depth"] = self->mailbox().size();
      v["vmacs_created"] = self->state.vmacs_created;  // use_vmac
      v["vmacs_adopted"] = self->state.vmacs_adopted;
      v["vmacs_removed"] = self->state.vmacs_removed;
      if (self->state.ipvs || !self->state.ipvs_unavailable.empty()) {  // load balancing
        json i;
        i["available"] = self->state.ipvs != nullptr;
        if (!self->state.ipvs_unavailable.empty())
          i["unavailable"] = self->state.ipvs_unavailable;
        i["ops"] = self->state.ipvs_ops;
        i["failed"] = self->state.ipvs_failed;
        i["dumps"] = self->state.ipvs_dumps;
        v["ipvs"] = i;
      }
      return v;
    },
  };
}

} // namespace

kernel_actor spawn_kernel_actor(caf::actor_system& sys, std::optional<firewall_config> fw,
                                proto::garp_spacing_table garp_spacing) {
  // Detached: netlink calls block until the kernel ACKs, and must not stall a worker.
  kernel_sockets socks{std::make_shared<kern::route_socket>(), std::make_shared<kern::packet_socket>(), nullptr,
                       std::make_shared<kern::macvlan_links>(), std::move(garp_spacing)};
  if (fw) {
    try {
      socks.firewall = std::make_shared<kern::nft_firewall>(fw->opts);
      // A table of ours left by a killed run is removed now, not when this run first
      // needs one (keepalived 2.2.7 waits for that): until then it would still drop
      // packets to an address that a later configuration may want to accept.
      for (auto [used, fam] : {std::pair{fw->v4, proto::ip_address::family::v4},
                               std::pair{fw->v6, proto::ip_address::family::v6}})
        if (used)
          if (std::string err = socks.firewall->drop_leftover(fam); !err.empty())
            log::error("nftables: removing a leftover %s table %s: %s", proto::nft_family(fam),
                       fw->opts.table.c_str(), err.c_str());
    } catch (const std::exception& e) {
      log::error("nftables: %s: no_accept instances will accept", e.what());
      socks.firewall.reset();
    }
  }
  return sys.spawn<caf::detached>(kernel_behavior, std::move(socks));
}

} // namespace ka::act
