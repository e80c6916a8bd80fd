// The probe module's one entry point (actors/probe_module.hpp): what the daemon calls
// into once it has loaded keepalive-probes.so.
#include "actors/probe_module.hpp"

namespace {

std::shared_ptr<ka::kern::probe_engine> make_engine(unsigned threads) {
  return std::make_shared<ka::kern::probe_engine>(threads);
}

const ka::act::probe_module_api k_api{ka::act::k_probe_module_abi,
                                      sizeof(ka::config::config),
                                      sizeof(ka::act::checker_plan),
                                      sizeof(ka::kern::probe_target),
                                      &make_engine,
                                      &ka::act::plan_checker};

} // namespace

extern "C" __attribute__((visibility("default"))) const ka::act::probe_module_api* ka_probe_module_v1() {
  return &k_api;
}
