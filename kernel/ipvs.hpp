// The kernel's IPVS table over generic netlink (libmnl; messages in kernel/ipvs_msg.hpp).
// The kernel actor owns one and is its only user: nothing here is thread-safe.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include "kernel/ipvs_msg.hpp"
#include "protocol/ipvs_types.hpp"

struct mnl_socket;

namespace ka::kern {

// No IPVS generic-netlink family: a kernel without CONFIG_IP_VS, or ip_vs not loaded.
struct ipvs_unavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ipvs {
public:
  // Opens the socket and resolves the family id. Throws ipvs_unavailable when the kernel
  // has no IPVS ("IPVS not available in this kernel ..."), std::runtime_error otherwise.
  ipvs();
  ~ipvs();
  ipvs(const ipvs&) = delete;
  ipvs& operator=(const ipvs&) = delete;

  // Applies the ops in order; the kernel goes on after a failed one, as each is a message
  // of its own. One error per failed op, naming the op, service, destination and errno.
  std::vector<proto::ipvs_error> apply(const std::vector<proto::ipvs_op>& ops);
  // The whole table: every service, then each service's destinations, with counters.
  // Throws std::runtime_error when the kernel refuses a dump.
  std::vector<proto::ipvs_service_state> dump();
  // Only these services (those the kernel has), each with its destinations: one GET_SERVICE
  // and one destination dump per key, so a pool's read costs its own size, not the table's.
  std::vector<proto::ipvs_service_state> dump(const std::vector<proto::ipvs_service_key>& keys);

  std::string flush();                                             // "" or the error
  ipvs_msg::timeouts get_timeouts();
  std::string set_timeouts(const ipvs_msg::timeouts& t);           // "" or the error
  std::vector<ipvs_msg::sync_daemon> daemons();
  std::string start_daemon(const ipvs_msg::sync_daemon& d);        // "" or the error
  std::string stop_daemon(std::uint32_t state);                    // "" or the error

  std::uint16_t family() const { return family_; }

private:
  // Sends one request and reads its answer: each data message goes to `each`; returns 0
  // or the errno of the kernel's ACK.
  template <class F>
  int request(const ipvs_msg::bytes& msg, F&& each);
  std::uint32_t next_seq() { return ++seq_; }

  mnl_socket* sock_ = nullptr;
  std::uint32_t portid_ = 0;
  std::uint32_t seq_ = 0;
  std::uint16_t family_ = 0;
};

// "add dest 203.0.113.2:80 to TCP 192.0.2.1:80": the op and what it is about.
std::string describe_ipvs_op(const proto::ipvs_op& op);
// "add dest 203.0.113.2:80 to TCP 192.0.2.1:80: File exists (destination already exists)":
// the op, what it was about, the errno text and what it means for IPVS.
std::string describe_ipvs_failure(const proto::ipvs_op& op, int err);

} // namespace ka::kern
