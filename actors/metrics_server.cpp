#include "actors/metrics_server.hpp"

#include "actors/status_gather.hpp"

#include <mutex>
#include "kernel/metrics_http.hpp"
#include "kernel/self_stats.hpp"
#include "protocol/keepalive_metrics.hpp"

namespace ka::act {

namespace {
// As the admin socket's status: every actor asked at once, each answer due within this.
constexpr auto scrape_deadline = std::chrono::seconds(1);
} // namespace

// reload: the targets are swapped under the lock; a scrape takes a copy of the pointer and
// gathers without holding it (a gathering may wait up to scrape_deadline).
struct metrics_server::shared_targets {
  std::mutex mu;
  std::shared_ptr<const admin_targets> now;
};

metrics_server::metrics_server(caf::actor_system& sys, int listen_fd, admin_targets targets)
  : targets_(std::make_shared<shared_targets>()) {
  targets_->now = std::make_shared<const admin_targets>(std::move(targets));
  auto started = std::chrono::steady_clock::now();
  auto render = [&sys, shared = targets_, started] {
    std::shared_ptr<const admin_targets> t;
    {
      std::lock_guard<std::mutex> lock(shared->mu);
      t = shared->now;
    }
    json status = gather_status(sys, *t, started, scrape_deadline);
    proto::process_facts p{kern::process_start_time(), kern::resident_bytes()};
    return proto::render_metrics(status, p);
  };
  http_ = std::make_unique<kern::metrics_http>(listen_fd, std::move(render), proto::prom::content_type);
}

metrics_server::~metrics_server() { stop(); }

void metrics_server::set_targets(admin_targets targets) {
  auto t = std::make_shared<const admin_targets>(std::move(targets));
  std::lock_guard<std::mutex> lock(targets_->mu);
  targets_->now = std::move(t);
}

void metrics_server::stop() {
  if (http_)
    http_->stop();
}

} // namespace ka::act
