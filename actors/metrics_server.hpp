// The metrics listener (global_defs metrics_listen): Prometheus text on GET /metrics.
// kernel/metrics_http.hpp serves HTTP on a thread of its own; each scrape asks every actor
// for its status the way the admin socket does (actors/status_gather.hpp) and renders it
// (protocol/keepalive_metrics.hpp). No actor is ever held by a client.
#pragma once
#include <memory>

#include "actors/spawn.hpp"

namespace ka::kern { class metrics_http; }

namespace ka::act {

class metrics_server {
public:
  // Serves `listen_fd` (kern::listen_tcp, made before daemonising).
  metrics_server(caf::actor_system& sys, int listen_fd, admin_targets targets);
  ~metrics_server();
  void set_targets(admin_targets targets);  // reload: what the next scrapes gather from
  void stop();
private:
  struct shared_targets;
  std::shared_ptr<shared_targets> targets_;
  std::unique_ptr<kern::metrics_http> http_;
};

} // namespace ka::act
