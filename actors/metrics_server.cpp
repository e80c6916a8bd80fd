#include "actors/metrics_server.hpp"

#include "actors/status_gather.hpp"
#include "kernel/metrics_http.hpp"
#include "kernel/self_stats.hpp"
#include "protocol/keepalive_metrics.hpp"

namespace ka::act {

namespace {
// As the admin socket's status: every actor asked at once, each answer due within this.
constexpr auto scrape_deadline = std::chrono::seconds(1);
} // namespace

metrics_server::metrics_server(caf::actor_system& sys, int listen_fd, admin_targets targets) {
  auto started = std::chrono::steady_clock::now();
  auto render = [&sys, t = std::move(targets), started] {
    json status = gather_status(sys, t, started, scrape_deadline);
    proto::process_facts p{kern::process_start_time(), kern::resident_bytes()};
    return proto::render_metrics(status, p);
  };
  http_ = std::make_unique<kern::metrics_http>(listen_fd, std::move(render), proto::prom::content_type);
}

metrics_server::~metrics_server() { stop(); }

void metrics_server::stop() {
  if (http_)
    http_->stop();
}

} // namespace ka::act
