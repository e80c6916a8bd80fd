#!/bin/sh
# Runs inside the VM (tests/vm/lb_e2e_vm.sh boots it): the daemon itself as a load balancer.
# A client namespace sends HTTP requests to a VIP on the director (this namespace, where the
# daemon runs); real servers are busybox httpd in their own namespaces, each serving a page
# that names it. At every step `ipvsadm -Ln` must hold exactly what the daemon says it holds
# (`keepalivectl --json status`: the kernel's table it read back, and each pool's own view).
#   lb_e2e_in_vm.sh KEEPALIVE KEEPALIVECTL [SLACK_MS]
# Documentation addresses only; nothing leaves the VM (qemu has no network device).
set -u
ka=$1 ctl=$2 slack_ms=${3:-1500}
fails=0 checks=0
ok() { checks=$((checks + 1)); echo "ok: $*"; }
bad() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }
t=/tmp/lb-e2e; mkdir -p $t
now() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }  # ms since boot

# ---- topology ----
#   c 192.0.2.2 --- vc 192.0.2.1, VIP 192.0.2.100 (director: this namespace)
#   vr1 203.0.113.1/26   --- r1 203.0.113.2   (httpd: "r1")
#   vr2 203.0.113.65/26  --- r2 203.0.113.66  (httpd: "r2")
#   vs  203.0.113.129/26 --- s  203.0.113.130 (httpd: "sorry"), the sorry server
# and a DR VIP 192.0.2.101 on vc, also on r1's and r2's lo (they answer the client directly,
# through the director as their router: it forwards replies whose source is its own VIP,
# which needs accept_local on the real servers' links).
set -e
ip netns add c
ip link add vc type veth peer name eth0 netns c
ip addr add 192.0.2.1/24 dev vc
ip addr add 192.0.2.100/32 dev vc
ip addr add 192.0.2.101/32 dev vc
ip link set vc up
ip -n c addr add 192.0.2.2/24 dev eth0
ip -n c link set eth0 up
ip -n c link set lo up
for n in r1:1 r2:65 s:129; do
  h=${n%%:*} a=${n##*:}
  ip netns add $h
  ip link add v$h type veth peer name eth0 netns $h
  ip addr add 203.0.113.$a/26 dev v$h
  ip link set v$h up
  ip -n $h addr add 203.0.113.$((a + 1))/26 dev eth0
  ip -n $h link set eth0 up
  ip -n $h link set lo up
  ip -n $h route add default via 203.0.113.$a
  echo 1 > /proc/sys/net/ipv4/conf/v$h/accept_local
  echo 0 > /proc/sys/net/ipv4/conf/v$h/rp_filter
  if [ $h != s ]; then
    ip -n $h addr add 192.0.2.101/32 dev lo
    ip netns exec $h sh -c 'echo 1 > /proc/sys/net/ipv4/conf/all/arp_ignore; echo 2 > /proc/sys/net/ipv4/conf/all/arp_announce'
  fi
  mkdir -p $t/www-$h
  if [ $h = s ]; then echo sorry > $t/www-$h/index.html; else echo $h > $t/www-$h/index.html; fi
done
echo 0 > /proc/sys/net/ipv4/conf/all/rp_filter
echo 1 > /proc/sys/net/ipv4/ip_forward
set +e

httpd_start() {  # NAME: foreground httpd in its namespace, pid kept
  ip netns exec $1 busybox httpd -f -p 80 -h $t/www-$1 &
  eval "httpd_$1=\$!"
}
httpd_stop() { eval "kill \$httpd_$1; wait \$httpd_$1" 2>/dev/null; }
for h in r1 r2 s; do httpd_start $h; done

# Two virtual servers on the same real servers: port 80 (rr) removes a failed server (HTTP_GET on
# r1, TCP_CHECK on r2, a sorry server), port 8080 (wrr, weights 1 and 2)
# keeps it at weight 0 (inhibit_on_failure).
# Down within delay_loop + retry x delay_before_retry + connect_timeout = 1 + 1 + 1 = 3 s.
cat > $t/lb.conf <<'EOF'
global_defs {
  router_id vm
}
virtual_server 192.0.2.100 80 {
  delay_loop 1
  lvs_sched rr
  lvs_method NAT
  protocol TCP
  sorry_server 203.0.113.130 80
  real_server 203.0.113.2 80 {
    HTTP_GET {
      url {
        path /
        status_code 200
      }
      connect_timeout 1
      retry 1
      delay_before_retry 1
    }
  }
  real_server 203.0.113.66 80 {
    TCP_CHECK {
      connect_timeout 1
      retry 1
      delay_before_retry 1
    }
  }
}
virtual_server 192.0.2.100 8080 {
  delay_loop 1
  lvs_sched wrr
  lvs_method NAT
  protocol TCP
  inhibit_on_failure
  real_server 203.0.113.2 80 {
    TCP_CHECK {
      connect_timeout 1
      retry 1
      delay_before_retry 1
    }
  }
  real_server 203.0.113.66 80 {
    weight 2
    TCP_CHECK {
      connect_timeout 1
      retry 1
      delay_before_retry 1
    }
  }
}
virtual_server 192.0.2.101 80 {
  delay_loop 1
  lvs_sched rr
  lvs_method DR
  protocol TCP
  real_server 203.0.113.2 80 {
    TCP_CHECK {
      connect_timeout 1
      retry 1
      delay_before_retry 1
    }
  }
  real_server 203.0.113.66 80 {
    TCP_CHECK {
      connect_timeout 1
      retry 1
      delay_before_retry 1
    }
  }
}
EOF
bound_ms=3000

log=$t/ka.log
ka_pid=
ka_start() {  # [extra daemon args]
  "$ka" -n -l -D -f $t/lb.conf -p $t/ka.pid --admin-socket $t/ka.sock "$@" >> $log 2>&1 &
  ka_pid=$!
  i=0
  while [ $i -lt 100 ] && ! "$ctl" --socket $t/ka.sock --json status > /dev/null 2>&1; do sleep 0.1; i=$((i + 1)); done
}
ka_stop() {  # SIGNAL
  kill -$1 $ka_pid; wait $ka_pid; rc=$?; ka_pid=
  return $rc
}
status() { "$ctl" --socket $t/ka.sock --json status > $t/status.json 2> $t/status.err; }

# ipvsadm's table as "SERVICE DEST FORWARD WEIGHT" lines, and "SERVICE - - -" for each
# service (so that a service without destinations is seen too).
ipvsadm_lines() {
  ipvsadm -Ln | awk 'NR > 3 && $1 != "->" { svc = $1 " " $2; print svc, "-", "-", "-" }
                     NR > 3 && $1 == "->" { print svc, $2, $3, $4 }' | sort
}
# The same lines from the daemon: the kernel's table as its kernel actor dumped it, and
# what its pools say they put there (each real server in the table with its weight, the
# sorry server while active).
kernel_lines() {
  jq -r '.ipvs[] | .service as $s | "\($s) - - -", (.dests[] | "\($s) \(.address) \(.forward) \(.weight)")' $t/status.json | sort
}
pool_lines() {
  jq -r '.virtual_servers[] | .services[0].service as $s | "\($s) - -",
         ((.real_servers[] | select(.in_table) | "\($s) \(.address) \(.table_weight)"),
          (select(.sorry_server.active == true) | "\($s) \(.sorry_server.address) sorry"))' $t/status.json | sort
}
# ipvsadm's lines with the sorry server's weight written as the pools write it.
ipvsadm_pool_lines() {
  ipvsadm_lines | awk '{ w = $5 } $3 == "203.0.113.130:80" { w = "sorry" } $3 == "-" { w = "-" } { print $1, $2, $3, w }' | sort
}
agree() {  # STEP
  if ! status; then bad "$1: keepalivectl status failed: $(cat $t/status.err)"; return; fi
  ipvsadm_lines > $t/ipvsadm.lines
  kernel_lines > $t/kernel.lines
  ipvsadm_pool_lines | awk '{ print $1, $2, $3, $4 }' > $t/ipvsadm.pool
  pool_lines > $t/pool.lines
  if diff -u $t/ipvsadm.lines $t/kernel.lines > $t/diff1 && diff -u $t/ipvsadm.pool $t/pool.lines > $t/diff2; then
    ok "$1: ipvsadm -Ln agrees with keepalivectl: $(awk '$3 != "-" { printf "%s%s %s %s w%s", (n++ ? "; " : ""), $2, $3, $4, $5 }' $t/ipvsadm.lines)"
  else
    bad "$1: ipvsadm -Ln and keepalivectl differ (- ipvsadm, + keepalivectl)"
    cat $t/diff1 $t/diff2
  fi
}
# The table is exactly EXPECTED ("SERVICE DEST WEIGHT" lines separated by ';').
table_is() {  # STEP EXPECTED
  ipvsadm_lines | awk '$3 != "-" { print $1, $2, $3, $5 }' | sort > $t/got
  echo "$2" | tr ';' '\n' | sed 's/^ *//; /^$/d' | sort > $t/want
  if diff -u $t/want $t/got > $t/diff3; then ok "$1: ipvsadm holds exactly the expected table"; else bad "$1: table (- expected, + ipvsadm)"; cat $t/diff3; fi
}
wait_table() {  # EXPECTED SECONDS: polls until the table is EXPECTED; prints the ms taken
  t0=$(now)
  echo "$1" | tr ';' '\n' | sed 's/^ *//; /^$/d' | sort > $t/want
  while :; do
    ipvsadm_lines | awk '$3 != "-" { print $1, $2, $3, $5 }' | sort > $t/got
    cmp -s $t/want $t/got && { echo $(($(now) - t0)); return 0; }
    [ $(($(now) - t0)) -gt $(($2 * 1000)) ] && { echo $(($(now) - t0)); return 1; }
    sleep 0.1
  done
}
# N requests to URL from the client; "NAME COUNT" per answering server.
spread() {  # URL N
  : > $t/bodies
  i=0
  while [ $i -lt $2 ]; do
    ip netns exec c timeout 5 busybox wget -q -O- "$1" >> $t/bodies 2>&1 || echo failed >> $t/bodies
    i=$((i + 1))
  done
  sort $t/bodies | uniq -c | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }'
}

V=192.0.2.100 D=192.0.2.101 R1=203.0.113.2:80 R2=203.0.113.66:80 S=203.0.113.130:80
all_up="TCP $V:80 $R1 1; TCP $V:80 $R2 1; TCP $V:8080 $R1 1; TCP $V:8080 $R2 2; TCP $D:80 $R1 1; TCP $D:80 $R2 1"

# ---- 1. start: exactly the configured services and real servers ----
echo "== kernel $(uname -r)"
ka_start
if ms=$(wait_table "$all_up" 15); then ok "start: both virtual servers programmed with all real servers up after $ms ms"; else bad "start: table after $ms ms: $(ipvsadm -Ln)"; fi
table_is start "$all_up"
agree start
"$ctl" --socket $t/ka.sock status | sed -n '/^virtual server/,$p'

# ---- 2. requests are spread over the real servers ----
out=$(spread http://$V/ 10)
[ "$out" = "r1 5, r2 5" ] && ok "spread: 10 requests to $V:80: $out" || bad "spread: 10 requests to $V:80: $out"
out=$(spread http://$V:8080/ 9)
[ "$out" = "r1 3, r2 6" ] && ok "spread: 9 requests to $V:8080 (weights 1, 2): $out" || bad "spread: 9 requests to $V:8080: $out"
out=$(spread http://$D/ 4)
[ "$out" = "r1 2, r2 2" ] && ok "spread: 4 requests to the DR service $D:80: $out" || bad "spread: 4 requests to DR $D:80: $out"
agree spread

# ---- 3. one real server fails and comes back; 5. inhibit_on_failure keeps it at weight 0 ----
httpd_stop r1
r1_down="TCP $V:80 $R2 1; TCP $V:8080 $R1 0; TCP $V:8080 $R2 2; TCP $D:80 $R2 1"
if ms=$(wait_table "$r1_down" 15); then
  [ "$ms" -le $((bound_ms + slack_ms)) ] && ok "r1 stopped: removed from :80, weight 0 in :8080 (inhibit) after $ms ms (bound $bound_ms ms + $slack_ms ms slack)" ||
    bad "r1 stopped: table right only after $ms ms (bound $bound_ms ms)"
else bad "r1 stopped: table not right after $ms ms: $(ipvsadm -Ln)"; fi
agree "r1 down"
reason=$(jq -r '.virtual_servers[0].real_servers[] | select(.address == "203.0.113.2:80") | "\(.up) \(.last.reason)"' $t/status.json)
case $reason in false*) ok "r1 down: keepalivectl shows it down: $reason" ;; *) bad "r1 down: keepalivectl says: $reason" ;; esac
"$ctl" --socket $t/ka.sock status | sed -n '/^virtual server/,$p'
out=$(spread http://$V/ 4)
[ "$out" = "r2 4" ] && ok "r1 down: requests to :80 all answered by r2: $out" || bad "r1 down: requests to :80: $out"
httpd_start r1
if ms=$(wait_table "$all_up" 15); then ok "r1 restarted: back in both tables after $ms ms"; else bad "r1 restarted: table after $ms ms: $(ipvsadm -Ln)"; fi
agree "r1 back"

# ---- 4. all real servers down: quorum lost, the sorry server serves; and back ----
httpd_stop r1; httpd_stop r2
all_down="TCP $V:80 $S 1; TCP $V:8080 $R1 0; TCP $V:8080 $R2 0"  # and DR's service empty
if ms=$(wait_table "$all_down" 15); then ok "all stopped: sorry server alone in :80, both at weight 0 in :8080, after $ms ms"; else bad "all stopped: table after $ms ms: $(ipvsadm -Ln)"; fi
agree "all down"
q=$(jq -r '.virtual_servers[0] | "quorum up \(.quorum.up), sorry active \(.sorry_server.active)"' $t/status.json)
[ "$q" = "quorum up false, sorry active true" ] && ok "all down: keepalivectl: $q" || bad "all down: keepalivectl: $q"
out=$(spread http://$V/ 3)
[ "$out" = "sorry 3" ] && ok "all down: requests answered by the sorry server: $out" || bad "all down: requests: $out"
"$ctl" --socket $t/ka.sock status | sed -n '/^virtual server/,$p'
httpd_start r1; httpd_start r2
if ms=$(wait_table "$all_up" 15); then ok "all restarted: sorry server gone, real servers back, after $ms ms"; else bad "all restarted: table after $ms ms: $(ipvsadm -Ln)"; fi
agree "all back"
out=$(spread http://$V/ 4)
[ "$out" = "r1 2, r2 2" ] && ok "all back: requests spread again: $out" || bad "all back: requests: $out"

# ---- 6. SIGTERM empties the table; -I keeps it; restarts adopt what is there ----
ka_stop TERM; rc=$?
[ -z "$(ipvsadm -Sn)" ] && ok "SIGTERM (exit $rc): ipvsadm shows an empty table" || bad "SIGTERM (exit $rc): ipvsadm still shows $(ipvsadm -Sn | tr '\n' ';')"
ka_start -I
if ms=$(wait_table "$all_up" 15); then ok "-I start: programmed after $ms ms"; else bad "-I start: table after $ms ms"; fi
ka_stop TERM; rc=$?
table_is "SIGTERM with -I (exit $rc): table kept" "$all_up"
# Adoption: each pool found its whole service in the kernel and wrote nothing.
adopted() {  # STEP: the log lines since $log0
  n=$(tail -n +$((log0 + 1)) $log | grep -c ': 1 service(s), 0 op(s) to reconcile with the kernel')
  [ "$n" = 3 ] && ok "$1: the three pools adopted the table (0 ops each)" ||
    bad "$1: $(tail -n +$((log0 + 1)) $log | grep 'to reconcile' | tr '\n' ';')"
}
log0=$(wc -l < $log)
ka_start
sleep 3  # a few check rounds over the kept table
table_is "restart over the kept table: each entry once" "$all_up"
adopted "restart over the kept table"
agree "restart over kept table"
ka_stop KILL
table_is "kill -9: table left behind" "$all_up"
log0=$(wc -l < $log)
ka_start
sleep 3
table_is "restart after kill -9: each entry once" "$all_up"
adopted "restart after kill -9"
agree "restart after kill -9"
grep -i 'error' $log | grep -v 'log_level\|0 error' | tail -5
ka_stop TERM
[ -z "$(ipvsadm -Sn)" ] && ok "final SIGTERM: empty table" || bad "final SIGTERM: table left $(ipvsadm -Sn | tr '\n' ';')"

# ---- 7. a checker that cannot be built: the daemon keeps running, the rest is checked ----
# MISC_CHECK as a user that does not exist: the checker cannot be built (no user to run it as).
sed 's/^  real_server 203.0.113.66 80 {$/&\n    MISC_CHECK {\n      misc_path \/bin\/true\n      user nosuchuser\n    }/' $t/lb.conf > $t/bad.conf
cp $t/bad.conf $t/lb.conf
ka_start
sleep 3
if kill -0 $ka_pid 2>/dev/null && status; then
  ok "unbuildable checker: the daemon runs and answers status"
else
  bad "unbuildable checker: the daemon is gone"
fi
errs=$(jq -r '[.virtual_servers[].checker_errors[]] | join("; ")' $t/status.json 2>/dev/null)
[ -n "$errs" ] && ok "unbuildable checker: status names it: $errs" || bad "unbuildable checker: no checker_errors in status"
ipvsadm -Ln | grep -q "$R1" && ok "unbuildable checker: the other real servers are still programmed" || bad "unbuildable checker: table $(ipvsadm -Sn | tr '\n' ';')"
agree "unbuildable checker"
[ -n "$ka_pid" ] && ka_stop TERM
[ -z "$(ipvsadm -Sn)" ] && ok "unbuildable checker: SIGTERM empties the table" || bad "unbuildable checker: table left after SIGTERM"

# ---- a service the daemon does not own is left alone, at start and at exit ----
ipvsadm -A -t 192.0.2.200:80 -s wlc && ipvsadm -a -t 192.0.2.200:80 -r 203.0.113.2:80 -m -w 7
ipvsadm -Sn > $t/foreign
ka_start
if ms=$(wait_table "$all_up; TCP 192.0.2.200:80 $R1 7" 15); then ok "foreign service: kept beside the daemon's after start ($ms ms)"; else bad "foreign service: table $(ipvsadm -Sn | tr '\n' ';')"; fi
ka_stop TERM
ipvsadm -Sn > $t/left
cmp -s $t/foreign $t/left && ok "foreign service: SIGTERM removed only the daemon's services" || bad "foreign service: after SIGTERM: $(tr '\n' ';' < $t/left)"

# ---- 8. global_defs lvs_*, ha_suspend and lvs_notify_fifo beside a VRRP pair ----
# keepalived 2.2.7 in this VM (docs/ipvs-vm.md): lvs_flush empties the table at start;
# lvs_timeouts are set, and put back at exit; lvs_sync_daemon with `inst` runs the backup
# daemon until the instance is MASTER, then the master daemon alone; an ha_suspend service
# is programmed at once, its checks count only while its address is on the host; the
# notify FIFO gets "VS ... UP" at start and "RS ... DOWN" on a failure; lvs_flush_on_stop
# empties the whole table at exit. A peer router (the daemon again, VRRP only, priority
# 200) in the client namespace holds the VIP 192.0.2.110 first.
W=192.0.2.110
cat > $t/peer.conf <<EOF
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 200
  advert_int 1
  virtual_ipaddress {
    $W/32
  }
}
EOF
cat > $t/lb.conf <<EOF
global_defs {
  router_id vm
  lvs_flush
  lvs_flush_on_stop
  lvs_timeouts tcp 1000 tcpfin 50 udp 200
  lvs_sync_daemon vc inst VI_1 maxlen 1400 port 8850 ttl 3 group 224.0.0.99
  lvs_notify_fifo $t/lvs.fifo
}
vrrp_instance VI_1 {
  state BACKUP
  interface vc
  virtual_router_id 51
  priority 100
  advert_int 1
  virtual_ipaddress {
    $W/32
  }
}
virtual_server $W 80 {
  delay_loop 1
  lvs_sched rr
  lvs_method NAT
  protocol TCP
  ha_suspend
  real_server 203.0.113.2 80 {
    TCP_CHECK {
      connect_timeout 1
      retry 0
    }
  }
  real_server 203.0.113.66 80 {
    TCP_CHECK {
      connect_timeout 1
      retry 0
    }
  }
}
EOF
instance_state() {  # SOCKET: VI_1's state as that daemon says
  "$ctl" --socket $1 --json status 2>/dev/null | jq -r '.instances[] | select(.name == "VI_1") | .state'
}
wait_state() {  # SOCKET STATE SECONDS
  i=0
  while [ $i -lt $(($3 * 10)) ]; do [ "$(instance_state $1)" = "$2" ] && return 0; sleep 0.1; i=$((i + 1)); done
  return 1
}
daemons() { ipvsadm -Ln --daemon | sort | tr '\n' ';'; }
sd_params="(mcast=vc, syncid=51, maxlen=1400, group=224.0.0.99, port=8850, ttl=3)"
timeouts_before=$(ipvsadm -L --timeout)
ip netns exec c "$ka" -n -l -D -f $t/peer.conf -p $t/peer.pid --admin-socket $t/peer.sock >> $t/peer.log 2>&1 &
peer_pid=$!
wait_state $t/peer.sock MASTER 15 && ok "pair: the peer is MASTER of VI_1" || bad "pair: peer VI_1 is $(instance_state $t/peer.sock)"
ipvsadm -Sn | grep -q 192.0.2.200 && ok "lvs_flush: a service added by hand is there before the start" || bad "lvs_flush: no foreign service to flush"
rm -f $t/lvs.fifo; mkfifo $t/lvs.fifo
cat $t/lvs.fifo > $t/lvs.lines &
ka_start
wait_state $t/ka.sock BACKUP 10 && ok "pair: this director is BACKUP of VI_1" || bad "pair: director VI_1 is $(instance_state $t/ka.sock)"
both="TCP $W:80 $R1 1; TCP $W:80 $R2 1"
sleep 1
table_is "lvs_flush + ha_suspend as BACKUP: the foreign service gone, the suspended service programmed" "$both"
agree "backup"
got=$(ipvsadm -L --timeout)
[ "$got" = "Timeout (tcp tcpfin udp): 1000 50 200" ] && ok "lvs_timeouts: $got" || bad "lvs_timeouts: $got (before: $timeouts_before)"
got=$(daemons)
[ "$got" = "backup sync daemon $sd_params;" ] && ok "lvs_sync_daemon inst VI_1 as BACKUP: $got" || bad "lvs_sync_daemon as BACKUP: $got"
sus=$(jq -r '.virtual_servers[0].suspended' $t/status.json)
[ "$sus" = true ] && ok "ha_suspend: keepalivectl shows the pool suspended" || bad "ha_suspend: suspended is $sus"
httpd_stop r2
sleep 3  # three check rounds: reports held, the table unchanged
table_is "ha_suspend, r2 stopped while BACKUP: the table unchanged" "$both"
status
held=$(jq -r '.virtual_servers[0].suspended_reports' $t/status.json)
[ "$held" -ge 1 ] 2>/dev/null && ok "ha_suspend: $held report(s) held while suspended" || bad "ha_suspend: suspended_reports $held"
t0=$(now)
kill -TERM $peer_pid; wait $peer_pid
wait_state $t/ka.sock MASTER 10 && ok "failover: this director is MASTER of VI_1 after $(($(now) - t0)) ms" || bad "failover: director VI_1 is $(instance_state $t/ka.sock)"
t0=$(now)
if ms=$(wait_table "TCP $W:80 $R1 1" 10); then ok "ha_suspend after failover: r2 removed $ms ms after MASTER"; else bad "ha_suspend after failover: table $(ipvsadm -Sn | tr '\n' ';')"; fi
agree "master"
ipvsadm -A -t 192.0.2.201:80 -s wlc   # by hand during the run: lvs_flush_on_stop takes it too
got=$(daemons)
[ "$got" = "master sync daemon $sd_params;" ] && ok "lvs_sync_daemon inst VI_1 as MASTER: $got" || bad "lvs_sync_daemon as MASTER: $got"
sus=$(jq -r '.virtual_servers[0].suspended' $t/status.json)
[ "$sus" = false ] && ok "ha_suspend: keepalivectl shows the pool active" || bad "ha_suspend: suspended is $sus"
httpd_start r2
ka_stop TERM; rc=$?
[ -z "$(ipvsadm -Sn)" ] && ok "lvs_flush_on_stop (exit $rc): the whole table flushed, the service added by hand too" || bad "lvs_flush_on_stop: $(ipvsadm -Sn | tr '\n' ';')"
got=$(daemons)
[ -z "$got" ] && ok "exit: no sync daemon left" || bad "exit: sync daemons left: $got"
got=$(ipvsadm -L --timeout)
[ "$got" = "$timeouts_before" ] && ok "exit: timeouts put back: $got" || bad "exit: timeouts $got, before $timeouts_before"
sleep 0.2
want="VS [$W]:tcp:80 UP;RS [203.0.113.66]:tcp:80 [$W]:tcp:80 DOWN;"
got=$(tr '\n' ';' < $t/lvs.lines)
[ "$got" = "$want" ] && ok "lvs_notify_fifo: $got" || bad "lvs_notify_fifo: got '$got', want '$want'"
if grep 'not acted on' $log | grep -q 'ha_suspend\|lvs_'; then
  bad "start-up still reports an lvs keyword as not acted on: $(grep 'not acted on' $log | head -3)"
else
  ok "start-up reports none of these keywords as not acted on"
fi

if [ $fails != 0 ]; then echo "---- daemon log (last 60 lines)"; tail -n 60 $log; fi
for h in r1 r2 s; do httpd_stop $h; done
echo "$checks checks, $fails failed"
[ $fails = 0 ]
