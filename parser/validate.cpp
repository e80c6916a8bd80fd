// Syntax tree -> config model: the top-level table and the checks across blocks. Each
// block family is validated in its own file (parser/validate_blocks.hpp); the shared
// machinery, and the single list of keywords in effect, are in validate_common.cpp.
#include "parser/validate.hpp"

#include <unistd.h>

#include "parser/validate_blocks.hpp"

namespace ka::config {
namespace {

using namespace detail;

constexpr handler<top_state> k_top[] = {
    {"global_defs", global_defs_block, block_use::required},
    {"vrrp_instance", vrrp_instance_block, block_use::required},
    {"vrrp_script", vrrp_script_block, block_use::required},
    {"track_file", track_file_block, block_use::required},
    {"vrrp_track_process", track_process_block, block_use::required},
    {"vrrp_sync_group", sync_group_block, block_use::required},
    {"bfd_instance", bfd_instance_block, block_use::required},
    {"garp_group", garp_group_block, block_use::required},
    {"track_group", track_group_block, block_use::required},
    {"linkbeat_interfaces", linkbeat_block, block_use::required},
    {"interface_up_down_delays", up_down_delays_block, block_use::required},
    {"static_ipaddress", static_address_block, block_use::required},
    {"static_routes", static_routes_block, block_use::required},
    {"static_rules", static_rules_block, block_use::required},
    {"virtual_server_group", vs_group_block, block_use::required},
    {"virtual_server", virtual_server_block, block_use::required},
    {"SSL", ssl_block, block_use::required},
    // Daemon settings written outside global_defs.
    {"net_namespace", top_setting},
    {"net_namespace_ipvs", top_setting},
    {"namespace_with_ipsets", top_setting},
    {"instance", top_setting},
    {"use_pid_dir", top_setting},
    {"linkbeat_use_polling", top_setting},
    {"child_wait_time", top_setting},
};

// keepalived's old names of top-level blocks.
const std::vector<alias> k_top_aliases = {{"vrrp_track_file", "track_file"}};

// A name in a track_* list or a group must name a block of that kind. keepalived
// reports a missing one and goes on without it (the reference is dropped); so do we,
// with a warning, so that every config keepalived accepts loads.
template <class Block>
void check_refs(context& c, std::vector<tracked>& refs, const std::vector<Block>& blocks, const char* what,
                const std::string& user) {
  for (auto it = refs.begin(); it != refs.end();) {
    bool found = std::any_of(blocks.begin(), blocks.end(), [&](const Block& b) { return b.name == it->name; });
    if (found) {
      ++it;
      continue;
    }
    c.diag(dkind::warning, it->where, user + ": " + what + " " + q(it->name) + " is not defined; ignored");
    it = refs.erase(it);
  }
}

void check_references(context& c) {
  config& cfg = c.cfg;
  for (auto& i : cfg.instances) {
    std::string who = "(" + i.name + ")";
    check_refs(c, i.track_script, cfg.scripts, "vrrp_script", who);
    check_refs(c, i.track_file, cfg.track_files, "track_file", who);
    check_refs(c, i.track_process, cfg.track_processes, "track_process", who);
    check_refs(c, i.track_bfd, cfg.bfd_instances, "bfd_instance", who);
  }
  for (auto& g : cfg.sync_groups) {
    std::string who = "vrrp_sync_group " + q(g.name);
    check_refs(c, g.group, cfg.instances, "vrrp_instance", who);
    check_refs(c, g.track_script, cfg.scripts, "vrrp_script", who);
    check_refs(c, g.track_file, cfg.track_files, "track_file", who);
    check_refs(c, g.track_process, cfg.track_processes, "track_process", who);
    check_refs(c, g.track_bfd, cfg.bfd_instances, "bfd_instance", who);
  }
  for (auto& g : cfg.track_groups) check_refs(c, g.group, cfg.instances, "vrrp_instance", "track_group " + q(g.name));
  for (auto& a : cfg.static_addresses)
    if (!a.track_group.empty() && std::none_of(cfg.track_groups.begin(), cfg.track_groups.end(),
                                               [&](const track_group& g) { return g.name == a.track_group; })) {
      c.diag(dkind::warning, a.where, "static_ipaddress: track_group " + q(a.track_group) + " is not defined; ignored");
      a.track_group.clear();
    }
  // An instance belongs to at most one sync group: keepalived warns and drops it from
  // the later group.
  std::map<std::string, const vrrp_sync_group*> member_of;
  for (auto& g : cfg.sync_groups)
    for (auto m = g.group.begin(); m != g.group.end();) {
      auto [it, fresh] = member_of.emplace(m->name, &g);
      if (fresh) {
        ++m;
        continue;
      }
      c.diag(dkind::warning, m->where, "vrrp_instance " + q(m->name) + " is already in sync group " +
                                           q(it->second->name) + " (" + it->second->where.to_string() + "); ignored here");
      m = g.group.erase(m);
    }
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

} // namespace

struct validator::state {
  config cfg;
  context c{cfg};
  top_state top;
  syntax::tree one;  // the statement being validated: dispatch() reads a list
};

validator::validator() : state_(std::make_unique<state>()) {}
validator::~validator() = default;

// A statement is validated when the next one arrives (or at finish): only then is it
// known whether it is the config's last, which keepalived reads differently (dispatch).
void validator::flush(bool more_follows) {
  if (state_->one.empty()) return;
  state_->c.more_follows = more_follows;
  dispatch(state_->c, "", state_->top, state_->one, k_top, k_top_aliases);
  state_->c.more_follows = false;
  state_->one.clear();
}

void validator::add(syntax::node&& statement) {
  flush(true);
  state_->one.push_back(std::move(statement));
}

void validator::add(const syntax::tree& statements) {
  flush(!statements.empty());
  dispatch(state_->c, "", state_->top, statements, k_top, k_top_aliases);
}

config validator::finish() {
  flush(false);
  config& cfg = state_->cfg;
  context& c = state_->c;
  if (cfg.global.router_id.empty()) cfg.global.router_id = host_name();
  finish_instances(c, state_->top);
  check_references(c);
  finish_lvs(c);
  c.finish_diagnostics();
  if (!c.errors.empty()) {
    config_error all(std::move(c.errors));
    all.carry(std::move(cfg.diagnostics));  // -t prints the warnings beside the errors
    throw all;
  }
  return std::move(cfg);
}

config validate(const syntax::tree& root) {
  validator v;
  v.add(root);
  return v.finish();
}

} // namespace ka::config
