#!/usr/bin/env bash
# Three routers of mixed implementations on one bridge: IMPL1 IMPL2 IMPL3 (ka = Keepalive,
# kd = keepalived 2.2.7) with priorities 150, 100 and 50, one VRRP instance, VERSION 2
# (PASS authentication) or 3. The sequence:
#   1. election: the highest (r1) wins;
#   2. kill -9 of r1: r2 (the next highest) takes over within its master-down interval;
#   3. r1 restarted: it preempts back;
#   4. all restarted with nopreempt: r1 wins the election again; kill -9 of r1: r2 takes
#      over; r1 restarted does not preempt (r2 stays master for longer than a master-down);
#   5. SIGTERM of the master r2 (a priority-0 advert): r1 takes over within its skew time
#      (0.41 s at priority 150), well under its master-down interval (3.41 s).
# At every step, from samples taken every 50 ms, exactly one router holds the VIP:
# never two (a single sample with two is counted and allowed: a handover's add and delete
# are two routers' netlink calls, a few ms apart), and none only within the step's window
# (the master-down interval after a crash, the skew time after a SIGTERM, 0.5 s for a
# preemption). A crashed router's VIP stays on its interface, as after a real crash; it is
# not counted from the crash until 1 s after its restart, by which time the restarted
# daemon must have removed it (tests/lab/leftover.sh measures that).
source "$(dirname "$0")/lib.sh"
IMPLS=("${1:-ka}" "${2:-kd}" "${3:-ka}")
VERSION=${4:-2}
lab_init "mix${IMPLS[0]:1:1}${IMPLS[1]:1:1}${IMPLS[2]:1:1}$VERSION"
R=(r1 r2 r3)
PRIO=(150 100 50)
VIP=192.0.2.100
for i in 0 1 2; do lab_host "${R[$i]}" $((11 + i)); done
echo "routers: r1=${IMPLS[0]} (150), r2=${IMPLS[1]} (100), r3=${IMPLS[2]} (50), VRRPv$VERSION"

# VRRP on the wire, to show what each router sent.
ip netns exec "$(ns sw)" tcpdump -i br0 -nn -l -v 'ip proto 112' \
  > "$LAB_DIR/wire.txt" 2> "$LAB_DIR/tcpdump.log" &
LAB_PIDS+=($!)

configure() {  # PREEMPT(yes|no)
  local i extra
  for i in 0 1 2; do
    if [ "$VERSION" = 3 ]; then extra="version 3"; pass=""; else extra="version 2"; pass=s3cr3t; fi
    [ "$1" = no ] && extra+=$'\n  nopreempt'
    vrrp_conf "${R[$i]}" BACKUP "${PRIO[$i]}" vrid=61 "pass=$pass" "extra=$extra" | lab_conf "${R[$i]}"
  done
}
start() {  # INDEX
  if [ "${IMPLS[$1]}" = ka ]; then start_keepalive "${R[$1]}"; else start_keepalived "${R[$1]}"; fi
  lab_mark up "${R[$1]}"
}
crash() { lab_mark down "$1"; crash_router "$1"; }
term() { lab_mark down "$1"; stop_router "$1" TERM; }

# The routers whose daemon says MASTER, joined by '+' ('-' for none).
masters() {
  local out="" r
  for r in "${R[@]}"; do
    our_child "$(pid_of "$r")" && is_master "$r" && out="${out:+$out+}$r"
  done
  echo "${out:--}"
}
only_master() { [ "$(masters)" = "$1" ] && has_vip "$1" $VIP; }
# MASTER for the whole of SECONDS (the others never MASTER meanwhile).
stays_master() {  # HOST SECONDS
  local end=$(( $(date +%s) + $2 ))
  while [ "$(date +%s)" -lt "$end" ]; do only_master "$1" || return 1; sleep 0.2; done
}

sample_holders "$LAB_DIR/samples.txt" $VIP r1 r2 r3
: > "$LAB_DIR/marks.txt"

# ---- with preemption ----
configure yes
for i in 0 1 2; do start $i; done
check "election: r1 (150, ${IMPLS[0]}) is the only master" wait_for 10 only_master r1
lab_mark watch - 0 election
sleep 2
check "election: still r1 alone after 2 s ($(masters))" only_master r1

lab_mark step - 4500 "kill -9 of r1 (master-down of r2: 3.61 s)"
crash r1
check "kill -9 of r1: r2 (100, ${IMPLS[1]}) takes over" wait_for 8 only_master r2
sleep 1
lab_mark step - 500 "r1 restarted, preempts"
start 0
check "r1 restarted: it preempts back" wait_for 10 only_master r1
sleep 2
check "r1 still the only master 2 s later ($(masters))" only_master r1

# ---- without preemption ----
lab_mark unwatch
for r in r1 r2 r3; do term "$r"; done
configure no
for i in 0 1 2; do start $i; done
check "nopreempt: r1 (150) wins the election" wait_for 10 only_master r1
lab_mark watch - 0 "nopreempt election"
sleep 1
lab_mark step - 4500 "nopreempt: kill -9 of r1"
crash r1
check "nopreempt: kill -9 of r1: r2 takes over" wait_for 8 only_master r2
sleep 1
lab_mark step - 500 "nopreempt: r1 restarted"
start 0
check "nopreempt: r1 restarted does not preempt (r2 master for 6 s)" stays_master r2 6
check "nopreempt: r1 is backup" eval "! is_master r1 && ! has_vip r1 $VIP"
lab_mark step - 1500 "SIGTERM of r2 (skew of r1: 0.41 s)"
term r2
check "SIGTERM of r2: r1 takes over" wait_for 5 only_master r1
check "r2 sent a priority-0 advert" grep -q "192.0.2.12 > 224.0.0.18: VRRPv$VERSION, Advertisement, vrid 61, prio 0," "$LAB_DIR/wire.txt"
sleep 2
check "r1 the only master 2 s later ($(masters))" only_master r1
lab_mark unwatch
kill "$LAB_SAMPLER" 2>/dev/null; wait "$LAB_SAMPLER" 2>/dev/null

# ---- the samples, step by step ----
python3 - "$LAB_DIR/samples.txt" "$LAB_DIR/marks.txt" > "$LAB_DIR/verdicts.txt" <<'P'
import sys
hosts = ["r1", "r2", "r3"]
samples = []
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 4:
        samples.append((float(f[0]), [int(x) for x in f[1:]]))
marks = []
for line in open(sys.argv[2]):
    f = line.split(maxsplit=4)
    marks.append((float(f[0]), f[1], f[2] if len(f) > 2 else "", f[3] if len(f) > 3 else "0",
                  f[4].strip() if len(f) > 4 else ""))
marks.sort()
steps = []            # [name, allowed_ms, longest_gap_ms, doubles, longest_double_run, samples]
ignored = {}          # host -> ignored until this time (inf while down)
watching = False
mi = 0
gap_start = None
double_run = 0
last_t = None
for t, cols in samples:
    while mi < len(marks) and marks[mi][0] <= t:
        mt, ev, host, allowed, name = marks[mi]
        if ev == "down":
            ignored[host] = float("inf")
        elif ev == "up":
            ignored[host] = mt + 1.0
        elif ev in ("watch", "step"):
            watching = True
            steps.append([name, int(allowed), 0.0, 0, 0, 0])
            gap_start = None
            double_run = 0
        elif ev == "unwatch":
            watching = False
        mi += 1
    if not watching or not steps:
        continue
    n = sum(c for h, c in zip(hosts, cols) if ignored.get(h, 0) <= t)
    st = steps[-1]
    st[5] += 1
    if n == 0:
        if gap_start is None:
            gap_start = last_t if last_t is not None else t
        st[2] = max(st[2], (t - gap_start) * 1000)
    else:
        gap_start = None
    if n >= 2:
        double_run += 1
        st[3] += 1
        st[4] = max(st[4], double_run)
    else:
        double_run = 0
    last_t = t
for name, allowed, gap, doubles, run, count in steps:
    ok = gap <= allowed + 1e-9 if allowed > 0 else gap == 0
    ok = ok and run <= 1 and count > 0
    print("%s|%d|%d|%d|%d|%d|%s" % ("ok" if ok else "FAIL", count, gap, allowed, doubles, run, name))
P
while IFS='|' read -r verdict count gap allowed doubles run name; do
  check "[$name] one holder at every sample ($count samples; longest time with none: $gap ms, allowed $allowed; samples with two: $doubles, longest run $run)" \
    test "$verdict" = ok
done < "$LAB_DIR/verdicts.txt"
check "every step was judged" test "$(wc -l < "$LAB_DIR/verdicts.txt")" = 7
period=$(awk 'NR > 1 { d = $1 - p; s += d; n++ } { p = $1 } END { printf "%d", s / n * 1000 }' "$LAB_DIR/samples.txt")
check "samples every 100 ms or faster (mean $period ms)" test "$period" -le 100

for r in r1 r3; do stop_router "$r" TERM; done
lab_done
