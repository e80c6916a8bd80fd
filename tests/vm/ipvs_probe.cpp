// Drives kern::ipvs (kernel/ipvs.hpp) against a real IPVS table, inside the VM of
// tests/vm/run-in-vm.sh; tests/vm/ipvs_in_vm.sh runs it step by step and compares what it
// prints with ipvsadm's view of the same table after each step.
//
//   ipvs_probe absent            on a kernel without IPVS: the error must say so
//   ipvs_probe step NAME         apply step NAME (add, errors, edit, delete, clear), then check
//                                the dump against what the steps so far should have left
//   ipvs_probe show              the table, one line per service and per destination, in
//                                ipvsadm -Ln's words (tests/vm/ipvsadm_lines.awk makes the same)
//   ipvs_probe nat               the services of the NAT end-to-end test
//   ipvs_probe conns             per destination: connections scheduled (the kernel's counter),
//                                active, inactive and persistent ones
//   ipvs_probe timeouts T F U    set, then print the timeouts read back
//   ipvs_probe daemon IFNAME     start a backup sync daemon on IFNAME, print the dump of daemons
//   ipvs_probe daemon-stop       stop it; the dump of daemons must then be empty
//   ipvs_probe bulk N            N services x 10 destinations in one batch (many sendmsg
//                                rounds of 64), the dump of all of them, then their deletion;
//                                prints the time of each (TCG: not a benchmark)
// Exit status 0 only when every check held; each failed check prints a "FAIL:" line.
#include <arpa/inet.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "kernel/ipvs.hpp"

using namespace ka;
using proto::ip_address;
using kind = proto::ipvs_op::kind;

namespace {

int failures = 0;
void fail(const std::string& what) {
  std::printf("FAIL: %s\n", what.c_str());
  ++failures;
}

ip_address ip(const char* s) { return *ip_address::parse(s); }

proto::ipvs_service svc(proto::ipvs_protocol p, const char* addr, std::uint16_t port, const char* sched) {
  proto::ipvs_service s;
  s.key.addr = ip(addr);
  s.key.fam = s.key.addr.fam;
  s.key.protocol = p;
  s.key.port = port;
  s.scheduler = sched;
  return s;
}
proto::ipvs_service fwm(std::uint32_t mark, bool v6, const char* sched) {
  proto::ipvs_service s;
  s.key.fam = v6 ? ip_address::family::v6 : ip_address::family::v4;
  s.key.addr.fam = s.key.fam;
  s.key.protocol = proto::ipvs_protocol::none;
  s.key.fwmark = mark;
  s.scheduler = sched;
  return s;
}
proto::ipvs_dest dst(const char* addr, std::uint16_t port, proto::ipvs_forward f, int weight = 1) {
  proto::ipvs_dest d;
  d.addr = ip(addr);
  d.port = port;
  d.forward = f;
  d.weight = weight;
  return d;
}
proto::ipvs_op op(kind k, const proto::ipvs_service& s, const proto::ipvs_dest& d = {}) {
  proto::ipvs_op o;
  o.what = k;
  o.service = s;
  o.dest = d;
  return o;
}

constexpr auto tcp = proto::ipvs_protocol::tcp;
constexpr auto udp = proto::ipvs_protocol::udp;
constexpr auto sctp = proto::ipvs_protocol::sctp;
constexpr auto masq = proto::ipvs_forward::masq;
constexpr auto route = proto::ipvs_forward::route;
constexpr auto tunnel = proto::ipvs_forward::tunnel;
namespace flag = proto::ipvs_svc_flag;

const char* const k_schedulers[] = {"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh",
                                    "sh", "mh", "sed", "nq", "fo", "ovf", "twos"};

// Whether this kernel has a scheduler: its module is among those of the running kernel.
bool kernel_has(const std::string& sched) {
  utsname u{};
  uname(&u);
  std::string p = std::string("/lib/modules/") + u.release + "/kernel/net/netfilter/ipvs/ip_vs_" + sched + ".ko";
  return access(p.c_str(), R_OK) == 0;
}

// What the table should hold: services and their destinations, by key.
struct expected_service {
  proto::ipvs_service service;
  std::vector<proto::ipvs_dest> dests;
};
using table = std::map<proto::ipvs_service_key, expected_service>;

// ---- the steps: the ops of each, and the table each should leave ----

std::vector<proto::ipvs_op> add_ops() {
  std::vector<proto::ipvs_op> ops;
  // One IPv4 TCP service per scheduler that this kernel has.
  int i = 0;
  for (const char* s : k_schedulers) {
    ++i;
    if (kernel_has(s)) {
      char a[32];
      std::snprintf(a, sizeof a, "192.0.2.%d", 10 + i);
      ops.push_back(op(kind::add_service, svc(tcp, a, 80, s)));
    }
  }
  auto rr = svc(tcp, "192.0.2.11", 80, "rr");
  auto nat = dst("203.0.113.2", 8080, masq, 3);
  nat.u_threshold = 100;
  nat.l_threshold = 10;
  ops.push_back(op(kind::add_dest, rr, nat));
  ops.push_back(op(kind::add_dest, rr, dst("203.0.113.3", 80, route, 0)));
  ops.push_back(op(kind::add_dest, rr, dst("203.0.113.4", 80, tunnel)));  // ipip
  auto gue = dst("203.0.113.5", 80, tunnel, 2);
  gue.tun_type = proto::ipvs_tunnel::gue;
  gue.tun_port = 6080;
  gue.tun_flags = proto::ipvs_tun_flag::csum;
  ops.push_back(op(kind::add_dest, rr, gue));
  auto gue_r = gue;
  gue_r.addr = ip("203.0.113.8");
  gue_r.tun_flags = proto::ipvs_tun_flag::remcsum;
  ops.push_back(op(kind::add_dest, rr, gue_r));
  auto gre = dst("203.0.113.6", 80, tunnel);
  gre.tun_type = proto::ipvs_tunnel::gre;
  gre.tun_flags = proto::ipvs_tun_flag::csum;
  ops.push_back(op(kind::add_dest, rr, gre));
  auto gre_n = gre;
  gre_n.addr = ip("203.0.113.9");
  gre_n.tun_flags = proto::ipvs_tun_flag::nocsum;
  ops.push_back(op(kind::add_dest, rr, gre_n));
  ops.push_back(op(kind::add_dest, rr, dst("2001:db8:1::6", 80, tunnel)));  // IPv6 behind IPv4

  auto v6 = svc(tcp, "2001:db8::10", 80, "wlc");
  ops.push_back(op(kind::add_service, v6));
  ops.push_back(op(kind::add_dest, v6, dst("2001:db8:1::2", 80, masq, 5)));
  ops.push_back(op(kind::add_dest, v6, dst("2001:db8:1::3", 80, route)));

  auto sh = svc(udp, "192.0.2.40", 53, "sh");
  sh.flags = flag::sched1 | flag::sched2 | flag::onepacket;  // sh-fallback, sh-port, ops
  ops.push_back(op(kind::add_service, sh));
  ops.push_back(op(kind::add_dest, sh, dst("203.0.113.2", 53, masq)));
  auto mh6 = svc(udp, "2001:db8::40", 53, "mh");
  mh6.flags = flag::sched2;  // mh-port
  ops.push_back(op(kind::add_service, mh6));
  auto sctp4 = svc(sctp, "198.51.100.1", 3868, "lc");
  ops.push_back(op(kind::add_service, sctp4));
  ops.push_back(op(kind::add_dest, sctp4, dst("203.0.113.2", 3868, masq)));
  ops.push_back(op(kind::add_service, svc(sctp, "2001:db8::41", 3868, "rr")));
  auto f4 = fwm(7, false, "wrr");
  ops.push_back(op(kind::add_service, f4));
  ops.push_back(op(kind::add_dest, f4, dst("203.0.113.7", 0, route, 4)));
  auto f6 = fwm(8, true, "fo");
  ops.push_back(op(kind::add_service, f6));
  ops.push_back(op(kind::add_dest, f6, dst("2001:db8:1::7", 0, route)));

  auto pers = svc(tcp, "192.0.2.50", 443, "rr");
  pers.flags = flag::persistent;
  pers.timeout = 300;
  pers.netmask = 0xffffff00;
  ops.push_back(op(kind::add_service, pers));
  auto sip = svc(udp, "192.0.2.51", 5060, "rr");
  sip.flags = flag::persistent;
  sip.timeout = 60;
  sip.pe_name = "sip";
  ops.push_back(op(kind::add_service, sip));
  auto pers6 = svc(tcp, "2001:db8::50", 443, "lblc");
  pers6.flags = flag::persistent;
  pers6.timeout = 1800;
  pers6.netmask = 64;
  ops.push_back(op(kind::add_service, pers6));
  return ops;
}

void apply_to(table& t, const std::vector<proto::ipvs_op>& ops) {
  for (const auto& o : ops) {
    auto it = t.find(o.service.key);
    auto same = [&](const proto::ipvs_dest& d) { return d.same_endpoint(o.dest); };
    switch (o.what) {
      case kind::add_service:
      case kind::edit_service: t[o.service.key].service = o.service; break;
      case kind::del_service: t.erase(o.service.key); break;
      case kind::add_dest: it->second.dests.push_back(o.dest); break;
      case kind::edit_dest: *std::find_if(it->second.dests.begin(), it->second.dests.end(), same) = o.dest; break;
      case kind::del_dest: {
        auto& ds = it->second.dests;
        ds.erase(std::remove_if(ds.begin(), ds.end(), same), ds.end());
        break;
      }
    }
  }
}

std::vector<proto::ipvs_op> edit_ops() {
  std::vector<proto::ipvs_op> ops;
  auto rr = svc(tcp, "192.0.2.11", 80, "wlc");  // another scheduler, now persistent
  rr.flags = flag::persistent;
  rr.timeout = 120;
  ops.push_back(op(kind::edit_service, rr));
  auto nat = dst("203.0.113.2", 8080, masq, 7);  // weight and thresholds
  nat.u_threshold = 50;
  ops.push_back(op(kind::edit_dest, rr, nat));
  ops.push_back(op(kind::edit_dest, rr, dst("203.0.113.3", 80, masq, 2)));  // DR to NAT
  auto gre = dst("203.0.113.4", 80, tunnel);  // ipip to gre
  gre.tun_type = proto::ipvs_tunnel::gre;
  ops.push_back(op(kind::edit_dest, rr, gre));
  auto sh = svc(udp, "192.0.2.40", 53, "sh");
  sh.flags = flag::sched2;  // sh-port only, no ops
  ops.push_back(op(kind::edit_service, sh));
  auto pers = svc(tcp, "192.0.2.50", 443, "rr");  // persistence off
  ops.push_back(op(kind::edit_service, pers));
  auto f4 = fwm(7, false, "wrr");
  ops.push_back(op(kind::edit_dest, f4, dst("203.0.113.7", 0, route, 0)));
  return ops;
}

std::vector<proto::ipvs_op> delete_ops() {
  std::vector<proto::ipvs_op> ops;
  auto rr = svc(tcp, "192.0.2.11", 80, "wlc");
  ops.push_back(op(kind::del_dest, rr, dst("203.0.113.5", 80, tunnel)));
  ops.push_back(op(kind::del_dest, rr, dst("2001:db8:1::6", 80, tunnel)));
  ops.push_back(op(kind::del_service, svc(tcp, "2001:db8::10", 80, "wlc")));  // with its dests
  ops.push_back(op(kind::del_service, fwm(8, true, "fo")));
  ops.push_back(op(kind::del_service, svc(sctp, "198.51.100.1", 3868, "lc")));
  return ops;
}

// The typed errors: each names the op, the service (and destination) and the errno; the
// kernel goes on after a failed op, so the good op between two bad ones is applied.
std::vector<std::pair<proto::ipvs_op, std::string>> error_cases() {
  auto rr = svc(tcp, "192.0.2.11", 80, "rr");
  auto nat = dst("203.0.113.2", 8080, masq, 3);
  nat.u_threshold = 100;
  nat.l_threshold = 10;
  auto missing = svc(tcp, "192.0.2.99", 80, "rr");
  auto bad_sched = svc(tcp, "192.0.2.98", 80, "nosuch");
  return {
      {op(kind::add_service, rr), "add service TCP 192.0.2.11:80: File exists (service already exists)"},
      {op(kind::add_dest, rr, nat), "add dest 203.0.113.2:8080 to TCP 192.0.2.11:80: File exists (destination already exists)"},
      {op(kind::edit_service, missing), "edit service TCP 192.0.2.99:80: No such process (no such service)"},
      {op(kind::del_dest, rr, dst("198.51.100.77", 80, masq)),
       "delete dest 198.51.100.77:80 of TCP 192.0.2.11:80: No such file or directory (no such destination)"},
      {op(kind::add_service, bad_sched),
       "add service TCP 192.0.2.98:80: No such file or directory (scheduler or persistence engine not found)"},
  };
}

table expected_after(const std::string& step) {
  table t;
  apply_to(t, add_ops());
  if (step == "add" || step == "errors") return t;
  apply_to(t, edit_ops());
  if (step == "edit") return t;
  apply_to(t, delete_ops());
  if (step == "delete") return t;
  return {};  // clear
}

std::string addr_port(const ip_address& a, std::uint16_t port) {
  std::string s = a.to_string();
  if (!a.is_v4()) s = "[" + s + "]";
  return s + ":" + std::to_string(port);
}

std::string describe(const proto::ipvs_service& s) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s %s flags %#x timeout %u netmask %#x pe '%s'", s.key.to_string().c_str(),
                s.scheduler.c_str(), s.flags, s.timeout, s.netmask, s.pe_name.c_str());
  return buf;
}
std::string describe(const proto::ipvs_dest& d) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s fwd %u weight %d thresholds %u/%u tunnel %u port %u flags %u",
                addr_port(d.addr, d.port).c_str(), static_cast<unsigned>(d.forward), d.weight, d.u_threshold,
                d.l_threshold, static_cast<unsigned>(d.tun_type), d.tun_port, d.tun_flags);
  return buf;
}

// The dump against the table the steps should have left, field by field.
void check_dump(kern::ipvs& k, const table& want) {
  auto got = k.dump();
  if (got.size() != want.size())
    fail("dump has " + std::to_string(got.size()) + " services, expected " + std::to_string(want.size()));
  for (const auto& g : got) {
    auto it = want.find(g.service.key);
    if (it == want.end()) {
      fail("unexpected service " + describe(g.service));
      continue;
    }
    if (!(g.service == it->second.service))
      fail("service " + describe(g.service) + ", expected " + describe(it->second.service));
    if (g.dests.size() != it->second.dests.size())
      fail(g.service.key.to_string() + ": " + std::to_string(g.dests.size()) + " destinations, expected " +
           std::to_string(it->second.dests.size()));
    for (const auto& d : g.dests) {
      auto w = std::find_if(it->second.dests.begin(), it->second.dests.end(),
                            [&](const proto::ipvs_dest& x) { return x.same_endpoint(d.dest); });
      if (w == it->second.dests.end())
        fail(g.service.key.to_string() + ": unexpected destination " + describe(d.dest));
      else if (!(*w == d.dest))
        fail(g.service.key.to_string() + ": destination " + describe(d.dest) + ", expected " + describe(*w));
    }
  }
}

int step(kern::ipvs& k, const std::string& name) {
  std::vector<proto::ipvs_op> ops;
  if (name == "add") {
    ops = add_ops();
    auto errs = k.apply(ops);
    for (const auto& e : errs)
      fail("add: " + e.message);
  } else if (name == "errors") {
    auto cases = error_cases();
    // bad, good, bad, ...: a good op (a new dest, removed again below) between each.
    std::vector<proto::ipvs_op> batch;
    auto extra = dst("198.51.100.200", 80, masq);
    auto rr = svc(tcp, "192.0.2.11", 80, "rr");
    for (const auto& c : cases) {
      batch.push_back(c.first);
      batch.push_back(op(kind::add_dest, rr, extra));
      batch.push_back(op(kind::del_dest, rr, extra));
    }
    auto errs = k.apply(batch);
    if (errs.size() != cases.size())
      fail("errors: " + std::to_string(errs.size()) + " errors for " + std::to_string(cases.size()) + " bad ops");
    for (std::size_t i = 0; i < std::min(errs.size(), cases.size()); ++i) {
      std::printf("error %zu: %s\n", i + 1, errs[i].message.c_str());
      if (errs[i].message != cases[i].second)
        fail("error " + std::to_string(i + 1) + " is \"" + errs[i].message + "\", expected \"" + cases[i].second + "\"");
      if (!(errs[i].op.service.key == cases[i].first.service.key) || errs[i].op.what != cases[i].first.what)
        fail("error " + std::to_string(i + 1) + " names another op");
    }
    // A scheduler this kernel lacks is refused the same way (twos before 6.7).
    for (const char* s : k_schedulers)
      if (!kernel_has(s)) {
        auto e = k.apply({op(kind::add_service, svc(tcp, "192.0.2.97", 80, s))});
        std::printf("scheduler %s: not in this kernel: %s\n", s, e.empty() ? "accepted" : e[0].message.c_str());
        if (e.size() != 1 || e[0].err != ENOENT)
          fail(std::string("scheduler ") + s + " has no module, yet the kernel did not refuse it with ENOENT");
      }
  } else if (name == "edit") {
    for (const auto& e : k.apply(edit_ops())) fail("edit: " + e.message);
  } else if (name == "delete") {
    for (const auto& e : k.apply(delete_ops())) fail("delete: " + e.message);
  } else if (name == "clear") {
    // What a pool does at exit: delete what the dump shows.
    for (const auto& s : k.dump()) ops.push_back(op(kind::del_service, s.service));
    for (const auto& e : k.apply(ops)) fail("clear: " + e.message);
  } else {
    std::fprintf(stderr, "unknown step %s\n", name.c_str());
    return 2;
  }
  check_dump(k, expected_after(name));
  std::printf("step %s: %zu services in the dump, %d failed checks\n", name.c_str(), k.dump().size(), failures);
  return failures ? 1 : 0;
}

// ---- ipvsadm -Ln's words, for tests/vm/ipvsadm_lines.awk to compare ----

std::string service_line(const proto::ipvs_service& s) {
  std::string l;
  if (s.key.by_fwmark())
    l = "FWM " + std::to_string(s.key.fwmark) + (s.key.fam == ip_address::family::v6 ? " IPv6" : "");
  else
    l = std::string(s.key.protocol == tcp ? "TCP" : s.key.protocol == udp ? "UDP" : "SCTP") + " " +
        addr_port(s.key.addr, s.key.port);
  l += " " + s.scheduler;
  std::uint32_t sf = s.flags & (flag::sched1 | flag::sched2 | flag::sched3);
  if (sf) {
    bool named = s.scheduler == "sh" || s.scheduler == "mh";
    std::vector<std::string> n;
    if (sf & flag::sched1) n.push_back(named ? s.scheduler + "-fallback" : "flag-1");
    if (sf & flag::sched2) n.push_back(named ? s.scheduler + "-port" : "flag-2");
    if (sf & flag::sched3) n.push_back("flag-3");
    l += " (";
    for (std::size_t i = 0; i < n.size(); ++i) l += (i ? "," : "") + n[i];
    l += ")";
  }
  if (s.flags & flag::persistent) {
    l += " persistent " + std::to_string(s.timeout);
    if (s.key.fam == ip_address::family::v4 && s.netmask != 0xffffffffu) {
      in_addr m{htonl(s.netmask)};
      l += std::string(" mask ") + inet_ntoa(m);
    } else if (s.key.fam == ip_address::family::v6 && s.netmask != 0xffffffffu) {
      l += " mask " + std::to_string(s.netmask);
    }
  }
  if (!s.pe_name.empty()) l += " pe " + s.pe_name;
  if (s.flags & flag::onepacket) l += " ops";
  return l;
}

std::string tunnel_info(const proto::ipvs_dest& d) {
  if (d.forward != tunnel) return "n/a";
  static const char* const types[] = {"ipip", "gue", "gre"};
  std::string t = types[static_cast<int>(d.tun_type)];
  if (d.tun_type == proto::ipvs_tunnel::ipip) return t;
  if (d.tun_type == proto::ipvs_tunnel::gue) t += ":" + std::to_string(d.tun_port);
  // ipvsadm's words: "+c" checksum, "r+c" remote checksum offload, "-c" neither.
  t += d.tun_flags & proto::ipvs_tun_flag::remcsum ? ":r+c" : d.tun_flags & proto::ipvs_tun_flag::csum ? ":+c" : ":-c";
  return t;
}

int show(kern::ipvs& k) {
  static const char* const fwd[] = {"Masq", "Local", "Tunnel", "Route", "Bypass"};
  for (const auto& s : k.dump()) {
    std::string sl = service_line(s.service);
    std::printf("%s\n", sl.c_str());
    for (const auto& d : s.dests)
      std::printf("%s -> %s %s %s %d %u %u\n", sl.c_str(), addr_port(d.dest.addr, d.dest.port).c_str(),
                  fwd[static_cast<int>(d.dest.forward)], tunnel_info(d.dest).c_str(), d.dest.weight,
                  d.dest.u_threshold, d.dest.l_threshold);
  }
  return 0;
}

// The end-to-end test's services: IPv4 and IPv6 VIPs, round robin over two NAT real servers.
int nat(kern::ipvs& k) {
  std::vector<proto::ipvs_op> ops;
  auto v4 = svc(tcp, "192.0.2.100", 80, "rr");
  ops.push_back(op(kind::add_service, v4));
  ops.push_back(op(kind::add_dest, v4, dst("203.0.113.2", 80, masq)));
  ops.push_back(op(kind::add_dest, v4, dst("203.0.113.130", 80, masq)));
  auto v6 = svc(tcp, "2001:db8::100", 80, "rr");
  ops.push_back(op(kind::add_service, v6));
  ops.push_back(op(kind::add_dest, v6, dst("2001:db8:2::2", 80, masq)));
  ops.push_back(op(kind::add_dest, v6, dst("2001:db8:3::2", 80, masq)));
  for (const auto& e : k.apply(ops)) fail("nat: " + e.message);
  return failures ? 1 : 0;
}

int conns(kern::ipvs& k) {
  for (const auto& s : k.dump())
    for (const auto& d : s.dests)
      std::printf("%s %llu %u %u %u\n", addr_port(d.dest.addr, d.dest.port).c_str(),
                  static_cast<unsigned long long>(d.stats.conns), d.active_conns, d.inactive_conns,
                  d.persist_conns);
  return 0;
}

int timeouts(kern::ipvs& k, char** argv) {
  kern::ipvs_msg::timeouts t{static_cast<std::uint32_t>(std::stoul(argv[0])),
                             static_cast<std::uint32_t>(std::stoul(argv[1])),
                             static_cast<std::uint32_t>(std::stoul(argv[2]))};
  if (auto e = k.set_timeouts(t); !e.empty()) fail(e);
  auto back = k.get_timeouts();
  std::printf("%u %u %u\n", back.tcp, back.tcp_fin, back.udp);
  if (!(back == t)) fail("timeouts read back differ from those set");
  return failures ? 1 : 0;
}

int daemon(kern::ipvs& k, const char* ifname) {
  kern::ipvs_msg::sync_daemon d;
  d.state = 2;  // IP_VS_STATE_BACKUP
  d.ifname = ifname;
  d.sync_id = 51;
  d.port = 8850;
  if (auto e = k.start_daemon(d); !e.empty()) fail(e);
  auto all = k.daemons();
  for (const auto& x : all)
    std::printf("%s sync daemon on %s syncid %u port %u ttl %u maxlen %u group %s\n",
                x.state == 1 ? "master" : "backup", x.ifname.c_str(), x.sync_id, x.port, x.ttl, x.maxlen,
                x.group ? x.group->to_string().c_str() : "-");
  if (all.size() != 1 || all[0].ifname != ifname || all[0].sync_id != 51 || all[0].port != 8850 || all[0].state != 2)
    fail("the dump of sync daemons does not show the one started");
  return failures ? 1 : 0;
}

int daemon_stop(kern::ipvs& k) {
  if (auto e = k.stop_daemon(2); !e.empty()) fail(e);
  if (!k.daemons().empty()) fail("a sync daemon is left after the stop");
  return failures ? 1 : 0;
}

int bulk(kern::ipvs& k, int n) {
  using clock = std::chrono::steady_clock;
  auto ms = [](clock::time_point a) {
    return std::chrono::duration<double, std::milli>(clock::now() - a).count();
  };
  std::vector<proto::ipvs_op> add, del;
  for (int i = 0; i < n; ++i) {
    char a[40];
    std::snprintf(a, sizeof a, "2001:db8:a::%x", i + 1);  // room for any n
    auto s = svc(tcp, a, 80, "wrr");
    add.push_back(op(kind::add_service, s));
    for (int j = 0; j < 10; ++j) {
      std::snprintf(a, sizeof a, "2001:db8:b:%x::%x", i + 1, j + 1);
      add.push_back(op(kind::add_dest, s, dst(a, 8080, masq, j + 1)));
    }
    del.push_back(op(kind::del_service, s));
  }
  auto t = clock::now();
  auto errs = k.apply(add);
  double t_add = ms(t);
  for (const auto& e : errs) fail("bulk: " + e.message);
  t = clock::now();
  auto table = k.dump();
  double t_dump = ms(t);
  std::size_t dests = 0;
  for (const auto& s : table) {
    dests += s.dests.size();
    for (const auto& d : s.dests)
      if (d.dest.weight < 1 || d.dest.weight > 10 || d.dest.port != 8080) fail("bulk: a destination differs: " + describe(d.dest));
  }
  if (table.size() != static_cast<std::size_t>(n) || dests != static_cast<std::size_t>(n) * 10)
    fail("bulk: the dump has " + std::to_string(table.size()) + " services and " + std::to_string(dests) + " destinations");
  t = clock::now();
  errs = k.apply(del);
  double t_del = ms(t);
  for (const auto& e : errs) fail("bulk: " + e.message);
  if (!k.dump().empty()) fail("bulk: services left after the deletion");
  std::printf("%zu writes in %.0f ms, dump of %zu services and %zu destinations in %.0f ms, %d deletions in %.0f ms\n",
              add.size(), t_add, table.size(), dests, t_dump, n, t_del);
  return failures ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "absent") {
    try {
      kern::ipvs k;
      std::printf("IPVS is available here (family %u)\n", k.family());
      return 1;
    } catch (const kern::ipvs_unavailable& e) {
      std::printf("%s\n", e.what());
      return std::strncmp(e.what(), "IPVS not available in this kernel", 33) == 0 ? 0 : 1;
    }
  }
  try {
    kern::ipvs k;
    if (cmd == "step" && argc == 3) return step(k, argv[2]);
    if (cmd == "show") return show(k);
    if (cmd == "nat") return nat(k);
    if (cmd == "conns") return conns(k);
    if (cmd == "timeouts" && argc == 5) return timeouts(k, argv + 2);
    if (cmd == "daemon" && argc == 3) return daemon(k, argv[2]);
    if (cmd == "daemon-stop") return daemon_stop(k);
    if (cmd == "bulk" && argc == 3) return bulk(k, std::stoi(argv[2]));
  } catch (const std::exception& e) {
    std::printf("FAIL: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: ipvs_probe absent | step NAME | show | nat | conns | timeouts TCP FIN UDP | daemon IFNAME | daemon-stop | bulk N\n");
  return 2;
}
