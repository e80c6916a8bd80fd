// keepalive: the daemon. Parses keepalived's command line, loads the config, then wires the
// actors: kernel (netlink writes), scripts (hooks), advert thread (sockets and timing), one
// actor per vrrp_instance, the link watcher and the admin socket. The main thread keeps the
// signals and runs the shutdown sequence.
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>

#include "actors/address_vmacs.hpp"  // use_vmac on addresses
#include "actors/dump_files.hpp"
#include "actors/missing_interfaces.hpp"
#include "actors/load_balancer.hpp"
#include "actors/running_set.hpp"  // reload
#include "actors/metrics_server.hpp"  // metrics_listen
#include "actors/lvs_globals.hpp"
#include "actors/spawn.hpp"
#include "actors/instance_tracking.hpp"
#include "actors/script_users.hpp"
#include "actors/trackers.hpp"
#include "actors/event_bus.hpp"  // live events
#include "kernel/daemon.hpp"
#include "kernel/log.hpp"
#include "kernel/log_facility.hpp"
#include "kernel/systemd_notify.hpp"
#include "kernel/metrics_http.hpp"  // metrics_listen
#include "parser/dump.hpp"
#include "parser/load.hpp"
#include "parser/report.hpp"
#include "protocol/accept_mode.hpp"  // accept mode
#include "protocol/log_thinner.hpp"
#include "protocol/vmac.hpp"

namespace {

using namespace ka;
constexpr const char* version_text = "Keepalive 0.1.0 (keepalived.conf compatible; VRRPv2 over IPv4, VRRPv3 over IPv4 and IPv6)";

struct options {
  std::string config_file = "/etc/keepalived/keepalived.conf";
  bool dont_fork = false;
  bool log_console = false;
  bool log_detail = false;
  int log_facility = -1;  // -S: a <syslog.h> facility; -1 = LOG_DAEMON
  std::string pid_file = "/run/keepalive.pid";
  bool config_test = false;
  bool dump_config = false;
  std::string config_id;  // "" = the host name (parser/preprocess.hpp)
  std::optional<std::string> admin_socket;
  std::optional<std::string> admin_group;
  double notify_timeout = 30;
  bool dont_release_ipvs = false;  // -I: leave the virtual servers in the kernel at exit
};

void usage(FILE* out) {
  std::fprintf(out,
    "Usage: keepalive [OPTION...]\n"
    "  -f, --use-file=FILE       configuration file (default /etc/keepalived/keepalived.conf)\n"
    "  -n, --dont-fork           stay in the foreground\n"
    "  -l, --log-console         log to the console instead of syslog\n"
    "  -D, --log-detail          detailed (debug) logging\n"
    "  -S, --log-facility=F      syslog facility: 0-7 or local0-local7 (LOG_LOCAL0-7),\n"
    "                            user or daemon (default daemon)\n"
    "  -p, --pid=FILE            pid file (default /run/keepalive.pid)\n"
    "  -t, --config-test         check the configuration, print every diagnostic and exit\n"
    "                            (0 = valid, 1 = errors)\n"
    "  -i, --config-id=ID        select the @ID lines of the configuration (default: the\n"
    "                            host name up to its first '.')\n"
    "      --dump-config         print the effective configuration as JSON and exit\n"
    "      --admin-socket=PATH   admin socket (default /run/keepalive.sock, or global_defs\n"
    "                            admin_socket)\n"
    "      --admin-group=NAME    members of group NAME may use the admin socket (mode 0660);\n"
    "                            default: global_defs admin_group, else root only (0600)\n"
    "      --notify-timeout=SEC  kill a notify hook still running after SEC seconds (30)\n"
    "  -I, --dont-release-ipvs   leave the IPVS virtual servers in the kernel at exit\n"
    "  -v, --version             print the version and exit\n"
    "  -h, --help                this help\n");
}

// Returns nullopt to exit with `exit_code`.
std::optional<options> parse_args(int argc, char** argv, int& exit_code) {
  enum { opt_admin = 1000, opt_notify_timeout, opt_admin_group, opt_dump_config };
  static const option longopts[] = {
    {"use-file", required_argument, nullptr, 'f'},
    {"dont-fork", no_argument, nullptr, 'n'},
    {"log-console", no_argument, nullptr, 'l'},
    {"log-detail", no_argument, nullptr, 'D'},
    {"log-facility", required_argument, nullptr, 'S'},
    {"pid", required_argument, nullptr, 'p'},
    {"config-test", no_argument, nullptr, 't'},
    {"config-id", required_argument, nullptr, 'i'},
    {"dump-config", no_argument, nullptr, opt_dump_config},
    {"admin-socket", required_argument, nullptr, opt_admin},
    {"admin-group", required_argument, nullptr, opt_admin_group},
    {"notify-timeout", required_argument, nullptr, opt_notify_timeout},
    {"dont-release-ipvs", no_argument, nullptr, 'I'},
    {"version", no_argument, nullptr, 'v'},
    {"help", no_argument, nullptr, 'h'},
    {nullptr, 0, nullptr, 0},
  };
  options o;
  int c;
  while ((c = getopt_long(argc, argv, "f:nlDS:p:ti:Ivh", longopts, nullptr)) != -1) {
    switch (c) {
      case 'f': o.config_file = optarg; break;
      case 'n': o.dont_fork = true; break;
      case 'l': o.log_console = true; break;
      case 'D': o.log_detail = true; break;
      case 'S':
        if (auto f = kern::parse_log_facility(optarg)) {
          o.log_facility = *f;
          break;
        }
        // keepalived logs "Invalid log facility" and goes on with daemon; a typo here
        // would send every line where nobody looks, so it is refused (README).
        std::fprintf(stderr, "keepalive: --log-facility: expected 0-7, local0-local7, user or daemon, got '%s'\n", optarg);
        exit_code = 1;
        return std::nullopt;
      case 'p': o.pid_file = optarg; break;
      case 't': o.config_test = true; break;
      case 'i': o.config_id = optarg; break;
      case 'I': o.dont_release_ipvs = true; break;
      case opt_dump_config: o.dump_config = true; break;
      case opt_admin: o.admin_socket = optarg; break;
      case opt_admin_group: o.admin_group = optarg; break;
      case opt_notify_timeout: {
        char* end = nullptr;
        o.notify_timeout = std::strtod(optarg, &end);
        if (*end || o.notify_timeout <= 0) {
          std::fprintf(stderr, "keepalive: --notify-timeout: expected seconds > 0, got '%s'\n", optarg);
          exit_code = 1;
          return std::nullopt;
        }
        break;
      }
      case 'v': std::printf("%s\n", version_text); exit_code = 0; return std::nullopt;
      case 'h': usage(stdout); exit_code = 0; return std::nullopt;
      default: usage(stderr); exit_code = 1; return std::nullopt;
    }
  }
  if (optind < argc) {
    std::fprintf(stderr, "keepalive: unexpected argument '%s'\n", argv[optind]);
    usage(stderr);
    exit_code = 1;
    return std::nullopt;
  }
  return o;
}

// Every finding of a load on stderr, in file order (parser/report.hpp): `-t`, and a
// start-up that fails, show the warnings beside the errors.
struct tally {
  int errors = 0, unknown = 0, warnings = 0;
};
tally print_findings(const std::vector<config::diagnostic>& diagnostics,
                     const std::vector<config::config_error>& errors, const std::vector<std::string>& files) {
  tally t;
  for (const auto& line : config::in_file_order(diagnostics, errors, files))
    std::fprintf(stderr, "%s\n", line.to_string().c_str());
  t.errors = static_cast<int>(errors.size());
  for (const auto& d : diagnostics) {
    t.unknown += d.what == config::diagnostic::kind::unknown_keyword;
    t.warnings += d.what == config::diagnostic::kind::warning;
  }
  return t;
}

std::string plural(int n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

// The interfaces the host does not have, as warnings: keepalived says so and runs anyway.
std::vector<config::diagnostic> with_missing_interfaces(const config::config& cfg) {
  std::vector<config::diagnostic> all = cfg.diagnostics;
  for (const auto& m : act::missing_interfaces(cfg)) all.push_back(act::missing_interface_warning(m));
  return all;
}

bool already_running(const std::string& pid_path) {
  std::ifstream in(pid_path);
  long pid = 0;
  if (!(in >> pid) || pid <= 0 || pid == getpid())
    return false;
  if (kill(static_cast<pid_t>(pid), 0) != 0)
    return false;
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  comm >> name;
  return name == "keepalive";
}

// The admin socket's group: --admin-group, else global_defs admin_group ("" = root only).
std::string admin_group_of(const options& o, const config::config& cfg) {
  return o.admin_group ? *o.admin_group : cfg.global.admin_group;
}

// Mode 0600, or 0660 and the group's when one is named. Throws naming the path or group.
std::unique_ptr<kern::unix_listener> open_admin_listener(const std::string& path,
                                                         const std::string& group) {
  if (group.empty())
    return std::make_unique<kern::unix_listener>(path, 0600);
  return std::make_unique<kern::unix_listener>(path, 0660, kern::group_id(group));
}

// accept mode: the nftables table the no_accept instances need, if any (global_defs
// nftables, nftables_priority, nftables_counters), and which families they drop.
// vrrp_garp_interval / vrrp_gna_interval and the garp_group blocks, for the kernel actor.
proto::garp_spacing_table garp_spacing(const config::config& cfg) {
  auto us = [](double s) { return std::chrono::microseconds(static_cast<long long>(s * 1e6 + 0.5)); };
  proto::garp_spacing_table t;
  t.global.arp = us(cfg.global.vrrp.vrrp_garp_interval.value_or(0));
  t.global.na = us(cfg.global.vrrp.vrrp_gna_interval.value_or(0));
  for (const auto& g : cfg.garp_groups)
    t.groups.push_back({proto::garp_spacing{us(g.garp_interval), us(g.gna_interval)}, g.interfaces});
  return t;
}

std::optional<act::firewall_config> firewall_needed(const config::config& cfg) {
  act::firewall_config fw;
  for (const auto& i : cfg.instances) {
    bool strict = proto::strict_mode(i.strict_mode, cfg.global.vrrp.vrrp_strict);
    if (proto::decide_accept(i.accept, strict, i.version, i.priority).accept)
      continue;
    for (const auto* list : {&i.vips, &i.vips_excluded})
      for (const auto& v : *list)
        (v.addr.is_v4() ? fw.v4 : fw.v6) = true;
  }
  if (!fw.v4 && !fw.v6)
    return std::nullopt;
  if (cfg.global.fw.nftables && !cfg.global.fw.nftables->empty())
    fw.opts.table = *cfg.global.fw.nftables;
  if (cfg.global.fw.nftables_priority)
    fw.opts.priority = *cfg.global.fw.nftables_priority;
  fw.opts.counters = cfg.global.fw.nftables_counters;
  return fw;
}

// The service manager's one-line STATUS= (`systemctl status`): what runs and where to ask.
std::string service_status(const config::config& cfg, const std::string& admin_path) {
  return "Running " + plural(static_cast<int>(cfg.instances.size()), "VRRP instance") + ", " +
         plural(static_cast<int>(cfg.virtual_servers.size()), "virtual server") + "; admin socket " +
         admin_path;
}

sigset_t daemon_signals() {
  sigset_t sigs;
  sigemptyset(&sigs);
  // SIGXCPU: the advert thread overran its RLIMIT_RTTIME budget (see advert_actor.cpp);
  // taken here it is a warning, not the default core dump.
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGXCPU})
    sigaddset(&sigs, s);
  sigaddset(&sigs, act::json_dump_signal());  // keepalived's JSON dump signal
  return sigs;
}

// Runs before main and before any static constructor of ours or of CAF: a signal sent
// in the first milliseconds of start-up (pid file just written, admin socket bound) must
// wait for sigwait instead of killing the process and leaving both behind.
__attribute__((constructor(101))) void block_signals_early() {
  sigset_t sigs = daemon_signals();
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  // An ignored signal is discarded even while blocked, and a shell starting us in the
  // background (`keepalive -n &` in a script) hands SIGINT down ignored: take the default
  // disposition back so that sigwait sees it.
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGXCPU, act::json_dump_signal()})
    signal(s, SIG_DFL);
}

// For the one-shot modes (-t, -v, -h, bad arguments): default signal behaviour again, so
// that a pending Ctrl-C takes effect at once.
void unblock_signals() {
  sigset_t sigs = daemon_signals();
  pthread_sigmask(SIG_UNBLOCK, &sigs, nullptr);
}

// The end of -t once the model is loaded: its output flushed, the process ends without
// freeing the model. For a big config that is tens of thousands of structs given back to
// malloc one at a time, about 7% of the run (bench/parse.sh), for a process that is
// about to end; -t starts no thread and holds no file, socket or pid file.
[[noreturn]] void end_config_test(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(code);
}

} // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  auto opts = parse_args(argc, argv, exit_code);
  if (!opts || opts->config_test)
    unblock_signals();
  if (!opts)
    return exit_code;

  config::config cfg;
  try {
    cfg = config::load_file(opts->config_file, opts->config_id);
  } catch (const config::config_error& e) {
    tally t = print_findings(e.diagnostics(), e.all(), e.files());
    std::fprintf(stderr, "keepalive: %s: configuration invalid (%s, %s, %s)\n", opts->config_file.c_str(),
                 plural(t.errors, "error").c_str(), plural(t.unknown, "unknown keyword").c_str(),
                 plural(t.warnings, "warning").c_str());
    return 1;
  }

  if (opts->dump_config) {
    std::printf("%s\n", json(cfg).dump(2, ' ', false, json::error_handler_t::replace).c_str());
    return 0;
  }

  if (opts->config_test) {
    // Unknown keywords fail -t (as keepalived's -t); a missing interface does not: it is a
    // warning, as in keepalived's log, though keepalived's -t then exits 5 (README).
    tally t = print_findings(with_missing_interfaces(cfg), {}, cfg.files);
    if (t.unknown) {
      std::fprintf(stderr, "keepalive: %s: configuration invalid (%s, %s)\n", opts->config_file.c_str(),
                   plural(t.unknown, "unknown keyword").c_str(), plural(t.warnings, "warning").c_str());
      end_config_test(1);
    }
    try {
      if (std::string group = admin_group_of(*opts, cfg); !group.empty())
        kern::group_id(group);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "keepalive: admin_group: %s\n", e.what());
      end_config_test(1);
    }
    std::printf("keepalive: %s: configuration valid (%zu vrrp_instance, %s)\n",
                opts->config_file.c_str(), cfg.instances.size(), plural(t.warnings, "warning").c_str());
    end_config_test(0);
  }

  // Signals are blocked before anything needs cleaning up (pid file, admin socket) and
  // before any thread exists, so that every thread inherits the mask and only sigwait
  // below sees them (see docs/caf-facts.md: masked late, SIGTERM kills the process). A
  // SIGTERM or SIGINT during start-up stays pending and ends the daemon cleanly there.
  // They are blocked already (block_signals_early); this keeps them so for good.
  sigset_t sigs = daemon_signals();
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a vanished admin client must not kill the daemon

  if (already_running(opts->pid_file)) {
    std::fprintf(stderr, "keepalive: already running (pid file %s)\n", opts->pid_file.c_str());
    return 1;
  }

  // One malloc arena for every thread instead of up to 8 per core: with 1,000 instances
  // pmap showed 12 MB of RSS in three thread arenas (messages allocated by one thread and
  // freed by another) besides 4 MB in the main heap. Threads keep their own small caches
  // (tcache), so the shared arena's lock is rarely taken.
  mallopt(M_ARENA_MAX, 1);
  log::init("Keepalive", opts->log_console, opts->log_detail, opts->log_facility);
  for (const auto& line : config::in_file_order(with_missing_interfaces(cfg), {}, cfg.files)) {
    bool note = line.kind == config::kind_text(config::diagnostic::kind::not_acted_on);
    log::write(note ? log::level::notice : log::level::warning, "%s", line.to_string().c_str());
  }

  std::string admin_path = opts->admin_socket ? *opts->admin_socket
                           : !cfg.global.admin_socket.empty() ? cfg.global.admin_socket
                                                              : "/run/keepalive.sock";
  // Bound while the process has one thread (binding sets the umask for an instant, which
  // a hook spawned by another thread at that moment would inherit), and before
  // daemonising, so that a refusal is this command's exit status. A daemon that cannot
  // serve its admin socket does not start: the operator is watching now, not later.
  std::unique_ptr<kern::unix_listener> admin_listener;
  try {
    admin_listener = open_admin_listener(admin_path, admin_group_of(*opts, cfg));
  } catch (const std::exception& e) {
    log::error("admin socket: %s", e.what());
    if (!opts->log_console)
      std::fprintf(stderr, "keepalive: admin socket: %s\n", e.what());
    return 1;
  }

  // metrics_listen: bound before daemonising too, so that a refusal is this exit status.
  int metrics_fd = -1;
  if (const auto& at = cfg.global.metrics_listen) {
    try {
      metrics_fd = kern::listen_tcp(at->addr, at->port);
    } catch (const std::exception& e) {
      log::error("metrics_listen: %s", e.what());
      if (!opts->log_console)
        std::fprintf(stderr, "keepalive: metrics_listen: %s\n", e.what());
      return 1;
    }
  }

  if (!opts->dont_fork) {
    try {
      kern::daemonize();
    } catch (const std::exception& e) {
      log::error("cannot daemonise: %s", e.what());
      return 1;
    }
  }
  log::start_async();  // after the fork: a thread does not survive it
  std::unique_ptr<kern::pid_file> pid;
  try {
    pid = std::make_unique<kern::pid_file>(opts->pid_file);
  } catch (const std::exception& e) {
    log::error("%s", e.what());
    return 1;
  }


  log::notice("Starting %s, %zu VRRP instance(s) from %s", version_text, cfg.instances.size(),
              opts->config_file.c_str());

  caf::actor_system_config sys_cfg;
  // CAF 0.17 scheduler, as measured on a 2-core machine:
  //  - max-throughput is unbounded by default; 100 keeps one busy actor (1,000 adverts
  //    queued for one instance) from holding a worker.
  //  - The default "stealing" policy has idle workers poll their queues and sleep 10 ms
  //    between polls: with max-threads = max(cores, 4) = 4 workers that is ~400 wake-ups a
  //    second and 0.6-0.7 % of a core for a daemon with one idle instance. "sharing" workers
  //    wait on a condition variable instead: no wake-up at all when nothing happens.
  //  - Two workers are enough: the instances do little per message, and everything that
  //    blocks (netlink, hooks, sockets) has a thread of its own. Fewer threads, fewer stacks.
  //  - Every CAF timer (delayed_send, request timeouts) fires from one clock thread, which
  //    sleeps until the next deadline. CAF's own logger is compiled out of Debian's build.
  sys_cfg.set("scheduler.policy", caf::atom("sharing"));
  sys_cfg.set("scheduler.max-threads", 2);
  sys_cfg.set("scheduler.max-throughput", 100);
  caf::actor_system sys{sys_cfg};
  act::event_bus_scope events{sys};  // live events (keepalivectl watch)

  act::kernel_actor kernel;
  try {
    kernel = act::spawn_kernel_actor(sys, firewall_needed(cfg), garp_spacing(cfg));
  } catch (const std::exception& e) {
    log::error("cannot open the kernel interfaces (netlink, packet socket): %s", e.what());
    return 1;
  }
  // Whom scripts run as; refused ones leave the config here (actors/script_users.hpp).
  auto script_ids = act::settle_script_users(cfg);
  act::settle_lvs_hooks(cfg, script_ids);  // load balancing: quorum_up/down, notify_up/down
  auto scripts = act::spawn_script_actor(
    sys, std::chrono::milliseconds(static_cast<long long>(opts->notify_timeout * 1000)),
    script_ids.hooks);
  act::advert_thread_options thread_opts;
  thread_opts.cpus = cfg.global.vrrp_cpu_affinity;
  thread_opts.rt_priority = cfg.global.vrrp_rt_priority;
  thread_opts.nice = cfg.global.vrrp_priority;
  thread_opts.no_swap = cfg.global.vrrp_no_swap;
  thread_opts.rlimit_rttime_us = cfg.global.vrrp_rlimit_rttime;
  auto advert = std::make_unique<act::advert_thread>(sys, std::move(thread_opts));
  // One copy of the config, shared by the instances and the admin socket (bench/scale.sh:
  // per-actor copies and a JSON tree of it cost MBs of RSS), held by the running set,
  // which a reload updates (actors/running_set.hpp).
  auto running = std::make_unique<act::running_set>(
    sys, act::running_set::where_from{opts->config_file, opts->config_id},
    std::make_shared<const config::config>(std::move(cfg)), script_ids, kernel, advert->handle(), scripts);
  // Around every reload, valid or not (actors/running_set.hpp): systemd hears RELOADING=1
  // then READY=1 with the running configuration's STATUS=, and the watchers one event.
  running->on_reload_begin = [] { kern::systemd::reloading(); };
  running->on_reload_end = [&sys, admin_path](const act::running_set::outcome& o) {
    kern::systemd::reloaded(service_status(*o.running, admin_path));
    char counts[160];
    std::snprintf(counts, sizeof counts, "%d kept, %d updated (%d restarted), %d removed, %d added in %.1f ms",
                  o.counts.kept, o.counts.updated, o.counts.restarted, o.counts.removed, o.counts.added, o.ms);
    std::string gen = "config " + std::to_string(o.generation);
    if (o.ok)
      act::publish_event(sys, {0, "reload", "daemon", "config " + std::to_string(o.generation - 1), gen,
                               o.why + ": " + counts});
    else
      act::publish_event(sys, {0, "reload", "daemon", gen, "refused",
                               o.why + ": configuration invalid (" + std::to_string(o.errors.size())
                                 + " error(s)); the running one is kept"});
  };
  running->start();

  json info;
  info["version"] = version_text;
  info["pid"] = static_cast<long>(getpid());
  info["config_file"] = opts->config_file;
  info["router_id"] = running->config()->global.router_id;
  info["admin_socket"] = admin_path;
  info["config_id"] = opts->config_id;
  std::unique_ptr<act::admin_server> admin;
  if (admin_listener) {
    admin = std::make_unique<act::admin_server>(sys, std::move(admin_listener), running->targets(info));
    running->set_admin(admin.get(), info);
    log::info("admin socket on %s", admin_path.c_str());
  }
  std::unique_ptr<act::metrics_server> metrics;  // metrics_listen: the same status, as Prometheus text
  if (metrics_fd >= 0) {
    metrics = std::make_unique<act::metrics_server>(sys, metrics_fd, running->targets(info));
    running->set_metrics(metrics.get());
    log::info("metrics on http://%s/metrics", running->config()->global.metrics_listen->to_string().c_str());
  }
  // Type=notify (etc/keepalive.service): the instances are started and the admin socket
  // answers, so units ordered after this one may rely on both.
  kern::systemd::ready(service_status(*running->config(), admin_path));

  proto::log_thinner xcpu_log;
  for (;;) {
    // Between signals, every 5 s, hand the heap's free pages back to the kernel. Start-up
    // and `status` answers for 1,000 instances leave ~10 MB of free chunks between live
    // ones, where glibc's top-of-heap trimming cannot reach them (malloc_info on a master
    // of 1,000 instances: 14.9 MB heap, 9.9 MB of it free; malloc_trim: RSS 22 -> 14 MB).
    timespec period{5, 0};
    int sig = sigtimedwait(&sigs, nullptr, &period);
    if (sig < 0) {
      if (errno == EAGAIN)
        malloc_trim(0);
      continue;
    }
    if (sig == SIGTERM || sig == SIGINT) {
      log::notice("Stopping on %s", strsignal(sig));
      kern::systemd::stopping(std::string("Stopping on ") + strsignal(sig));
      break;
    }
    if (sig == SIGXCPU) {
      // Sent once a second while the overrun lasts: one line per 10 s, with the count.
      if (auto v = xcpu_log.on_event(proto::clock::now()); v.log)
        log::warning("the advert thread ran past its real-time budget (RLIMIT_RTTIME) without "
                     "sleeping: a packet flood? It keeps running (%llu more not logged)",
                     static_cast<unsigned long long>(v.suppressed));
    }
    else if (sig == SIGHUP)
      running->reload("SIGHUP");  // logs what it did, or the errors and that nothing changed
    else if (act::dump_kind kind; act::dump_for_signal(sig, kind))  // keepalived's dump files
      act::write_dump(sys, kind, running->targets(info));
    else
      log::warning("%s: not supported yet; ignored", strsignal(sig));
  }

  // Instances release (priority 0, STOP hooks), pools remove their services (unless -I).
  running->shut_down(opts->dont_release_ipvs);
  {
    // accept mode: the masters have taken their addresses out of the drop sets; the
    // tables go too, as keepalived leaves none behind at a clean exit.
    caf::scoped_actor self{sys};
    self->request(kernel, std::chrono::seconds(1), act::firewall_atom::value, act::stop_atom::value)
      .receive([](const act::kernel_errors&) {}, [](caf::error& e) {
        log::error("shutdown: nftables tables not removed: %s", to_string(e).c_str());
      });
  }
  admin.reset();
  metrics.reset();
  running->exit_all();  // the link watcher first, then every configured actor
  advert->stop();
  caf::anon_send_exit(scripts, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(kernel, caf::exit_reason::user_shutdown);
  log::notice("Stopped");
  log::stop();  // every queued line written before exit
  return 0;
}
