// The VRRP state machine (RFC 3768 section 6.4, RFC 5798 section 6.4) as a pure value type.
// It owns no timers and does no I/O: every input carries `now`, every output is an action
// for the caller (the instance actor) to carry out. Tested with a fake clock.
#pragma once
#include <chrono>
#include <array>
#include <cstdint>
#include <string>
#include <optional>
#include <vector>

#include "protocol/ip_address.hpp"

namespace ka::proto {

using clock = std::chrono::steady_clock;
using time_point = clock::time_point;
using duration = std::chrono::microseconds;

enum class vrrp_state : std::uint8_t { init, backup, master, fault, stopped };
const char* to_string(vrrp_state s);  // "INIT", "BACKUP", "MASTER", "FAULT", "STOP"

// Skew_Time and Master_Down_Interval. v2 (RFC 3768): skew = (256-prio)/256 s;
// v3 (RFC 5798): skew = ((256-prio) * master_adver_int)/256.
duration skew_time(int version, std::uint8_t priority, duration advert_int);
duration master_down_interval(int version, std::uint8_t priority, duration advert_int);

struct sm_params {
  int version = 2;
  std::uint8_t priority = 100;       // 1..255; 255 = address owner
  duration advert_int = std::chrono::seconds(1);
  bool preempt = true;               // false = nopreempt
  duration preempt_delay{0};         // keepalived preempt_delay
  bool initial_master = false;       // `state MASTER`; only an owner (255) starts as master
  ip_address primary;                // our primary address on the interface (tie-break)
  // Member of a vrrp_sync_group: MASTER only when the group grants it (grant_master), as
  // keepalived waits until every member wants MASTER (protocol/sync_group.hpp).
  bool sync_gated = false;
  // A master that hears a lower-priority advert answers with one advert of its own, at
  // most once per advert_int (keepalived's default; RFC 5798 only discards it), unless
  // lower_prio_no_advert (strict mode sets it).
  bool lower_prio_no_advert = false;
  // A master that hears a higher priority sends one last advert before it steps down
  // (higher_prio_send_advert), so the winner's garp_lower_prio_* repeat its GARPs.
  bool higher_prio_send_advert = false;
};

struct action {
  enum class kind : std::uint8_t {
    start_adverts,      // become the sender: send one advert now, then every advert_int
    stop_adverts,
    send_advert,        // one advert now with `priority` (0 = we are leaving)
    arm_master_down,    // (re)arm the master-down timer to fire at `deadline`
    cancel_master_down,
    add_vips,
    remove_vips,
    send_garp,          // gratuitous ARP / unsolicited NA for every VIP
    notify,             // run hooks for entering `state`
    lower_prio_garp,    // a master heard an advert it beats: GARPs again (garp_lower_prio_*)
  };
  kind what;
  std::uint8_t priority = 0;
  time_point deadline{};
  vrrp_state state = vrrp_state::init;
};
const char* to_string(action::kind k);

// Two answers of a BACKUP's machine that the advert thread may give on its own, without a
// round trip through the instance actor (actors/advert_actor.cpp). With 1,000 instances
// that round trip took 0.1-0.3 s on a loaded machine: a master's first adverts left that
// late, and a backup's re-arm came after its old deadline, so both routers were master
// for a moment (bench/scale.sh at advert_int 0.1). The machine still gets every event
// and answers the same; the advert thread only gives that answer first.
struct backup_shortcuts {
  // Master-down leads straight to MASTER (not held by a sync group): the advert thread
  // may send the first advert at the deadline itself.
  bool takeover = false;
  // An advert of a strictly higher priority than `priority` re-arms master-down to its
  // arrival plus rearm_after(its interval), whatever preempt and preempt_delay say.
  std::uint8_t priority = 0;
  int version = 2;
  duration own_interval{};
  duration rearm_after(duration advertised) const;
};

class vrrp_state_machine {
public:
  explicit vrrp_state_machine(sm_params params);

  // Initialize -> Master (owner with state MASTER... see .cpp) or Backup.
  std::vector<action> start(time_point now);
  // A valid advert for our VRID from `src` (already checked by the codec).
  // `advertised` is the advert's interval; v3 only (RFC 5798 6.4.2/6.4.3): a backup
  // accepting the master, or a master yielding to it, takes it as Master_Adver_Interval
  // and times Master_Down_Interval from it. v2 ignores it (its interval must match ours,
  // check_against enforces that), as does a v3 caller passing 0.
  std::vector<action> on_advert(time_point now, std::uint8_t priority, const ip_address& src,
                                duration advertised = duration{0});
  // The master-down timer armed by the last arm_master_down fired.
  std::vector<action> on_master_down(time_point now);
  // The interface (or anything tracked) went down or came back.
  std::vector<action> on_interface(time_point now, bool up);
  // Tracking changed the effective priority (protocol/track_priority.hpp). A master
  // restarts its adverts so that the new priority is on the wire at once; a backup
  // re-arms its master-down timer, because the advert thread's steady-backup rule keeps
  // re-arming it on the master's adverts, which a backup now above the master must
  // discard so as to preempt when the timer fires. An owner's 255 is never changed.
  std::vector<action> set_priority(time_point now, std::uint8_t priority);
  // Daemon stopping: a master sends priority 0 and drops its addresses; all notify STOP.
  std::vector<action> shutdown(time_point now);
  // Supervision (actors/supervisor.hpp): a restarted instance takes back the state the
  // advert thread still holds for it, without a transition: no notify, no GARP, and
  // transitions() stays 0. MASTER (its adverts were still being sent): adverts restarted
  // with the current packet and addresses re-added (the kernel keeps those still there).
  // BACKUP (its master-down timer was armed): addresses removed, timer re-armed.
  std::vector<action> resume(time_point now, vrrp_state was);

  // ---- vrrp_sync_group (see sync_gated and protocol/sync_group.hpp) ----
  // The group lets this BACKUP, which wants MASTER, become MASTER now.
  std::vector<action> grant_master(time_point now);
  // Another member has a fault of its own: FAULT until released (hold = false), and after
  // that until our own interface is up.
  std::vector<action> group_fault(time_point now, bool hold);
  // Another member left MASTER: leave it too, to BACKUP.
  std::vector<action> group_backup(time_point now);
  // A gated BACKUP whose master-down timer fired and that heard no master since.
  bool wants_master() const { return wants_master_; }
  // In FAULT because of our interface, not (only) because the group holds us there.
  bool own_fault() const { return own_fault_; }

  // In BACKUP: what the advert thread may answer for us (see backup_shortcuts).
  std::optional<backup_shortcuts> shortcuts() const;

  vrrp_state state() const { return state_; }
  time_point since() const { return since_; }
  const sm_params& params() const { return params_; }
  std::uint64_t transitions() const { return transitions_; }
  // Of those, how many entered `s` (metrics: transitions by to-state).
  std::uint64_t transitions_to(vrrp_state s) const { return transitions_to_[static_cast<std::size_t>(s)]; }
  // Address and priority of the master we last heard (or ourselves when master).
  const ip_address& master_address() const { return master_addr_; }
  std::uint8_t master_priority() const { return master_prio_; }
  // Adverts from another address owner (255) heard while we were one: each lowered our
  // priority to 254 (see on_advert).
  std::uint64_t owner_conflicts() const { return owner_conflicts_; }
  // RFC 5798 Master_Adver_Interval: the master's interval as last heard (v3), our own
  // advert_int otherwise. Master_Down_Interval is master_down_interval(version,
  // priority, master_adver_int()).
  duration master_adver_int() const { return master_adver_int_; }

private:
  std::vector<action> become(time_point now, vrrp_state next);
  std::vector<action> enter_fault(time_point now);
  std::vector<action> leave_fault(time_point now);
  std::vector<action> enter_master(time_point now);
  // Appends arm_master_down and the BACKUP notification to `out`.
  std::vector<action> enter_backup(time_point now, std::vector<action> out);
  void open_preempt_window(time_point now);
  duration down_interval() const;
  void adopt_interval(duration advertised);
  sm_params params_;
  vrrp_state state_ = vrrp_state::init;
  time_point since_{};
  std::uint64_t transitions_ = 0;
  std::array<std::uint64_t, 5> transitions_to_{};  // by vrrp_state
  ip_address master_addr_;
  std::uint8_t master_prio_ = 0;
  time_point preempt_allowed_at_{};  // preempt_delay bookkeeping
  bool preempt_pending_ = false;
  duration master_adver_int_{};
  std::uint64_t owner_conflicts_ = 0;
  std::optional<time_point> lower_answered_;  // the last answer to a lower-priority advert
  bool wants_master_ = false;
  bool own_fault_ = false;
  bool group_fault_ = false;     // preempt_allowed_at_ is set (keepalived's preempt_time != 0)
};

} // namespace ka::proto
