#!/usr/bin/env bash
# Keepalive with keepalived 2.2.7 on one segment: each in both roles, both start orders,
# with PASS authentication or none ($1). In each case: the right router is elected, the
# master's SIGTERM (priority 0) hands over after skew time, the master preempts back when
# restarted, and a crashed master is replaced after the master-down interval.
source "$(dirname "$0")/lib.sh"
AUTH=${1:-PASS}
lab_init "iop${AUTH,,}"
lab_host ka 11
lab_host kd 12
VIP=192.0.2.100

conf() {  # ROUTER STATE PRIORITY
  local pass=""
  [ "$AUTH" = PASS ] && pass=s3cret
  vrrp_conf "$1" "$2" "$3" name=VI_7 vrid=77 pass=$pass
}

start() { if [ "$1" = ka ]; then start_keepalive ka; else start_keepalived kd; fi; }
other() { [ "$1" = ka ] && echo kd || echo ka; }

for master in ka kd; do
  backup=$(other $master)
  conf $master MASTER 200 | lab_conf $master
  conf $backup BACKUP 100 | lab_conf $backup
  for first in $master $backup; do
    second=$(other $first)
    tag="[$AUTH, master=$master, $first first]"
    start $first
    sleep 1.5
    start $second
    # The master may still hold the VIP its earlier crash left: wait for its daemon's word.
    check "$tag $master is elected" wait_for 8 eval "is_master $master && has_vip $master $VIP"
    sleep 2.5  # several adverts exchanged: a wrong decision would show now
    check "$tag $backup stays backup" eval "has_vip $master $VIP && ! has_vip $backup $VIP"

    stop_router $master TERM
    check "$tag $backup takes over on the master's SIGTERM" wait_for 2 has_vip $backup $VIP
    start $master
    check "$tag $master preempts back" wait_for 8 has_vip $master $VIP
    check "$tag $backup releases the VIP" wait_for 2 eval "! has_vip $backup $VIP"

    crash_router $master
    check "$tag $backup takes over when the master crashes" wait_for 6 has_vip $backup $VIP
    check "$tag the crashed $master keeps its VIP (nobody tidies up after a crash)" \
      has_vip $master $VIP
    stop_router $backup TERM
    check "$tag $backup releases the VIP on SIGTERM" eval "! has_vip $backup $VIP"
  done
done

for r in ka kd; do
  check "[$AUTH] $r's notify hooks saw MASTER and BACKUP" \
    eval "grep -q '^$r INSTANCE VI_7 MASTER' $LAB_DIR/notify.log && grep -q '^$r INSTANCE VI_7 BACKUP' $LAB_DIR/notify.log"
done
check "[$AUTH] Keepalive dropped no keepalived advert as bad" \
  eval "! grep -q 'dropped advert' $LAB_DIR/ka.log"
if [ "$AUTH" = PASS ]; then
  # keepalived with another password: Keepalive must drop its adverts as auth failures
  # and stay master rather than obey them.
  conf ka MASTER 100 | lab_conf ka
  conf kd MASTER 200 | sed 's/auth_pass s3cret/auth_pass wrong/' | lab_conf kd
  start_keepalive ka
  check "[wrong password] ka alone is master" wait_for 6 has_vip ka $VIP
  start_keepalived kd
  check "[wrong password] ka counts keepalived's adverts as auth_failure" \
    wait_for 8 eval "ctl ka status --json | grep -q '\"auth_failure\":[1-9]'"
  check "[wrong password] ka does not yield to an unauthenticated higher priority" has_vip ka $VIP
fi
lab_done
