#!/bin/sh
# Runs inside the VM (tests/vm/ipvs_vm.sh boots it): kern::ipvs through ipvs_probe, checked
# step by step against its own dump and against ipvsadm's view of the same table, then a
# NAT end-to-end test with real HTTP requests between network namespaces.
#   ipvs_in_vm.sh PROBE AWK
# Documentation addresses only; nothing leaves the VM (qemu has no network device).
set -u
probe=$1 lines=$2
fails=0 checks=0
ok() { checks=$((checks + 1)); echo "ok: $*"; }
bad() { checks=$((checks + 1)); fails=$((fails + 1)); echo "FAIL: $*"; }
t=/tmp/ipvs-vm; mkdir -p $t

# ipvs_probe's dump and ipvsadm's listing must agree, line for line.
agree() {
  ipvsadm -Ln --tun-info > $t/tun && ipvsadm -Ln --thresholds > $t/thr || { bad "$1: ipvsadm -Ln failed"; return; }
  awk -f "$lines" $t/tun $t/thr | sort > $t/ipvsadm.lines
  "$probe" show | sort > $t/probe.lines
  if diff -u $t/ipvsadm.lines $t/probe.lines; then
    ok "$1: ipvsadm -Ln agrees with the dump ($(wc -l < $t/probe.lines) lines)"
  else
    bad "$1: ipvsadm -Ln and the dump differ (above: - ipvsadm, + ipvs_probe)"
  fi
}
step() {
  if "$probe" step "$1"; then ok "step $1: the dump is what the ops should leave"; else bad "step $1"; fi
  agree "$1"
}

echo "== kernel $(uname -r); schedulers: $(ls /lib/modules/*/kernel/net/netfilter/ipvs | sed -n 's/^ip_vs_\(.*\)\.ko$/\1/p' | tr '\n' ' ')"
# The kernel actor, through the ipvs_writer handle a pool holds.
if "$(dirname "$probe")/ipvs_actor_probe" present; then ok "kernel actor: ipvs_writer"; else bad "kernel actor: ipvs_writer"; fi
step add
ipvsadm -Ln --tun-info
step errors
step edit
step delete
ipvsadm -Ln --tun-info
step clear
[ -z "$(ipvsadm -Sn)" ] && ok "clear: ipvsadm shows an empty table" || bad "clear: ipvsadm still shows $(ipvsadm -Sn)"

# Many writes in one batch (64 per sendmsg) and a dump that spans many netlink messages.
if out=$("$probe" bulk 300); then ok "bulk: $out"; else bad "bulk: $out"; fi
[ -z "$(ipvsadm -Sn)" ] && ok "bulk: ipvsadm shows an empty table after the deletions" || bad "bulk: ipvsadm shows leftovers"

# Connection timeouts, set and read back, as ipvsadm reads them.
if out=$("$probe" timeouts 1000 60 200); then ok "timeouts: set and read back: $out"; else bad "timeouts: $out"; fi
ipvsadm -l --timeout | grep -q 'Timeout (tcp tcpfin udp): 1000 60 200' && ok "timeouts: ipvsadm agrees" ||
  bad "timeouts: ipvsadm says $(ipvsadm -l --timeout)"

# ---- NAT end to end: client ns c -> VIP on the director (this ns) -> real servers r1, r2 ----
#   c 192.0.2.2 2001:db8::2 --- vc 192.0.2.1 2001:db8::1, VIPs 192.0.2.100 2001:db8::100
#   vr1 203.0.113.1/25 2001:db8:2::1 --- r1 203.0.113.2 2001:db8:2::2 (httpd: "r1")
#   vr2 203.0.113.129/25 2001:db8:3::1 --- r2 203.0.113.130 2001:db8:3::2 (httpd: "r2")
set -e
ip netns add c
ip link add vc type veth peer name eth0 netns c
ip addr add 192.0.2.1/24 dev vc
ip addr add 192.0.2.100/32 dev vc
ip -6 addr add 2001:db8::1/64 dev vc nodad
ip -6 addr add 2001:db8::100/128 dev vc nodad
ip link set vc up
ip -n c addr add 192.0.2.2/24 dev eth0
ip -n c -6 addr add 2001:db8::2/64 dev eth0 nodad
ip -n c link set eth0 up
ip -n c link set lo up
for i in 1 2; do
  a4=203.0.113 h=$([ $i = 1 ] && echo 1 || echo 129)
  ip netns add r$i
  ip link add vr$i type veth peer name eth0 netns r$i
  ip addr add $a4.$h/25 dev vr$i
  ip -6 addr add 2001:db8:$((i + 1))::1/64 dev vr$i nodad
  ip link set vr$i up
  ip -n r$i addr add $a4.$((h + 1))/25 dev eth0
  ip -n r$i -6 addr add 2001:db8:$((i + 1))::2/64 dev eth0 nodad
  ip -n r$i link set eth0 up
  ip -n r$i link set lo up
  ip -n r$i route add default via $a4.$h
  ip -n r$i -6 route add default via 2001:db8:$((i + 1))::1
  mkdir -p $t/www$i && echo r$i > $t/www$i/index.html
  ip netns exec r$i busybox httpd -p 80 -h $t/www$i
done
echo 1 > /proc/sys/net/ipv4/ip_forward
echo 1 > /proc/sys/net/ipv6/conf/all/forwarding
set +e
# A connection-sync daemon (keepalived's lvs_sync_daemon), backup side, on the veth.
if out=$("$probe" daemon vc); then ok "sync daemon: started and dumped: $out"; else bad "sync daemon: $out"; fi
ipvsadm -L --daemon | grep -q 'backup sync daemon (mcast=vc, syncid=51, .*port=8850,' && ok "sync daemon: ipvsadm agrees: $(ipvsadm -L --daemon)" ||
  bad "sync daemon: ipvsadm says: $(ipvsadm -L --daemon)"
if out=$("$probe" daemon-stop); then ok "sync daemon: stopped"; else bad "sync daemon: stop: $out"; fi
if "$probe" nat; then ok "nat: services programmed"; else bad "nat: programming failed"; fi
agree nat
n=10
for url in http://192.0.2.100/ "http://[2001:db8::100]/"; do
  : > $t/bodies
  i=0
  while [ $i -lt $n ]; do
    ip netns exec c timeout 10 busybox wget -q -O- "$url" >> $t/bodies 2>&1 || echo "wget $url failed" >> $t/bodies
    i=$((i + 1))
  done
  r1=$(grep -c '^r1$' $t/bodies) r2=$(grep -c '^r2$' $t/bodies)
  if [ "$r1" = $((n / 2)) ] && [ "$r2" = $((n / 2)) ]; then
    ok "nat: $n requests to $url: $r1 served by r1, $r2 by r2 (round robin)"
  else
    bad "nat: $n requests to $url: r1 $r1, r2 $r2: $(sort $t/bodies | uniq -c | tr '\n' ' ')"
  fi
done
# The counters the dump reads equal ipvsadm's: scheduled connections (--stats; the kernel
# sums them every 2 s), active and inactive (-Ln) and persistent ones (--persistent-conn).
sleep 2.5
"$probe" conns | sort > $t/probe.conns
ipvsadm -Ln --stats | awk 'NR > 3 && $1 == "->" { print $2, $3 }' > $t/stats
ipvsadm -Ln | awk 'NR > 3 && $1 == "->" { print $5, $6 }' > $t/active
ipvsadm -Ln --persistent-conn | awk 'NR > 3 && $1 == "->" { print $4 }' > $t/persist
paste -d' ' $t/stats $t/active $t/persist | sort > $t/ipvsadm.conns
if diff -u $t/ipvsadm.conns $t/probe.conns; then
  ok "nat: per-destination counters agree with ipvsadm: $(tr '\n' ';' < $t/probe.conns)"
else
  bad "nat: counters differ (- ipvsadm, + ipvs_probe)"
fi
awk -v n=$((n / 2)) '$2 != n { bad = 1 } END { exit bad }' $t/probe.conns &&
  ok "nat: each real server was scheduled $((n / 2)) connections per VIP" || bad "nat: scheduled counts are not $((n / 2)) each"

echo "$checks checks, $fails failed"
[ $fails = 0 ]
