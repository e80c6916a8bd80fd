// kernel/systemd_notify.hpp against a datagram socket standing in for the service
// manager's (NOTIFY_SOCKET), as systemd would read it: one datagram per call.
#include <doctest/doctest.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "kernel/systemd_notify.hpp"
#include "tests/unit/temp_dir.hpp"

namespace sd = ka::kern::systemd;

namespace {
struct fake_manager {
  temp_dir dir;
  int fd = -1;
  fake_manager() {
    fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::string path = dir.path + "/notify";
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
  }
  ~fake_manager() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd);
  }
  // The next datagram, or "" if none comes within 100 ms.
  std::string next() {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0)
      return "";
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
  }
};
} // namespace

TEST_CASE("systemd notify: nothing without NOTIFY_SOCKET") {
  ::unsetenv("NOTIFY_SOCKET");
  CHECK_FALSE(sd::enabled());
  sd::ready("x");  // no socket to send to: returns quietly
  ::setenv("NOTIFY_SOCKET", "", 1);
  CHECK_FALSE(sd::enabled());
  ::unsetenv("NOTIFY_SOCKET");
}

TEST_CASE("systemd notify: ready, status, stopping, one datagram each") {
  fake_manager m;
  CHECK(sd::enabled());
  sd::ready("Running 2 VRRP instances");
  CHECK(m.next() == "READY=1\nSTATUS=Running 2 VRRP instances");
  sd::status("line one\nline two");  // a newline would start another variable
  CHECK(m.next() == "STATUS=line one line two");
  sd::stopping("Stopping on Terminated");
  CHECK(m.next() == "STOPPING=1\nSTATUS=Stopping on Terminated");
  CHECK(m.next() == "");
}

TEST_CASE("systemd notify: a reload is RELOADING=1 with the monotonic clock, then READY=1") {
  fake_manager m;
  timespec before{};
  clock_gettime(CLOCK_MONOTONIC, &before);
  sd::reloading();
  std::string r = m.next();
  REQUIRE(r.rfind("RELOADING=1\nSTATUS=Reloading the configuration\nMONOTONIC_USEC=", 0) == 0);
  unsigned long long usec = std::stoull(r.substr(r.rfind('=') + 1));
  unsigned long long before_us = static_cast<unsigned long long>(before.tv_sec) * 1000000ULL +
                                 static_cast<unsigned long long>(before.tv_nsec) / 1000ULL;
  CHECK(usec >= before_us);
  CHECK(usec < before_us + 5000000ULL);
  sd::reloaded("Running 3 VRRP instances");
  CHECK(m.next() == "READY=1\nSTATUS=Running 3 VRRP instances");
}
