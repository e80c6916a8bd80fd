#!/usr/bin/env bash
# Scale benchmark: Keepalive against keepalived 2.2.7 in the same run.
#  - two routers (namespaces a and b) joined by 4 veth links, N instances spread over the
#    links (VRID 1..N/4 on each), advert_int 1, priority 200 on a and 100 on b, one /32
#    VIP per instance, a notify hook on every instance; both routers started together;
#  - converge time: from the start until every instance is MASTER on a and BACKUP on b
#    (Keepalive: `keepalivectl --json status`; keepalived: the last state its log
#    reported) and a holds all N VIPs while b holds none;
#  - spurious MASTER entries: "Entering MASTER STATE" lines in b's log (b has the lower
#    priority everywhere, so every one of them is a flap), over the whole run;
#  - CPU (% of one core, utime+stime from /proc/PID/stat over a window after convergence)
#    and RSS (VmRSS; keepalived: parent + VRRP child) of each router;
#  - idle CPU of a one-instance pair, both implementations side by side.
# Addresses: documentation ranges only. Link k uses 192.0.2.(4k+1..2)/30; VIPs are
# 198.51.100.V (even links) and 203.0.113.V (odd links), V = VRID: unique on each link
# (addresses on different interfaces are independent).
#   bash bench/scale.sh [--quick] [-n N] [--runs R] [--window S] [--idle-window S]
#                       [--impls "ka kd"] [--links L] [--version 2|3] [--advert-int S] [--ipv6]
#                                                    (root; default N=1000, R=1, S=30, 60, L=4)
#   --quick: N=100, 3 s windows, one run; about 40 s.
#   --version 3 --advert-int 0.1: VRRPv3 at 100 ms adverts; --ipv6: IPv6 instances (VRRPv3
#   always), VIPs 2001:db8:K::V/128 on link K, adverts from link-local addresses (the
#   routers start once DAD is over on every link, for both implementations alike).
#   N must be L x (1..254); 250 IPv6 instances: -n 250 --links 2 --ipv6.
# KEEPALIVE=path runs another keepalive binary; SCALE_KEEP=dir keeps the routers' logs there.
set -u
cd "$(dirname "$0")/.."
# SETTLE: keepalived sends its second GARP burst 5 s after becoming master; measure after it.
N=1000 RUNS=1 WINDOW=30 IDLE_WINDOW=60 IMPLS="ka kd" SETTLE=6 IDLE_SETTLE=6
LINKS=4 VERSION=2 ADVERT_INT=1 FAMILY=4
while [ $# -gt 0 ]; do
  case $1 in
    --quick) N=100 WINDOW=3 IDLE_WINDOW=3 IDLE_SETTLE=2 ;;
    -n) N=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --window) WINDOW=$2; shift ;;
    --idle-window) IDLE_WINDOW=$2; shift ;;
    --impls) IMPLS=$2; shift ;;
    --links) LINKS=$2; shift ;;
    --version) VERSION=$2; shift ;;
    --advert-int) ADVERT_INT=$2; shift ;;
    --ipv6) FAMILY=6 VERSION=3 ;;
    *) echo "usage: bash bench/scale.sh [--quick] [-n N] [--runs R] [--window S] [--idle-window S] [--impls 'ka kd'] [--links L] [--version 2|3] [--advert-int S] [--ipv6]" >&2; exit 2 ;;
  esac
  shift
done
PER=$(( N / LINKS ))
[ "$PER" -ge 1 ] && [ "$PER" -le 254 ] && [ $(( PER * LINKS )) -eq "$N" ] \
  || { echo "N must be $LINKS x (1..254)" >&2; exit 2; }
CONVERGE_TIMEOUT=${CONVERGE_TIMEOUT:-180}
[ -x build/actors/keepalive ] || bash .ci/setup
source tests/lab/lib.sh
lab_init scale
HZ=$(getconf CLK_TCK)
LOAD_BEFORE=$(uptime)

# ---- topology and configs ---------------------------------------------------------------

pair() {  # TAG LINKS: namespaces TAG-a and TAG-b joined by eth0..eth(LINKS-1)
  local a b k; a=$(ns "$1a") b=$(ns "$1b")
  ip netns add "$a"; LAB_NS+=("$a")
  ip netns add "$b"; LAB_NS+=("$b")
  ip -n "$a" link set lo up; ip -n "$b" link set lo up
  for k in $(seq 0 $(( $2 - 1 ))); do
    ip -n "$a" link add "eth$k" type veth peer name "eth$k" netns "$b"
    ip -n "$a" addr add "192.0.2.$(( 4 * k + 1 ))/30" dev "eth$k"
    ip -n "$b" addr add "192.0.2.$(( 4 * k + 2 ))/30" dev "eth$k"
    ip -n "$a" link set "eth$k" up; ip -n "$b" link set "eth$k" up
  done
  [ "$FAMILY" = 6 ] || return 0
  wait_for 10 eval "! ip -n $a -6 addr | grep -q tentative && ! ip -n $b -6 addr | grep -q tentative" \
    || echo "link-local addresses of $1 still tentative"
}

conf() {  # ROUTER STATE PRIORITY LINKS PER_LINK > $LAB_DIR/ROUTER.conf
  local r=$1 state=$2 prio=$3 links=$4 per=$5 k v base
  local hook="$LAB_DIR/notify-$r.sh"
  printf '#!/bin/sh\necho "$2 $3" >> %s/states-%s\n' "$LAB_DIR" "$r" > "$hook"
  chmod +x "$hook"
  {
    printf 'global_defs {\n  router_id %s\n  script_user root\n}\n' "$r"
    for k in $(seq 0 $(( links - 1 ))); do
      base=198.51.100.; [ $(( k % 2 )) = 1 ] && base=203.0.113.
      [ "$FAMILY" = 6 ] && base="2001:db8:$k::"
      for v in $(seq 1 "$per"); do
        printf 'vrrp_instance VI_%d_%d {\n  state %s\n  interface eth%d\n  virtual_router_id %d\n  priority %d\n  advert_int %s\n  version %s\n  virtual_ipaddress {\n    %s%d/%d\n  }\n  notify %s\n}\n' \
          "$k" "$v" "$state" "$k" "$v" "$prio" "$ADVERT_INT" "$VERSION" "$base" "$v" \
          $(( FAMILY == 6 ? 128 : 32 )) "$hook"
      done
    done
  } > "$LAB_DIR/$r.conf"
}

start_impl() {  # ka|kd ROUTER NAMESPACE-TAG
  if [ "$1" = ka ]; then
    ip netns exec "$(ns "$3")" "$KEEPALIVE" -n -l -D -f "$LAB_DIR/$2.conf" -p "$LAB_DIR/$2.pid" \
      --admin-socket "$LAB_DIR/$2.sock" >> "$LAB_DIR/$2.log" 2>&1 &
  else
    rm -f "$LAB_DIR/$2.pid" "$LAB_DIR/$2-vrrp.pid" "$LAB_DIR/$2-chk.pid"
    ip netns exec "$(ns "$3")" keepalived -n -l -D -P -f "$LAB_DIR/$2.conf" -p "$LAB_DIR/$2.pid" \
      -r "$LAB_DIR/$2-vrrp.pid" -c "$LAB_DIR/$2-chk.pid" >> "$LAB_DIR/$2.log" 2>&1 &
  fi
  LAB_PIDS+=($!)
  disown $!  # killed on purpose at the end of each phase: no "Killed" job notices
}

# The daemon's processes in a namespace (keepalived: parent and VRRP child; not hooks).
procs() {  # NAMESPACE-TAG
  local p c
  for p in $(ip netns pids "$(ns "$1")"); do
    c=$(cat "/proc/$p/comm" 2>/dev/null)
    case $c in keepalive*) echo "$p" ;; esac
  done
}
ticks() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done; echo $t; }
rss_kb() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '/^VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0) )); done; echo $t; }

vip_count() { ip -n "$(ns "$1")" -o addr show | grep -c -E ' (198\.51\.100\.|203\.0\.113\.|2001:db8:)'; }

state_count() {  # IMPL ROUTER NAMESPACE-TAG STATE
  if [ "$1" = ka ]; then
    "$KEEPALIVECTL" -t 10 -s "$LAB_DIR/$2.sock" --json status 2>/dev/null \
      | jq --arg s "$4" '[.instances[] | select(.state == $s)] | length' 2>/dev/null || echo 0
  else
    # The last "Entering ... STATE" of each instance in its log: its hooks run side by
    # side, so the order in which they finish says nothing.
    grep -o '(VI_[0-9_]*) Entering [A-Z]* STATE' "$LAB_DIR/$2.log" 2>/dev/null \
      | awk -v s="$4" '{last[$1] = $3} END {n = 0; for (i in last) n += last[i] == s; print n}' 
  fi
}

converged() {  # IMPL TAG COUNT
  [ "$(vip_count "$2a")" = "$3" ] && [ "$(vip_count "$2b")" = 0 ] \
    && [ "$(state_count "$1" a "$2a" MASTER)" = "$3" ] \
    && [ "$(state_count "$1" b "$2b" BACKUP)" = "$3" ]
}

# CPU % of a core and RSS MB of both routers over WINDOW seconds: sets CPU_a CPU_b RSS_a RSS_b.
measure() {  # TAG WINDOW
  local pa pb ta tb
  pa=$(procs "$1a"); pb=$(procs "$1b")
  # shellcheck disable=SC2086
  ta=$(ticks $pa); tb=$(ticks $pb)
  sleep "$2"
  # shellcheck disable=SC2086
  CPU_a=$(awk -v d=$(( $(ticks $pa) - ta )) -v hz="$HZ" -v w="$2" 'BEGIN{printf "%.2f", d / hz / w * 100}')
  # shellcheck disable=SC2086
  CPU_b=$(awk -v d=$(( $(ticks $pb) - tb )) -v hz="$HZ" -v w="$2" 'BEGIN{printf "%.2f", d / hz / w * 100}')
  # shellcheck disable=SC2086
  RSS_a=$(awk -v k="$(rss_kb $pa)" 'BEGIN{printf "%.1f", k / 1024}')
  # shellcheck disable=SC2086
  RSS_b=$(awk -v k="$(rss_kb $pb)" 'BEGIN{printf "%.1f", k / 1024}')
}

stop_pair() {  # TAG
  local p
  for p in $(ip netns pids "$(ns "$1a")") $(ip netns pids "$(ns "$1b")"); do kill -9 "$p" 2>/dev/null; done
  sleep 0.2
  for p in a b; do ip netns del "$(ns "$1$p")" 2>/dev/null; done
}

declare -A R

# ---- N instances -----------------------------------------------------------------------

for run in $(seq 1 "$RUNS"); do
  for impl in $IMPLS; do
    tag=$impl$run
    pair "$tag" $LINKS
    rm -f "$LAB_DIR"/states-a "$LAB_DIR"/states-b "$LAB_DIR"/a.log "$LAB_DIR"/b.log
    conf a MASTER 200 $LINKS "$PER"
    conf b BACKUP 100 $LINKS "$PER"
    t0=$(date +%s%N)
    start_impl "$impl" a "${tag}a"
    start_impl "$impl" b "${tag}b"
    conv=NaN
    while [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt "$CONVERGE_TIMEOUT" ]; do
      if converged "$impl" "$tag" "$N"; then
        conv=$(awk -v d=$(( $(date +%s%N) - t0 )) 'BEGIN{printf "%.1f", d / 1e9}')
        break
      fi
      sleep 0.2
    done
    if [ "$conv" = NaN ]; then
      echo "$impl run $run: not converged after ${CONVERGE_TIMEOUT} s:" \
           "VIPs a=$(vip_count "${tag}a") b=$(vip_count "${tag}b")," \
           "MASTER on a=$(state_count "$impl" a "${tag}a" MASTER), BACKUP on b=$(state_count "$impl" b "${tag}b" BACKUP)"
      LAB_FAILS=$((LAB_FAILS + 1))
    fi
    sleep "$SETTLE"
    measure "$tag" "$WINDOW"
    flaps=$(grep -c "Entering MASTER STATE" "$LAB_DIR/b.log")
    hook_flaps=$(grep -c " MASTER$" "$LAB_DIR/states-b" 2>/dev/null); hook_flaps=${hook_flaps:-0}
    echo "$impl run $run: converged in $conv s; backup entered MASTER $flaps times (hooks: $hook_flaps);" \
         "CPU a/b $CPU_a/$CPU_b %; RSS a/b $RSS_a/$RSS_b MB"
    R[$impl-conv]+="$conv "; R[$impl-flaps]+="$flaps "
    R[$impl-cpua]+="$CPU_a "; R[$impl-cpub]+="$CPU_b "
    R[$impl-rssa]+="$RSS_a "; R[$impl-rssb]+="$RSS_b "
    for r in a b; do cp "$LAB_DIR/$r.log" "$LAB_DIR/$r-$impl-$run.log.keep"; done
    [ -n "${SCALE_KEEP:-}" ] && cp "$LAB_DIR"/*-"$impl-$run".log.keep "$SCALE_KEEP"/
    stop_pair "$tag"
  done
done

# ---- one instance, idle: both implementations side by side -------------------------------

for impl in $IMPLS; do
  tag=${impl}idle
  pair "$tag" 1
  conf "$impl-1a" MASTER 200 1 1
  conf "$impl-1b" BACKUP 100 1 1
  start_impl "$impl" "$impl-1a" "${tag}a"
  start_impl "$impl" "$impl-1b" "${tag}b"
done
for impl in $IMPLS; do
  wait_for 10 eval "[ \"\$(vip_count ${impl}idlea)\" = 1 ]" || echo "$impl: one-instance master did not come up"
done
sleep "$IDLE_SETTLE"
declare -A IDLE_P IDLE_T
for impl in $IMPLS; do
  for r in a b; do
    IDLE_P[$impl$r]=$(procs "${impl}idle$r" | tr '\n' ' ')
    # shellcheck disable=SC2086
    IDLE_T[$impl$r]=$(ticks ${IDLE_P[$impl$r]})
  done
done
sleep "$IDLE_WINDOW"
for impl in $IMPLS; do
  for r in a b; do
    # shellcheck disable=SC2086
    R[$impl-idle$r]=$(awk -v d=$(( $(ticks ${IDLE_P[$impl$r]}) - IDLE_T[$impl$r] )) -v hz="$HZ" \
                        -v w="$IDLE_WINDOW" 'BEGIN{printf "%.3f", d / hz / w * 100}')
  done
  stop_pair "${impl}idle"
done

# ---- report ---------------------------------------------------------------------------------

mean() { echo "$1" | tr ' ' '\n' | awk -v f="${2:-%.2f}" 'NF && $1 != "NaN" {n++; s += $1} END {if (n) printf f, s / n; else print "NaN"}'; }
mean3() { mean "$1" %.3f; }
maxof() { echo "$1" | tr ' ' '\n' | awk 'NF {if ($1 == "NaN") nan = 1; else if (!n++ || $1 > m) m = $1} END {if (nan) print "NaN"; else printf "%.1f", m}'; }
sum() { echo "$1" | tr ' ' '\n' | awk 'NF {s += $1} END {print s + 0}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{if (a == "NaN" || b == "NaN" || b + 0 == 0) print "-"; else printf "%.2f", a / b}'; }
row() {  # LABEL KA KD
  printf '%-44s %12s %12s %8s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"
}
val() { local f=$1 k=$2; [ -n "${R[ka-$k]+x}" ] || R[ka-$k]=NaN; [ -n "${R[kd-$k]+x}" ] || R[kd-$k]=NaN
        row "$3" "$($f "${R[ka-$k]}")" "$($f "${R[kd-$k]}")"; }

echo
echo "== Scale: $N IPv$FAMILY instances ($LINKS links x $PER VRIDs, VRRPv$VERSION, advert_int $ADVERT_INT), two routers started"
echo "   together; $RUNS run(s); CPU over ${WINDOW} s after convergence, idle over ${IDLE_WINDOW} s"
printf '%-44s %12s %12s %8s\n' "" "Keepalive" "keepalived" "ratio"
val mean conv "converge s, mean"
val maxof conv "converge s, max"
val sum flaps "spurious MASTER entries on the backup"
val mean cpua "master CPU % of a core"
val mean rssa "master RSS MB"
val mean cpub "backup CPU % of a core"
val mean rssb "backup RSS MB"
val mean3 idlea "1 instance idle CPU %, master"
val mean3 idleb "1 instance idle CPU %, backup"
echo "load before: $LOAD_BEFORE"
echo "load after:  $(uptime)"
lab_done
