#!/usr/bin/env bash
# Two Keepalive routers: election, priority-0 takeover on SIGTERM, failover on a crash,
# preemption when the higher priority comes back, nopreempt keeping the current master.
source "$(dirname "$0")/lib.sh"
lab_init two
lab_host r1 11
lab_host r2 12
VIP=192.0.2.100

vrrp_conf r1 MASTER 150 pass=secret1 | lab_conf r1
vrrp_conf r2 BACKUP 100 pass=secret1 | lab_conf r2
start_keepalive r1
start_keepalive r2

check "r1 (150) is elected and holds the VIP" wait_for 6 has_vip r1 $VIP
check "r2 (100) does not hold the VIP" eval "! has_vip r2 $VIP"
check "r2 reports BACKUP with r1 as master" \
  eval "ctl r2 status --json | grep -q '\"state\":\"BACKUP\".*\"master\":\"192.0.2.11\"'"

stop_router r1 TERM; rc=$?
check "r1 exits 0 on SIGTERM within a second" test "$rc" -eq 0
check "r1 removed the VIP on the way out" eval "! has_vip r1 $VIP"
check "r2 takes over after skew time (priority 0 advert)" wait_for 2 has_vip r2 $VIP

start_keepalive r1
check "r1 comes back and preempts r2" wait_for 6 has_vip r1 $VIP
check "r2 gives the VIP back" wait_for 2 eval "! has_vip r2 $VIP"

kill -9 "$(pid_of r1)"
check "r2 takes over after master-down interval when r1 crashes" wait_for 5 has_vip r2 $VIP
check "the crashed r1 still has its VIP (nobody tidied it)" has_vip r1 $VIP

stop_router r2 TERM
vrrp_conf r1 BACKUP 150 pass=secret1 extra=nopreempt | lab_conf r1
vrrp_conf r2 BACKUP 100 pass=secret1 | lab_conf r2
start_keepalive r2
check "r2 alone becomes master" wait_for 6 has_vip r2 $VIP
start_keepalive r1
check "r1 restarted as BACKUP removes the VIP its crash left behind" wait_for 1 eval "! has_vip r1 $VIP"
sleep 4.5
check "r1 with nopreempt leaves the lower-priority master alone" eval "has_vip r2 $VIP && ! has_vip r1 $VIP"

grep -q "r1 INSTANCE VI_1 STOP 150" "$LAB_DIR/notify.log"
check "notify STOP ran for r1" test $? -eq 0
lab_done
