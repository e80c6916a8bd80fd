#!/usr/bin/env bash
# Failover benchmark: Keepalive pairs against keepalived 2.2.7 pairs, in the same lab run.
#  - hand-over: master SIGTERMed (priority-0 advert) -> VIP on the backup
#  - crash:     master SIGKILLed (silence) -> VIP on the backup (master-down interval)
#  - advert spacing on the wire: deviation of the master's advert intervals from 1 s
# Times come from `ip -ts monitor address` in the backup's namespace (kernel event time,
# no polling). The kill moment is randomised within the advert period, with the same
# sequence for both daemons. Prints means, maxima and Keepalive/keepalived ratios.
#   bash bench/failover.sh [REPEATS]   (default 5; root)
#   bash bench/failover.sh --wire [RUNS] [ADVERT_INT]: on-wire mode (bench/failover_wire.sh):
#     link cut, master's last advert to the backup's first minus the master-down interval
set -u
cd "$(dirname "$0")/.."
if [ "${1:-}" = --wire ]; then shift; exec bash bench/failover_wire.sh "$@"; fi
REPS=${1:-5}
command -v tcpdump >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tcpdump >/dev/null; }
[ -x build/actors/keepalive ] || bash .ci/setup
source tests/lab/lib.sh
lab_init bench
lab_host m 11
lab_host b 12
VIP=192.0.2.100

vrrp_conf m MASTER 200 name=VI_B vrid=42 pass=bench notify= | lab_conf m
vrrp_conf b BACKUP 100 name=VI_B vrid=42 pass=bench notify= | lab_conf b

start() { if [ "$1" = ka ]; then start_keepalive "$2"; else start_keepalived "$2"; fi; }
# Between runs the routers are rebooted: a crash, then a clean interface, so that every run
# starts from the same state (a leftover VIP on a restarted master would count as "up"
# before the daemon has removed it). The labs test leftovers; the benchmark times failover.
reboot_router() { crash_router "$1"; ip -n "$(ns "$1")" addr del "$VIP/24" dev eth0 2>/dev/null; true; }
now() { date +%s.%N; }
# One address monitor in the backup's namespace for the whole run (a monitor started per
# run sometimes missed the event it was started for).
MON=$LAB_DIR/monitor
ip -n "$(ns b)" -ts monitor address > "$MON" &
LAB_PIDS+=($!)
sleep 0.3
# Milliseconds from $1 (epoch seconds) to the first addition of the VIP after it.
vip_added_after() {
  local ts t
  for _ in $(seq 1 100); do
    while read -r ts; do
      t=$(date -d "$ts" +%s.%N)
      if awk -v a="$t" -v b="$1" 'BEGIN{exit !(a > b)}'; then
        awk -v a="$t" -v b="$1" 'BEGIN{printf "%.1f", (a - b) * 1000}'
        return
      fi
    done < <(grep "inet $VIP/" "$MON" | grep -v Deleted | sed -n 's/^\[\([^]]*\)\].*/\1/p')
    sleep 0.05
  done
  echo NaN
}

declare -A RES
RANDOM=4242; SEEDS=(); for i in $(seq 1 "$REPS"); do SEEDS+=($((RANDOM % 1000))); done

for impl in ${BENCH_IMPLS:-ka kd}; do
  for mode in ${BENCH_MODES:-TERM KILL}; do
    vals=()
    for i in $(seq 1 "$REPS"); do
      start $impl b
      sleep 0.5
      start $impl m
      wait_for 10 has_vip m $VIP || { echo "$impl: master did not come up"; exit 1; }
      sleep "2.$(printf %03d "${SEEDS[$((i - 1))]}")"
      if has_vip b $VIP; then
        echo "$impl $mode run $i: the backup holds the VIP before the signal (two masters)"
        ip -n "$(ns b)" -4 -o addr show dev eth0; ctl b status 2>/dev/null; ctl m status 2>/dev/null
      fi
      t0=$(now)
      if [ $mode = TERM ]; then kill -TERM "$(pid_of m)"; else crash_router m; fi
      wait_for 8 has_vip b $VIP
      v=$(vip_added_after "$t0")
      if [ "$v" = NaN ]; then  # keep the evidence: the lab directory survives a failure
        echo "$impl $mode run $i: no VIP addition seen after the signal"
        LAB_FAILS=$((LAB_FAILS + 1))
      else
        vals+=("$v")
      fi
      reboot_router m
      reboot_router b
    done
    RES[$impl-$mode]="${vals[*]}"
    echo "$impl $mode takeover ms: ${vals[*]}"
  done
  # Advert spacing: 20 s of the master's adverts seen on the backup's wire.
  start $impl m
  wait_for 10 has_vip m $VIP
  cap="$LAB_DIR/cap-$impl.txt"
  timeout 21 ip netns exec "$(ns b)" tcpdump -i eth0 -nn -tt -l 'ip proto 112' > "$cap" 2>/dev/null
  RES[$impl-SPACING]=$(awk '/ VRRPv2, /{t=$1; if (p) printf "%.0f ", (t - p - 1) * 1e6; p=t}' "$cap")
  reboot_router m
done

stats() { echo "$1" | tr ' ' '\n' | awk 'NF{n++; s+=$1; if ($1>m || n==1) m=$1} END{printf "%.1f %.1f %d", s/n, m, n}'; }
absstats() { echo "$1" | tr ' ' '\n' | awk 'NF{v=$1<0?-$1:$1; n++; s+=v; if (v>m) m=v} END{printf "%.0f %.0f %d", s/n, m, n}'; }

echo
echo "== Failover, $REPS runs each (ms from the signal to the VIP on the backup)"
printf '%-34s %12s %12s %8s\n' "" "Keepalive" "keepalived" "ratio"
for mode in TERM KILL; do
  read -r ka_mean ka_max _ <<< "$(stats "${RES[ka-$mode]}")"
  read -r kd_mean kd_max _ <<< "$(stats "${RES[kd-$mode]}")"
  label="SIGTERM hand-over (priority 0)"; [ $mode = KILL ] && label="crash (master-down interval)"
  printf '%-34s %12s %12s %8s\n' "$label mean" "$ka_mean" "$kd_mean" "$(awk "BEGIN{printf \"%.2f\", $ka_mean/$kd_mean}")"
  printf '%-34s %12s %12s %8s\n' "$label max" "$ka_max" "$kd_max" "$(awk "BEGIN{printf \"%.2f\", $ka_max/$kd_max}")"
done
read -r ka_dev ka_devmax ka_n <<< "$(absstats "${RES[ka-SPACING]}")"
read -r kd_dev kd_devmax kd_n <<< "$(absstats "${RES[kd-SPACING]}")"
echo
echo "== Advert spacing on the wire, |interval - 1 s| in us ($ka_n / $kd_n intervals)"
printf '%-34s %12s %12s %8s\n' "mean deviation" "$ka_dev" "$kd_dev" "$(awk "BEGIN{printf \"%.2f\", $ka_dev/($kd_dev>0?$kd_dev:1)}")"
printf '%-34s %12s %12s %8s\n' "max deviation" "$ka_devmax" "$kd_devmax" "$(awk "BEGIN{printf \"%.2f\", $ka_devmax/($kd_devmax>0?$kd_devmax:1)}")"
lab_done
