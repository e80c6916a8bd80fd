// The VRRP side's other blocks: the tracked objects (vrrp_script, track_file,
// track_process, bfd_instance), sync/track/garp groups, linkbeat and up/down delays,
// and the static addresses, routes and rules. None is acted on yet.
#include <climits>

#include "parser/validate_blocks.hpp"

namespace ka::config::detail {
namespace {

constexpr long long k_secs_max = UINT_MAX / 1000000;

// Named blocks: NAME { ... } read through `table`. A name used twice is an error where
// keepalived 2.2.7 refuses it (sync groups, BFD); where it accepts it silently (scripts,
// track files and processes) a warning, and references find the first.
enum class twice { error, warning };

template <class Block, std::size_t N>
Block& named(context& c, std::vector<Block>& all, const node& n, const handler<Block> (&table)[N],
             twice dup = twice::warning, const std::vector<alias>& aliases = {}) {
  const word& name = arg(n, 0);
  no_more_args(c, n, 1);
  for (const auto& other : all) {
    if (other.name != name.text) continue;
    if (dup == twice::error)
      fail(name.where, "duplicate " + n.keyword.text + " name " + q(name.text),
           "a name not used before (first at " + other.where.to_string() + ")");
    c.diag(dkind::warning, name.where, n.keyword.text + " " + q(name.text) + " defined again (first at " +
                                           other.where.to_string() + "); references name the first");
    break;
  }
  Block& b = all.emplace_back();
  b.name = name.text;
  b.where = n.keyword.where;
  dispatch(c, n.keyword.text, b, n.children, table, aliases);
  return b;
}

template <class Block, long long Lo = -253, long long Hi = 253>
void weight_row(context& c, Block& b, const node& n) {
  weight_args(c, n, 0, Lo, Hi, b.weight, b.reverse);
}

template <class Block>
void wide_weight_row(context& c, Block& b, const node& n) {  // track_file: any int
  weight_args(c, n, 0, -2147483647, 2147483647, b.weight, b.reverse);
}

// ---- vrrp_script
using vs = vrrp_script;
constexpr handler<vrrp_script> k_script[] = {
    {"script", text_field<vs, &vs::script>},
    {"interval", secs_field<vs, &vs::interval, k_secs_max>},
    {"timeout", secs_field<vs, &vs::timeout, k_secs_max>},
    {"weight", weight_row<vs>},
    {"rise", uint_field<vs, &vs::rise, 1, INT_MAX>},
    {"fall", uint_field<vs, &vs::fall, 1, INT_MAX>},
    {"user", words_field<vs, &vs::user>},
    {"init_fail", flag_field<vs, &vs::init_fail>},
};

// ---- track_file
void tf_init_file(context& c, track_file& f, const node& n) {
  f.init_file = true;
  std::size_t i = 0;
  if (i < n.args.size() && n.args[i].text != "overwrite") f.init_value = signed_arg(n, i++, INT_MIN, INT_MAX);
  if (i < n.args.size() && n.args[i].text == "overwrite") f.init_overwrite = true, ++i;
  no_more_args(c, n, i);
}

using tf = track_file;
constexpr handler<track_file> k_track_file[] = {
    {"file", text_field<tf, &tf::file>},
    {"weight", wide_weight_row<tf>},
    {"init_file", tf_init_file},
};

// ---- track_process
void tp_param_match(context& c, track_process& p, const node& n) {
  const word& w = arg(n, 0);
  if (w.text != "initial" && w.text != "partial") fail(w.where, q(w.text), "initial or partial for param_match");
  p.param_match = w.text;
  no_more_args(c, n, 1);
}

using tp = track_process;
constexpr handler<track_process> k_track_process[] = {
    {"process", words_field<tp, &tp::process>},
    {"param_match", tp_param_match},
    {"weight", weight_row<tp, -254, 254>},
    {"quorum", uint_field<tp, &tp::quorum, 1, 65535>},
    {"quorum_max", uint_field<tp, &tp::quorum_max, 0, 65535>},
    {"fork_delay", secs_field<tp, &tp::fork_delay, k_secs_max>},
    {"terminate_delay", secs_field<tp, &tp::terminate_delay, k_secs_max>},
    {"delay", secs_field<tp, &tp::delay, k_secs_max>},
    {"full_command", flag_field<tp, &tp::full_command>},
};

// ---- vrrp_sync_group
template <auto M>
void sg_track(context& c, vrrp_sync_group& g, const node& n) {
  auto more = tracked_block(c, n, -253, 253);
  (g.*M).insert((g.*M).end(), more.begin(), more.end());
}

// notify* SCRIPT [username [groupname]], as an instance's (actors/script_users.cpp).
template <std::string vrrp_sync_group::*Hook>
void sg_hook(context& c, vrrp_sync_group& g, const node& n) {
  g.*Hook = arg(n, 0).text;
  if (n.args.size() > 1)
    g.hook_users[n.keyword.text] = run_as{n.args[1].text, n.args.size() > 2 ? n.args[2].text : ""};
  no_more_args(c, n, 3);
}

// keepalived 2.2.7 still honours it, as sync_group_tracking_weight, with a warning.
void sg_global_tracking(context& c, vrrp_sync_group& g, const node& n) {
  flag_field<vrrp_sync_group, &vrrp_sync_group::global_tracking>(c, g, n);
  c.diag(dkind::warning, n.keyword.where,
         "'global_tracking' is deprecated: it works as 'sync_group_tracking_weight'; track "
         "objects in the sync group instead");
}

void sg_group(context& c, vrrp_sync_group& g, const node& n) { sg_track<&vrrp_sync_group::group>(c, g, n); }

void sg_notify_deleted(context& c, vrrp_sync_group& g, const node& n) {
  g.notify_deleted = n.args.empty() ? std::string() : n.args[0].text;  // bare: on, no script
  no_more_args(c, n, 3);
}

using sg = vrrp_sync_group;
constexpr handler<vrrp_sync_group> k_sync_group[] = {
    {"group", sg_group, block_use::required},
    {"track_interface", sg_track<&sg::track_interface>, block_use::required},
    {"track_script", sg_track<&sg::track_script>, block_use::required},
    {"track_file", sg_track<&sg::track_file>, block_use::required},
    {"track_process", sg_track<&sg::track_process>, block_use::required},
    {"track_bfd", sg_track<&sg::track_bfd>, block_use::required},
    {"notify", sg_hook<&sg::notify>},
    {"notify_master", sg_hook<&sg::notify_master>},
    {"notify_backup", sg_hook<&sg::notify_backup>},
    {"notify_fault", sg_hook<&sg::notify_fault>},
    {"notify_stop", sg_hook<&sg::notify_stop>},
    {"notify_deleted", sg_notify_deleted},
    {"notify_priority_changes", flag_field<sg, &sg::notify_priority_changes>},
    {"smtp_alert", flag_field<sg, &sg::smtp_alert>},
    {"global_tracking", sg_global_tracking},
    {"sync_group_tracking_weight", flag_field<sg, &sg::sync_group_tracking_weight>},
};

// ---- bfd_instance
using bi = bfd_instance;
constexpr handler<bfd_instance> k_bfd[] = {
    {"neighbor_ip", address_field<bi, &bi::neighbor_ip>},
    {"source_ip", address_field<bi, &bi::source_ip>},
    // Milliseconds; keepalived's ranges (idle_tx below 1 s is refused there too).
    {"min_rx", uint_field<bi, &bi::min_rx, 1, 4294967>},
    {"min_tx", uint_field<bi, &bi::min_tx, 1, 4294967>},
    {"idle_tx", uint_field<bi, &bi::idle_tx, 1000, 4294967>},
    {"multiplier", uint_field<bi, &bi::multiplier, 1, 255>},
    {"passive", flag_field<bi, &bi::passive>},
    {"ttl", uint_field<bi, &bi::ttl, 1, 255>},
    {"hoplimit", uint_field<bi, &bi::ttl, 1, 255>},
    {"max_hops", uint_field<bi, &bi::max_hops, 0, 255>},
    {"weight", weight_row<bi>},
    {"vrrp", flag_field<bi, &bi::vrrp>},
    {"checker", flag_field<bi, &bi::checker>},
};
// keepalived.conf(5) names neighbour_ip a synonym; keepalived 2.2.7 -t reads it silently.
const std::vector<alias> k_bfd_aliases = {{"neighbour_ip", "neighbor_ip", false}};

// ---- garp_group, track_group
void gg_interface(context& c, garp_group& g, const node& n) {
  g.interfaces.push_back(interface_arg(n, arg(n, 0)));
  note_interface(c, n.args[0].text, n.args[0].where);
  no_more_args(c, n, 1);
}

void gg_interfaces(context& c, garp_group& g, const node& n) {
  no_args(c, n);
  for (const node& e : n.children) c.attempt([&] {
    check_block(e, block_use::forbidden);
    g.interfaces.push_back(interface_arg(n, e.keyword));
    note_interface(c, e.keyword.text, e.keyword.where);
  });
}

using gg = garp_group;
constexpr handler<garp_group> k_garp_group[] = {
    {"garp_interval", secs_field<gg, &gg::garp_interval, 1000>},
    {"gna_interval", secs_field<gg, &gg::gna_interval, 1000>},
    {"interface", gg_interface},
    {"interfaces", gg_interfaces, block_use::required},
};

void tg_group(context& c, track_group& g, const node& n) { g.group = tracked_block(c, n, 0, 0); }
constexpr handler<track_group> k_track_group[] = {{"group", tg_group, block_use::required}};

} // namespace

void vrrp_script_block(context& c, top_state&, const node& n) {
  auto& s = named(c, c.cfg.scripts, n, k_script);
  require(!s.script.empty(), n, s.name, "script");
}

void track_file_block(context& c, top_state&, const node& n) {
  auto& f = named(c, c.cfg.track_files, n, k_track_file);
  require(!f.file.empty(), n, f.name, "file");
}

void track_process_block(context& c, top_state&, const node& n) {
  auto& p = named(c, c.cfg.track_processes, n, k_track_process);
  require(!p.process.empty(), n, p.name, "process");
}

void sync_group_block(context& c, top_state&, const node& n) { named(c, c.cfg.sync_groups, n, k_sync_group, twice::error); }

void bfd_instance_block(context& c, top_state&, const node& n) {
  auto& b = named(c, c.cfg.bfd_instances, n, k_bfd, twice::error, k_bfd_aliases);
  require(b.neighbor_ip.has_value(), n, b.name, "neighbor_ip");
}

void garp_group_block(context& c, top_state&, const node& n) {
  no_args(c, n);
  auto& g = c.cfg.garp_groups.emplace_back();
  g.where = n.keyword.where;
  dispatch(c, "garp_group", g, n.children, k_garp_group);
}

void track_group_block(context& c, top_state&, const node& n) { named(c, c.cfg.track_groups, n, k_track_group); }

void linkbeat_block(context& c, top_state&, const node& n) {
  no_args(c, n);
  for (const node& e : n.children) c.attempt([&] {
    check_block(e, block_use::forbidden);
    linkbeat_interface l{interface_arg(n, e.keyword), "", e.keyword.where};
    if (!e.args.empty()) {
      const word& k = e.args[0];
      if (k.text != "MII" && k.text != "ETHTOOL" && k.text != "IOCTL") fail(k.where, q(k.text), "MII, ETHTOOL or IOCTL after " + q(l.name));
      l.kind = k.text;
    }
    no_more_args(c, e, 1);
    note_interface(c, l.name, l.where);
    c.cfg.linkbeat_interfaces.push_back(std::move(l));
  });
}

void up_down_delays_block(context& c, top_state&, const node& n) {
  no_args(c, n);
  for (const node& e : n.children) c.attempt([&] {
    check_block(e, block_use::forbidden);
    interface_delays d{interface_arg(n, e.keyword), seconds_arg(e, 0, 0, k_secs_max), 0, e.keyword.where};
    d.up = e.args.size() > 1 ? seconds_arg(e, 1, 0, k_secs_max) : d.down;
    no_more_args(c, e, 2);
    note_interface(c, d.name, d.where);
    c.cfg.interface_up_down_delays.push_back(std::move(d));
  });
}

void static_address_block(context& c, top_state&, const node& n) {
  for (auto& v : address_block(c, n)) c.cfg.static_addresses.push_back(std::move(v));
}

void static_routes_block(context& c, top_state&, const node& n) {
  for (auto& r : route_block(c, n, false)) c.cfg.static_routes.push_back(std::move(r));
}

void static_rules_block(context& c, top_state&, const node& n) {
  for (auto& r : route_block(c, n, true)) c.cfg.static_rules.push_back(std::move(r));
}

} // namespace ka::config::detail
