// SMTP alerts: one mail sent over one connection (HELO, MAIL FROM, RCPT TO for each
// recipient, DATA, QUIT), as keepalived does. Asynchronous on a probe_engine
// (kernel/probe.hpp): it never blocks a thread, and the target's timeout
// (smtp_connect_timeout) bounds the whole dialogue, so a dead or slow server costs a
// pending mail, nothing else. The callback runs once, on an engine thread.
#pragma once
#include <string>
#include <vector>

#include "kernel/probe.hpp"

namespace ka::kern {

struct smtp_mail_spec {
  probe_target target;              // smtp_server, smtp_port, smtp_connect_timeout
  std::string helo_name;            // smtp_helo_name, else this host's name
  std::string from;                 // MAIL FROM
  std::vector<std::string> to;      // RCPT TO, one each
  std::string data;                 // headers and body, dot-stuffed, ending "\r\n.\r\n"
};

void start_smtp_mail(probe_engine& e, const smtp_mail_spec& spec, probe_callback cb);

} // namespace ka::kern
