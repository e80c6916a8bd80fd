#include "actors/probe_module.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <climits>
#include <mutex>

namespace ka::act {

namespace {

std::string executable_dir() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  std::string p(buf, static_cast<std::size_t>(n));
  auto slash = p.rfind('/');
  return slash == std::string::npos ? std::string{} : p.substr(0, slash);
}

const probe_module_api* load(std::string& error) {
  std::string tried;
  std::vector<std::string> places;
  // Beside the executable (a build tree), or in PREFIX/lib/keepalive for PREFIX/sbin/keepalive
  // (installed: the Debian package's /usr/lib/keepalive).
  if (auto d = executable_dir(); !d.empty()) {
    places.push_back(d + "/" + k_probe_module_file);
    places.push_back(d + "/../lib/keepalive/" + k_probe_module_file);
  }
  for (const auto& path : places) {
    if (access(path.c_str(), F_OK) != 0) {
      tried += (tried.empty() ? "" : ", ") + path + " (absent)";
      continue;
    }
    // RTLD_NOW: a symbol the executable does not provide is an error here, not a crash
    // at the first probe.
    void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      error = std::string("cannot load the probe module: ") + dlerror();
      return nullptr;
    }
    auto entry = reinterpret_cast<const probe_module_api* (*)()>(dlsym(h, k_probe_module_entry));
    const probe_module_api* api = entry ? entry() : nullptr;
    if (!api || api->abi != k_probe_module_abi || api->config_size != sizeof(config::config) ||
        api->plan_size != sizeof(checker_plan) || api->target_size != sizeof(kern::probe_target)) {
      error = "the probe module " + path + " is from another build of keepalive";
      dlclose(h);
      return nullptr;
    }
    return api;  // never unloaded: plans and engines hold its code
  }
  error = "the probe module is not installed (tried " + tried + ")";
  return nullptr;
}

} // namespace

const probe_module_api* load_probe_module(std::string& error) {
  static std::once_flag once;
  static const probe_module_api* api = nullptr;
  static std::string why;
  std::call_once(once, [] { api = load(why); });
  error = why;
  return api;
}

} // namespace ka::act
