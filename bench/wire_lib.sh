# Helpers of the on-wire benchmarks (jitter.sh, failover.sh --wire, stability.sh), sourced
# after tests/lab/lib.sh and lab_init: a kernel-time-stamped capture on the lab's bridge,
# CPU load, and percentiles.
WIRECAP=$LAB_ROOT/bench/wirecap.py
PY3=/usr/bin/python3
BENCH_CORES=$(nproc)

# One capture on the bridge for the whole run: $LAB_DIR/wire.txt, "TIME SRC VRID PRIO".
wire_start() {
  ip netns exec "$(ns sw)" "$PY3" "$WIRECAP" br0 > "$LAB_DIR/wire.txt" 2> "$LAB_DIR/wirecap.log" &
  LAB_PIDS+=($!)
  sleep 0.5
}
wire_now() { date +%s.%N; }  # the capture's time stamps are CLOCK_REALTIME too

# Saturate every core with a busy loop pinned to it (the benchmark's daemons compete with
# them and with whatever else the machine runs).
LOAD_PIDS=()
load_on() {
  local c
  for c in $(seq 0 $((BENCH_CORES - 1))); do
    taskset -c "$c" sh -c 'exec yes > /dev/null' &
    LOAD_PIDS+=($!)
    LAB_PIDS+=($!)
  done
}
load_off() {
  local p
  for p in "${LOAD_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  LOAD_PIDS=()
}

# Values on stdin (one a line) -> "p50 p99 max n" of their absolute values.
pstats() {
  "$PY3" -c '
import sys
v = sorted(abs(float(x)) for x in sys.stdin.read().split())
if not v:
    print("NaN NaN NaN 0"); sys.exit()
r = lambda p: v[min(len(v) - 1, int(p * len(v)))]
print("%.0f %.0f %.0f %d" % (r(0.50), r(0.99), v[-1], len(v)))'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
row() { printf '%-44s %12s %12s %8s\n' "$@"; }
