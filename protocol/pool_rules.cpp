#include "protocol/pool_rules.hpp"

#include <algorithm>

namespace ka::proto {
namespace {
// A weight as IPVS takes it: never negative (a dynamic checker may compute one below 0).
constexpr int k_max_weight = 65535;
int clamp_weight(int w) { return std::clamp(w, 0, k_max_weight); }
} // namespace

const char* pool_event_name(pool_event::kind k) {
  switch (k) {
    case pool_event::kind::server_up: return "server up";
    case pool_event::kind::server_down: return "server down";
    case pool_event::kind::quorum_up: return "quorum up";
    case pool_event::kind::quorum_down: return "quorum down";
    case pool_event::kind::weight_change: return "weight change";
  }
  return "?";
}

pool_rules::pool_rules(pool_settings s) : s_(std::move(s)) {
  servers_.reserve(s_.servers.size());
  for (const auto& cfg : s_.servers) {
    server_state st;
    st.weight = clamp_weight(cfg.dest.weight);
    st.checker_up.reserve(cfg.alpha.size());
    for (bool a : cfg.alpha) st.checker_up.push_back(!a);
    st.has_run.assign(cfg.alpha.size(), false);
    st.alive = std::all_of(st.checker_up.begin(), st.checker_up.end(), [](bool u) { return u; });
    servers_.push_back(std::move(st));
  }
  quorum_up_ = weight_sum() >= s_.quorum + s_.hysteresis;
}

long pool_rules::weight_sum() const {
  long sum = 0;
  for (const auto& st : servers_)
    if (st.alive) sum += st.weight;
  return sum;
}

bool pool_rules::serving(std::uint32_t i) const { return servers_.at(i).alive && !sorry_active(); }

std::vector<pool_event> pool_rules::start() {
  std::vector<pool_event> out;
  if (s_.rs_init_notifies)
    for (std::uint32_t i = 0; i < servers_.size(); ++i)
      if (servers_[i].alive) {
        pool_event e;
        e.what = pool_event::kind::server_up;
        e.server = i;
        e.transition = false;
        out.push_back(e);
      }
  update_quorum(true, out);
  return out;
}

// One evaluation, as keepalived makes after each change: the threshold depends on the
// current state (hysteresis on either side), and a sum of 0 always loses the quorum.
void pool_rules::update_quorum(bool init, std::vector<pool_event>& out) {
  long sum = weight_sum();
  long threshold = s_.quorum + (quorum_up_ ? -s_.hysteresis : s_.hysteresis);
  pool_event e;
  e.weight_sum = sum;
  if (!quorum_up_ && sum >= threshold) {
    quorum_up_ = true;
    e.what = pool_event::kind::quorum_up;
    out.push_back(e);
  } else if ((quorum_up_ && (sum == 0 || sum < threshold)) || (init && !quorum_up_ && s_.sorry)) {
    quorum_up_ = false;
    e.what = pool_event::kind::quorum_down;
    out.push_back(e);
  }
}

std::vector<pool_event> pool_rules::report(std::uint32_t server, std::uint32_t checker, bool up,
                                           std::optional<int> weight) {
  std::vector<pool_event> out;
  if (server >= servers_.size() || checker >= servers_[server].checker_up.size())
    return out;
  auto& st = servers_[server];
  // The weight first: a dynamic checker's verdict comes with the weight it decided on.
  if (weight && clamp_weight(*weight) != st.weight) {
    pool_event e;
    e.what = pool_event::kind::weight_change;
    e.server = server;
    e.old_weight = st.weight;
    e.new_weight = clamp_weight(*weight);
    st.weight = e.new_weight;
    out.push_back(e);
    if (st.alive) update_quorum(false, out);
  }
  if (st.checker_up[checker] == up) {
    // No change. Only an alpha checker's first "down" says so to notify_down.
    if (!st.has_run[checker] && s_.servers[server].alpha[checker] && !up) {
      pool_event e;
      e.what = st.alive ? pool_event::kind::server_up : pool_event::kind::server_down;
      e.server = server;
      e.transition = false;
      out.push_back(e);
    }
    st.has_run[checker] = true;
    return out;
  }
  st.has_run[checker] = true;
  st.checker_up[checker] = up;
  bool alive = std::all_of(st.checker_up.begin(), st.checker_up.end(), [](bool u) { return u; });
  if (alive != st.alive) {
    st.alive = alive;
    pool_event e;
    e.what = alive ? pool_event::kind::server_up : pool_event::kind::server_down;
    e.server = server;
    out.push_back(e);
    update_quorum(false, out);
  }
  return out;
}

std::vector<pool_event> pool_rules::stop() const {
  std::vector<pool_event> out;
  if (!s_.omega) return out;
  for (std::uint32_t i = 0; i < servers_.size(); ++i) {
    // Up and in the table (displaced by the sorry server counts only when inhibited,
    // i.e. still in the table at weight 0).
    if (servers_[i].alive && (serving(i) || s_.servers[i].inhibit)) {
      pool_event e;
      e.what = pool_event::kind::server_down;
      e.server = i;
      out.push_back(e);
    }
  }
  pool_event q;
  q.what = pool_event::kind::quorum_down;
  q.weight_sum = weight_sum();
  out.push_back(q);
  return out;
}

std::vector<ipvs_dest> pool_rules::desired() const {
  std::vector<ipvs_dest> out;
  auto put = [&out](ipvs_dest d) {
    // One entry per endpoint (a sorry server may also be a real server): the one that
    // gets connections wins.
    for (auto& o : out)
      if (o.same_endpoint(d)) {
        if (d.weight > o.weight) o = d;
        return;
      }
    out.push_back(std::move(d));
  };
  for (std::uint32_t i = 0; i < servers_.size(); ++i) {
    ipvs_dest d = s_.servers[i].dest;
    if (serving(i)) {
      d.weight = servers_[i].weight;
      put(d);
    } else if (s_.servers[i].inhibit) {
      d.weight = 0;
      put(d);
    }
  }
  if (s_.sorry) {
    ipvs_dest d = s_.sorry->dest;
    if (sorry_active()) {
      put(d);
    } else if (s_.sorry->inhibit) {
      d.weight = 0;
      put(d);
    }
  }
  return out;
}

} // namespace ka::proto
