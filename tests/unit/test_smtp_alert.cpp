// SMTP alerts: which transitions are mailed and the mail's text (protocol/smtp_alert.hpp),
// against what keepalived 2.2.7 sent to a logging SMTP server.
#include <doctest/doctest.h>

#include "protocol/smtp_alert.hpp"

using namespace ka::proto;

TEST_CASE("smtp_alert: transition lines of instances and groups") {
  auto i = parse_transition_line("INSTANCE \"VI_1\" MASTER 100");
  REQUIRE(i);
  CHECK(i->what == transition_line::kind::instance);
  CHECK(i->name == "VI_1");
  CHECK(i->state == "MASTER");
  auto g = parse_transition_line("GROUP \"G 1\" FAULT 0");
  REQUIRE(g);
  CHECK(g->what == transition_line::kind::group);
  CHECK(g->name == "G 1");
  CHECK(g->state == "FAULT");
  CHECK_FALSE(parse_transition_line("VS [192.0.2.1]:tcp:80 UP"));
  CHECK_FALSE(parse_transition_line("INSTANCE \"\" MASTER 100"));
  CHECK_FALSE(parse_transition_line("INSTANCE \"VI_1 MASTER 100"));
  CHECK_FALSE(parse_transition_line("INSTANCE \"VI_1\" "));
}

TEST_CASE("smtp_alert: the block's setting, else smtp_alert_vrrp, else smtp_alert, else off") {
  CHECK_FALSE(vrrp_alert_enabled(std::nullopt, std::nullopt, std::nullopt));
  CHECK(vrrp_alert_enabled(std::nullopt, std::nullopt, true));
  CHECK_FALSE(vrrp_alert_enabled(std::nullopt, false, true));
  CHECK(vrrp_alert_enabled(std::nullopt, true, false));
  CHECK_FALSE(vrrp_alert_enabled(false, true, true));
  CHECK(vrrp_alert_enabled(true, false, false));
}

TEST_CASE("smtp_alert: subjects and bodies as keepalived's") {
  auto m = vrrp_alert(*parse_transition_line("INSTANCE \"VI_1\" MASTER 100"), "r1", false);
  REQUIRE(m);
  CHECK(m->subject == "[r1] VRRP Instance VI_1 - Entering MASTER state");
  CHECK(m->body == "=> VRRP Instance is now owning VRRP VIPs <=");
  auto b = vrrp_alert(*parse_transition_line("INSTANCE \"VI_2\" BACKUP 90"), "r1", false);
  REQUIRE(b);
  CHECK(b->subject == "[r1] VRRP Instance VI_2 - Entering BACKUP state");
  CHECK(b->body == "=> VRRP Instance is no longer owning VRRP VIPs <=");
  auto f = vrrp_alert(*parse_transition_line("INSTANCE \"VI_2\" FAULT 90"), "r1", false);
  REQUIRE(f);
  CHECK(f->body == "=> VRRP Instance is no longer owning VRRP VIPs <=");
  auto g = vrrp_alert(*parse_transition_line("GROUP \"G1\" MASTER 0"), "r1", false);
  REQUIRE(g);
  CHECK(g->subject == "[r1] VRRP Group G1 - Entering MASTER state");
  CHECK(g->body == "=> All VRRP group instances are now in MASTER state <=");
  // keepalived mails nothing when it stops; no_email_faults leaves FAULT out.
  CHECK_FALSE(vrrp_alert(*parse_transition_line("INSTANCE \"VI_1\" STOP 100"), "r1", false));
  CHECK_FALSE(vrrp_alert(*parse_transition_line("GROUP \"G1\" FAULT 0"), "r1", true));
  CHECK(vrrp_alert(*parse_transition_line("GROUP \"G1\" BACKUP 0"), "r1", true));
}

TEST_CASE("smtp_alert: the DATA part, headers in keepalived's order") {
  mail_envelope env{"kd@example.com", {"root@example.com", "ops@example.com"}};
  alert_text t{"[r1] VRRP Instance VI_1 - Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <="};
  CHECK(mail_data(env, t, "Mon, 07 Dec 2026 21:03:35 +0000") ==
        "Date: Mon, 07 Dec 2026 21:03:35 +0000\r\n"
        "From: kd@example.com\r\n"
        "Subject: [r1] VRRP Instance VI_1 - Entering MASTER state\r\n"
        "X-Mailer: Keepalive\r\n"
        "To: root@example.com, ops@example.com\r\n"
        "\r\n"
        "=> VRRP Instance is now owning VRRP VIPs <=\r\n"
        "\r\n"
        ".\r\n");
}

TEST_CASE("smtp_alert: a line break from the config cannot add a header or end the data") {
  mail_envelope env{"a@example.com", {"b@example.com"}};
  alert_text t{"[r1\r\nBcc: x@example.com] x", "one\n.\nthree"};
  std::string d = mail_data(env, t, "Mon, 07 Dec 2026 21:03:35 +0000");
  CHECK(d.find("\r\nBcc:") == std::string::npos);
  CHECK(d.find("\r\n.\r\nthree") == std::string::npos);
  CHECK(d.find("one\r\n..\r\nthree") != std::string::npos);
  CHECK(d.substr(d.size() - 5) == "\r\n.\r\n");
  CHECK(default_mail_from("vm") == "keepalived@vm");
}
