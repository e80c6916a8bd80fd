#include "kernel/probe_smtp.hpp"

#include <boost/asio/post.hpp>

#include <memory>
#include <utility>

#include "kernel/probe_stream.hpp"
#include "kernel/smtp_conversation.hpp"

namespace ka::kern {

namespace asio = boost::asio;

namespace {

// The probe's own dialogue; the conversation's machinery is kernel/smtp_conversation.hpp.
struct smtp_session : smtp_conversation<smtp_session, probe_run> {
  smtp_session(probe_engine& e, const smtp_probe_spec& s, probe_callback cb)
      : smtp_conversation(e, s.target, std::move(cb)), spec(s) {}
  smtp_probe_spec spec;

  void start() {
    if (auto err = prepare_tcp_socket(sock, spec.target); !err.empty()) return run.finish(false, err);
    connect(tcp_endpoint(spec.target.addr, spec.target.port), smtp_code{220}, [self = me()] { self->helo(); });
  }

  void helo() {
    say("HELO " + smtp_helo_name(spec.helo_name) + "\r\n", smtp_code{250}, "answering HELO", [self = me()] {
      self->say("QUIT\r\n", smtp_code{221}, "answering QUIT", [self] { self->end(true, "SMTP 220, 250, 221"); });
    });
  }
};

} // namespace

void start_smtp_probe(probe_engine& e, const smtp_probe_spec& spec, probe_callback cb) {
  auto s = std::make_shared<smtp_session>(e, spec, std::move(cb));
  asio::post(s->run.ex(), [s] { s->start(); });
}

} // namespace ka::kern
