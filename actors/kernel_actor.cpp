// The kernel actor: the one place netlink writes happen, so that address changes from many
// instances are serialised and their errors come back to whoever asked.
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <memory>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"
#include "kernel/nft_firewall.hpp"  // accept mode
#include "kernel/packet_socket.hpp"
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
};

struct kernel_state {
  std::shared_ptr<kern::route_socket> route;
  std::shared_ptr<kern::packet_socket> packets;
  std::shared_ptr<kern::nft_firewall> firewall;  // accept mode
  std::uint64_t firewall_adds = 0, firewall_dels = 0;
  std::uint64_t adds = 0, dels = 0, absent = 0, garps = 0, nas = 0, errors = 0;
  std::uint64_t route_adds = 0, route_dels = 0;  // routes-vmac: routes and rules
  std::string last_error;
  static constexpr const char* name = "kernel";
};

using kernel_self = kernel_actor::stateful_pointer<kernel_state>;

std::string describe(const kern::address_spec& s) {
  return s.addr.to_string() + "/" + std::to_string(s.prefix_len) + " ifindex "
         + std::to_string(s.ifindex);
}

kernel_errors apply(kernel_self self, const std::vector<kern::address_spec>& specs, bool add) {
  kernel_errors errs;
  for (const auto& s : specs) {
    std::string why;
    int rc = add ? self->state.route->add_address(s, &why) : self->state.route->del_address(s, &why);
    if (!add && rc == kern::route_socket::no_such_address) {
      // Instances delete on every entry to BACKUP or FAULT to clear leftovers of an
      // earlier run: an address that is not there is the usual case, not an error.
      ++self->state.absent;
      continue;
    }
    (add ? self->state.adds : self->state.dels)++;
    if (rc < 0) {
      std::string msg = std::string(add ? "add " : "delete ") + describe(s) + ": " + why;
      ++self->state.errors;
      self->state.last_error = msg;
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
      st.last_error = msg;
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
  st.last_error = msg;
  log::error("kernel: %s", msg.c_str());
  return {msg};
}

kernel_actor::behavior_type kernel_behavior(kernel_self self, kernel_sockets socks) {
  self->state.route = std::move(socks.route);
  self->state.packets = std::move(socks.packets);
  self->state.firewall = std::move(socks.firewall);
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
      for (int i = 0; i < repeat; ++i)
        for (const auto& a : addrs) {
          // keepalived sends IPv6 VIPs' unsolicited NAs as it sends gratuitous ARPs
          // (same repeat and delay); RFC 5798 6.4.2 asks for one per address.
          bool v4 = a.is_v4();
          auto frame = v4 ? proto::gratuitous_arp_frame(mac, a) : proto::unsolicited_na_frame(mac, a);
          if (int err = self->state.packets->send(ifindex, frame)) {
            ++self->state.errors;
            log::warning("kernel: %s for %s: %s", v4 ? "gratuitous ARP" : "unsolicited NA",
                         a.to_string().c_str(), strerror(err));
          } else {
            ++(v4 ? self->state.garps : self->state.nas);
          }
        }
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
    [=](status_atom) {
      json v;
      v["address_adds"] = self->state.adds;
      v["address_deletes"] = self->state.dels;
      v["address_deletes_absent"] = self->state.absent;
      v["garp_sent"] = self->state.garps;
      v["unsolicited_na_sent"] = self->state.nas;
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
      return v;
    },
  };
}

} // namespace

kernel_actor spawn_kernel_actor(caf::actor_system& sys, std::optional<firewall_config> fw) {
  // Detached: netlink calls block until the kernel ACKs, and must not stall a worker.
  kernel_sockets socks{std::make_shared<kern::route_socket>(), std::make_shared<kern::packet_socket>(), nullptr};
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
