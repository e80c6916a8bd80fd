#include "protocol/vrrp_state_machine.hpp"

#include <algorithm>

#include <utility>

namespace ka::proto {

namespace {

action make(action::kind k) { return action{k, 0, time_point{}, vrrp_state::init}; }

action arm(time_point deadline) {
  action a = make(action::kind::arm_master_down);
  a.deadline = deadline;
  return a;
}

action send(std::uint8_t priority) {
  action a = make(action::kind::send_advert);
  a.priority = priority;
  return a;
}

constexpr std::uint8_t owner_priority = 255;

} // namespace

const char* to_string(vrrp_state s) {
  switch (s) {
    case vrrp_state::init: return "INIT";
    case vrrp_state::backup: return "BACKUP";
    case vrrp_state::master: return "MASTER";
    case vrrp_state::fault: return "FAULT";
    case vrrp_state::stopped: return "STOP";
  }
  return "UNKNOWN";
}

const char* to_string(action::kind k) {
  switch (k) {
    case action::kind::start_adverts: return "start_adverts";
    case action::kind::stop_adverts: return "stop_adverts";
    case action::kind::send_advert: return "send_advert";
    case action::kind::arm_master_down: return "arm_master_down";
    case action::kind::cancel_master_down: return "cancel_master_down";
    case action::kind::add_vips: return "add_vips";
    case action::kind::remove_vips: return "remove_vips";
    case action::kind::send_garp: return "send_garp";
    case action::kind::notify: return "notify";
    case action::kind::lower_prio_garp: return "lower_prio_garp";
  }
  return "unknown";
}

duration skew_time(int version, std::uint8_t priority, duration advert_int) {
  const std::int64_t inv = 256 - priority;
  if (version == 3) {
    // RFC 5798 counts the interval in centiseconds; keepalived 2.2.7 takes the interval
    // in whole centiseconds but divides by 256 in microseconds (156 x 10 cs / 256 =
    // 60.9375 ms, not 60 ms): the same here, so that our backup takes over when a
    // keepalived one would (bench/failover.sh --wire showed ours 0.94 ms early at 0.1 s).
    const std::int64_t adv_cs = advert_int.count() / 10000;
    return duration{inv * adv_cs * 10000 / 256};
  }
  // RFC 3768: (256 - Priority) / 256 seconds, independent of the advert interval.
  return duration{inv * 1000000 / 256};
}

duration master_down_interval(int version, std::uint8_t priority, duration advert_int) {
  return 3 * advert_int + skew_time(version, priority, advert_int);
}

vrrp_state_machine::vrrp_state_machine(sm_params params)
    : params_(std::move(params)), master_adver_int_(params_.advert_int) {}

void vrrp_state_machine::open_preempt_window(time_point now) {
  // keepalived starts the preempt delay at startup and again on leaving FAULT.
  preempt_pending_ = params_.preempt_delay.count() > 0;
  preempt_allowed_at_ = now + params_.preempt_delay;
}

duration vrrp_state_machine::down_interval() const {
  return master_down_interval(params_.version, params_.priority, master_adver_int_);
}

duration backup_shortcuts::rearm_after(duration advertised) const {
  // As on_advert: a v3 backup times Master_Down_Interval from the master's interval.
  return master_down_interval(version, priority, version == 3 && advertised.count() > 0 ? advertised : own_interval);
}

std::optional<backup_shortcuts> vrrp_state_machine::shortcuts() const {
  if (state_ != vrrp_state::backup) return std::nullopt;
  backup_shortcuts s;
  s.takeover = !params_.sync_gated;  // on_master_down: enter_master, adverts first
  s.priority = params_.priority;
  s.version = params_.version;
  s.own_interval = params_.advert_int;
  return s;
}

void vrrp_state_machine::adopt_interval(duration advertised) {
  // Only v3 carries a meaningful interval to adopt; 0 means the caller has none.
  if (params_.version == 3 && advertised.count() > 0) master_adver_int_ = advertised;
}

std::vector<action> vrrp_state_machine::become(time_point now, vrrp_state next) {
  state_ = next;
  wants_master_ = false;
  since_ = now;
  ++transitions_;
  ++transitions_to_[static_cast<std::size_t>(next)];
  action a = make(action::kind::notify);
  a.state = next;
  return {a};
}

std::vector<action> vrrp_state_machine::enter_master(time_point now) {
  master_addr_ = params_.primary;
  // We are the master now: the interval that counts is our own.
  master_adver_int_ = params_.advert_int;
  master_prio_ = params_.priority;
  // Adverts first so that peers hear the new master as soon as possible.
  std::vector<action> out{make(action::kind::start_adverts), make(action::kind::add_vips),
                          make(action::kind::send_garp)};
  auto n = become(now, vrrp_state::master);
  out.insert(out.end(), n.begin(), n.end());
  return out;
}

std::vector<action> vrrp_state_machine::enter_backup(time_point now, std::vector<action> out) {
  master_addr_ = ip_address{};
  master_prio_ = 0;
  out.push_back(arm(now + down_interval()));
  auto n = become(now, vrrp_state::backup);
  out.insert(out.end(), n.begin(), n.end());
  return out;
}

std::vector<action> vrrp_state_machine::start(time_point now) {
  if (state_ != vrrp_state::init) return {};
  // Only the address owner goes straight to MASTER (RFC 3768 6.4.1). keepalived treats
  // `state MASTER` with a lower priority as BACKUP until the master-down timer fires,
  // so initial_master does not change anything here.
  if (params_.priority == owner_priority) return enter_master(now);
  open_preempt_window(now);
  // RFC 5798 6.4.1: a backup starts with Master_Adver_Interval = Advertisement_Interval.
  master_adver_int_ = params_.advert_int;
  // A restart after a crash may find our addresses still on the interface while another
  // router is master: a backup holds none of them.
  return enter_backup(now, {make(action::kind::remove_vips)});
}

std::vector<action> vrrp_state_machine::resume(time_point now, vrrp_state was) {
  if (state_ != vrrp_state::init) return {};
  std::vector<action> out;
  if (was == vrrp_state::master) {
    out = enter_master(now);
  } else if (was == vrrp_state::backup) {
    open_preempt_window(now);
    master_adver_int_ = params_.advert_int;
    out = enter_backup(now, {make(action::kind::remove_vips)});
  } else {
    return start(now);
  }
  // Not a transition: the state was never left on the wire nor in the kernel.
  out.erase(std::remove_if(out.begin(), out.end(), [](const action& a) {
              return a.what == action::kind::notify || a.what == action::kind::send_garp;
            }), out.end());
  transitions_ = 0;
  return out;
}

std::vector<action> vrrp_state_machine::on_advert(time_point now, std::uint8_t priority,
                                                  const ip_address& src, duration advertised) {
  // RFC 3768 7.1 has the address owner (255) discard adverts for its VRID: no other router
  // can outrank it, so it never yields. Two owners on one segment are a configuration
  // error the RFC leaves open; keepalived 2.2.7 (checked in a lab) lets the owner that
  // hears the other one lower itself to 254 and step down, so that one master remains.
  // So do we; owner_conflicts() tells the caller to log it.
  if (params_.priority == owner_priority && priority == owner_priority &&
      src != params_.primary) {
    params_.priority = owner_priority - 1;
    ++owner_conflicts_;
  }
  if (state_ == vrrp_state::backup) {
    // The master is leaving: take over after Skew_Time instead of Master_Down_Interval.
    // (v3: Skew_Time of the Master_Adver_Interval last heard, RFC 5798 6.4.2.)
    if (priority == 0)
      return {arm(now + skew_time(params_.version, params_.priority, master_adver_int_))};

    master_addr_ = src;
    master_prio_ = priority;
    const bool lower = priority < params_.priority;
    // Preempt delay, as keepalived: the delay window opens at startup (or when leaving
    // FAULT), closes when a master at least as good as us is heard, and reopens for
    // preempt_delay from the first lower-priority advert seen after that. While it is
    // open a lower-priority master is accepted like any other.
    const bool delaying = params_.preempt_delay.count() > 0 &&
                          (!preempt_pending_ || now < preempt_allowed_at_);
    if (!params_.preempt || !lower || delaying) {
      if (params_.preempt_delay.count() > 0) {
        if (!lower) {
          preempt_pending_ = false;
        } else if (!preempt_pending_) {
          preempt_pending_ = true;
          preempt_allowed_at_ = now + params_.preempt_delay;
        }
      }
      // RFC 5798 6.4.2: the accepted master's interval times the master-down timer.
      adopt_interval(advertised);
      wants_master_ = false;  // a master is there again: a sync group's wait is over
      return {arm(now + down_interval())};
    }
    // Discard the lower-priority advert: the master-down timer keeps running and we
    // preempt when it fires.
    return {};
  }

  if (state_ == vrrp_state::master) {
    if (priority == 0) {
      // RFC 3768 6.4.3: send an advert now and restart the advert timer; start_adverts
      // does exactly both.
      return {make(action::kind::start_adverts)};
    }
    const bool yield = priority > params_.priority ||
                       (priority == params_.priority && params_.primary < src);
    // keepalived re-sends its GARPs then: two masters may have overlapped, and the other
    // one's GARPs may be the last that hosts and switches saw.
    // (Only a strictly lower priority was observed doing so; a tie we win does not here.)
    if (!yield) {
      if (priority >= params_.priority) return {};
      std::vector<action> out{make(action::kind::lower_prio_garp)};
      if (!params_.lower_prio_no_advert &&
          (!lower_answered_ || now - *lower_answered_ >= params_.advert_int)) {
        lower_answered_ = now;
        out.push_back(send(params_.priority));
      }
      return out;
    }
    std::vector<action> out;
    if (params_.higher_prio_send_advert) out.push_back(send(params_.priority));
    out.push_back(make(action::kind::stop_adverts));
    out.push_back(make(action::kind::remove_vips));
    // RFC 5798 6.4.3: the new master's interval, before enter_backup arms the timer.
    adopt_interval(advertised);
    out = enter_backup(now, std::move(out));
    master_addr_ = src;
    master_prio_ = priority;
    return out;
  }
  return {};
}

std::vector<action> vrrp_state_machine::on_master_down(time_point now) {
  if (state_ != vrrp_state::backup) return {};
  if (params_.sync_gated) {
    // keepalived: wait as BACKUP until the group grants MASTER, re-arming the timer so that
    // the wish is renewed if the group is still not ready by then.
    wants_master_ = true;
    return {arm(now + down_interval())};
  }
  return enter_master(now);
}

std::vector<action> vrrp_state_machine::grant_master(time_point now) {
  if (state_ != vrrp_state::backup) return {};
  std::vector<action> out{make(action::kind::cancel_master_down)};
  auto m = enter_master(now);
  out.insert(out.end(), m.begin(), m.end());
  return out;
}

std::vector<action> vrrp_state_machine::group_fault(time_point now, bool hold) {
  group_fault_ = hold;
  if (hold) return enter_fault(now);
  if (state_ != vrrp_state::fault || own_fault_) return {};
  return leave_fault(now);
}

std::vector<action> vrrp_state_machine::group_backup(time_point now) {
  if (state_ != vrrp_state::master) return {};
  return enter_backup(now, {make(action::kind::stop_adverts), make(action::kind::remove_vips)});
}

std::vector<action> vrrp_state_machine::on_interface(time_point now, bool up) {
  own_fault_ = !up;
  if (up) {
    // A sync group still holding us in FAULT keeps us there until it releases us.
    if (state_ != vrrp_state::fault || group_fault_) return {};
    return leave_fault(now);
  }
  return enter_fault(now);
}

std::vector<action> vrrp_state_machine::leave_fault(time_point now) {
  // keepalived leaves FAULT to BACKUP; only the owner goes straight to MASTER.
  if (params_.priority == owner_priority) return enter_master(now);
  open_preempt_window(now);
  master_adver_int_ = params_.advert_int;  // as at start: no master heard yet
  return enter_backup(now, {make(action::kind::remove_vips)});
}

std::vector<action> vrrp_state_machine::enter_fault(time_point now) {
  std::vector<action> out;
  switch (state_) {
    case vrrp_state::master:
      // As keepalived: tell the backups we are leaving (the send simply fails when the
      // link is gone), then drop the addresses.
      out = {make(action::kind::stop_adverts), send(0), make(action::kind::remove_vips)};
      break;
    case vrrp_state::backup:
      out = {make(action::kind::cancel_master_down), make(action::kind::remove_vips)};
      break;
    case vrrp_state::init:
      out = {make(action::kind::remove_vips)};  // leftovers of an earlier run
      break;
    case vrrp_state::fault:
    case vrrp_state::stopped:
      return {};
  }
  master_addr_ = ip_address{};
  master_prio_ = 0;
  auto n = become(now, vrrp_state::fault);
  out.insert(out.end(), n.begin(), n.end());
  return out;
}

std::vector<action> vrrp_state_machine::set_priority(time_point now, std::uint8_t priority) {
  if (priority == 0 || priority == params_.priority || params_.priority == owner_priority ||
      priority == owner_priority)
    return {};
  params_.priority = priority;
  switch (state_) {
    case vrrp_state::master:
      master_prio_ = priority;
      return {make(action::kind::start_adverts)};
    case vrrp_state::backup:
      return {arm(now + down_interval())};
    default:
      return {};
  }
}

std::vector<action> vrrp_state_machine::shutdown(time_point now) {
  std::vector<action> out;
  switch (state_) {
    case vrrp_state::master:
      // Priority 0 lets a backup take over after Skew_Time rather than Master_Down.
      out = {make(action::kind::stop_adverts), send(0), make(action::kind::remove_vips)};
      break;
    case vrrp_state::backup:
    case vrrp_state::fault:
      out = {make(action::kind::cancel_master_down)};
      break;
    case vrrp_state::init:
      break;
    case vrrp_state::stopped:
      return {};
  }
  auto n = become(now, vrrp_state::stopped);
  out.insert(out.end(), n.begin(), n.end());
  return out;
}

} // namespace ka::proto
