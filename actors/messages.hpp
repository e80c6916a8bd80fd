// Every message the actors exchange, and every actor's interface, in one place.
// Narrow includes on purpose: this header is in every actor TU (docs/caf-facts.md, build cost).
#pragma once
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernel/links.hpp"
#include "kernel/netlink_monitor.hpp"
#include "kernel/process.hpp"
#include "protocol/arp_packet.hpp"
#include "protocol/admin_protocol.hpp"
#include "protocol/admin_events.hpp"  // live events
#include "protocol/vrrp_packet.hpp"
#include "protocol/vrrp_state_machine.hpp"
#include "protocol/unicast.hpp"  // unicast VRRP
#include "protocol/sync_group.hpp"
#include "protocol/nft_ruleset.hpp"  // accept mode
#include "protocol/ipvs_types.hpp"  // load balancing
#include "kernel/ipvs_msg.hpp"  // load balancing: IPVS-wide settings

namespace ka::config { struct config; }

namespace ka::act {

// ---- atoms (at most 10 characters) ----------------------------------------
using lookup_atom = caf::atom_constant<caf::atom("lookup")>;
using add_atom = caf::atom_constant<caf::atom("add")>;
using del_atom = caf::atom_constant<caf::atom("del")>;
using garp_atom = caf::atom_constant<caf::atom("garp")>;
using garp_again_atom = caf::atom_constant<caf::atom("garpagain")>;
using register_atom = caf::atom_constant<caf::atom("register")>;
using start_atom = caf::atom_constant<caf::atom("start")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;
using send_atom = caf::atom_constant<caf::atom("send")>;
using arm_atom = caf::atom_constant<caf::atom("arm")>;
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;
using advert_atom = caf::atom_constant<caf::atom("advert")>;
using down_atom = caf::atom_constant<caf::atom("mdown")>;
using link_atom = caf::atom_constant<caf::atom("link")>;
using addr_atom = caf::atom_constant<caf::atom("addr")>;
using notify_atom = caf::atom_constant<caf::atom("notify")>;
using done_atom = caf::atom_constant<caf::atom("done")>;
using drain_atom = caf::atom_constant<caf::atom("drain")>;
using status_atom = caf::atom_constant<caf::atom("status")>;
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;
using init_atom = caf::atom_constant<caf::atom("init")>;
using repeat_atom = caf::atom_constant<caf::atom("repeat")>;
// tracking (track_script / track_file / track_process)
using track_atom = caf::atom_constant<caf::atom("track")>;
using poll_atom = caf::atom_constant<caf::atom("poll")>;
using garp_refresh_atom = caf::atom_constant<caf::atom("garprefr")>;  // routes-vmac
// sync groups and notify FIFOs
using sync_atom = caf::atom_constant<caf::atom("sync")>;
using fifo_atom = caf::atom_constant<caf::atom("fifo")>;
// accept mode: a non-accepting master's drop rules
using firewall_atom = caf::atom_constant<caf::atom("firewall")>;
// use_vmac: an instance's macvlan
using vmac_atom = caf::atom_constant<caf::atom("vmac")>;
// load balancing: IPVS writes and dumps, checker reports
using ipvs_atom = caf::atom_constant<caf::atom("ipvs")>;
using dump_atom = caf::atom_constant<caf::atom("dump")>;
using check_atom = caf::atom_constant<caf::atom("check")>;
using reload_atom = caf::atom_constant<caf::atom("reload")>;  // reload (actors/running_set.cpp)
using suspend_atom = caf::atom_constant<caf::atom("hasuspend")>;  // a pool's ha_suspend input
// supervision: fault injection for tests (actors/supervisor.hpp)
using fault_atom = caf::atom_constant<caf::atom("fault")>;
// admin commands and live events (actors/event_bus.hpp)
using event_atom = caf::atom_constant<caf::atom("event")>;
using watch_atom = caf::atom_constant<caf::atom("watch")>;
using clear_atom = caf::atom_constant<caf::atom("clear")>;
using prio_atom = caf::atom_constant<caf::atom("prio")>;

// ---- message payloads ------------------------------------------------------

// Kernel actor answer to a link lookup.
struct link_lookup {
  bool found = false;
  kern::link_info link;
  bool has_primary = false;
  proto::ip_address primary;  // first IPv4 address: VRRP source and tie-break
  bool has_link_local = false;
  proto::ip_address link_local;  // IPv6 link-local: VRRPv3-over-IPv6 source and tie-break
};

// Errors of a batch of address operations; empty when all went through.
using kernel_errors = std::vector<std::string>;

// routes-vmac: an instance's virtual_routes and virtual_rules, added on becoming MASTER
// and removed on leaving it; `fam` is the instance's family, for rules without an address.
struct routing_set {
  std::vector<proto::route_desc> routes;
  std::vector<proto::rule_desc> rules;
  proto::ip_address::family fam = proto::ip_address::family::v4;
  bool empty() const { return routes.empty() && rules.empty(); }
};

// accept mode: the addresses of a master that does not accept packets to them, for the
// kernel actor's nftables drop sets (kernel/nft_firewall.hpp).
struct firewall_set {
  std::vector<proto::nft_element> elements;
};

// A received advert that passed every check, handed to its instance.
// With arm_atom: what the advert thread may answer for a BACKUP before its instance
// actor does (proto::backup_shortcuts; no rule: nothing). `takeover`: the advert to send
// at the deadline, then every `interval`, until the instance confirms it (start_atom) or
// says otherwise (arm, cancel, stop).
struct arm_shortcuts {
  std::optional<proto::backup_shortcuts> rule;
  std::vector<std::uint8_t> takeover;
  proto::duration interval{};
};

struct advert_in {
  proto::ip_address src;
  std::uint8_t priority = 0;
  std::uint16_t interval_cs = 0;
  proto::time_point at{};     // receive time, taken on the advert thread
};

// One notify hook run, as reported back to the script actor.
struct hook_run {
  std::string instance;
  std::string command;        // argv joined, for logs and status
  kern::run_result result;
};

// Hooks for one transition of one instance, run in order.
struct notify_job {
  std::string instance;
  proto::vrrp_state state = proto::vrrp_state::init;
  std::vector<std::vector<std::string>> commands;  // argv of each hook
  // Per command, "OWNER NAME KEYWORD" (vrrp_instance VI_1 notify_master): the script actor
  // runs it as that hook's identity (actors/script_users.hpp).
  std::vector<std::string> keys;
};

// reload (actors/running_set.cpp): a running instance's new configuration, updated in
// place: the daemon's new shared config and the instance's index in its list.
struct instance_reload {
  std::shared_ptr<const config::config> all;
  std::size_t index = 0;
};

// Whom notify hooks run as (actors/script_users.hpp): by notify_job key, else `fallback`;
// nullopt: the daemon's own identity. Given again to the script actor on a reload.
struct hook_identities {
  std::optional<kern::credentials> fallback;
  std::map<std::string, std::optional<kern::credentials>> by_hook;
};

// tracking: a tracker actor's result, sent to every instance that tracks it.
struct track_update {
  std::string kind;       // "script", "file" or "process"
  std::string name;       // of the vrrp_script / track_file / vrrp_track_process
  bool ok = true;         // script: succeeding (after rise/fall); process: quorum met
  long long value = 0;    // file: the number read
  std::string detail;     // the last result, for the status
};

// ---- sync groups and notify FIFOs (vrrp_sync_group, notify_fifo) ----
// A member instance's state as its sync group needs it (protocol/sync_group.hpp).
struct sync_report {
  std::uint32_t member = 0;    // index in the group's member list
  proto::vrrp_state state = proto::vrrp_state::init;
  bool own_fault = false;      // FAULT for a reason of its own, not held by the group
  bool wants_master = false;
};

// ---- use_vmac ----
// An instance's vmac, to be found (a leftover of ours is adopted) or created, set up and
// brought up by the kernel actor.
struct vmac_request {
  std::string instance;       // who uses it: a vmac goes when its last user lets it go
  std::string name;
  int base_ifindex = 0;
  std::string base_name;
  proto::mac_address mac{};
  bool v4 = true;
  // IPv6, adverts on the vmac: the base's link-local address, copied onto the vmac as
  // the adverts' source (keepalived does the same).
  std::optional<proto::ip_address> link_local;
};
struct vmac_reply {
  std::string error;          // empty: the vmac is there
  int ifindex = 0;
  bool up = false;            // IFF_UP and IFF_RUNNING (the base's carrier)
  bool adopted = false;       // found, a leftover of ours, and taken
};
// Removal of a vmac the kernel actor made or adopted (anything else is refused).
struct vmac_remove {
  std::string instance;
  std::string name;
  int ifindex = 0;
};

// ---- load balancing ----
// A checker's verdict on its real server, sent to its pool on every transition (and on
// its first result): which real server and which of its checkers, up or down, and why.
struct check_report {
  std::uint32_t server = 0;    // index in the virtual_server's real_servers
  std::uint32_t checker = 0;   // index in that real server's checkers
  bool up = false;
  std::optional<int> weight;   // MISC_CHECK misc_dynamic / FILE_CHECK dynamic: new weight
  std::string reason;          // "connect: Connection refused", "HTTP status 503", ...
  std::int64_t latency_us = 0; // of the check that decided
};
// A probe's result, sent from the probe's callback (an engine thread) to its checker actor.
struct probe_outcome {
  bool ok = false;
  std::string reason;
  std::int64_t latency_us = 0;
  std::optional<int> weight;
};
using ipvs_ops = std::vector<proto::ipvs_op>;
using ipvs_errors = std::vector<proto::ipvs_error>;
using ipvs_table = std::vector<proto::ipvs_service_state>;
// The services a pool asks for (a dump of these alone).
using ipvs_keys = std::vector<proto::ipvs_service_key>;
// An IPVS-wide write (global_defs lvs_flush, lvs_flush_on_stop, lvs_timeouts,
// lvs_sync_daemon: actors/lvs_globals.cpp); the kernel actor answers "" or the error.
struct ipvs_global {
  enum class kind : std::uint8_t { flush, get_timeouts, set_timeouts, start_daemon, stop_daemon };
  kind what = kind::flush;
  kern::ipvs_msg::timeouts timeouts;      // set_timeouts
  kern::ipvs_msg::sync_daemon daemon;     // start_daemon; stop_daemon: its state alone
};
// ... and its answer: "" or the error, and the timeouts now (after set_timeouts, and
// get_timeouts: the kernel's values, to be put back at exit).
struct ipvs_global_result {
  std::string error;
  kern::ipvs_msg::timeouts timeouts;
};

} // namespace ka::act

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::check_report)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::probe_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::ipvs_ops)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::ipvs_errors)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::ipvs_table)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::ipvs_keys)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::ipvs_global)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::ipvs_global_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::vmac_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::vmac_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::vmac_remove)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::track_update)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::instance_reload)  // reload
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::hook_identities)  // reload
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::sync_report)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::proto::sync_command::kind)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::link_lookup)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::advert_in)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::arm_shortcuts)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::hook_run)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::routing_set)  // routes-vmac
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::notify_job)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::firewall_set)  // accept mode
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::kern::address_spec)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<ka::kern::address_spec>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::kern::link_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::kern::addr_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::proto::ip_address)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<ka::proto::ip_address>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::proto::mac_address)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::proto::advert_expectation)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::proto::time_point)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::json)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::proto::admin_event)  // live events

namespace ka::act {

// ---- actor interfaces ------------------------------------------------------

// The only writer of netlink. Detached: its calls block on the kernel's ACK.
using kernel_actor = caf::typed_actor<
  caf::replies_to<lookup_atom, std::string>::with<link_lookup>,
  caf::replies_to<add_atom, std::vector<kern::address_spec>>::with<kernel_errors>,
  caf::replies_to<del_atom, std::vector<kern::address_spec>>::with<kernel_errors>,
  // routes-vmac: virtual_routes and virtual_rules (routes before rules on add, after on delete)
  caf::replies_to<add_atom, routing_set>::with<kernel_errors>,
  caf::replies_to<del_atom, routing_set>::with<kernel_errors>,
  // ifindex, source MAC, addresses, how many of each: gratuitous ARP for IPv4 addresses,
  // unsolicited neighbour advertisements for IPv6 ones
  caf::reacts_to<garp_atom, int, proto::mac_address, std::vector<proto::ip_address>, int>,
  // a spaced GARP queue's turn (vrrp_garp_interval, garp_group: protocol/garp_pacing.hpp)
  caf::reacts_to<repeat_atom, std::string>,
  // accept mode: a non-accepting master's addresses into / out of the nftables drop sets
  // (before its addresses are added, after they are removed), and at the clean exit the
  // removal of the tables.
  caf::replies_to<firewall_atom, add_atom, firewall_set>::with<kernel_errors>,
  caf::replies_to<firewall_atom, del_atom, firewall_set>::with<kernel_errors>,
  caf::replies_to<firewall_atom, stop_atom>::with<kernel_errors>,
  // use_vmac: find-or-create an instance's macvlan, and remove it at exit
  caf::replies_to<vmac_atom, vmac_request>::with<vmac_reply>,
  caf::replies_to<del_atom, vmac_remove>::with<kernel_errors>,
  // load balancing: the ipvs_writer interface below (IPVS writes in order, and dumps)
  caf::replies_to<ipvs_atom, ipvs_ops>::with<ipvs_errors>,
  caf::replies_to<ipvs_atom, dump_atom>::with<ipvs_table>,
  caf::replies_to<ipvs_atom, dump_atom, ipvs_keys>::with<ipvs_table>,
  caf::replies_to<ipvs_atom, ipvs_global>::with<ipvs_global_result>,  // lvs_flush, lvs_timeouts, lvs_sync_daemon
  caf::replies_to<status_atom>::with<json>>;

// Writes notify FIFO lines without ever blocking (actors/notify_fifo_actor.cpp).
using notify_fifo_actor = caf::typed_actor<
  caf::reacts_to<fifo_atom, std::string>,              // one line, without its newline
  caf::replies_to<status_atom>::with<json>>;

// ---- load balancing ----
// What a pool actor needs of the kernel actor: apply a batch of IPVS writes in order
// (the errors of those that failed; empty when all went through), and dump the table, or
// only the services named (what a pool reads: a whole-table dump per pool made 1,000 pools
// cost 1,000 dumps of a growing table, 70 s under TCG, bench/lb.sh).
// The kernel actor's interface includes these (a kernel_actor converts to an ipvs_writer),
// so a pool can be tested against a recording writer.
using ipvs_writer = caf::typed_actor<
  caf::replies_to<ipvs_atom, ipvs_ops>::with<ipvs_errors>,
  caf::replies_to<ipvs_atom, dump_atom>::with<ipvs_table>,
  caf::replies_to<ipvs_atom, dump_atom, ipvs_keys>::with<ipvs_table>>;
// Where a checker sends its reports: its pool.
using check_sink = caf::typed_actor<
  caf::reacts_to<check_atom, check_report>>;
// One per virtual_server (actors/pool_actor.cpp): owns the desired state of its services
// and real servers and sends only differences to its ipvs_writer. A pool_actor converts
// to a check_sink.
using pool_actor = caf::typed_actor<
  caf::reacts_to<check_atom, check_report>,
  // ha_suspend: true while the VRRP instance holding the service's address is MASTER;
  // while false, checker reports are not acted on (keepalived suspends the checkers).
  // Ignored by a pool without ha_suspend.
  caf::reacts_to<suspend_atom, bool>,
  // notify_fifo, lvs_notify_fifo: the writers of its VS/RS lines, before its first event
  // (actors/lvs_globals.hpp).
  caf::reacts_to<fifo_atom, std::vector<notify_fifo_actor>>,
  // Answers once the start-up reconciliation and every batch sent so far are acknowledged.
  caf::replies_to<drain_atom>::with<bool>,
  caf::replies_to<status_atom>::with<json>,
  // At exit: runs omega's notifies and removes the services (true: keep them, as
  // keepalived's --dont-release-ipvs); answers once the kernel actor has acknowledged
  // (false: some removal failed). Later reports are ignored.
  caf::replies_to<shutdown_atom, bool>::with<bool>>;
// One per checker block (actors/checker_actor.cpp): check_atom alone is its own timer
// (time for a check), with a probe_outcome the result of the check it started.
using checker_actor = caf::typed_actor<
  caf::reacts_to<check_atom>,
  caf::reacts_to<check_atom, probe_outcome>,
  caf::replies_to<status_atom>::with<json>>;

// ---- sync groups and notify FIFOs ----
// One per vrrp_sync_group: follows its members' reports, tells them whom to follow, runs
// the group's notify hooks and writes its FIFO lines.
using sync_group_actor = caf::typed_actor<
  caf::reacts_to<sync_atom, sync_report>,
  caf::replies_to<drain_atom>::with<bool>,             // answers once earlier reports are done
  caf::replies_to<status_atom>::with<json>>;

// One per vrrp_instance: owns its state machine and drives the others from its actions.
using instance_actor = caf::typed_actor<
  // Start with the interface as looked up once for all instances on it, and the daemon's
  // start time as every instance's time basis (see keepalive_main.cpp).
  caf::reacts_to<init_atom, link_lookup, proto::time_point>,
  caf::reacts_to<advert_atom, advert_in>,
  caf::reacts_to<down_atom, std::uint64_t>,          // master-down timer, with its token
  caf::reacts_to<link_atom, kern::link_event>,
  caf::reacts_to<addr_atom, kern::addr_event>,
  caf::reacts_to<garp_again_atom, std::uint64_t>,     // delayed GARP burst, with master epoch
  caf::reacts_to<garp_again_atom, std::uint64_t, int>,  // same after a lower-priority advert: repeat
  caf::reacts_to<track_atom, track_update>,           // tracking: a tracker's new result
  caf::reacts_to<garp_refresh_atom, std::uint64_t>,   // routes-vmac: garp_master_refresh tick
  // sync groups and notify FIFOs: before init_atom, the group it belongs to (and its index
  // there) and the FIFO writers for its lines; then the group's commands.
  caf::reacts_to<sync_atom, sync_group_actor, std::uint32_t>,
  caf::reacts_to<fifo_atom, std::vector<notify_fifo_actor>>,
  caf::reacts_to<sync_atom, proto::sync_command::kind>,
  caf::replies_to<reload_atom, instance_reload>::with<bool>,  // reload: new config, in place
  caf::replies_to<shutdown_atom>::with<bool>,
  caf::replies_to<status_atom>::with<json>,
  // admin commands (actors/admin_commands.cpp): a GARP/NA burst now (MASTER only), a
  // runtime priority override (1..254; 0: back to the configured one), counters cleared.
  // Each answers {"ok":...} as the admin socket replies.
  caf::replies_to<garp_atom>::with<json>,
  caf::replies_to<prio_atom, int>::with<json>,
  caf::replies_to<clear_atom>::with<bool>>;

// Registration of an instance with the advert actor.
struct instance_registration {
  std::uint32_t id = 0;
  std::string name;
  std::string ifname;
  int ifindex = 0;
  proto::ip_address source;   // of the adverts: primary IPv4 or IPv6 link-local address
  proto::advert_expectation expect;  // .family picks the socket, .version the codec
  instance_actor handle;
  // Unicast VRRP: set, adverts go to each peer (from `source`) instead of the group.
  std::optional<proto::unicast_settings> unicast;
  // use_vmac, adverts on the vmac: the base interface, where the same multicast adverts
  // arrive too; there they are no one else's and are ignored without a word. 0: none.
  int shadow_ifindex = 0;
};

} // namespace ka::act

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::instance_registration)

namespace ka::act {

// The timing actor: a thread of its own (epoll + timerfd, SCHED_FIFO) with a CAF identity.
// Owns the VRRP sockets, every master's send schedule and every backup's master-down deadline.
using advert_actor = caf::typed_actor<
  caf::replies_to<register_atom, instance_registration>::with<std::string>,  // "" = ok
  caf::reacts_to<start_atom, std::uint32_t, std::vector<std::uint8_t>, proto::duration>,
  caf::reacts_to<stop_atom, std::uint32_t>,
  caf::reacts_to<del_atom, std::uint32_t>,             // reload: the instance is gone
  caf::replies_to<send_atom, std::uint32_t, std::vector<std::uint8_t>>::with<bool>,
  caf::reacts_to<arm_atom, std::uint32_t, proto::time_point, std::uint64_t, arm_shortcuts>,
  caf::reacts_to<cancel_atom, std::uint32_t>,
  // A backup's standing answer to its master's adverts: while they keep coming from this
  // source with this priority and interval (centiseconds: a v3 master's interval sets the
  // backup's timer), re-arm the master-down timer to receive time + this interval
  // without forwarding them. Any start, stop, arm or cancel for the instance ends it.
  caf::reacts_to<repeat_atom, std::uint32_t, proto::ip_address, std::uint8_t, std::uint16_t,
                 proto::duration>,
  caf::replies_to<status_atom>::with<json>,
  // supervision: what the thread holds for one instance ({"sending", "master_down_armed"}),
  // for a restarted instance to resume from (actors/supervisor.hpp)
  caf::replies_to<status_atom, std::uint32_t>::with<json>,
  caf::replies_to<clear_atom>::with<bool>>;  // admin `stats clear`: counters and lateness to zero

// Runs notify hooks off the actors' threads; hooks of one instance run in order.
using script_actor = caf::typed_actor<
  caf::reacts_to<notify_atom, notify_job>,
  caf::reacts_to<done_atom, hook_run>,
  caf::reacts_to<reload_atom, hook_identities>,        // reload: whom hooks run as now
  caf::replies_to<drain_atom>::with<bool>,             // answers when nothing is queued
  caf::replies_to<status_atom>::with<json>>;

// ---- live events (actors/event_bus.hpp) ----
// Fans events out to the admin socket's watchers. Publishers (instances, trackers, a
// reload) use publish_event() in actors/event_bus.hpp; the admin thread subscribes with a
// sink that the bus fills without ever waiting.
struct event_sink;
using event_sink_ptr = std::shared_ptr<event_sink>;
using event_bus_actor = caf::typed_actor<
  caf::reacts_to<event_atom, proto::admin_event>,
  caf::reacts_to<watch_atom, event_sink_ptr>,
  caf::replies_to<status_atom>::with<json>>;

// tracking: a tracker, one per vrrp_script / track_file / vrrp_track_process that an
// instance tracks (actors/track_*.cpp). Detached: each waits (for its script, its file's
// inotify events, or its next /proc scan) on its own thread, and sends itself poll_atom
// between two waits so that it still reads its mailbox.
using tracker_actor = caf::typed_actor<caf::reacts_to<poll_atom>>;

} // namespace ka::act

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ka::act::event_sink_ptr)  // live events
