// The SMTP mailer's own I/O thread: one Boost.Asio io_context run by one thread.
// It is apart from the health-check probes' engine (kernel/probe.hpp) on purpose: the
// probes live in a module loaded only with checkers (actors/probe_module.hpp), and they
// bring OpenSSL; mail needs neither, so the executable keeps neither. The mailer actor
// (actors/smtp_alert_actor.cpp) makes one only when SMTP alerts are configured.
#pragma once
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>
#include <thread>

namespace ka::kern {

class smtp_engine {
public:
  smtp_engine();
  ~smtp_engine();                           // stops the context and joins the thread
  smtp_engine(const smtp_engine&) = delete;
  smtp_engine& operator=(const smtp_engine&) = delete;
  boost::asio::io_context& io() { return io_; }
private:
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
  std::thread thread_;
};

} // namespace ka::kern
