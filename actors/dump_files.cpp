#include "actors/dump_files.hpp"

#include <caf/actor_system.hpp>

#include <signal.h>
#include <unistd.h>

#include <chrono>

#include "actors/status_gather.hpp"
#include "kernel/atomic_file.hpp"
#include "kernel/log.hpp"
#include "parser/dump_keepalived.hpp"

namespace ka::act {

int json_dump_signal() { return SIGRTMIN + 2; }

bool dump_for_signal(int sig, dump_kind& kind) {
  if (sig == SIGUSR1) kind = dump_kind::data;
  else if (sig == SIGUSR2) kind = dump_kind::stats;
  else if (sig == json_dump_signal()) kind = dump_kind::json;
  else return false;
  return true;
}

std::string dump_path(dump_kind kind, const config::config& cfg) {
  switch (kind) {
    case dump_kind::data:
      if (cfg.global.process.data_use_instance && cfg.daemon.instance && !cfg.daemon.instance->empty())
        return "/tmp/keepalived." + *cfg.daemon.instance + ".data";
      return "/tmp/keepalived.data";
    case dump_kind::stats: return "/tmp/keepalived.stats";
    case dump_kind::json: return "/tmp/keepalived.json";
  }
  return {};
}

void write_dump(caf::actor_system& sys, dump_kind kind, const admin_targets& src) {
  using namespace std::chrono;
  constexpr auto deadline = milliseconds(1000);
  json running;
  running["now"] = duration<double>(system_clock::now().time_since_epoch()).count();
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  running["host"] = host;
  json status = gather_status(sys, src, steady_clock::now(), deadline);
  running["instances"] = std::move(status["instances"]);  // each with its advert counters
  running["groups"] = std::move(status["sync_groups"]);
  std::string text;
  switch (kind) {
    case dump_kind::data: text = config::keepalived_data_dump(*src.config, running); break;
    case dump_kind::stats: text = config::keepalived_stats_dump(*src.config, running); break;
    case dump_kind::json: text = config::keepalived_json_dump(*src.config, running); break;
  }
  std::string path = dump_path(kind, *src.config);
  if (auto err = kern::write_file_atomically(path, text, 0600); !err.empty())
    log::error("dump: %s", err.c_str());
  else
    log::info("dump: wrote %s", path.c_str());
}

} // namespace ka::act
