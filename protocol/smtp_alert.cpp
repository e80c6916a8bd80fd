#include "protocol/smtp_alert.hpp"

namespace ka::proto {

std::optional<transition_line> parse_transition_line(std::string_view line) {
  transition_line t;
  std::string_view rest;
  if (line.substr(0, 10) == "INSTANCE \"") {
    t.what = transition_line::kind::instance;
    rest = line.substr(10);
  } else if (line.substr(0, 7) == "GROUP \"") {
    t.what = transition_line::kind::group;
    rest = line.substr(7);
  } else {
    return std::nullopt;
  }
  auto q = rest.find("\" ");
  if (q == std::string_view::npos || q == 0)
    return std::nullopt;
  t.name = std::string(rest.substr(0, q));
  rest = rest.substr(q + 2);
  auto sp = rest.find(' ');
  t.state = std::string(rest.substr(0, sp));
  if (t.state.empty())
    return std::nullopt;
  return t;
}

bool vrrp_alert_enabled(std::optional<bool> block, std::optional<bool> global_vrrp,
                        std::optional<bool> global_all) {
  if (block) return *block;
  if (global_vrrp) return *global_vrrp;
  return global_all.value_or(false);
}

std::optional<alert_text> vrrp_alert(const transition_line& t, const std::string& router_id,
                                     bool no_email_faults) {
  if (t.state != "MASTER" && t.state != "BACKUP" && t.state != "FAULT")
    return std::nullopt;
  if (t.state == "FAULT" && no_email_faults)
    return std::nullopt;
  bool group = t.what == transition_line::kind::group;
  alert_text a;
  a.subject = "[" + router_id + "] VRRP " + (group ? "Group " : "Instance ") + t.name + " - Entering " +
              t.state + " state";
  if (group)
    a.body = "=> All VRRP group instances are now in " + t.state + " state <=";
  else if (t.state == "MASTER")
    a.body = "=> VRRP Instance is now owning VRRP VIPs <=";
  else
    a.body = "=> VRRP Instance is no longer owning VRRP VIPs <=";
  return a;
}

namespace {
// RFC 5321 4.5.2: a line starting with "." gets one more; bare LF becomes CRLF.
void append_stuffed(std::string& out, const std::string& text) {
  bool line_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
      continue;  // the '\n' writes the CRLF
    if (line_start && ch == '.')
      out += '.';
    if (ch == '\n') {
      out += "\r\n";
      line_start = true;
      continue;
    }
    // A header must not be split by a stray CR: names come from the config.
    out += ch == '\r' ? ' ' : ch;
    line_start = false;
  }
}
// Header values come from the config (router_id, instance names): no line break may
// start a header of its own.
std::string one_line(const std::string& s) {
  std::string out = s;
  for (auto& ch : out)
    if (ch == '\r' || ch == '\n')
      ch = ' ';
  return out;
}
} // namespace

std::string mail_data(const mail_envelope& env, const alert_text& text, const std::string& date) {
  std::string to;
  for (const auto& r : env.to)
    to += (to.empty() ? "" : ", ") + r;
  std::string out;
  out += "Date: " + one_line(date) + "\r\n";
  out += "From: " + one_line(env.from) + "\r\n";
  out += "Subject: " + one_line(text.subject) + "\r\n";
  out += "X-Mailer: Keepalive\r\n";
  out += "To: " + one_line(to) + "\r\n";
  out += "\r\n";
  append_stuffed(out, text.body);
  out += "\r\n\r\n.\r\n";
  return out;
}

std::string default_mail_from(const std::string& host) { return "keepalived@" + host; }

} // namespace ka::proto
