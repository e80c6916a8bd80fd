#include "kernel/smtp_mail.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include <memory>
#include <utility>

#include "kernel/asio_run.hpp"
#include "kernel/smtp_conversation.hpp"

namespace ka::kern {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// One mail's run (kernel/asio_run.hpp).
struct mail_run : timed_run<smtp_mail_result> {
  mail_run(smtp_engine& e, const smtp_target& t, smtp_mail_callback cb) : timed_run(e.io(), t.timeout, std::move(cb)) {}
  void finish(bool ok, std::string reason) { timed_run::finish(smtp_mail_result{ok, std::move(reason)}); }
};

// The mail's own dialogue: each step sends a line (none for the greeting) and expects a
// code class (2xx, or 3xx for DATA); any other answer ends the mail with its text. The
// conversation's machinery is kernel/smtp_conversation.hpp.
struct mail_session : smtp_conversation<mail_session, mail_run> {
  mail_session(smtp_engine& e, const smtp_mail_spec& s, smtp_mail_callback cb)
      : smtp_conversation(e, s.target, std::move(cb)), spec(s) {}
  smtp_mail_spec spec;
  std::size_t next_rcpt = 0;

  void start() {
    boost::system::error_code ec;
    sock.open(spec.target.addr.is_v4() ? tcp::v4() : tcp::v6(), ec);
    if (ec) return run.finish(false, error_reason("socket", ec));
    connect(tcp_endpoint(spec.target.addr, spec.target.port), smtp_code_class{2}, [self = me()] { self->helo(); });
  }

  void helo() {
    say("HELO " + smtp_helo_name(spec.helo_name) + "\r\n", smtp_code_class{2}, "answering HELO", [self = me()] {
      self->say("MAIL FROM:<" + self->spec.from + ">\r\n", smtp_code_class{2}, "answering MAIL FROM", [self] { self->rcpt(); });
    });
  }

  void rcpt() {
    if (next_rcpt == spec.to.size())
      return say("DATA\r\n", smtp_code_class{3}, "answering DATA", [self = me()] { self->data(); });
    const std::string& to = spec.to[next_rcpt++];
    say("RCPT TO:<" + to + ">\r\n", smtp_code_class{2}, "answering RCPT TO", [self = me()] { self->rcpt(); });
  }

  void data() {
    say(spec.data, smtp_code_class{2}, "accepting the message", [self = me()] {
      // The mail is accepted: QUIT is a courtesy. Its answer is not waited for, so that a
      // server that never gives one cannot hold the socket.
      self->run.finish(true, "accepted");
      self->send_and_close("QUIT\r\n");
    });
  }
};

} // namespace

void start_smtp_mail(smtp_engine& e, const smtp_mail_spec& spec, smtp_mail_callback cb) {
  auto s = std::make_shared<mail_session>(e, spec, std::move(cb));
  asio::post(s->run.ex(), [s] { s->start(); });
}

} // namespace ka::kern
