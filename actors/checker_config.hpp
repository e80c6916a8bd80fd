// From the config model to a runnable checker: a checker block, its real server and its
// virtual server give the probe to start (connect_ip/connect_port default to the real
// server's address and port) and the timers (checker <- real_server <- virtual_server <-
// keepalived's defaults, protocol/checker_state.hpp). One planner per checker kind; a kind
// without a probe yet gets an error that says so, never a checker that pretends.
#pragma once
#include <functional>
#include <string>

#include "kernel/probe.hpp"
#include "parser/config.hpp"
#include "protocol/checker_state.hpp"

namespace ka::act {

// Starts one check; the callback is called once, on an engine thread.
using probe_starter = std::function<void(kern::probe_engine&, kern::probe_callback)>;

struct checker_plan {
  std::string kind;              // TCP_CHECK, HTTP_GET, ...
  std::string target;            // "192.0.2.10:80", for logs and status
  proto::checker_timing timing;
  probe_starter start;           // empty when `error` is set
  std::string error;             // "checker kind DNS_CHECK not implemented", a bad ca file, ...
};

struct checker_context {
  const config::config& all;
  const config::virtual_server& vs;
  const config::real_server& rs;
  const config::checker& c;
  kern::probe_target target;     // resolved: address, port, source options, timeout
};

// Builds the probe of one kind; sets `error` when it cannot.
using probe_planner = probe_starter (*)(const checker_context& ctx, std::string& error);
// Null for a kind with no probe yet. Kinds live in actors/checker_config.cpp's table.
probe_planner planner_for(config::checker_kind k);

// The timers of `c` as inherited, with keepalived's per-kind defaults.
proto::checker_timing resolve_timing(const config::virtual_server& vs, const config::real_server& rs,
                                     const config::checker& c);

checker_plan plan_checker(const config::config& all, const config::virtual_server& vs,
                          const config::real_server& rs, const config::checker& c);


} // namespace ka::act
