#!/usr/bin/env bash
# On-wire failover (bench/failover.sh --wire [RUNS] [ADVERT_INT]): a v3 IPv4 pair, master
# priority 200, backup 100. Each run cuts the master's link (its bridge port) at a random
# point of its advert period; the capture on the bridge (kernel time stamps) gives the
# master's last advert and the backup's first one. Reported: that gap minus the backup's
# master-down interval (RFC 5798 6.1: 3 * advert_int + (256 - 100) * advert_int / 256),
# i.e. how late the backup's timer fired, p50/p99/max over RUNS, idle and with every core
# saturated; Keepalive and keepalived 2.2.7 in the same run. The link comes back and the
# master preempts between runs.
set -u
cd "$(dirname "$0")/.."
RUNS=${1:-20}
INT=${2:-0.1}
[ -x build/actors/keepalive ] || bash .ci/setup
source tests/lab/lib.sh
lab_init fowire
source bench/wire_lib.sh
lab_host m 11
lab_host b 12
wire_start
VIP=192.0.2.100
MDI=$(awk -v i="$INT" 'BEGIN { printf "%.7f", 3 * i + 156 * i / 256 }')
conf() {  # ROUTER STATE PRIORITY
  printf 'global_defs {\n  router_id %s\n}\n' "$1"
  printf 'vrrp_instance VI_F {\n  state %s\n  interface eth0\n  virtual_router_id 62\n' "$2"
  printf '  priority %s\n  advert_int %s\n  version 3\n' "$3" "$INT"
  printf '  virtual_ipaddress {\n    %s/24\n  }\n  notify @NOTIFY@\n}\n' "$VIP"
}
conf m MASTER 200 | lab_conf m
conf b BACKUP 100 | lab_conf b
start() { if [ "$1" = ka ]; then start_keepalive "$2"; else start_keepalived "$2"; fi; }
m_only() { has_vip m $VIP && ! has_vip b $VIP; }

declare -A R
for load in idle loaded; do
  [ $load = loaded ] && load_on
  for impl in ka kd; do
    start $impl b; sleep 0.5; start $impl m
    wait_for 10 m_only || echo "$impl ($load): m did not become the only master"
    vals=()
    for i in $(seq 1 "$RUNS"); do
      sleep "1.$(printf %03d $((RANDOM % 1000)))"
      t0=$(wire_now)
      lab_unplug 11
      wait_for 5 has_vip b $VIP || echo "$impl ($load) run $i: b did not take over"
      sleep 0.1
      lab_plug 11
      v=$(awk -v t0="$t0" -v mdi="$MDI" '
        $1 >= t0 - 2 && $3 == 62 && $4 > 0 && $2 == "192.0.2.11" && !first { last = $1 }
        $1 >= t0 && $3 == 62 && $4 > 0 && $2 == "192.0.2.12" && !first { first = $1 }
        END { if (last && first) printf "%.1f", (first - last - mdi) * 1e6; else print "NaN" }' "$LAB_DIR/wire.txt")
      [ "$v" = NaN ] && echo "$impl ($load) run $i: no gap on the wire" || vals+=("$v")
      wait_for 10 m_only || echo "$impl ($load) run $i: m did not take back"
    done
    R[$impl-$load]=$(printf '%s\n' "${vals[@]}" | pstats)
    R[$impl-$load-raw]=$(printf '%s\n' "${vals[@]}" | tr '\n' ' ')
    crash_router m; crash_router b
    ip -n "$(ns m)" addr del $VIP/24 dev eth0 2>/dev/null
    ip -n "$(ns b)" addr del $VIP/24 dev eth0 2>/dev/null
  done
  [ $load = loaded ] && load_off
done

echo
echo "== Failover on the wire: master's last advert -> backup's first, minus the master-down"
echo "   interval ($MDI s at advert_int $INT), |us|; $RUNS link cuts per row; loaded: one"
echo "   pinned busy loop per core ($BENCH_CORES)"
row "" Keepalive keepalived ratio
for load in idle loaded; do
  read -r a50 a99 amax an <<< "${R[ka-$load]}"
  read -r d50 d99 dmax dn <<< "${R[kd-$load]}"
  row "$load p50 (runs: $an / $dn)" "$a50" "$d50" "$(ratio "$a50" "$d50")"
  row "$load p99" "$a99" "$d99" "$(ratio "$a99" "$d99")"
  row "$load max" "$amax" "$dmax" "$(ratio "$amax" "$dmax")"
done
for k in ka-idle kd-idle ka-loaded kd-loaded; do echo "   $k (signed us): ${R[$k-raw]}"; done
lab_done
