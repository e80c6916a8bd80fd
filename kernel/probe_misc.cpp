#include "kernel/probe_misc.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <cstring>

#include "protocol/check_verdicts.hpp"

namespace ka::kern {
namespace {

namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

class misc_probe : public std::enable_shared_from_this<misc_probe> {
public:
  misc_probe(probe_engine& e, const misc_probe_spec& s, probe_callback cb)
      : strand_(asio::make_strand(e.io())), timer_(strand_), pidfd_(strand_), spec_(s),
        done_(std::move(cb)), start_(clock_type::now()) {}

  void start() {
    asio::dispatch(strand_, [self = shared_from_this()] { self->spawn(); });
  }

private:
  void spawn() {
    auto argv = split_command(spec_.misc_path);
    if (argv.empty())
      return report(false, "misc_path is empty");
    int err = spawn_process(argv, child_, spec_.user ? &*spec_.user : nullptr);
    if (err != 0)
      return report(false, argv[0] + ": " + std::strerror(err));
    if (child_.pidfd < 0) {
      // No pidfd (kernel before 5.3): this engine cannot watch the child without waiting.
      reap_process(child_, true);
      return report(false, "pidfd_open is not available: the check cannot be run");
    }
    pidfd_.assign(child_.pidfd);
    timer_.expires_after(spec_.timeout);
    arm_timer(spec_.timeout);
    pidfd_.async_wait(asio::posix::descriptor_base::wait_read,
                      [self = shared_from_this()](const boost::system::error_code& ec) {
                        if (!ec)
                          self->exited();
                      });
  }

  // At misc_timeout the script's process group gets SIGTERM, and SIGKILL 2 s later if it
  // is still there (keepalived 2.2.7's sequence); the pidfd then becomes readable and
  // exited() reaps it.
  void arm_timer(std::chrono::microseconds after) {
    timer_.expires_after(after);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->reaped_)
        return;
      if (!self->killed_) {
        self->killed_ = true;
        ::kill(-self->child_.pid, SIGTERM);
        self->arm_timer(std::chrono::seconds(2));
      } else {
        ::kill(-self->child_.pid, SIGKILL);
      }
    });
  }

  void exited() {
    reaped_ = true;
    timer_.cancel();
    pidfd_.release();  // reap_process closes it
    // After a timeout what the script started in its group goes too; sent before the
    // reap, while the unreaped leader still holds the group's number.
    if (killed_)
      ::kill(-child_.pid, SIGKILL);
    // The child has exited (its pidfd is readable): waitpid returns at once.
    run_result r = reap_process(child_, false);
    if (killed_) {
      return report(false, "timed out (misc_timeout): " + std::string(r.how == run_result::outcome::signalled
                                                                          ? "killed by signal " + std::to_string(r.code)
                                                                          : "exited with " + std::to_string(r.code)));
    }
    if (r.how == run_result::outcome::signalled)
      return report(false, std::string("killed by signal ") + std::to_string(r.code));
    auto v = proto::misc_verdict(r.code, spec_.dynamic);
    report(v.ok, v.reason, v.weight);
  }

  void report(bool ok, std::string reason, std::optional<int> weight = std::nullopt) {
    done_(result_since(start_, ok, std::move(reason), weight));
  }

  asio::strand<asio::io_context::executor_type> strand_;
  asio::steady_timer timer_;
  asio::posix::stream_descriptor pidfd_;
  misc_probe_spec spec_;
  probe_callback done_;
  clock_type::time_point start_;
  child_process child_;
  bool killed_ = false, reaped_ = false;
};

} // namespace

void start_misc_probe(probe_engine& engine, const misc_probe_spec& spec, probe_callback done) {
  std::make_shared<misc_probe>(engine, spec, std::move(done))->start();
}

} // namespace ka::kern
