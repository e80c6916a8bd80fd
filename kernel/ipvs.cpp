#include "kernel/ipvs.hpp"

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <optional>

namespace ka::kern {
namespace {

// Ops sent in one sendmsg before their ACKs are read: the ACKs of a batch must fit in the
// socket's receive buffer (each costs far more than its 36 bytes there), and 64 of them do.
constexpr std::size_t k_batch = 64;

std::string errno_text(int e) { return std::strerror(e); }

} // namespace

std::string describe_ipvs_op(const proto::ipvs_op& op) {
  using k = proto::ipvs_op::kind;
  std::string what = proto::ipvs_op_name(op.what);
  if (op.what == k::add_dest || op.what == k::edit_dest || op.what == k::del_dest) {
    std::string a = op.dest.addr.to_string();
    if (!op.dest.addr.is_v4()) a = "[" + a + "]";
    what += " " + a + ":" + std::to_string(op.dest.port) + (op.what == k::add_dest ? " to " : " of ");
  } else {
    what += " ";
  }
  return what + op.service.key.to_string();
}

std::string describe_ipvs_failure(const proto::ipvs_op& op, int err) {
  using k = proto::ipvs_op::kind;
  bool on_dest = op.what == k::add_dest || op.what == k::edit_dest || op.what == k::del_dest;
  std::string what = describe_ipvs_op(op) + ": " + errno_text(err);
  // What the kernel's errno means for IPVS (ip_vs_ctl.c returns these).
  const char* meaning = nullptr;
  if (err == ESRCH) meaning = "no such service";
  else if (err == EEXIST) meaning = on_dest ? "destination already exists" : "service already exists";
  else if (err == ENOENT) meaning = on_dest ? "no such destination" : "scheduler or persistence engine not found";
  else if (err == EBUSY && on_dest) meaning = "destination in use";
  if (meaning) what += std::string(" (") + meaning + ")";
  return what;
}

ipvs::ipvs() {
  sock_ = mnl_socket_open(NETLINK_GENERIC);
  if (!sock_)
    throw std::runtime_error(std::string("IPVS: generic netlink socket: ") + errno_text(errno));
  if (mnl_socket_bind(sock_, 0, MNL_SOCKET_AUTOPID) < 0) {
    int e = errno;
    mnl_socket_close(sock_);
    throw std::runtime_error(std::string("IPVS: bind: ") + errno_text(e));
  }
  portid_ = mnl_socket_get_portid(sock_);
  // An error ACK need not echo our request back: the sequence number says which it was.
  int one = 1;
  mnl_socket_setsockopt(sock_, NETLINK_CAP_ACK, &one, sizeof one);
  std::optional<std::uint16_t> id;
  int rc = request(ipvs_msg::get_family(next_seq()), [&](const nlmsghdr* nlh) { id = ipvs_msg::family_id(nlh); });
  if (rc == ENOENT || (rc == 0 && !id)) {
    mnl_socket_close(sock_);
    throw ipvs_unavailable("IPVS not available in this kernel (no \"IPVS\" generic netlink family: "
                           "the kernel lacks CONFIG_IP_VS or the ip_vs module is not loaded)");
  }
  if (rc != 0) {
    mnl_socket_close(sock_);
    throw std::runtime_error("IPVS: resolving the generic netlink family: " + errno_text(rc));
  }
  family_ = *id;
}

ipvs::~ipvs() { mnl_socket_close(sock_); }

template <class F>
int ipvs::request(const ipvs_msg::bytes& msg, F&& each) {
  auto seq = ipvs_msg::header(msg)->nlmsg_seq;
  if (mnl_socket_sendto(sock_, msg.data(), msg.size()) < 0)
    return errno;
  std::vector<char> buf(MNL_SOCKET_BUFFER_SIZE * 4);  // dumps send several entries at once
  struct ctx_t {
    F* each;
  } ctx{&each};
  auto cb = [](const nlmsghdr* nlh, void* data) -> int {
    (*static_cast<ctx_t*>(data)->each)(nlh);
    return MNL_CB_OK;
  };
  for (;;) {
    ssize_t n = mnl_socket_recvfrom(sock_, buf.data(), buf.size());
    if (n < 0)
      return errno;
    int rc = mnl_cb_run(buf.data(), static_cast<std::size_t>(n), seq, portid_, cb, &ctx);
    if (rc < 0)
      return errno;
    if (rc == MNL_CB_STOP)
      return 0;
  }
}

std::vector<proto::ipvs_error> ipvs::apply(const std::vector<proto::ipvs_op>& ops) {
  std::vector<proto::ipvs_error> errors;
  std::vector<std::uint8_t> out;
  std::vector<char> in(MNL_SOCKET_BUFFER_SIZE);
  for (std::size_t first = 0; first < ops.size(); first += k_batch) {
    std::size_t count = std::min(k_batch, ops.size() - first);
    std::uint32_t seq0 = seq_ + 1;
    out.clear();
    for (std::size_t i = 0; i < count; ++i) {
      auto m = ipvs_msg::op(family_, next_seq(), ops[first + i]);
      out.insert(out.end(), m.begin(), m.end());
    }
    // Every error of this batch, by op index, so that they come out in the ops' order.
    std::map<std::size_t, int> failed;
    auto fail_all = [&](int e) {
      for (std::size_t i = 0; i < count; ++i) failed[i] = e;
    };
    if (mnl_socket_sendto(sock_, out.data(), out.size()) < 0) {
      fail_all(errno);
    } else {
      std::size_t acked = 0;
      while (acked < count) {
        ssize_t n = mnl_socket_recvfrom(sock_, in.data(), in.size());
        if (n < 0) {  // lost ACKs: we cannot tell which ops went through
          int e = errno;
          for (std::size_t i = 0; i < count; ++i) failed.emplace(i, e);
          break;
        }
        int len = static_cast<int>(n);
        for (auto* nlh = reinterpret_cast<const nlmsghdr*>(in.data()); mnl_nlmsg_ok(nlh, len);
             nlh = mnl_nlmsg_next(nlh, &len)) {
          if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_seq < seq0 || nlh->nlmsg_seq >= seq0 + count)
            continue;
          auto* e = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
          if (e->error != 0)
            failed[nlh->nlmsg_seq - seq0] = -e->error;
          ++acked;
        }
      }
    }
    for (auto [i, e] : failed) {
      proto::ipvs_error err;
      err.op = ops[first + i];
      err.err = e;
      err.message = describe_ipvs_failure(err.op, e);
      errors.push_back(std::move(err));
    }
  }
  return errors;
}

std::vector<proto::ipvs_service_state> ipvs::dump() {
  std::vector<proto::ipvs_service_state> table;
  std::string bad;
  int rc = request(ipvs_msg::dump_services(family_, next_seq()), [&](const nlmsghdr* nlh) {
    if (auto s = ipvs_msg::service(nlh, &bad))
      table.push_back(std::move(*s));
  });
  if (rc != 0)
    throw std::runtime_error("IPVS: dump of services: " + errno_text(rc));
  for (auto& s : table) {
    rc = request(ipvs_msg::dump_dests(family_, next_seq(), s.service.key), [&](const nlmsghdr* nlh) {
      if (auto d = ipvs_msg::dest(nlh, s.service.key.fam, &bad))
        s.dests.push_back(std::move(*d));
    });
    // A service deleted between the two dumps (by someone else) has no destinations.
    if (rc != 0 && rc != ESRCH)
      throw std::runtime_error("IPVS: dump of destinations of " + s.service.key.to_string() + ": " +
                               errno_text(rc));
  }
  return table;
}

std::vector<proto::ipvs_service_state> ipvs::dump(const std::vector<proto::ipvs_service_key>& keys) {
  std::vector<proto::ipvs_service_state> table;
  std::string bad;
  for (const auto& key : keys) {
    std::optional<proto::ipvs_service_state> found;
    int rc = request(ipvs_msg::get_service(family_, next_seq(), key), [&](const nlmsghdr* nlh) {
      if (auto s = ipvs_msg::service(nlh, &bad))
        found = std::move(*s);
    });
    if (rc == ESRCH || (rc == 0 && !found))
      continue;  // not in the kernel
    if (rc != 0)
      throw std::runtime_error("IPVS: get service " + key.to_string() + ": " + errno_text(rc));
    rc = request(ipvs_msg::dump_dests(family_, next_seq(), found->service.key), [&](const nlmsghdr* nlh) {
      if (auto d = ipvs_msg::dest(nlh, found->service.key.fam, &bad))
        found->dests.push_back(std::move(*d));
    });
    if (rc == ESRCH)
      continue;  // deleted by someone else in between
    if (rc != 0)
      throw std::runtime_error("IPVS: dump of destinations of " + key.to_string() + ": " + errno_text(rc));
    table.push_back(std::move(*found));
  }
  return table;
}

std::string ipvs::flush() {
  int rc = request(ipvs_msg::flush(family_, next_seq()), [](const nlmsghdr*) {});
  return rc ? "flush: " + errno_text(rc) : "";
}

ipvs_msg::timeouts ipvs::get_timeouts() {
  ipvs_msg::timeouts t;
  int rc = request(ipvs_msg::get_timeouts(family_, next_seq()), [&](const nlmsghdr* nlh) {
    if (auto x = ipvs_msg::parse_timeouts(nlh)) t = *x;
  });
  if (rc != 0)
    throw std::runtime_error("IPVS: get timeouts: " + errno_text(rc));
  return t;
}

std::string ipvs::set_timeouts(const ipvs_msg::timeouts& t) {
  int rc = request(ipvs_msg::set_timeouts(family_, next_seq(), t), [](const nlmsghdr*) {});
  return rc ? "set timeouts: " + errno_text(rc) : "";
}

std::vector<ipvs_msg::sync_daemon> ipvs::daemons() {
  std::vector<ipvs_msg::sync_daemon> out;
  int rc = request(ipvs_msg::dump_daemons(family_, next_seq()), [&](const nlmsghdr* nlh) {
    if (auto d = ipvs_msg::parse_daemon(nlh)) out.push_back(std::move(*d));
  });
  if (rc != 0)
    throw std::runtime_error("IPVS: dump of sync daemons: " + errno_text(rc));
  return out;
}

std::string ipvs::start_daemon(const ipvs_msg::sync_daemon& d) {
  int rc = request(ipvs_msg::new_daemon(family_, next_seq(), d), [](const nlmsghdr*) {});
  return rc ? "start sync daemon on " + d.ifname + ": " + errno_text(rc) : "";
}

std::string ipvs::stop_daemon(std::uint32_t state) {
  int rc = request(ipvs_msg::del_daemon(family_, next_seq(), state), [](const nlmsghdr*) {});
  return rc ? "stop sync daemon: " + errno_text(rc) : "";
}

} // namespace ka::kern
