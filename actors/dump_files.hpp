// keepalived's dump files on its signals (README "Dump files"): SIGUSR1 writes the data
// dump, SIGUSR2 the stats, keepalived's JSON signal (SIGRTMIN+2, `keepalived
// --signum=JSON`) the JSON dump. The running state is gathered as the admin socket's
// status gathers it (actors/status_gather.hpp), rendered by parser/dump_keepalived.hpp and
// written whole (kernel/atomic_file.hpp), mode 0600 as keepalived's.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "actors/spawn.hpp"
#include "parser/config.hpp"

namespace ka::act {

enum class dump_kind { data, stats, json };

// keepalived's number for its JSON dump signal: SIGRTMIN + 2 (36 with glibc).
int json_dump_signal();
// Which dump a signal asks for; false: none.
bool dump_for_signal(int sig, dump_kind& kind);

// keepalived's paths: /tmp/keepalived.data (/tmp/keepalived.NAME.data with
// global_defs data_use_instance and a top-level `instance NAME`), /tmp/keepalived.stats,
// /tmp/keepalived.json.
std::string dump_path(dump_kind kind, const config::config& cfg);

// Gathers (the admin socket's status, actors/status_gather.hpp), renders and writes one
// dump; logs the outcome. Takes at most about a second (the gather's deadline) whatever
// the actors do.
void write_dump(caf::actor_system& sys, dump_kind kind, const admin_targets& src);

} // namespace ka::act
