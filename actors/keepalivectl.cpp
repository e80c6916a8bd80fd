// keepalivectl: the admin socket's command-line client. It links no CAF; it lives in
// actors/ beside the daemon because it speaks the daemon's admin protocol.
#include <getopt.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "actors/ctl_commands.hpp"
#include "kernel/unix_socket.hpp"
#include "protocol/admin_protocol.hpp"

namespace {

using value = ka::json;

void usage(FILE* out) {
  std::fprintf(out,
    "Usage: keepalivectl [-s SOCKET] [--json] COMMAND [ARGS]\n"
    "Commands:\n"
    "  status                every instance's state, priorities, counters, tracked objects,\n"
    "                        the advert thread's timing, hooks in flight, the kernel actor\n"
    "  check                 exit 0 when every instance is as expected, else 1 with one line\n"
    "                        per instance that is not. Expected: MASTER or BACKUP (not FAULT,\n"
    "                        INIT or STOP); a BACKUP hears a master; a BACKUP that preempts\n"
    "                        does not outrank the master it hears; an address owner\n"
    "                        (priority 255) is MASTER\n"
    "  watch                 stream events (state transitions, tracker changes, reloads) as\n"
    "                        they happen, until interrupted\n"
    "  garp INSTANCE         send the MASTER instance's gratuitous ARPs / NAs now\n"
    "  priority INSTANCE N   run INSTANCE with priority N (1..254) in place of its configured\n"
    "                        one, until `priority INSTANCE reset` or a restart\n"
    "  stats clear           set advert, bad-packet and transition counters to zero\n"
    "  instances             the instance names, one a line\n"
    "  config                the running configuration as JSON (as keepalive --dump-config)\n"
    "  ping                  check that the daemon answers\n"
    "  reload                load the configuration file again and apply what changed (exit 1\n"
    "                        and the errors when it is invalid: the daemon keeps the old one)\n"
    "Options:\n"
    "  -s, --socket=PATH  admin socket (default /run/keepalive.sock)\n"
    "  -j, --json         JSON: the daemon's answer as it is; watch: one event a line\n"
    "  -t, --timeout=SEC  how long to wait for the answer (default 5)\n"
    "  -h, --help\n"
    "Exit status: 0 ok; 1 not as expected (check) or the daemon refused the request;\n"
    "2 usage error; 3 cannot reach the daemon (no socket, no answer, connection lost).\n");
}

using ka::ctl::at;  // the status readers (actors/ctl_commands.hpp)
using ka::ctl::num;
using ka::ctl::str;

std::string since(const value* v) {
  if (!v || !v->is_number())
    return "-";
  double s = v->get<double>();
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else
    std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60);
  return buf;
}

long long sum_bad(const value* bad) {
  long long n = 0;
  if (bad && bad->is_object())
    for (const auto& v : *bad)
      if (v.is_number())
        n += v.get<long long>();
  return n;
}

void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i)
        width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i)
      line += r[i] + std::string(i + 1 < r.size() ? width[i] - r[i].size() + 2 : 0, ' ');
    std::printf("%s\n", line.c_str());
  }
}

// load balancing: each virtual server, its real servers as the pool and its checkers see
// them, and beside them the kernel's own numbers for the same destination (read back over
// netlink), so that the table can be held against `ipvsadm -Ln`.
void print_pools(const value& s) {
  const value* pools = at(s, {"virtual_servers"});
  if (!pools || !pools->is_array() || pools->empty())
    return;
  const value* table = at(s, {"ipvs"});
  // A kernel without IPVS: each pool thinks its servers are in the table (its intention),
  // but nothing is; the header must say so rather than let "IN TABLE yes" stand alone.
  std::string unprogrammed = ", NOT PROGRAMMED";
  const value* av = at(s, {"kernel", "ipvs", "available"});
  bool no_ipvs = av && av->is_boolean() && !av->get<bool>();
  if (no_ipvs)
    unprogrammed += " (" + str(at(s, {"kernel", "ipvs", "unavailable"})) + ")";
  auto kernel_dest = [&](const std::string& service, const std::string& addr) -> const value* {
    if (!table || !table->is_array())
      return nullptr;
    for (const auto& sv : *table)
      if (str(at(sv, {"service"})) == service)
        if (const value* ds = at(sv, {"dests"}); ds && ds->is_array())
          for (const auto& d : *ds)
            if (str(at(d, {"address"})) == addr)
              return &d;
    return nullptr;
  };
  for (const auto& p : *pools) {
    std::string services, service;
    std::string sched;
    if (const value* sv = at(p, {"services"}); sv && sv->is_array())
      for (const auto& x : *sv) {
        services += (services.empty() ? "" : ", ") + str(at(x, {"service"}));
        if (service.empty()) service = str(at(x, {"service"}));
        sched = str(at(x, {"scheduler"}));
      }
    const value* up = at(p, {"quorum", "up"});
    std::string quorum = up && up->is_boolean() && up->get<bool>() ? "up" : "DOWN";
    std::string sorry = "none";
    if (const value* so = at(p, {"sorry_server", "address"}); so && so->is_string()) {
      const value* act = at(p, {"sorry_server", "active"});
      sorry = str(so) + (act && act->is_boolean() && act->get<bool>() ? " (active)" : " (standby)");
    }
    std::printf("\nvirtual server %s: %s, quorum %s (weight %s of %s, hysteresis %s), sorry server %s%s\n",
                services.c_str(), sched.c_str(), quorum.c_str(), num(at(p, {"quorum", "weight"})).c_str(),
                num(at(p, {"quorum", "quorum"})).c_str(), num(at(p, {"quorum", "hysteresis"})).c_str(),
                sorry.c_str(), no_ipvs || !(at(p, {"programmed"}) && at(p, {"programmed"})->is_boolean() &&
                                            at(p, {"programmed"})->get<bool>()) ? unprogrammed.c_str() : "");
    std::vector<std::vector<std::string>> rows{{"REAL SERVER", "UP", "WEIGHT", "IN TABLE", "LAST CHECK",
                                                "LATENCY", "UPS", "DOWNS", "ACTIVE", "INACTIVE", "CONNS"}};
    if (const value* rs = at(p, {"real_servers"}); rs && rs->is_array())
      for (const auto& r : *rs) {
        std::string addr = str(at(r, {"address"}));
        const value* u = at(r, {"up"});
        const value* in = at(r, {"in_table"});
        std::string last = "-", lat = "-";
        if (const value* l = at(r, {"last"}); l && l->is_object()) {
          last = str(at(*l, {"reason"}));
          lat = num(at(*l, {"latency_us"})) + " us";
        }
        const value* kd = kernel_dest(service, addr);
        rows.push_back({addr, u && u->is_boolean() && u->get<bool>() ? "up" : "DOWN", num(at(r, {"weight"})),
                        in && in->is_boolean() && in->get<bool>() ? "yes (" + num(at(r, {"table_weight"})) + ")" : "no",
                        last, lat, num(at(r, {"ups"})), num(at(r, {"downs"})),
                        kd ? num(at(*kd, {"active_conns"})) : "-", kd ? num(at(*kd, {"inactive_conns"})) : "-",
                        kd ? num(at(*kd, {"stats", "conns"})) : "-"});
      }
    print_table(rows);
    if (const value* errs = at(p, {"checker_errors"}); errs && errs->is_array())
      for (const auto& e : *errs)
        std::printf("  not checked: %s\n", str(&e).c_str());
  }
  if (table && table->is_object())  // an error: the kernel actor did not answer
    std::printf("ipvs: %s\n", str(at(*table, {"error"})).c_str());
}

// supervision: every actor restarted at least once, and whether it was given up on.
void print_supervision(const value& s) {
  const value* sup = at(s, {"supervision"});
  if (!sup || !sup->is_array() || sup->empty())
    return;
  for (const auto& e : *sup)
    std::printf("supervision: %s %s restarts=%s%s, last: %s\n", str(at(e, {"kind"})).c_str(),
                str(at(e, {"name"})).c_str(), num(at(e, {"restarts"})).c_str(),
                [&] {
                  const value* f = at(e, {"failed"});
                  return f && f->is_boolean() && f->get<bool>() ? " FAILED (not restarted any more)" : "";
                }(),
                str(at(e, {"last_reason"})).c_str());
}

void print_status(const value& s) {
  std::printf("%s, pid %s, router_id %s, up %s\n", str(at(s, {"daemon", "version"})).c_str(),
              num(at(s, {"daemon", "pid"})).c_str(), str(at(s, {"daemon", "router_id"})).c_str(),
              since(at(s, {"daemon", "uptime_s"})).c_str());
  std::vector<std::vector<std::string>> rows{{"INSTANCE", "STATE", "IFACE", "VRID", "PRIO",
                                              "MASTER", "ADVERT", "VRRP", "IN STATE", "TRANS", "SENT",
                                              "RECV", "BAD", "VIPS"}};
  if (const value* insts = at(s, {"instances"}); insts && insts->is_array())
    for (const auto& i : *insts) {
      std::string vips;
      if (const value* v = at(i, {"vips"}); v && v->is_array())
        for (const auto& a : *v)
          vips += (vips.empty() ? "" : ",") + str(&a);
      // accept mode: a master that does not accept drops what is sent to its addresses.
      if (const value* acc = at(i, {"accept_mode", "accept"}); acc && acc->is_boolean() && !acc->get<bool>()) {
        const value* d = at(i, {"accept_mode", "dropping"});
        vips += d && d->is_boolean() && d->get<bool>() ? " (no_accept: dropping)" : " (no_accept)";
      }
      std::string state = str(at(i, {"state"}));
      if (const value* why = at(i, {"fault_reason"}))
        state += " (" + str(why) + ")";
      // supervision: the instance's actor was restarted (actors/supervisor.hpp)
      if (const value* r = at(i, {"restarts"}); r && r->is_number() && r->get<double>() > 0)
        state += " restarts=" + num(r);
      // Our interval, and the master's when a v3 backup took another one from it.
      std::string advert = num(at(i, {"advert_int_s"})) + "s";
      if (const value* m = at(i, {"master_adver_int_s"}); m && m->is_number()
          && num(m) != num(at(i, {"advert_int_s"})))
        advert += " (master " + num(m) + "s)";
      // use_vmac: the macvlan beside its interface, with its ifindex: eth0>vrrp.51#4
      std::string iface = str(at(i, {"interface"}));
      if (const value* vm = at(i, {"vmac", "name"}); vm && vm->is_string())
        iface += ">" + str(vm) + "#" + num(at(i, {"vmac", "ifindex"}));
      rows.push_back({str(at(i, {"name"})), state, iface, num(at(i, {"vrid"})),
                      num(at(i, {"priority", "configured"})) + "/" + num(at(i, {"priority", "effective"})),
                      str(at(i, {"master"})), advert,
                      "v" + num(at(i, {"version"})) + " " + str(at(i, {"family"})),
                      since(at(i, {"in_state_s"})), num(at(i, {"transitions"})),
                      num(at(i, {"counters", "adverts_sent"})),
                      num(at(i, {"counters", "adverts_received"})),
                      std::to_string(sum_bad(at(i, {"counters", "bad"}))), vips});
    }
  // A load balancer without VRRP: no instance table, only its virtual servers.
  if (rows.size() > 1 || !at(s, {"virtual_servers"}) || at(s, {"virtual_servers"})->empty())
    print_table(rows);
  print_pools(s);
  print_supervision(s);
  std::printf("advert thread: %s, cpus %s, nice %s, %s bytes locked%s, rttime limit %s us, "
              "%s scheduled sends, lateness p50 %s us, p99 %s us, max %s us\n",
              str(at(s, {"advert", "policy"})).c_str(),
              str(at(s, {"advert", "scheduling", "cpus"})).c_str(),
              num(at(s, {"advert", "scheduling", "nice"})).c_str(),
              num(at(s, {"advert", "scheduling", "locked_bytes"})).c_str(),
              [&] {
                const value* m = at(s, {"advert", "scheduling", "mlockall"});
                return m && m->is_boolean() && m->get<bool>() ? " (mlockall)" : "";
              }(),
              num(at(s, {"advert", "scheduling", "rlimit_rttime_us"})).c_str(),
              num(at(s, {"advert", "scheduled_sends"})).c_str(),
              num(at(s, {"advert", "lateness_us", "p50"})).c_str(),
              num(at(s, {"advert", "lateness_us", "p99"})).c_str(),
              num(at(s, {"advert", "lateness_us", "max"})).c_str());
  std::printf("notify hooks: %s run, %s running, %s queued, %s failed, %s timed out\n",
              num(at(s, {"scripts", "runs"})).c_str(), num(at(s, {"scripts", "running"})).c_str(),
              num(at(s, {"scripts", "queued"})).c_str(), num(at(s, {"scripts", "failures"})).c_str(),
              num(at(s, {"scripts", "timeouts"})).c_str());
  std::printf("kernel: %s address adds, %s deletes, %s GARPs, %s errors\n",
              num(at(s, {"kernel", "address_adds"})).c_str(), num(at(s, {"kernel", "address_deletes"})).c_str(),
              num(at(s, {"kernel", "garp_sent"})).c_str(), num(at(s, {"kernel", "errors"})).c_str());
  if (const value* t = at(s, {"kernel", "nftables", "tables"}); t && t->is_array()) {  // accept mode
    std::string names;
    for (const auto& n : *t)
      names += (names.empty() ? "" : ", ") + str(&n);
    std::printf("nftables: %s, %s addresses dropped\n", names.empty() ? "no table yet" : names.c_str(),
                num(at(s, {"kernel", "nftables", "elements"})).c_str());
  }
  // What the configuration asks for that this version does not do yet: a short section.
  if (const value* missing = at(s, {"missing_interfaces"}); missing && missing->is_array() && !missing->empty()) {
    std::printf("missing interfaces (%zu):\n", missing->size());
    for (const auto& m : *missing)
      std::printf("  %s: %s does not exist (it may appear later)\n", str(at(m, {"where"})).c_str(),
                  str(at(m, {"name"})).c_str());
  }
  const value* notes = at(s, {"not_in_effect"});
  if (notes && notes->is_array() && !notes->empty()) {
    constexpr std::size_t shown = 10;
    std::printf("not in effect (%zu):\n", notes->size());
    std::size_t n = 0;
    for (const auto& d : *notes) {
      if (n++ == shown) {
        std::printf("  ... %zu more (keepalivectl --json status)\n", notes->size() - shown);
        break;
      }
      std::printf("  %s: %s\n", str(at(d, {"where"})).c_str(), str(at(d, {"message"})).c_str());
    }
  }
}


// Reads one line from `fd` into `line` (what follows it stays in `buf`). `timeout` < 0:
// wait for ever. False: with the reason in `why`.
bool read_line(int fd, std::string& buf, std::string& line, double timeout, std::string& why) {
  char chunk[8192];
  while (buf.find('\n') == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    int rc = ::poll(&p, 1, timeout < 0 ? -1 : static_cast<int>(timeout * 1000));
    if (rc < 0 && errno == EINTR)
      continue;
    if (rc <= 0) {
      char t[32];
      std::snprintf(t, sizeof t, "%g", timeout);
      why = std::string("no answer within ") + t + "s";
      return false;
    }
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) {
      why = n < 0 ? std::strerror(errno) : "the daemon closed the connection";
      return false;
    }
    buf.append(chunk, static_cast<std::size_t>(n));
  }
  std::size_t nl = buf.find('\n');
  line = buf.substr(0, nl);
  buf.erase(0, nl + 1);
  return true;
}

} // namespace

int main(int argc, char** argv) {
  using namespace ka::ctl;
  static const option longopts[] = {
    {"socket", required_argument, nullptr, 's'}, {"json", no_argument, nullptr, 'j'},
    {"timeout", required_argument, nullptr, 't'}, {"help", no_argument, nullptr, 'h'},
    {nullptr, 0, nullptr, 0}};
  std::string path = "/run/keepalive.sock";
  bool as_json = false;
  double timeout = 5;
  int c;
  while ((c = getopt_long(argc, argv, "s:jt:h", longopts, nullptr)) != -1) {
    switch (c) {
      case 's': path = optarg; break;
      case 'j': as_json = true; break;
      case 't': timeout = std::atof(optarg); break;
      case 'h': usage(stdout); return exit_ok;
      default: usage(stderr); return exit_usage;
    }
  }
  std::vector<std::string> args(argv + optind, argv + argc);
  std::string usage_error;
  auto request = build_request(args, usage_error);
  if (!request) {
    std::fprintf(stderr, "keepalivectl: %s\n", usage_error.c_str());
    // The whole usage when the command itself is wrong; for its arguments, the line says it.
    if (args.empty() || usage_error.rfind("unknown command", 0) == 0)
      usage(stderr);
    else
      std::fprintf(stderr, "  (keepalivectl --help lists every command)\n");
    return exit_usage;
  }
  std::string cmd = args[0];

  std::string err;
  int fd = ka::kern::unix_connect(path, &err);
  if (fd < 0) {
    std::fprintf(stderr, "keepalivectl: cannot connect to %s: %s\n"
                         "  (is keepalive running? give its admin socket with -s PATH)\n",
                 path.c_str(), err.c_str());
    return exit_unreachable;
  }
  std::string line = ka::proto::admin_line(*request);
  // A daemon that turns the client away (credentials, client cap) answers with one error
  // line and closes, maybe before the request is written: then its answer is still there
  // to read, and the failed write (no SIGPIPE) is reported only if it is not.
  int write_error = 0;
  if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size()))
    write_error = errno ? errno : EIO;
  std::string buf, reply;
  if (!read_line(fd, buf, reply, timeout, err)) {
    if (write_error)
      std::fprintf(stderr, "keepalivectl: write to %s: %s\n", path.c_str(), std::strerror(write_error));
    else
      std::fprintf(stderr, "keepalivectl: %s: %s\n", path.c_str(), err.c_str());
    return exit_unreachable;
  }
  value v;
  try {
    v = value::parse(reply);
  } catch (const value::exception& e) {
    std::fprintf(stderr, "keepalivectl: unreadable answer: %s\n", e.what());
    return exit_unreachable;
  }
  if (cmd == "reload") {  // reload: the errors, every one, and exit 1 when refused
    ::close(fd);
    return print_reload(v, as_json ? &reply : nullptr);
  }
  const value* ok = at(v, {"ok"});
  bool good = ok && ok->is_boolean() && ok->get<bool>();
  if (!good) {
    if (as_json)
      std::printf("%s\n", reply.c_str());
    else
      std::fprintf(stderr, "keepalivectl: %s\n", str(at(v, {"error"}), "request failed").c_str());
    return exit_not_expected;
  }
  if (cmd == "check") {
    ::close(fd);
    return print_check(v, as_json);
  }
  if (cmd == "watch") {
    // Until interrupted, or until the daemon goes (exit_unreachable: a monitor notices).
    for (std::string ev; read_line(fd, buf, ev, -1, err);)
      print_event(ev, as_json);
    std::fprintf(stderr, "keepalivectl: watch ended: %s\n", err.c_str());
    return exit_unreachable;
  }
  ::close(fd);
  if (as_json) {
    std::printf("%s\n", reply.c_str());
  } else if (cmd == "ping") {
    std::printf("pong\n");
  } else if (cmd == "config") {
    const value* cfg = at(v, {"config"});
    std::printf("%s\n", cfg ? cfg->dump(2, ' ', false, value::error_handler_t::replace).c_str() : "null");
  } else if (cmd == "status") {
    print_status(v);
    print_status_extras(v);
  } else {
    print_reply(cmd, v);
  }
  return exit_ok;
}
