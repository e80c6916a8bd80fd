// keepalived's dump files, for tooling written against them: SIGUSR1's data dump
// (/tmp/keepalived.data), SIGUSR2's stats (/tmp/keepalived.stats) and the JSON dump
// (/tmp/keepalived.json, keepalived's real-time signal `--signum=JSON`). Layout, section
// headers, field names, counter names and JSON keys as keepalived 2.2.7 writes them for the
// features Keepalive has (README "Dump files"); sections about keepalived's internals
// (sockpool, interfaces, threads) are left out. Pure: the daemon gathers the running state
// (actors/dump_files.cpp) and these render it.
#pragma once
#include <string>

#include "parser/config.hpp"
#include "parser/dump.hpp"  // ka::json

namespace ka::config {

// What the running daemon adds to the configuration:
//   "now": wall-clock seconds (double), "host": this host's name,
//   "instances": each instance's status as the admin socket shows it (with its advert
//     counters under "counters"), in the config's order,
//   "groups": the sync groups' statuses (found by name).
std::string keepalived_data_dump(const config& cfg, const json& running);
std::string keepalived_stats_dump(const config& cfg, const json& running);
std::string keepalived_json_dump(const config& cfg, const json& running);

} // namespace ka::config
