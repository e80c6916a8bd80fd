// keepalive: the daemon. Parses keepalived's command line, loads the config, then wires the
// actors: kernel (netlink writes), scripts (hooks), advert thread (sockets and timing), one
// actor per vrrp_instance, the link watcher and the admin socket. The main thread keeps the
// signals and runs the shutdown sequence.
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <getopt.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>

#include "actors/spawn.hpp"
#include "kernel/daemon.hpp"
#include "kernel/log.hpp"
#include "parser/dump.hpp"
#include "parser/load.hpp"

namespace {

using namespace ka;
constexpr const char* version_text = "Keepalive 0.1.0 (keepalived.conf compatible; VRRPv2 over IPv4)";

struct options {
  std::string config_file = "/etc/keepalived/keepalived.conf";
  bool dont_fork = false;
  bool log_console = false;
  bool log_detail = false;
  std::string pid_file = "/run/keepalive.pid";
  bool config_test = false;
  bool dump_config = false;
  std::string config_id;  // "" = the host name (parser/preprocess.hpp)
  std::optional<std::string> admin_socket;
  std::optional<std::string> admin_group;
  double notify_timeout = 30;
};

void usage(FILE* out) {
  std::fprintf(out,
    "Usage: keepalive [OPTION...]\n"
    "  -f, --use-file=FILE       configuration file (default /etc/keepalived/keepalived.conf)\n"
    "  -n, --dont-fork           stay in the foreground\n"
    "  -l, --log-console         log to the console instead of syslog\n"
    "  -D, --log-detail          detailed (debug) logging\n"
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
    {"pid", required_argument, nullptr, 'p'},
    {"config-test", no_argument, nullptr, 't'},
    {"config-id", required_argument, nullptr, 'i'},
    {"dump-config", no_argument, nullptr, opt_dump_config},
    {"admin-socket", required_argument, nullptr, opt_admin},
    {"admin-group", required_argument, nullptr, opt_admin_group},
    {"notify-timeout", required_argument, nullptr, opt_notify_timeout},
    {"version", no_argument, nullptr, 'v'},
    {"help", no_argument, nullptr, 'h'},
    {nullptr, 0, nullptr, 0},
  };
  options o;
  int c;
  while ((c = getopt_long(argc, argv, "f:nlDp:ti:vh", longopts, nullptr)) != -1) {
    switch (c) {
      case 'f': o.config_file = optarg; break;
      case 'n': o.dont_fork = true; break;
      case 'l': o.log_console = true; break;
      case 'D': o.log_detail = true; break;
      case 'p': o.pid_file = optarg; break;
      case 't': o.config_test = true; break;
      case 'i': o.config_id = optarg; break;
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

const char* kind_text(config::diagnostic::kind k) {
  switch (k) {
    case config::diagnostic::kind::unknown_keyword: return "unknown keyword";
    case config::diagnostic::kind::not_acted_on: return "not acted on yet";
    case config::diagnostic::kind::warning: return "warning";
  }
  return "";
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

// Shutdown budget: the whole sequence must end within a second of the signal.
void shut_down(caf::actor_system& sys, const std::vector<act::instance_actor>& instances,
               const act::script_actor& scripts) {
  using namespace std::chrono;
  auto deadline = steady_clock::now() + milliseconds(900);
  auto left = [&] {
    return std::max(milliseconds(1), duration_cast<milliseconds>(deadline - steady_clock::now()));
  };
  caf::scoped_actor self{sys};
  // One after another: each takes a few milliseconds (one advert, one netlink delete).
  for (const auto& i : instances)
    self->request(i, left(), act::shutdown_atom::value)
      .receive([](bool) {}, [](caf::error& e) {
        log::error("shutdown: an instance did not finish: %s", to_string(e).c_str());
      });
  self->request(scripts, left(), act::drain_atom::value)
    .receive([](bool) {}, [](caf::error&) {
      log::warning("shutdown: notify hooks still running; not waiting for them");
    });
}

} // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  auto opts = parse_args(argc, argv, exit_code);
  if (!opts)
    return exit_code;

  config::config cfg;
  try {
    cfg = config::load_file(opts->config_file, opts->config_id);
  } catch (const config::config_error& e) {
    if (!opts->config_test && !opts->dump_config) {
      std::fprintf(stderr, "keepalive: %s\n", e.what());
      return 1;
    }
    // One error per line of what(): the validator may report several (config_error).
    std::string all = e.what();
    int errors = 0;
    for (std::size_t b = 0; b < all.size();) {
      std::size_t nl = all.find('\n', b);
      std::string one = all.substr(b, nl == std::string::npos ? std::string::npos : nl - b);
      b = nl == std::string::npos ? all.size() : nl + 1;
      if (one.empty()) continue;
      ++errors;
      // "file:line:column: found X, expected Y" -> "file:line:column: error: found X, expected Y"
      std::size_t at = one.find(": found ");
      if (at == std::string::npos) std::fprintf(stderr, "%s: error\n", one.c_str());
      else std::fprintf(stderr, "%s: error: %s\n", one.substr(0, at).c_str(), one.substr(at + 2).c_str());
    }
    std::fprintf(stderr, "keepalive: %s: configuration invalid (%d error%s)\n", opts->config_file.c_str(),
                 errors, errors == 1 ? "" : "s");
    return 1;
  }

  if (opts->dump_config) {
    std::printf("%s\n", json(cfg).dump(2, ' ', false, json::error_handler_t::replace).c_str());
    return 0;
  }

  if (opts->config_test) {
    int unknown = 0;
    for (const auto& d : cfg.diagnostics) {
      unknown += d.what == config::diagnostic::kind::unknown_keyword;
      std::fprintf(stderr, "%s: %s: %s\n", d.where.to_string().c_str(), kind_text(d.what),
                   d.message.c_str());
    }
    if (unknown) {
      std::fprintf(stderr, "keepalive: %s: configuration invalid (%d unknown keyword%s)\n",
                   opts->config_file.c_str(), unknown, unknown == 1 ? "" : "s");
      return 1;
    }
    try {
      if (std::string group = admin_group_of(*opts, cfg); !group.empty())
        kern::group_id(group);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "keepalive: admin_group: %s\n", e.what());
      return 1;
    }
    std::printf("keepalive: %s: configuration valid (%zu vrrp_instance)\n",
                opts->config_file.c_str(), cfg.instances.size());
    return 0;
  }

  if (already_running(opts->pid_file)) {
    std::fprintf(stderr, "keepalive: already running (pid file %s)\n", opts->pid_file.c_str());
    return 1;
  }

  log::init("Keepalive", opts->log_console, opts->log_detail);
  for (const auto& d : cfg.diagnostics) {
    auto lv = d.what == config::diagnostic::kind::not_acted_on ? log::level::notice
                                                                : log::level::warning;
    log::write(lv, "%s: %s: %s", d.where.to_string().c_str(), kind_text(d.what), d.message.c_str());
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

  if (!opts->dont_fork) {
    try {
      kern::daemonize();
    } catch (const std::exception& e) {
      log::error("cannot daemonise: %s", e.what());
      return 1;
    }
  }
  std::unique_ptr<kern::pid_file> pid;
  try {
    pid = std::make_unique<kern::pid_file>(opts->pid_file);
  } catch (const std::exception& e) {
    log::error("%s", e.what());
    return 1;
  }

  // Signals are blocked before any thread exists so that every thread inherits the mask
  // and only sigwait below sees them (caf-notes: masked late, SIGTERM kills the process).
  sigset_t sigs;
  sigemptyset(&sigs);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2})
    sigaddset(&sigs, s);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a vanished admin client must not kill the daemon

  log::notice("Starting %s, %zu VRRP instance(s) from %s", version_text, cfg.instances.size(),
              opts->config_file.c_str());

  caf::actor_system_config sys_cfg;
  // caf-notes: bounded throughput keeps one busy actor from holding a worker; fewer poll
  // attempts cut idle CPU from ~15 % to ~2 % of a core.
  sys_cfg.set("scheduler.max-throughput", 100);
  sys_cfg.set("work-stealing.aggressive-poll-attempts", 1);
  sys_cfg.set("work-stealing.moderate-poll-attempts", 1);
  caf::actor_system sys{sys_cfg};

  act::kernel_actor kernel;
  try {
    kernel = act::spawn_kernel_actor(sys);
  } catch (const std::exception& e) {
    log::error("cannot open the kernel interfaces (netlink, packet socket): %s", e.what());
    return 1;
  }
  auto scripts = act::spawn_script_actor(
    sys, std::chrono::milliseconds(static_cast<long long>(opts->notify_timeout * 1000)));
  auto advert = std::make_unique<act::advert_thread>(sys);
  std::vector<act::instance_actor> instances;
  std::uint32_t next_id = 1;
  for (const auto& ic : cfg.instances)
    instances.push_back(act::spawn_instance_actor(sys, ic, next_id++, kernel, advert->handle(), scripts));

  std::unique_ptr<act::link_watcher> watcher;
  try {
    watcher = std::make_unique<act::link_watcher>(instances);
  } catch (const std::exception& e) {
    log::error("link watcher: %s: interface and address changes will go unnoticed", e.what());
  }
  for (const auto& i : instances)
    caf::anon_send(i, act::init_atom::value);

  json info;
  info["version"] = version_text;
  info["pid"] = static_cast<long>(getpid());
  info["config_file"] = opts->config_file;
  info["router_id"] = cfg.global.router_id;
  info["admin_socket"] = admin_path;
  info["config_id"] = opts->config_id;
  std::unique_ptr<act::admin_server> admin;
  if (admin_listener) {
    admin = std::make_unique<act::admin_server>(
      sys, std::move(admin_listener),
      act::admin_targets{instances, advert->handle(), scripts, kernel, info, json(cfg),
                         config::not_in_effect(cfg)});
    log::info("admin socket on %s", admin_path.c_str());
  }

  for (;;) {
    int sig = 0;
    if (sigwait(&sigs, &sig) != 0)
      continue;
    if (sig == SIGTERM || sig == SIGINT) {
      log::notice("Stopping on %s", strsignal(sig));
      break;
    }
    if (sig == SIGHUP)
      log::warning("SIGHUP: configuration reload is not supported yet; keeping the running configuration");
    else
      log::warning("%s: not supported yet; ignored", strsignal(sig));
  }

  shut_down(sys, instances, scripts);
  admin.reset();
  watcher.reset();
  advert->stop();
  for (const auto& i : instances)
    caf::anon_send_exit(i, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(scripts, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(kernel, caf::exit_reason::user_shutdown);
  log::notice("Stopped");
  return 0;
}
