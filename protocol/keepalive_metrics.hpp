// Which Prometheus series Keepalive exports, and from what: the `status` answer that the
// admin socket gives (actors/status_gather.hpp) turned into keepalive_* metric families
// (README "Metrics" lists them). Pure: JSON in, text out, so that the mapping is tested
// without a daemon (tests/unit/test_prom_text.cpp).
#pragma once
#include <optional>
#include <string>

#include "protocol/admin_protocol.hpp"  // json
#include "protocol/prom_text.hpp"

namespace ka::proto {

// Facts about the process itself that no actor holds.
struct process_facts {
  std::optional<double> start_time_s;   // since the Unix epoch
  std::optional<double> rss_bytes;
};

// Adds every series the status holds. Parts that did not answer in time (an actor's
// {"ok": false, "error": ...}) are skipped and counted in keepalive_status_unanswered.
void add_status_metrics(prom::exposition& out, const json& status);
void add_process_metrics(prom::exposition& out, const process_facts& p);

// The whole scrape body.
std::string render_metrics(const json& status, const process_facts& p);

} // namespace ka::proto
