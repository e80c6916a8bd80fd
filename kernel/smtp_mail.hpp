// SMTP alerts: one mail sent over one connection (HELO, MAIL FROM, RCPT TO for each
// recipient, DATA, QUIT), as keepalived does. Asynchronous on the mailer's own thread
// (kernel/smtp_engine.hpp): it never blocks a thread, and the target's timeout
// (smtp_connect_timeout) bounds the whole dialogue, so a dead or slow server costs a
// pending mail, nothing else. The callback runs once, on the engine's thread.
// Nothing here links the health-check probes (kernel/probe*.cpp): they are in a module the
// executable does not link (actors/probe_module.hpp). What the two share is header-only
// (kernel/asio_run.hpp, kernel/smtp_conversation.hpp).
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "kernel/smtp_engine.hpp"
#include "protocol/ip_address.hpp"

namespace ka::kern {

struct smtp_target {
  proto::ip_address addr;           // smtp_server
  std::uint16_t port = 25;          // smtp_port, host order
  std::chrono::microseconds timeout{std::chrono::seconds(30)};  // smtp_connect_timeout
};

struct smtp_mail_result {
  bool ok = false;
  std::string reason;               // why it failed, or "accepted"
};
using smtp_mail_callback = std::function<void(smtp_mail_result)>;

struct smtp_mail_spec {
  smtp_target target;
  std::string helo_name;            // smtp_helo_name, else this host's name
  std::string from;                 // MAIL FROM
  std::vector<std::string> to;      // RCPT TO, one each
  std::string data;                 // headers and body, dot-stuffed, ending "\r\n.\r\n"
};

void start_smtp_mail(smtp_engine& e, const smtp_mail_spec& spec, smtp_mail_callback cb);

} // namespace ka::kern
