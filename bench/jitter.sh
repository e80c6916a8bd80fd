#!/usr/bin/env bash
# Advert timing on the wire: a lone v3 master (IPv4) at advert_int 0.01 and 0.05, idle and
# with every core saturated by pinned busy loops; Keepalive and keepalived 2.2.7 in the
# same run and lab. The gaps between the master's adverts come from a capture on the
# bridge with kernel time stamps; printed: p50/p99/max of |gap - advert_int| in us.
#   bash bench/jitter.sh [SECONDS per measurement]   (default 10; root)
set -u
cd "$(dirname "$0")/.."
SECS=${1:-10}
[ -x build/actors/keepalive ] || bash .ci/setup
source tests/lab/lib.sh
lab_init jitter
source bench/wire_lib.sh
lab_host m 11
wire_start

conf() {  # INTERVAL
  printf 'global_defs {\n  router_id m\n}\n'
  printf 'vrrp_instance VI_J {\n  state MASTER\n  interface eth0\n  virtual_router_id 61\n'
  printf '  priority 200\n  advert_int %s\n  version 3\n' "$1"
  printf '  virtual_ipaddress {\n    192.0.2.100/24\n  }\n}\n'
}
declare -A R
for load in idle loaded; do
  [ $load = loaded ] && load_on
  for int in 0.01 0.05; do
    for impl in ka kd; do
      conf "$int" | lab_conf m
      if [ $impl = ka ]; then start_keepalive m; else start_keepalived m; fi
      wait_for 10 has_vip m 192.0.2.100 || echo "$impl: no master at $int ($load)"
      sleep 1
      t0=$(wire_now); sleep "$SECS"; t1=$(wire_now)
      crash_router m
      ip -n "$(ns m)" addr del 192.0.2.100/24 dev eth0 2>/dev/null
      R[$impl-$int-$load]=$(awk -v a="$t0" -v b="$t1" -v i="$int" '
        $2 == "192.0.2.11" && $3 == 61 && $4 > 0 && $1 >= a && $1 <= b {
          if (p) printf "%.1f\n", ($1 - p - i) * 1e6; p = $1 }' "$LAB_DIR/wire.txt" | pstats)
    done
  done
  [ $load = loaded ] && load_off
done

echo
echo "== Advert timing on the wire, |gap - advert_int| in us, $SECS s per row, v3 IPv4,"
echo "   $BENCH_CORES cores; loaded: one pinned busy loop per core"
row "" Keepalive keepalived ratio
for load in idle loaded; do
  for int in 0.01 0.05; do
    read -r a50 a99 amax an <<< "${R[ka-$int-$load]}"
    read -r d50 d99 dmax dn <<< "${R[kd-$int-$load]}"
    row "advert_int $int $load p50 (gaps: $an / $dn)" "$a50" "$d50" "$(ratio "$a50" "$d50")"
    row "advert_int $int $load p99" "$a99" "$d99" "$(ratio "$a99" "$d99")"
    row "advert_int $int $load max" "$amax" "$dmax" "$(ratio "$amax" "$dmax")"
  done
done
lab_done
