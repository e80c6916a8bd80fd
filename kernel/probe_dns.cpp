#include "kernel/probe_dns.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <ares.h>
#include <arpa/nameser.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include "kernel/probe_source.hpp"
#include "protocol/dns_answer.hpp"

namespace ka::kern {
namespace {

namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

void init_library() {
  static std::once_flag once;
  std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

// One query on a channel of its own. Everything runs on the probe's strand: c-ares is
// called only from there, and its socket hooks (open, close) are called from inside
// those calls.
class dns_probe : public std::enable_shared_from_this<dns_probe> {
public:
  dns_probe(probe_engine& e, const dns_probe_spec& s, probe_callback cb)
      : strand_(asio::make_strand(e.io())), deadline_(strand_), ares_timer_(strand_), spec_(s),
        done_(std::move(cb)), start_(clock_type::now()) {}

  ~dns_probe() {
    if (channel_)
      ares_destroy(channel_);  // unreachable in practice: finish() destroys it
  }

  void start() {
    init_library();
    asio::dispatch(strand_, [self = shared_from_this()] { self->begin(); });
  }

private:
  // ---- c-ares' socket hooks: plain system calls, plus the asio descriptor's lifetime,
  // so that a socket c-ares closes is never left registered with the reactor.
  static ares_socket_t hook_socket(int fam, int type, int proto, void* me) {
    int fd = ::socket(fam, type | SOCK_CLOEXEC | SOCK_NONBLOCK, proto);
    if (fd >= 0)
      static_cast<dns_probe*>(me)->watched_[fd];  // a slot; the descriptor comes when waited on
    return fd;
  }
  static int hook_close(ares_socket_t fd, void* me) {
    auto& w = static_cast<dns_probe*>(me)->watched_;
    auto it = w.find(fd);
    if (it != w.end()) {
      if (it->second.desc)
        it->second.desc->release();  // cancels its pending wait; c-ares owns the fd
      w.erase(it);
    }
    return ::close(fd);
  }
  // Before the socket connects: the checker's source options (c-ares' socket callback
  // comes only after connect(), too late to bind).
  static int hook_connect(ares_socket_t fd, const sockaddr* sa, ares_socklen_t len, void* me) {
    auto* self = static_cast<dns_probe*>(me);
    auto err = apply_probe_source(fd, self->spec_.target);
    if (!err.empty()) {
      self->source_error_ = err;
      errno = EADDRNOTAVAIL;
      return -1;  // c-ares gives up on the server at once
    }
    return ::connect(fd, sa, len);
  }
  static ares_ssize_t hook_recvfrom(ares_socket_t fd, void* buf, size_t len, int flags, sockaddr* from,
                                    ares_socklen_t* fromlen, void*) {
    return ::recvfrom(fd, buf, len, flags, from, fromlen);
  }
  static ares_ssize_t hook_sendv(ares_socket_t fd, const iovec* iov, int n, void*) {
    return ::writev(fd, iov, n);
  }
  void begin() {
    ares_options opts{};
    int mask = ARES_OPT_FLAGS | ARES_OPT_TRIES | ARES_OPT_TIMEOUTMS | ARES_OPT_SERVERS |
               ARES_OPT_DOMAINS | ARES_OPT_LOOKUPS;
    // One UDP try for the whole timeout (keepalived's DNS_CHECK is UDP only and does its
    // own retries through `retry`); answers are judged here, whatever their RCODE.
    opts.flags = ARES_FLAG_IGNTC | ARES_FLAG_NOCHECKRESP | ARES_FLAG_STAYOPEN;
    opts.tries = 1;
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(spec_.target.timeout).count();
    opts.timeout = static_cast<int>(ms > 0 ? ms : 1);
    // Servers and domains given (none yet): c-ares then reads no /etc/resolv.conf.
    opts.nservers = 0;
    opts.ndomains = 0;
    char lookups[] = "b";
    opts.lookups = lookups;
    if (ares_init_options(&channel_, &opts, mask) != ARES_SUCCESS) {
      channel_ = nullptr;
      return finish(false, "c-ares: cannot create a channel");
    }
    static const ares_socket_functions funcs{hook_socket, hook_close, hook_connect, hook_recvfrom,
                                             hook_sendv};
    ares_set_socket_functions(channel_, &funcs, this);

    ares_addr_port_node server{};
    const auto& a = spec_.target.addr;
    server.family = a.is_v4() ? AF_INET : AF_INET6;
    std::memcpy(a.is_v4() ? static_cast<void*>(&server.addr.addr4) : static_cast<void*>(&server.addr.addr6),
                a.bytes.data(), a.size());
    server.udp_port = spec_.target.port ? spec_.target.port : 53;
    server.tcp_port = server.udp_port;
    if (ares_set_servers_ports(channel_, &server) != ARES_SUCCESS)
      return finish(false, "c-ares: cannot set the server");

    unsigned char* query = nullptr;
    int qlen = 0;
    if (ares_create_query(spec_.name.c_str(), ns_c_in, spec_.type, 0, 1, &query, &qlen, 0) != ARES_SUCCESS)
      return finish(false, "cannot build a query for name '" + spec_.name + "'");
    deadline_.expires_after(spec_.target.timeout);
    deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec)
        self->finish(false, "no answer within the timeout");
    });
    ares_send(channel_, query, qlen, &dns_probe::answered, this);
    ares_free_string(query);
    after_process();  // ares_send may have failed at once (no socket): its verdict is pending
  }

  static void answered(void* me, int status, int, unsigned char* abuf, int alen) {
    auto* self = static_cast<dns_probe*>(me);
    if (self->finished_)
      return;
    if (status != ARES_SUCCESS) {
      std::string why = status == ARES_ETIMEOUT        ? "no answer within the timeout"
                        : status == ARES_ECONNREFUSED ? "refused (ICMP unreachable, or no socket)"
                                                      : ares_strerror(status);
      if (!self->source_error_.empty())
        why = self->source_error_;
      return self->finish_later(false, why);
    }
    auto v = proto::judge_dns_answer(abuf, static_cast<std::size_t>(alen), self->spec_.type);
    self->finish_later(v.ok, v.reason);
  }

  // Waits for every socket c-ares wants read, and for its own next timeout.
  void rearm() {
    if (finished_ || !channel_)
      return;
    // A socket that could not take the source options: c-ares would wait out its timeout.
    if (!source_error_.empty())
      return finish(false, source_error_);
    ares_socket_t socks[ARES_GETSOCK_MAXNUM];
    int bits = ares_getsock(channel_, socks, ARES_GETSOCK_MAXNUM);
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      if (!ARES_GETSOCK_READABLE(bits, i))
        continue;
      auto& w = watched_[socks[i]];
      if (w.waiting)
        continue;
      if (!w.desc)
        w.desc = std::make_unique<asio::posix::stream_descriptor>(strand_, socks[i]);
      w.waiting = true;
      int fd = socks[i];
      w.desc->async_wait(asio::posix::descriptor_base::wait_read,
                         [self = shared_from_this(), fd](const boost::system::error_code& ec) {
                           if (ec || self->finished_)
                             return;
                           auto it = self->watched_.find(fd);
                           if (it != self->watched_.end())
                             it->second.waiting = false;
                           ares_process_fd(self->channel_, fd, ARES_SOCKET_BAD);
                           self->after_process();
                         });
    }
    timeval tv{};
    if (ares_timeout(channel_, nullptr, &tv)) {
      ares_timer_.expires_after(std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec));
      ares_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || self->finished_)
          return;
        ares_process_fd(self->channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
        self->after_process();
      });
    }
  }

  // c-ares' callback runs inside ares_process_fd: the verdict is kept and delivered once
  // c-ares has returned, so the channel is never destroyed from within itself.
  void finish_later(bool ok, std::string reason) {
    pending_ = true;
    pending_ok_ = ok;
    pending_reason_ = std::move(reason);
  }
  void after_process() {
    if (pending_)
      return finish(pending_ok_, pending_reason_);
    rearm();
  }

  void finish(bool ok, std::string reason) {
    if (finished_)
      return;
    finished_ = true;
    deadline_.cancel();
    ares_timer_.cancel();
    if (channel_) {
      ares_destroy(channel_);  // calls answered() with ARES_EDESTRUCTION: ignored, finished_
      channel_ = nullptr;
    }
    done_(result_since(start_, ok, std::move(reason)));
  }

  struct watch {
    std::unique_ptr<asio::posix::stream_descriptor> desc;
    bool waiting = false;
  };

  asio::strand<asio::io_context::executor_type> strand_;
  asio::steady_timer deadline_, ares_timer_;
  dns_probe_spec spec_;
  probe_callback done_;
  clock_type::time_point start_;
  ares_channel channel_ = nullptr;
  std::map<int, watch> watched_;
  std::string source_error_;
  bool finished_ = false, pending_ = false, pending_ok_ = false;
  std::string pending_reason_;
};

} // namespace

void start_dns_probe(probe_engine& engine, const dns_probe_spec& spec, probe_callback done) {
  std::make_shared<dns_probe>(engine, spec, std::move(done))->start();
}

} // namespace ka::kern
