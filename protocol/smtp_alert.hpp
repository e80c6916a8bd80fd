// SMTP alerts (global_defs notification_email, smtp_server, smtp_alert...): which
// transitions are mailed and what the mail says. Pure: the mailer actor
// (actors/smtp_alert_actor.cpp) reads the same transition lines the notify FIFOs get
// (`INSTANCE "VI_1" MASTER 100`, `GROUP "G1" MASTER 0`), asks this file whether and what
// to send, and hands the text to the SMTP client (kernel/smtp_mail.hpp).
//
// The mail as keepalived 2.2.7 sends it (observed against a logging SMTP server, README
// "SMTP alerts"): one connection per mail; HELO (not EHLO); headers Date, From,
// Subject "[ROUTER_ID] VRRP Instance VI_1 - Entering MASTER state" (or "VRRP Group G1"),
// X-Mailer, To (every recipient, comma-separated); a one-line body between "=> " and " <=".
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ka::proto {

// One transition line of an instance or a sync group.
struct transition_line {
  enum class kind { instance, group };
  kind what = kind::instance;
  std::string name;
  std::string state;  // MASTER, BACKUP, FAULT, STOP
};
// nullopt: not a VRRP transition line (or malformed).
std::optional<transition_line> parse_transition_line(std::string_view line);

// smtp_alert of a block: its own setting, else global_defs smtp_alert_vrrp, else
// smtp_alert, else off (keepalived.conf(5): "default no, unless global
// smtp_alert/smtp_alert_vrrp set").
bool vrrp_alert_enabled(std::optional<bool> block, std::optional<bool> global_vrrp,
                        std::optional<bool> global_all);

struct alert_text {
  std::string subject;
  std::string body;   // without the surrounding empty lines
};
// nullopt: this state is not mailed (STOP: keepalived sends nothing when it stops; FAULT
// when `no_email_faults`).
std::optional<alert_text> vrrp_alert(const transition_line& t, const std::string& router_id,
                                     bool no_email_faults);

struct mail_envelope {
  std::string from;                 // notification_email_from
  std::vector<std::string> to;      // notification_email
};
// The DATA part of the mail, CRLF line ends, dot-stuffed, ending with the "." line.
// `date`: an RFC 5322 date ("Mon, 07 Dec 2026 21:03:35 +0000"), taken by the caller.
std::string mail_data(const mail_envelope& env, const alert_text& text, const std::string& date);

// notification_email_from's default: keepalived@HOST.
std::string default_mail_from(const std::string& host);


} // namespace ka::proto
