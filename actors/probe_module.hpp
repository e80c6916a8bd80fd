// The health-check probes live in a module of their own (keepalive-probes.so), loaded the
// first time a configuration has checkers. Why: the probes need OpenSSL, c-ares and PCRE2,
// and merely linking them costs ~1.9 MB of RSS in every daemon, most of which run VRRP
// alone (a two-line C program linked to libssl: 1.2 -> 3.0 MB; the daemon with 1,000 VRRP
// instances: 16.0 MB, of which libcrypto 1.45 and libssl 0.23). Loaded, the module
// resolves the daemon's own functions (config names, address formatting, processes) from
// the executable, which exports its ka:: symbols for that (actors/exports.list).
// No CAF here: the loader is plain dlopen.
#pragma once
#include <memory>
#include <string>

#include "actors/checker_config.hpp"
#include "kernel/probe.hpp"

namespace ka::act {

// What the module offers. Both sides are built from the same tree; `abi` and the sizes
// catch a module left over from another build.
struct probe_module_api {
  int abi;
  std::size_t config_size, plan_size, target_size;
  // The probes' I/O threads; the engine is destroyed by code of the module.
  std::shared_ptr<kern::probe_engine> (*make_engine)(unsigned threads);
  checker_plan (*plan)(const config::config& all, const config::virtual_server& vs,
                       const config::real_server& rs, const config::checker& c);
};

inline constexpr int k_probe_module_abi = 1;
inline constexpr const char* k_probe_module_entry = "ka_probe_module_v1";
inline constexpr const char* k_probe_module_file = "keepalive-probes.so";

// Loads the module once (later calls return the same answer): first beside the running
// executable (a build tree), then in ../lib/keepalive from it (installed). Null with `error` set when it
// cannot be loaded or does not match this build.
const probe_module_api* load_probe_module(std::string& error);

} // namespace ka::act
