#!/usr/bin/env bash
# Reload benchmark: Keepalive against keepalived 2.2.7 in the same run (not in ctest).
#  - two routers (namespaces a and b) joined by 4 veth links, N VRRPv3 instances spread
#    over them (VRID 1..N/4 on each), advert_int 1 (or --advert-int), priority 200 on a
#    (the implementation measured) and 100 on b (the peer watching: Keepalive, in both
#    runs, so that the watcher is the same; started once a holds every address), one /32
#    VIP each;
#  - once converged, a's config is rewritten with one change (the first instance's
#    priority 200 -> 201) and a gets SIGHUP;
#  - reload time: from the SIGHUP to the log line that says the reload is over
#    (Keepalive "Reload done", keepalived's VRRP child "Reload complete"), the log polled
#    every 2 ms; Keepalive's own figure (ms in the line) beside it;
#  - transitions: "Entering ... STATE" lines of either router after the SIGHUP (b has the
#    lower priority everywhere, a is master everywhere: every one is a flap);
#  - max advert gap: a capture on link 0 (N/4 instances) from 3 s before the SIGHUP to
#    5 s after it; the largest gap between two adverts of one VRID from a.
#   bash bench/reload.sh [-n N] [--advert-int S] [--impls "ka kd"]   (root; default N=1000)
set -u
cd "$(dirname "$0")/.."
N=1000 ADVERT_INT=1 IMPLS="ka kd" LINKS=4
while [ $# -gt 0 ]; do
  case $1 in
    -n) N=$2; shift ;;
    --advert-int) ADVERT_INT=$2; shift ;;
    --impls) IMPLS=$2; shift ;;
    *) echo "usage: bash bench/reload.sh [-n N] [--advert-int S] [--impls 'ka kd']" >&2; exit 2 ;;
  esac
  shift
done
PER=$(( N / LINKS ))
[ "$PER" -ge 1 ] && [ "$PER" -le 254 ] && [ $(( PER * LINKS )) -eq "$N" ] || { echo "N must be 4 x (1..254)" >&2; exit 2; }
source tests/lab/lib.sh
lab_init reloadb
LOAD_BEFORE=$(uptime)

pair() {  # TAG: namespaces TAG-a and TAG-b joined by eth0..eth3
  local a b k; a=$(ns "$1a") b=$(ns "$1b")
  ip netns add "$a"; LAB_NS+=("$a")
  ip netns add "$b"; LAB_NS+=("$b")
  ip -n "$a" link set lo up; ip -n "$b" link set lo up
  for k in $(seq 0 $(( LINKS - 1 ))); do
    ip -n "$a" link add "eth$k" type veth peer name "eth$k" netns "$b"
    ip -n "$a" addr add "192.0.2.$(( 4 * k + 1 ))/30" dev "eth$k"
    ip -n "$b" addr add "192.0.2.$(( 4 * k + 2 ))/30" dev "eth$k"
    ip -n "$a" link set "eth$k" up; ip -n "$b" link set "eth$k" up
  done
}

conf() {  # ROUTER STATE PRIORITY FIRST_PRIORITY > $LAB_DIR/ROUTER.conf
  local r=$1 state=$2 prio=$3 first=$4 k v base p
  {
    printf 'global_defs {\n  router_id %s\n}\n' "$r"
    for k in $(seq 0 $(( LINKS - 1 ))); do
      base=198.51.100.; [ $(( k % 2 )) = 1 ] && base=203.0.113.
      for v in $(seq 1 "$PER"); do
        p=$prio; [ "$k$v" = 01 ] && p=$first
        printf 'vrrp_instance VI_%d_%d {\n  state %s\n  interface eth%d\n  virtual_router_id %d\n  priority %d\n  advert_int %s\n  version 3\n  virtual_ipaddress {\n    %s%d/32\n  }\n}\n' \
          "$k" "$v" "$state" "$k" "$v" "$p" "$ADVERT_INT" "$base" "$v"
      done
    done
  } > "$LAB_DIR/$r.conf"
}

start_impl() {  # ka|kd ROUTER NAMESPACE-TAG
  if [ "$1" = ka ]; then
    ip netns exec "$(ns "$3")" "$KEEPALIVE" -n -l -f "$LAB_DIR/$2.conf" -p "$LAB_DIR/$2.pid" \
      --admin-socket "$LAB_DIR/$2.sock" >> "$LAB_DIR/$2.log" 2>&1 &
  else
    rm -f "$LAB_DIR/$2.pid" "$LAB_DIR/$2-vrrp.pid" "$LAB_DIR/$2-chk.pid"
    ip netns exec "$(ns "$3")" keepalived -n -l -P -f "$LAB_DIR/$2.conf" -p "$LAB_DIR/$2.pid" \
      -r "$LAB_DIR/$2-vrrp.pid" -c "$LAB_DIR/$2-chk.pid" >> "$LAB_DIR/$2.log" 2>&1 &
  fi
  LAB_PIDS+=($!)
  disown $!
  eval "PIDOF_$2=$!"
}

vip_count() { ip -n "$(ns "$1")" -o addr show | grep -c -E ' (198\.51\.100\.|203\.0\.113\.)'; }
backups() {  # the peer's (Keepalive) instances in BACKUP
  "$KEEPALIVECTL" -t 10 -s "$LAB_DIR/b.sock" --json status 2>/dev/null \
    | jq '[.instances[] | select(.state == "BACKUP")] | length' 2>/dev/null || echo 0
}
converged() { [ "$(vip_count "$1a")" = "$N" ] && [ "$(vip_count "$1b")" = 0 ] && [ "$(backups)" = "$N" ]; }
entering() { grep -c 'Entering [A-Z]* STATE' "$LAB_DIR/$1.log" 2>/dev/null || echo 0; }

declare -A R
for impl in $IMPLS; do
  tag=$impl
  rm -f "$LAB_DIR"/a.log "$LAB_DIR"/b.log
  pair "$tag"
  conf a MASTER 200 200
  conf b BACKUP 100 100
  # The router measured first, alone, until it holds every address (keepalived with a
  # peer started beside it had not converged after 420 s on this loaded machine), then the
  # peer, which starts as BACKUP and hears a's adverts from its first second.
  start_impl "$impl" a "${tag}a"
  t0=$(date +%s)
  until [ "$(vip_count "${tag}a")" = "$N" ] || [ $(( $(date +%s) - t0 )) -gt 120 ]; do sleep 1; done
  start_impl ka b "${tag}b"
  until converged "$tag"; do
    sleep 1
    [ $(( $(date +%s) - t0 )) -gt "${CONVERGE_TIMEOUT:-420}" ] && { echo "$impl: not converged in ${CONVERGE_TIMEOUT:-420} s"; R[$impl-conv]=no; break; }
  done
  R[$impl-conv]=${R[$impl-conv]:-$(( $(date +%s) - t0 ))}
  echo "$impl: converged (or gave up) after $(( $(date +%s) - t0 )) s"
  sleep 6  # keepalived's second GARP burst is 5 s after becoming master
  ip netns exec "$(ns "${tag}b")" tcpdump -i eth0 -nn -l -tt 'ip proto 112' > "$LAB_DIR/wire-$impl.txt" 2>/dev/null &
  cap=$!; LAB_PIDS+=($cap); disown $cap
  sleep 3
  conf a MASTER 200 201
  ea=$(entering a) eb=$(entering b)
  done_re='Reload done'; [ "$impl" = kd ] && done_re='Reload complete'
  pid=$(cat "$LAB_DIR/a.pid" 2>/dev/null || eval "echo \$PIDOF_a")
  # The signal sent and the log read by one process, the log's new bytes polled every
  # millisecond: no fork per poll in the measurement.
  read -r ts took < <(python3 - "$pid" "$LAB_DIR/a.log" "$done_re" <<'PY'
import os, signal, sys, time
pid, path, pat = int(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
f = open(path, 'rb'); f.seek(0, 2)
t0 = time.time(); os.kill(pid, signal.SIGHUP); buf = b''
while time.time() - t0 < 60:
    chunk = f.read()
    if chunk:
        buf += chunk
        if pat in buf:
            break
    else:
        time.sleep(0.001)
print("%.6f %.1f" % (t0, (time.time() - t0) * 1000))
PY
)
  R[$impl-ms]=$took
  R[$impl-phases]=$( [ "$impl" = ka ] && grep 'Reload done in' "$LAB_DIR/a.log" | tail -1 | sed -n 's/.*(load \([0-9.]*\) ms, plan \([0-9.]*\) ms, apply \([0-9.]*\) ms).*/\1 \/ \2 \/ \3/p' || echo -)
  R[$impl-own]=$( [ "$impl" = ka ] && grep 'Reload done in' "$LAB_DIR/a.log" | tail -1 | sed 's/.*Reload done in \([0-9.]*\) ms.*/\1/' || echo -)
  sleep 5
  kill "$cap" 2>/dev/null
  R[$impl-trans]=$(( $(entering a) - ea + $(entering b) - eb ))
  R[$impl-gap]=$(awk -v t0="$ts" '
    $1 >= t0 - 3 && $1 <= t0 + 5 && / 192\.0\.2\.1 > 224\.0\.0\.18: VRRPv3/ {
      v = $0; sub(/.*vrid /, "", v); sub(/,.*/, "", v)
      if (v in last) { g = ($1 - last[v]) * 1000; if (g > max) max = g }
      last[v] = $1 }
    END { printf "%.0f", max }' "$LAB_DIR/wire-$impl.txt")
  R[$impl-prio]=$(awk -v t0="$ts" '$1 >= t0 && /vrid 1, prio 201/ {print "yes"; exit}' "$LAB_DIR/wire-$impl.txt")
  cp "$LAB_DIR/a.log" "$LAB_DIR/a-$impl.log"; cp "$LAB_DIR/b.log" "$LAB_DIR/b-$impl.log"
  for p in $(ip netns pids "$(ns "${tag}a")") $(ip netns pids "$(ns "${tag}b")"); do kill -9 "$p" 2>/dev/null; done
  sleep 0.3
  for p in a b; do ip netns del "$(ns "$tag$p")" 2>/dev/null; done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{if (a == "" || b == "" || a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b}'; }
row() { printf '%-52s %12s %12s %8s\n' "$@"; }
echo
echo "== Reload of $N VRRPv3 instances at advert_int $ADVERT_INT s (one priority changed), peer watching"
row "" Keepalive keepalived ratio
row "converged before the reload, s after start" "${R[ka-conv]:--}" "${R[kd-conv]:--}" ""
row "SIGHUP -> reload over (log), ms" "${R[ka-ms]:--}" "${R[kd-ms]:--}" "$(ratio "${R[ka-ms]:-}" "${R[kd-ms]:-}")"
row "  Keepalive's own figure (Reload done in), ms" "${R[ka-own]:--}" "-" ""
row "  of which load / plan / apply, ms" "${R[ka-phases]:--}" "-" ""
row "transitions on either router" "${R[ka-trans]:--}" "${R[kd-trans]:--}" ""
row "max advert gap of one VRID (link 0), ms" "${R[ka-gap]:--}" "${R[kd-gap]:--}" "$(ratio "${R[ka-gap]:-}" "${R[kd-gap]:-}")"
row "changed priority (201) seen on the wire" "${R[ka-prio]:-no}" "${R[kd-prio]:-no}" ""
echo "load before: $LOAD_BEFORE"
echo "load after:  $(uptime)"
