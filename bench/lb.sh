#!/usr/bin/env bash
# Load-balancing benchmark: Keepalive against keepalived 2.2.7, both in ONE qemu VM boot with
# real IPVS (tests/vm/run-in-vm.sh: a stock Debian kernel under TCG; docs/ipvs-vm.md), one
# after the other, on the same configs and the same listeners. Not in ctest.
#  A. programming: N virtual servers x 10 real servers, no checkers: time from the daemon's
#     start until /proc/net/ip_vs lists all of them; RSS then; time from SIGTERM until the
#     table is empty again.
#  B. checkers: C virtual servers x 10 real servers, one TCP_CHECK each (delay_loop 1,
#     connect_timeout 1, retry 0) against live listeners (bench/lb_listen.c in a server
#     namespace behind a veth): time to the full table; CPU (% of the VM's one vCPU,
#     utime+stime of every daemon process over W s) and RSS (keepalived: parent + checker
#     child); then detection: T real servers' listeners are killed one at a time (the kernel
#     answers RST from then on) and the time until each one's line leaves /proc/net/ip_vs is
#     taken (polled every 50 ms). That removal is also the one-real-server change of item 1:
#     a weight change needs a reload in both, so the change measured is checker-driven.
# Under TCG every figure is emulated time, and the host is shared: compare the ratio, not
# the absolute numbers.
# Addresses: VIPs 203.0.113.1-9 (port 20000 + i % 1000); real server j of virtual server i is
# 192.0.2.(10+j):(10000 + i % 1000) in the server namespace; the VM end of the veth is 192.0.2.1.
#   bash bench/lb.sh [--quick] [-n N] [-c C] [-w W] [-t T]   (default N=1000 C=100 W=20 T=10)
#   --quick: N=100 C=20 W=5 T=5 (one boot, about 2 min on the loaded 2-core machine)
# KEEPALIVE=path runs another keepalive binary; LB_KEEP=dir keeps the logs and results there.
set -u
cd "$(dirname "$0")/.."
N=1000 C=100 W=20 T=10
while [ $# -gt 0 ]; do
  case $1 in
    --quick) N=100 C=20 W=5 T=5 ;;
    -n) N=$2; shift ;;
    -c) C=$2; shift ;;
    -w) W=$2; shift ;;
    -t) T=$2; shift ;;
    *) echo "usage: bash bench/lb.sh [--quick] [-n N] [-c C] [-w W] [-t T]" >&2; exit 2 ;;
  esac
  shift
done
[ "$N" -ge 1 ] && [ "$N" -le 9000 ] || { echo "N must be 1..9000" >&2; exit 2; }
[ "$C" -ge 1 ] && [ "$C" -le 1000 ] && [ "$T" -ge 1 ] && [ "$T" -lt "$C" ] \
  || { echo "C must be 1..1000 and T 1..C-1" >&2; exit 2; }
KEEPALIVE=${KEEPALIVE:-$PWD/build/actors/keepalive}
[ -x "$KEEPALIVE" ] || { echo "no $KEEPALIVE (build first)" >&2; exit 1; }
for t in keepalived ipvsadm cc; do command -v $t >/dev/null || { echo "$t is missing" >&2; exit 1; }; done
LOAD_BEFORE=$(uptime)

D=$(mktemp -d /tmp/ka-lbbench.XXXXXX)   # shared with the VM over 9p: configs, scripts, results
B=$(mktemp -d /tmp/ka-lbbench-bin.XXXXXX)  # binaries: put in the VM's initramfs (RAM), not read over 9p
trap 'rm -rf "$D" "$B"' EXIT
cc -O2 -o "$B/lb_listen" bench/lb_listen.c || exit 1
strip -o "$B/keepalive" "$KEEPALIVE"   # debug info only slows the initramfs; RSS is the same
strip -o "$B/keepalive-probes.so" "$(dirname "$KEEPALIVE")/keepalive-probes.so"  # the checkers' probes

# conf NAME VS CHECK: VS virtual servers x 10 real servers, with a TCP_CHECK each if CHECK=1
conf() {
  local i j
  {
    printf 'global_defs {\n  router_id lbbench\n}\n'
    for i in $(seq 0 $(( $2 - 1 ))); do
      printf 'virtual_server 203.0.113.%d %d {\n  delay_loop 1\n  lvs_sched rr\n  lvs_method NAT\n  protocol TCP\n' \
        $(( 1 + i / 1000 )) $(( 20000 + i % 1000 ))
      for j in 0 1 2 3 4 5 6 7 8 9; do
        printf '  real_server 192.0.2.%d %d {\n    weight 1\n' $(( 10 + j )) $(( 10000 + i % 1000 ))
        [ "$3" = 1 ] && printf '    TCP_CHECK {\n      connect_timeout 1\n      retry 0\n    }\n'
        printf '  }\n'
      done
      printf '}\n'
    done
  } > "$D/$1.conf"
}
conf prog "$N" 0
conf check "$C" 1

cat > "$D/in_vm.sh" <<'EOS'
#!/bin/sh
# Runs in the VM: D N C W T KEEPALIVE LISTEN. Results: "KEY IMPL VALUE" lines in $D/results.
D=$1 N=$2 C=$3 W=$4 T=$5 KA=$6 LISTEN=$7
ulimit -n 65536
R=$D/results
: > $R
mkdir -p /tmp/lb && cp $D/prog.conf $D/check.conf /tmp/lb/   # not read over 9p by the daemons
now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
lines() { wc -l < /proc/net/ip_vs; }
ticks() { t=0; for p in "$@"; do t=$(( t + $(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0) )); done; echo $t; }
rss_kb() { t=0; for p in "$@"; do t=$(( t + $(awk '/^VmRSS/{print $2}' /proc/$p/status 2>/dev/null || echo 0) )); done; echo $t; }
wait_lines() {  # COUNT TIMEOUT_S: 0 once /proc/net/ip_vs has COUNT lines
  end=$(( $(now) + $2 * 1000000000 ))
  while [ "$(lines)" != "$1" ]; do [ "$(now)" -lt "$end" ] || return 1; sleep 0.05; done
}
PIDS=
start() {  # IMPL CONF
  case $1 in
    ka) $KA -n -l -f /tmp/lb/$2.conf -p /tmp/lb/ka.pid --admin-socket /tmp/lb/ka.sock >> /tmp/lb/ka-$2.log 2>&1 &
        PIDS=$! ;;
    kd) rm -f /tmp/lb/kd.pid /tmp/lb/kd-chk.pid
        keepalived -n -l -C -f /tmp/lb/$2.conf -p /tmp/lb/kd.pid -c /tmp/lb/kd-chk.pid >> /tmp/lb/kd-$2.log 2>&1 &
        PIDS=$!
        i=0; while [ ! -s /tmp/lb/kd-chk.pid ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
        PIDS="$PIDS $(cat /tmp/lb/kd-chk.pid 2>/dev/null)" ;;
  esac
}
stop() {  # IMPL KEY: SIGTERM, then the time until the table is empty (or the daemon gone)
  set -- $1 $2 $PIDS
  impl=$1 key=$2 main=$3
  t0=$(now); kill -TERM $main
  end=$(( t0 + 120000000000 ))
  while [ "$(lines)" != 3 ] && kill -0 $main 2>/dev/null && [ "$(now)" -lt "$end" ]; do sleep 0.05; done
  if [ "$(lines)" = 3 ]; then echo "$key $impl $(ms $t0 $(now))" >> $R; else echo "$key $impl NaN" >> $R; fi
  i=0; while kill -0 $main 2>/dev/null && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
  kill -KILL $main 2>/dev/null; wait $main 2>/dev/null
  left=$(( $(lines) - 3 ))
  echo "${key}left $impl $left" >> $R
  [ $left = 0 ] || { echo "$impl left $left lines in the table at exit; clearing it for the next run"; ipvsadm -C; }
}
hex_ip() { echo $1 | awk -F. '{printf "%02X%02X%02X%02X", $1, $2, $3, $4}'; }

# The server namespace and its listeners: 10 addresses x C ports; the last address's first
# T ports each have their own process (the ones killed for detection).
ip netns add srv
ip link add v0 type veth peer name v1 netns srv
ip addr add 192.0.2.1/24 dev v0
ip link set v0 up
ip -n srv link set lo up
for j in 0 1 2 3 4 5 6 7 8 9; do ip -n srv addr add 192.0.2.$((10 + j))/24 dev v1; done
ip -n srv link set v1 up
for j in 0 1 2 3 4 5 6 7 8; do ip netns exec srv $LISTEN 192.0.2.$((10 + j)) 10000 $C & done
ip netns exec srv $LISTEN 192.0.2.19 $((10000 + T)) $((C - T)) &
start_targets() {
  k=0; TARGETS=
  while [ $k -lt $T ]; do ip netns exec srv $LISTEN 192.0.2.19 $((10000 + k)) 1 & TARGETS="$TARGETS $!"; k=$((k + 1)); done
  sleep 0.5
}
start_targets

for impl in ka kd; do
  echo "== $impl: $N x 10, no checkers"
  t0=$(now); start $impl prog
  if wait_lines $((3 + N * 11)) 600; then echo "prog $impl $(ms $t0 $(now))" >> $R; else echo "prog $impl NaN" >> $R; echo "table at $(lines) lines"; fi
  sleep 1
  echo "progrss $impl $(rss_kb $PIDS)" >> $R
  stop $impl progstop

  echo "== $impl: $C x 10 with TCP_CHECK"
  t0=$(now); start $impl check
  if wait_lines $((3 + C * 11)) 300; then echo "chkprog $impl $(ms $t0 $(now))" >> $R; else echo "chkprog $impl NaN" >> $R; fi
  sleep 3
  echo "chkup $impl $(( ($(lines) - 3 - C) ))" >> $R
  a=$(ticks $PIDS); sleep $W; b=$(ticks $PIDS)
  echo "chkcpu $impl $(awk -v d=$((b - a)) -v w=$W 'BEGIN{printf "%.1f", d / 100 / w * 100}')" >> $R
  echo "chkrss $impl $(rss_kb $PIDS)" >> $R
  echo "chkupend $impl $(( ($(lines) - 3 - C) ))" >> $R
  k=0
  for p in $TARGETS; do
    pat=" -> $(hex_ip 192.0.2.19):$(printf %04X $((10000 + k))) "
    grep -q "$pat" /proc/net/ip_vs || echo "target $k not in the table before its kill"
    t0=$(now); kill -KILL $p
    end=$(( t0 + 30000000000 ))
    while grep -q "$pat" /proc/net/ip_vs && [ "$(now)" -lt "$end" ]; do sleep 0.05; done
    if grep -q "$pat" /proc/net/ip_vs; then echo "detect $impl NaN" >> $R; else echo "detect $impl $(ms $t0 $(now))" >> $R; fi
    k=$((k + 1))
    sleep 0.$((k * 3 % 10))   # kills land at different points of the checkers' cycle
  done
  stop $impl chkstop
  start_targets
done
cp /tmp/lb/*.log $D/
echo "== keepalive log (warnings and errors)"; grep -i -E 'error|warn' /tmp/lb/ka-*.log | head -20
echo "== keepalived log (errors)"; grep -i -E 'error|fail' /tmp/lb/kd-*.log | grep -v 'TCP_CHECK on service .*failed' | head -20
exit 0
EOS

echo "lb bench: N=$N C=$C W=$W T=$T; booting the VM"
RUN=tests/vm/run-in-vm.sh
"$RUN" -s "$D" -t 1800 -m 1024 "sh $D/in_vm.sh $D $N $C $W $T $B/keepalive $B/lb_listen" \
  "$B/keepalive" "$B/keepalive-probes.so" "$B/lb_listen" /usr/sbin/keepalived /usr/sbin/ipvsadm "$(readlink -f "$(command -v ip)")" \
  /bin/sleep /bin/date > "$D/vm.txt" 2>&1
rc=$?
cat "$D/vm.txt"
[ -n "${LB_KEEP:-}" ] && mkdir -p "$LB_KEEP" && cp "$D"/*.log "$D"/results "$D"/vm.txt "$LB_KEEP"/ 2>/dev/null
[ "$rc" = 0 ] || { echo "VM run failed ($rc)"; exit 1; }

# ---- report ----------------------------------------------------------------------------
get() { awk -v k="$1" -v i="$2" -v f="${3:-mean}" '
  $1 == k && $2 == i { if ($3 == "NaN") nan = 1; else { n++; s += $3; if (n == 1 || $3 > m) m = $3 } }
  END { if (nan || !n) print "NaN"; else if (f == "max") print m; else printf "%.0f", s / n }' "$D/results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{if (a == "NaN" || b == "NaN" || b + 0 == 0) print "-"; else printf "%.2f", a / b}'; }
row() { printf '%-50s %12s %12s %8s\n' "$1" "$2" "$3" "${4-$(ratio "$2" "$3")}"; }
val() { row "$1" "$(get "$2" ka "${3:-mean}")" "$(get "$2" kd "${3:-mean}")"; }
mb() { awk -v k="$1" 'BEGIN{ if (k == "NaN") print k; else printf "%.1f", k / 1024 }'; }
cpu() { awk -v k="$1" -v i="$2" '$1 == k && $2 == i {print $3}' "$D/results"; }
echo
echo "== Load balancing in the IPVS VM (TCG, 1 vCPU): Keepalive vs keepalived 2.2.7, one boot"
printf '%-50s %12s %12s %8s\n' "" "Keepalive" "keepalived" "ratio"
val "$N VS x 10 RS, no checkers: start to full table ms" prog
row "  RSS at full table MB" "$(mb "$(get progrss ka)")" "$(mb "$(get progrss kd)")"
val "  SIGTERM to empty table ms" progstop
row "  real servers left in the table at exit" "$(get progstopleft ka)" "$(get progstopleft kd)" ""
val "$C VS x 10 RS, TCP_CHECK: start to full table ms" chkprog
row "  CPU % of the vCPU over $W s, delay_loop 1" "$(cpu chkcpu ka)" "$(cpu chkcpu kd)"
row "  RSS MB" "$(mb "$(get chkrss ka)")" "$(mb "$(get chkrss kd)")"
row "  real servers up before / after the CPU window" "$(get chkup ka)/$(get chkupend ka)" "$(get chkup kd)/$(get chkupend kd)" ""
val "  listener killed -> removed from table ms, mean of $T" detect
val "  the same, max" detect max
val "  SIGTERM to empty table ms" chkstop
row "  real servers left in the table at exit" "$(get chkstopleft ka)" "$(get chkstopleft kd)" ""
echo "load before: $LOAD_BEFORE"
echo "load after:  $(uptime)"
