// The rules of one load-balancing pool (a virtual_server): which real servers are up,
// the quorum with its hysteresis, the sorry server, inhibit_on_failure, alpha and omega,
// and from those the destinations its services should have in the kernel.
// Pure: the pool actor (actors/pool_actor.cpp) feeds it checker verdicts and sends the
// difference between desired() and the kernel (protocol/ipvs_diff.hpp).
//
// The rules are keepalived 2.2.7's (keepalived.conf(5), virtual_server section):
// - A real server is up when all its checkers are up. A checker with `alpha` starts down
//   (its server is then down until it succeeds); one without starts up. A real server
//   without checkers is always up.
// - Quorum: the sum of the weights of the up real servers. At start the quorum is up when
//   that sum >= quorum + hysteresis. Up, it is lost when the sum falls below
//   quorum - hysteresis, or to 0; down, it is gained when the sum reaches quorum + hysteresis.
//   Each change is evaluated once per event (a report), as keepalived does.
// - While the quorum is down and a sorry_server is configured, the sorry server is in the
//   table and the up real servers are taken out (weight 0 with inhibit_on_failure); when
//   the quorum comes back the sorry server goes (weight 0 with sorry_server_inhibit) and
//   the up servers return. Starting with the quorum down and a sorry server counts as a
//   quorum loss (quorum_down runs); without a sorry server it does not.
// - A down real server is removed, or kept at weight 0 with inhibit_on_failure (also one
//   that never came up).
// - An alpha checker whose first verdict is "down" runs its server's notify_down although
//   the server was down already.
// - omega: at shutdown, notify_down for each up real server in the table, then quorum_down.
// - rs_init_notifies (global_defs): at start, notify_up for each real server that starts up.
// Nothing here depends on time: retries and delays are the checkers' business.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/ipvs_types.hpp"

namespace ka::proto {

struct pool_server_settings {
  ipvs_dest dest;               // endpoint, forwarding, configured weight, thresholds
  bool inhibit = false;         // inhibit_on_failure: weight 0 instead of removal
  std::vector<bool> alpha;      // one per checker: starts down until its first success
};

struct pool_sorry_settings {
  ipvs_dest dest;
  bool inhibit = false;         // sorry_server_inhibit: kept at weight 0 while not needed
};

struct pool_settings {
  std::vector<pool_server_settings> servers;  // the real servers, sorry server excluded
  std::optional<pool_sorry_settings> sorry;
  long quorum = 1, hysteresis = 0;
  bool omega = false;
  bool rs_init_notifies = false;  // global_defs: notify_up at start for each server up
};

// What happened, for notify scripts, logs and the status.
struct pool_event {
  enum class kind : std::uint8_t {
    server_up,       // notify_up
    server_down,     // notify_down
    quorum_up,       // quorum_up
    quorum_down,     // quorum_down
    weight_change,   // a checker's new weight (misc_dynamic): log only
  };
  kind what = kind::server_up;
  std::uint32_t server = 0;     // index in pool_settings::servers (server events)
  // false: not a change of state: alpha's first "down" (the server was down already), or
  // rs_init_notifies' "up" at start
  bool transition = true;
  long weight_sum = 0;          // quorum events: the sum that decided
  int old_weight = 0, new_weight = 0;  // weight_change
  friend bool operator==(const pool_event& a, const pool_event& b) {
    return a.what == b.what && a.server == b.server && a.transition == b.transition;
  }
};
const char* pool_event_name(pool_event::kind k);  // "server up", ...

class pool_rules {
public:
  explicit pool_rules(pool_settings s);

  // The start-up evaluation: with rs_init_notifies an "up" for each server up, then
  // keepalived's "Starting with quorum down" when it applies. Call once.
  std::vector<pool_event> start();
  // One checker's verdict on a server, and the weight it reports (misc_dynamic).
  // Out-of-range indices are ignored (no events).
  std::vector<pool_event> report(std::uint32_t server, std::uint32_t checker, bool up,
                                 std::optional<int> weight = std::nullopt);
  // Shutdown: omega's notifies (none without omega). The state is left as it was.
  std::vector<pool_event> stop() const;

  // Destinations the services should have now, each endpoint once.
  std::vector<ipvs_dest> desired() const;

  const pool_settings& settings() const { return s_; }
  bool server_up(std::uint32_t i) const { return servers_.at(i).alive; }
  int weight(std::uint32_t i) const { return servers_.at(i).weight; }
  bool checker_up(std::uint32_t i, std::uint32_t k) const { return servers_.at(i).checker_up.at(k); }
  // In the table with a weight that gets connections (up and not displaced by the sorry server).
  bool serving(std::uint32_t i) const;
  bool quorum_up() const { return quorum_up_; }
  bool sorry_active() const { return s_.sorry && !quorum_up_; }
  long weight_sum() const;

private:
  struct server_state {
    bool alive = true;
    int weight = 1;             // effective: configured, or the last reported
    std::vector<bool> checker_up, has_run;
  };
  void update_quorum(bool init, std::vector<pool_event>& out);

  pool_settings s_;
  std::vector<server_state> servers_;
  bool quorum_up_ = true;
};

} // namespace ka::proto
