#!/usr/bin/env bash
# Stability under load: a v3 IPv4 pair (priorities 200/100) at advert_int 0.01 with every
# core saturated by pinned busy loops, for SECONDS; counts the state transitions (notify
# hook calls) of each router after the first election, and the takeovers seen on the
# wire (adverts from the backup). Keepalive and keepalived 2.2.7 in the same run.
#   bash bench/stability.sh [SECONDS]   (default 60; root)
set -u
cd "$(dirname "$0")/.."
SECS=${1:-60}
INT=${2:-0.01}
[ -x build/actors/keepalive ] || bash .ci/setup
source tests/lab/lib.sh
lab_init stable
source bench/wire_lib.sh
lab_host m 11
lab_host b 12
wire_start
VIP=192.0.2.100
conf() {  # ROUTER STATE PRIORITY
  printf 'global_defs {\n  router_id %s\n}\n' "$1"
  printf 'vrrp_instance VI_S {\n  state %s\n  interface eth0\n  virtual_router_id 63\n' "$2"
  printf '  priority %s\n  advert_int %s\n  version 3\n' "$3" "$INT"
  printf '  virtual_ipaddress {\n    %s/24\n  }\n  notify @NOTIFY@\n}\n' "$VIP"
}
conf m MASTER 200 | lab_conf m
conf b BACKUP 100 | lab_conf b
start() { if [ "$1" = ka ]; then start_keepalive "$2"; else start_keepalived "$2"; fi; }
m_only() { has_vip m $VIP && ! has_vip b $VIP; }
declare -A T W
load_on
for impl in ka kd; do
  start $impl b; sleep 0.5; start $impl m
  wait_for 10 m_only || echo "$impl: m did not become the only master"
  sleep 2
  n0=$(wc -l < "$LAB_DIR/notify.log"); t0=$(wire_now)
  sleep "$SECS"
  n1=$(wc -l < "$LAB_DIR/notify.log"); t1=$(wire_now)
  T[$impl]=$((n1 - n0))
  # Runs of adverts from b (a takeover each), and b's adverts in all.
  W[$impl]=$(awk -v a="$t0" -v b="$t1" '$1 >= a && $1 <= b && $3 == 63 && $4 > 0 {
      if ($2 == "192.0.2.12" && last != "b") runs++; if ($2 == "192.0.2.12") n++
      if ($2 == "192.0.2.11") nm++
      last = ($2 == "192.0.2.12") ? "b" : "m" } END { print runs + 0, n + 0, nm + 0 }' "$LAB_DIR/wire.txt")
  tail -n +"$((n0 + 1))" "$LAB_DIR/notify.log" | head -n "$((n1 - n0))" | sort | uniq -c | sed "s/^/   $impl: /" | head -8
  crash_router m; crash_router b
  ip -n "$(ns m)" addr del $VIP/24 dev eth0 2>/dev/null
  ip -n "$(ns b)" addr del $VIP/24 dev eth0 2>/dev/null
done
load_off
read -r ka_runs ka_n ka_m <<< "${W[ka]}"; read -r kd_runs kd_n kd_m <<< "${W[kd]}"
echo
echo "== Stability: $SECS s at advert_int $INT (v3), every core ($BENCH_CORES) busy"
row "" Keepalive keepalived ratio
row "state transitions (notify calls, both routers)" "${T[ka]}" "${T[kd]}" "$(ratio "${T[ka]}" "${T[kd]}")"
row "backup takeovers seen on the wire" "$ka_runs" "$kd_runs" "$(ratio "$ka_runs" "$kd_runs")"
row "backup adverts on the wire" "$ka_n" "$kd_n" "$(ratio "$ka_n" "$kd_n")"
row "master adverts on the wire (nominal $(awk -v s="$SECS" -v i="$INT" 'BEGIN { print s / i }'))" "$ka_m" "$kd_m" "$(ratio "$ka_m" "$kd_m")"
lab_done
