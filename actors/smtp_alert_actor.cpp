// SMTP alerts: the mailer. It takes the transition lines that instances and sync groups
// send their notify FIFOs (`INSTANCE "VI_1" MASTER 100`, `GROUP "G1" MASTER 0`: it is
// handed to them as one more FIFO, so that transitions have one outlet), decides whether
// the block mails (protocol/smtp_alert.hpp) and starts the mail on an I/O thread of its
// own (kernel/smtp_mail.hpp). Nothing here waits for the server: a dead or slow one costs
// mails in flight, each bounded by smtp_connect_timeout, and once `max_in_flight` are
// pending further mails are dropped and counted, never queued without bound. Failures are
// logged at most once per 10 s with the count of those not logged.
#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <unistd.h>

#include <atomic>
#include <ctime>
#include <memory>
#include <mutex>

#include "actors/spawn.hpp"
#include "kernel/log.hpp"
#include "kernel/smtp_mail.hpp"
#include "protocol/log_thinner.hpp"
#include "protocol/smtp_alert.hpp"

namespace ka::act {
namespace {

constexpr std::uint64_t max_in_flight = 32;

// Shared with the engine thread's callbacks, which may outlive the actor's state.
struct mail_counters {
  std::atomic<std::uint64_t> sent{0}, failed{0}, dropped{0}, in_flight{0};
  std::mutex m;                         // guards the two below
  proto::log_thinner failures_log;
  std::string last_error;
};

struct smtp_state {
  std::shared_ptr<const config::config> cfg;
  kern::smtp_mail_spec base;            // target, HELO name, from, to
  std::unique_ptr<kern::smtp_engine> engine;  // its own thread, not the probes'
  std::shared_ptr<mail_counters> counters = std::make_shared<mail_counters>();
  std::uint64_t skipped = 0;            // transitions of blocks without smtp_alert
  ~smtp_state() {
    engine.reset();  // joins the I/O thread: no callback runs after this
  }
  static constexpr const char* name = "smtp_alert";
};
using smtp_self = notify_fifo_actor::stateful_pointer<smtp_state>;

std::string host_name() {
  char buf[256] = {};
  ::gethostname(buf, sizeof buf - 1);
  return buf;
}

// RFC 5322 date in local time, as keepalived's Date header.
std::string mail_date() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S %z", &tm);
  return buf;
}

// Whether the block the line is about has alerts on.
bool block_alerts(const config::config& cfg, const proto::transition_line& t) {
  const auto& m = cfg.global.mail;
  if (t.what == proto::transition_line::kind::instance) {
    for (const auto& i : cfg.instances)
      if (i.name == t.name)
        return proto::vrrp_alert_enabled(i.smtp_alert, m.smtp_alert_vrrp, m.smtp_alert);
  } else {
    for (const auto& g : cfg.sync_groups)
      if (g.name == t.name)
        return proto::vrrp_alert_enabled(g.smtp_alert, m.smtp_alert_vrrp, m.smtp_alert);
  }
  return false;
}

void send_mail(smtp_self self, const proto::alert_text& text) {
  auto& st = self->state;
  auto c = st.counters;
  if (c->in_flight.load() >= max_in_flight) {
    ++c->dropped;
    std::lock_guard<std::mutex> g(c->m);
    if (auto v = c->failures_log.on_event(proto::clock::now()); v.log)
      log::warning("SMTP alert \"%s\" dropped: %llu mails still pending at %s (%llu more failures "
                   "not logged)", text.subject.c_str(), static_cast<unsigned long long>(max_in_flight),
                   st.cfg->global.smtp_server.c_str(), static_cast<unsigned long long>(v.suppressed));
    return;
  }
  kern::smtp_mail_spec spec = st.base;
  spec.data = proto::mail_data({spec.from, spec.to}, text, mail_date());
  ++c->in_flight;
  std::string subject = text.subject;
  kern::start_smtp_mail(*st.engine, spec, [c, subject, server = st.cfg->global.smtp_server](kern::smtp_mail_result r) {
    --c->in_flight;
    if (r.ok) {
      ++c->sent;
      log::info("SMTP alert sent: %s", subject.c_str());
      return;
    }
    ++c->failed;
    std::lock_guard<std::mutex> g(c->m);
    c->last_error = r.reason;
    if (auto v = c->failures_log.on_event(proto::clock::now()); v.log)
      log::error("SMTP alert \"%s\" not sent to %s: %s (%llu more failures not logged)", subject.c_str(),
                 server.c_str(), r.reason.c_str(), static_cast<unsigned long long>(v.suppressed));
  });
}

notify_fifo_actor::behavior_type smtp_behavior(smtp_self self, std::shared_ptr<const config::config> cfg,
                                               kern::smtp_mail_spec base) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.base = std::move(base);
  st.engine = std::make_unique<kern::smtp_engine>();
  return {
    [=](fifo_atom, const std::string& line) {
      auto& st = self->state;
      auto t = proto::parse_transition_line(line);
      if (!t)
        return;
      if (!block_alerts(*st.cfg, *t)) {
        ++st.skipped;
        return;
      }
      if (auto text = proto::vrrp_alert(*t, st.cfg->global.router_id, st.cfg->global.mail.no_email_faults))
        send_mail(self, *text);
    },
    [=](status_atom) {
      auto& st = self->state;
      auto& c = *st.counters;
      json v;
      v["kind"] = "smtp_alert";
      v["smtp_server"] = st.cfg->global.smtp_server + ":" + std::to_string(st.base.target.port);
      v["sent"] = c.sent.load();
      v["failed"] = c.failed.load();
      v["dropped"] = c.dropped.load();
      v["in_flight"] = c.in_flight.load();
      std::lock_guard<std::mutex> g(c.m);
      v["last_error"] = c.last_error.empty() ? json() : json(c.last_error);
      return v;
    },
  };
}

} // namespace

std::optional<notify_fifo_actor> spawn_smtp_alert_actor(caf::actor_system& sys,
                                                        std::shared_ptr<const config::config> cfg) {
  const auto& g = cfg->global;
  if (g.notification_email.empty() || g.smtp_server.empty())
    return std::nullopt;
  auto addr = proto::ip_address::parse(g.smtp_server);
  if (!addr) {
    log::error("smtp_server %s: only an IP address is supported; SMTP alerts are off",
               g.smtp_server.c_str());
    return std::nullopt;
  }
  kern::smtp_mail_spec base;
  base.target.addr = *addr;
  base.target.port = static_cast<std::uint16_t>(g.smtp_port);
  base.target.timeout = std::chrono::microseconds(static_cast<long long>(g.smtp_connect_timeout * 1e6));
  base.helo_name = g.mail.smtp_helo_name.empty() ? host_name() : g.mail.smtp_helo_name;
  base.from = g.notification_email_from.empty() ? proto::default_mail_from(host_name())
                                                : g.notification_email_from;
  base.to = g.notification_email;
  return sys.spawn(smtp_behavior, std::move(cfg), std::move(base));
}

} // namespace ka::act
