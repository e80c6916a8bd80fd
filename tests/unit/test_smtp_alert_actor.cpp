// actors/smtp_alert_actor.cpp: a mail server that accepts connections and never answers
// holds every mail until its timeout; the mailer keeps at most 32 pending and drops (and
// counts) the rest, without waiting on any of them.
#include <doctest/doctest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "actors/spawn.hpp"
#include "parser/load.hpp"

using namespace ka;

namespace {
// A listener on 127.0.0.1 that never accepts: the kernel completes handshakes into its
// backlog and nobody ever says 220. Returns the fd and sets `port`.
int silent_listener(int& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(fd, 128) == 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}
} // namespace

TEST_CASE("smtp_alert_actor: a silent server: 32 mails pending, the rest dropped and counted") {
  int port = 0;
  int lfd = silent_listener(port);
  auto cfg = std::make_shared<const config::config>(config::load_string(
    "global_defs {\n  router_id r1\n  notification_email {\n    root@example.com\n  }\n"
    "  smtp_server 127.0.0.1 " + std::to_string(port) + "\n  smtp_connect_timeout 30\n  smtp_alert\n}\n"
    "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 5\n}\n"
    "vrrp_instance VI_2 {\n  interface eth0\n  virtual_router_id 6\n  smtp_alert off\n}\n"));
  caf::actor_system_config sc;
  caf::actor_system sys{sc};
  {
    auto mailer = act::spawn_smtp_alert_actor(sys, cfg);
    REQUIRE(mailer);
    caf::scoped_actor self{sys};
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 40; ++i)
      self->send(*mailer, act::fifo_atom::value, std::string(i % 2 ? "INSTANCE \"VI_1\" MASTER 100" : "INSTANCE \"VI_1\" BACKUP 100"));
    for (int i = 0; i < 5; ++i)  // alerts off: not even tried
      self->send(*mailer, act::fifo_atom::value, std::string("INSTANCE \"VI_2\" MASTER 100"));
    json st;
    self->request(*mailer, caf::infinite, act::status_atom::value).receive([&](const json& j) { st = j; },
                                                                             [](caf::error&) {});
    auto took = std::chrono::steady_clock::now() - start;
    INFO(st.dump());
    CHECK(st["in_flight"] == 32);
    CHECK(st["dropped"] == 8);
    CHECK(st["sent"] == 0);
    CHECK(st["failed"] == 0);
    CHECK(took < std::chrono::seconds(2));  // nothing waited for the server
    self->send_exit(*mailer, caf::exit_reason::user_shutdown);
  }
  ::close(lfd);
}

TEST_CASE("smtp_alert_actor: no mailer without recipients or with a server name") {
  caf::actor_system_config sc;
  caf::actor_system sys{sc};
  auto none = std::make_shared<const config::config>(config::load_string(
    "global_defs {\n  smtp_server 127.0.0.1\n}\nvrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 5\n}\n"));
  CHECK_FALSE(act::spawn_smtp_alert_actor(sys, none));
  auto named = std::make_shared<const config::config>(config::load_string(
    "global_defs {\n  smtp_server mail.example.com\n  notification_email {\n    a@example.com\n  }\n}\n"
    "vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 5\n}\n"));
  CHECK_FALSE(act::spawn_smtp_alert_actor(sys, named));
}
