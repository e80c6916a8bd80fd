# Lab helpers: routers in network namespaces on a bridge, Keepalive and keepalived on them.
# Sourced by every lab test. Documentation addresses only (192.0.2.0/24). Every namespace
# name carries this run's prefix, and the EXIT trap deletes them whatever happens.
set -u

LAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${KA_BUILD:=$LAB_ROOT/build}"
KEEPALIVE=${KEEPALIVE:-$KA_BUILD/actors/keepalive}
KEEPALIVECTL=${KEEPALIVECTL:-$KA_BUILD/actors/keepalivectl}
LAB_PIDS=()
LAB_NS=()
LAB_FAILS=0
LAB_PASSES=0

lab_init() {  # NAME
  LAB_NAME=$1
  LAB_P="ka$$${1:0:6}"                     # unique per run and test
  LAB_DIR=$(mktemp -d "/tmp/ka-lab-$1.XXXXXX")
  trap lab_cleanup EXIT
  trap 'exit 130' INT TERM
  ip netns add "$LAB_P-sw"
  LAB_NS+=("$LAB_P-sw")
  ip -n "$LAB_P-sw" link add br0 type bridge
  ip -n "$LAB_P-sw" link set br0 up
  echo "lab $LAB_NAME: namespaces $LAB_P-*, files in $LAB_DIR"
}

# True when PID is still a child of this shell (running, or exited and not yet reaped).
# A pid saved earlier may by now belong to another lab's daemon: pid_max is 32768 on a
# 2-core machine, labs run side by side and spawn thousands of processes, so pids wrap
# within a run. CI once saw lab_vmac_addr's daemon SIGKILLed a second after its start by
# another lab's clean-up killing its own long-dead pids.
our_child() {  # PID
  local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }  # past "pid (comm) ": comm may hold spaces and parentheses
  set -- $s    # state ppid ...
  [ "$2" = "$$" ]
}

lab_cleanup() {
  local rc=$?
  for pid in "${LAB_PIDS[@]}"; do our_child "$pid" && kill -9 "$pid" 2>/dev/null; done
  # keepalived forks a VRRP child that lives in the namespace too.
  for ns in "${LAB_NS[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
  done
  sleep 0.1
  for ns in "${LAB_NS[@]}"; do ip netns del "$ns" 2>/dev/null; done
  if [ "$rc" -ne 0 ] || [ "$LAB_FAILS" -ne 0 ]; then
    echo "--- logs kept in $LAB_DIR"
    for f in "$LAB_DIR"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 40 "$f"; }; done
  else
    rm -rf "$LAB_DIR"
  fi
  exit "$rc"
}

ns() { echo "$LAB_P-$1"; }

lab_host() {  # NAME LAST_OCTET: a router with eth0 = 192.0.2.OCTET/24 on the bridge
  local n; n=$(ns "$1")
  ip netns add "$n"
  LAB_NS+=("$n")
  ip link add eth0 netns "$n" type veth peer name "p$2" netns "$LAB_P-sw"
  ip -n "$LAB_P-sw" link set "p$2" master br0 up
  ip -n "$n" link set lo up
  ip -n "$n" link set eth0 up
  ip -n "$n" addr add "192.0.2.$2/24" dev eth0
  ip netns exec "$n" hostname 2>/dev/null >/dev/null || true
}

# A second segment: bridge br1 in the switch, and eth1 = 198.51.100.OCTET/24 on each router.
lab_segment2() {  # HOST:OCTET...
  local hv h o
  ip -n "$LAB_P-sw" link add br1 type bridge
  ip -n "$LAB_P-sw" link set br1 up
  for hv in "$@"; do
    h=${hv%:*} o=${hv#*:}
    ip link add eth1 netns "$(ns "$h")" type veth peer name "q$o" netns "$LAB_P-sw"
    ip -n "$LAB_P-sw" link set "q$o" master br1 up
    ip -n "$(ns "$h")" link set eth1 up
    ip -n "$(ns "$h")" addr add "198.51.100.$o/24" dev eth1
  done
}

# Cut or restore a router's wire (the bridge port), so its eth0 loses carrier.
lab_unplug() { ip -n "$LAB_P-sw" link set "p$1" down; }
lab_plug() { ip -n "$LAB_P-sw" link set "p$1" up; }

# A config from a template on stdin: @NOTIFY@ and @DIR@ are replaced.
lab_conf() {  # HOST > file
  sed -e "s#@NOTIFY@#$LAB_DIR/notify-$1.sh#g" -e "s#@DIR@#$LAB_DIR#g" > "$LAB_DIR/$1.conf"
  # A per-router copy of the hook that tags lines with the router's name.
  printf '#!/bin/sh\necho "%s $*" >> %s/notify.log\n' "$1" "$LAB_DIR" > "$LAB_DIR/notify-$1.sh"
  chmod +x "$LAB_DIR/notify-$1.sh"
}

# A one-instance keepalived.conf on stdout, for lab_conf. Options as KEY=VALUE:
#   name (VI_1), iface (eth0), vrid (51), vip (192.0.2.100, /24 added), pass (PASS
#   authentication with it; empty: none), notify (@NOTIFY@; empty: no hook), extra (lines).
# The authentication block spans lines: keepalived ignores one written on a single line.
vrrp_conf() {  # ROUTER STATE PRIORITY [KEY=VALUE...]
  local router=$1 state=$2 prio=$3; shift 3
  local name=VI_1 iface=eth0 vrid=51 vip=192.0.2.100 pass="" notify=@NOTIFY@ extra=""
  local kv
  for kv in "$@"; do
    case ${kv%%=*} in
      name|iface|vrid|vip|pass|notify|extra) printf -v "${kv%%=*}" '%s' "${kv#*=}" ;;
      *) echo "vrrp_conf: unknown option $kv" >&2; return 1 ;;
    esac
  done
  printf 'global_defs {\n  router_id %s\n}\n' "$router"
  printf 'vrrp_instance %s {\n  state %s\n  interface %s\n  virtual_router_id %s\n' \
    "$name" "$state" "$iface" "$vrid"
  printf '  priority %s\n  advert_int 1\n' "$prio"
  [ -n "$pass" ] && printf '  authentication {\n    auth_type PASS\n    auth_pass %s\n  }\n' "$pass"
  printf '  virtual_ipaddress {\n    %s/24\n  }\n' "$vip"
  [ -n "$notify" ] && printf '  notify %s\n' "$notify"
  [ -n "$extra" ] && printf '  %s\n' "$extra"
  printf '}\n'
}

start_keepalive() {  # HOST [extra args]: conf is $LAB_DIR/HOST.conf
  local h=$1; shift
  ip netns exec "$(ns "$h")" "$KEEPALIVE" -n -l -D -f "$LAB_DIR/$h.conf" -p "$LAB_DIR/$h.pid" \
    --admin-socket "$LAB_DIR/$h.sock" "$@" >> "$LAB_DIR/$h.log" 2>&1 &
  LAB_PIDS+=($!)
  eval "PID_$h=$! KIND_$h=ka"
}

start_keepalived() {  # HOST
  local h=$1
  # After a crash its pid files stay behind and keepalived would refuse to start.
  rm -f "$LAB_DIR/$h.pid" "$LAB_DIR/$h-vrrp.pid" "$LAB_DIR/$h-chk.pid"
  eval "LOG0_$h=$(cat "$LAB_DIR/$h.log" 2>/dev/null | wc -l)"  # this run's lines follow
  ip netns exec "$(ns "$h")" keepalived -n -l -D -P -f "$LAB_DIR/$h.conf" -p "$LAB_DIR/$h.pid" \
    -r "$LAB_DIR/$h-vrrp.pid" -c "$LAB_DIR/$h-chk.pid" >> "$LAB_DIR/$h.log" 2>&1 &
  LAB_PIDS+=($!)
  eval "PID_$h=$! KIND_$h=kd"
}

# The router's daemon says it is MASTER now: Keepalive's status, or keepalived's last
# "Entering ... STATE" line in its log (a VIP left over from a crash proves nothing).
is_master() {  # HOST
  if [ "$(eval "echo \${KIND_$1}")" = ka ]; then
    ctl "$1" status --json 2>/dev/null | grep -q '"state":"MASTER"'
  else
    tail -n +"$(( $(eval "echo \${LOG0_$1}") + 1 ))" "$LAB_DIR/$1.log" |
      grep -o 'Entering [A-Z]* STATE' | tail -n 1 | grep -q MASTER
  fi
}

pid_of() { eval "echo \${PID_$1}"; }

stop_router() {  # HOST [SIGNAL]: returns the exit status (1 if still alive after 5 s)
  local pid; pid=$(pid_of "$1")
  # Only our own child: once it is gone, its pid may be another lab's process (our_child).
  our_child "$pid" && kill "-${2:-TERM}" "$pid" 2>/dev/null
  for _ in $(seq 1 50); do
    our_child "$pid" || { wait "$pid" 2>/dev/null; return $?; }
    sleep 0.1
  done
  return 1
}

# A crash: SIGKILL every process of the router (keepalived has a VRRP child besides the
# parent). A crashed master leaves its VIP on the interface, as a real crash does: the
# daemon, restarted as BACKUP, must remove it itself.
crash_router() {  # HOST
  local n; n=$(ns "$1")
  # Freeze first: killed one by one, keepalived's VRRP child would see its parent die
  # (PR_SET_PDEATHSIG) and leave politely with a priority-0 advert, which is no crash.
  # The lab's own observers in the namespace (an `ip monitor`) are not part of the router.
  local pids; pids=$(for p in $(ip netns pids "$n"); do
    [ "$(cat /proc/"$p"/comm 2>/dev/null)" = ip ] || echo "$p"; done)
  for pid in $pids; do kill -STOP "$pid" 2>/dev/null; done
  for pid in $pids; do kill -9 "$pid" 2>/dev/null; done
  for _ in $(seq 1 50); do
    local alive=0
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.05
  done
  return 0
}

# An ASan build: its RSS is mostly shadow memory and quarantine, and its runtime turns
# mlock/mlockall into no-ops, so labs skip (and say so) what those would falsify.
lab_asan() { ldd "$KEEPALIVE" | grep -q libasan; }

has_vip() { ip -n "$(ns "$1")" -4 -o addr show dev eth0 | grep -q " $2/"; }

ctl() { local h=$1; shift; "$KEEPALIVECTL" -s "$LAB_DIR/$h.sock" "$@"; }

wait_for() {  # SECONDS COMMAND...: true as soon as COMMAND succeeds
  local deadline=$(( $(date +%s%N) + ${1%.*} * 1000000000 )); shift
  while [ "$(date +%s%N)" -lt "$deadline" ]; do "$@" && return 0; sleep 0.05; done
  "$@"
}

check() {  # DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then
    echo "ok   - $what"; LAB_PASSES=$((LAB_PASSES + 1))
  else
    echo "FAIL - $what"; LAB_FAILS=$((LAB_FAILS + 1))
  fi
}

lab_done() {
  # In a sanitizer build a report in any daemon's log fails the test, even if the daemon
  # went on behaving.
  if grep -l -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$LAB_DIR"/*.log 2>/dev/null; then
    echo "FAIL - sanitizer report in the logs above"; LAB_FAILS=$((LAB_FAILS + 1))
  fi
  echo "$LAB_PASSES passed, $LAB_FAILS failed"
  [ "$LAB_FAILS" -eq 0 ]
}

# Who holds IPv4 ADDR (or each of ADDR,ADDR2...), sampled every 50 ms in the background,
# one line per sample into FILE: seconds since the epoch, then 0 or 1 for each HOST in
# order (for each HOST, one column per address). One python process
# enters each router's namespace in turn (setns) and reads its local routes
# (/proc/thread-self/net/fib_trie: an address on an interface that is up is a "/32 host
# LOCAL" entry), so a sample costs well under a millisecond instead of an `ip` per router.
# A lab marks its steps with lab_mark (same clock) and judges the samples afterwards. The
# sampler's pid is in LAB_SAMPLER (killed by the EXIT trap like every lab process).
sample_holders() {  # FILE ADDR HOST...
  local file=$1 addr=$2; shift 2
  local h paths=()
  for h in "$@"; do paths+=("/run/netns/$(ns "$h")"); done
  python3 - "$file" "$addr" "${paths[@]}" <<'P' &
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNET = 0x40000000
out, addrs, paths = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
fds = [os.open(p, os.O_RDONLY) for p in paths]
def held():
    with open("/proc/thread-self/net/fib_trie") as f:
        lines = f.read().split("\n")
    local = set(line.strip()[4:] for i, line in enumerate(lines[:-1])
                if line.strip().startswith("|-- ") and "host LOCAL" in lines[i + 1])
    return [1 if a in local else 0 for a in addrs]
with open(out, "a", buffering=1) as o:
    while True:
        t = time.time()
        cols = []
        for fd in fds:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns")
            cols += held()
        o.write("%.6f %s\n" % (t, " ".join(map(str, cols))))
        time.sleep(max(0.0, 0.05 - (time.time() - t)))
P
  LAB_SAMPLER=$!
  LAB_PIDS+=($!)
}
lab_mark() { echo "$(date +%s.%N) $*" >> "$LAB_DIR/marks.txt"; }  # EVENT [HOST]
