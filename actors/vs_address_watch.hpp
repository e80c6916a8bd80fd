// ha_suspend: a virtual_server's checks count only while its address is on this host.
// keepalived 2.2.7 does it so (observed in the VM, docs/ipvs-vm.md): its service stays
// programmed whatever the address does; its checkers are "Deactivating"/"Suspending" while
// the address is absent and "Activating" when the kernel reports it added, whoever added
// it (in practice the VRRP instance holding it as a VIP becoming MASTER). This watcher is
// that link: a plain thread reading rtnetlink address events (it only reads), telling each
// such pool whether one of its service addresses is present (suspend_atom).
#pragma once
#include <memory>
#include <vector>

#include "actors/messages.hpp"

namespace ka::act {

struct suspend_target {
  pool_actor pool;
  std::vector<proto::ip_address> addrs;  // its services' addresses (any present: active)
};

class vs_address_watch {
public:
  // Reads the host's addresses now and tells each pool whose address is present (the
  // others stay suspended, as pools with ha_suspend start); then follows the changes.
  // Throws std::runtime_error when netlink cannot be opened.
  explicit vs_address_watch(std::vector<suspend_target> targets);
  ~vs_address_watch();
  vs_address_watch(const vs_address_watch&) = delete;
  vs_address_watch& operator=(const vs_address_watch&) = delete;
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace ka::act
