// The IPVS-wide settings of global_defs, as keepalived 2.2.7 applies them (observed in the
// VM, docs/ipvs-vm.md "keepalived 2.2.7 in the same VM"):
// - lvs_flush: the whole table flushed at start, before any virtual server is programmed
//   (a service added by hand is gone too);
// - lvs_timeouts: set at start; the values found at start are put back at exit;
// - lvs_sync_daemon: without an instance, a master and a backup sync daemon for the
//   daemon's life; with `inst NAME`, a backup daemon at start and whenever that instance
//   is not MASTER, a master daemon alone while it is MASTER; stopped at exit. The sync id
//   defaults to the instance's VRID (0 without one);
// - lvs_flush_on_stop: at exit the whole table is flushed (services added by hand too);
//   with `VS`, each of our services is deleted without deleting its real servers first,
//   which is how the pools always remove theirs (actors/pool_actor.cpp);
// - notify_fifo and lvs_notify_fifo: the pools' "VS ..." and "RS ..." lines.
// All writes go through the kernel actor.
#pragma once
#include <caf/fwd.hpp>

#include <memory>
#include <vector>

#include "actors/messages.hpp"
#include "actors/script_users.hpp"
#include "parser/config.hpp"

namespace ka::act {

class lvs_globals {
public:
  // lvs_flush, lvs_timeouts and the sync daemons at start, in that order, waiting for each
  // (a flush must be done before a pool reads the table). `vrrp_fifos`: the FIFO writers
  // the instances have (notify_fifo, vrrp_notify_fifo, in that order when configured).
  lvs_globals(caf::actor_system& sys, const config::config& cfg, kernel_actor kernel,
              const std::vector<notify_fifo_actor>& vrrp_fifos, const script_identities& ids);
  ~lvs_globals();
  // lvs_sync_daemon inst NAME: the instance whose transitions move the sync daemon. Sends
  // it its FIFO writers again, with a listener of its lines added; before its init_atom.
  void follow(const config::config& cfg, const std::vector<instance_actor>& instances,
              const std::vector<notify_fifo_actor>& vrrp_fifos);
  // Where the pools write their lines: notify_fifo's writer and lvs_notify_fifo's.
  const std::vector<notify_fifo_actor>& pool_fifos() const { return pool_fifos_; }
  // reload: lvs_notify_fifo's writer (null without one), kept for the daemon's life.
  notify_fifo_actor lvs_fifo() const;
  // Whether the pools should leave their services to stop()'s flush.
  bool flushes_on_stop() const;
  // At exit, after the pools: flush (lvs_flush_on_stop), stop the sync daemons, put the
  // timeouts back.
  void stop(caf::actor_system& sys, bool keep_ipvs);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
  std::vector<notify_fifo_actor> pool_fifos_;
};

} // namespace ka::act
