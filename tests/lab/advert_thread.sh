#!/usr/bin/env bash
# The advert thread's scheduling as the kernel reports it (chrt, taskset, /proc) matches the
# config: defaults (SCHED_FIFO 10, every CPU the daemon may use (no pinning), RLIMIT_RTTIME 10000 us, stack locked) and
# global_defs vrrp_cpu_affinity 0, vrrp_rt_priority 20, vrrp_priority -5,
# vrrp_rlimit_rttime 20000; the status JSON and the status table say the same. Also prints
# the daemon's RSS with and without vrrp_no_swap (mlockall).
source "$(dirname "$0")/lib.sh"
lab_init athread
lab_host r1 11
# Unpinned, the thread keeps the affinity it inherits: the lab shell's, here as a comma
# list ("0,1"; taskset may print ranges, so both are compared in that form).
comma_list() { tr ',' '\n' | awk -F- '{ if (NF == 2) for (i = $1; i <= $2; ++i) print i; else print $1 }' | paste -sd, -; }
ALL_CPUS=$(taskset -cp $$ | sed 's/.*list: //' | comma_list)

advert_tid() {  # PID: the ka-advert thread's id
  local t
  for t in /proc/"$1"/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" = ka-advert ] && { basename "$t"; return 0; }
  done
  return 1
}
jsched() {  # FIELD of advert.scheduling in the JSON status
  ctl r1 status --json 2>/dev/null | jq -r "[.. | objects | .scheduling? // empty][0].$1"
}
rss_kb() { awk '/^VmRSS/ {print $2}' /proc/"$1"/status; }
lck_kb() { awk '/^VmLck/ {print $2}' /proc/"$1"/status; }

run_case() {  # TAG PRIO CPU_LIST NICE RTTIME [global_defs lines]
  local tag=$1 prio=$2 cpus=$3 nice=$4 rttime=$5; shift 5
  { printf 'global_defs {\n  router_id r1\n'; for l in "$@"; do printf '  %s\n' "$l"; done; printf '}\n'
    vrrp_conf r1 BACKUP 100 | sed '1,3d'; } | lab_conf r1
  start_keepalive r1
  local pid; pid=$(pid_of r1)
  wait_for 3 eval "ctl r1 status >/dev/null 2>&1"
  local tid; tid=$(advert_tid "$pid")
  check "$tag the advert thread exists (tid ${tid:-none})" test -n "$tid"
  check "$tag chrt: SCHED_FIFO priority $prio" \
    eval "chrt -p $tid | grep -q 'policy: SCHED_FIFO' && chrt -p $tid | grep -q 'priority: $prio\$'"
  check "$tag /proc stat: policy 1 (FIFO), rt_priority $prio" \
    eval "[ \"\$(awk '{print \$40, \$41}' /proc/$pid/task/$tid/stat)\" = '$prio 1' ]"
  check "$tag taskset: affinity list $cpus" \
    eval "[ \"\$(taskset -cp $tid | sed 's/.*list: //' | comma_list)\" = '$cpus' ]"
  check "$tag /proc stat: nice $nice" eval "[ \"\$(awk '{print \$19}' /proc/$pid/task/$tid/stat)\" = '$nice' ]"
  check "$tag /proc limits: realtime timeout $rttime us" \
    eval "grep 'Max realtime timeout' /proc/$pid/limits | awk '{print \$4}' | grep -qx $rttime"
  check "$tag status JSON agrees (policy, cpus, nice, rttime, tid)" \
    eval '[ "$(jsched policy) $(jsched rt_priority) $(jsched cpus) $(jsched nice) $(jsched rlimit_rttime_us) $(jsched tid)" = "SCHED_FIFO $prio $cpus $nice $rttime $tid" ]'
  check "$tag status JSON: some stack locked" eval '[ "$(jsched locked_bytes)" -gt 0 ]'
  check "$tag status table shows it on the advert-thread line" \
    eval "ctl r1 status | grep -q '^advert thread: SCHED_FIFO:$prio, cpus $cpus, nice $nice, [0-9]* bytes locked.*, rttime limit $rttime us'"
  [ "$tag" = "[noswap]" ] && check "$tag the status table says mlockall" \
    eval "ctl r1 status | grep -q '^advert thread: .*bytes locked (mlockall)'"
  sleep 1
  echo "# $tag RSS: $(rss_kb "$pid") kB, locked (VmLck): $(lck_kb "$pid") kB"
  eval "RSS_${tag//[^a-z]/}=$(rss_kb "$pid")"
  eval "LCK_${tag//[^a-z]/}=$(lck_kb "$pid")"
  stop_router r1 TERM
}

run_case "[defaults]" 10 "$ALL_CPUS" 0 10000
run_case "[configured]" 20 0 -5 20000 "vrrp_cpu_affinity 0" "vrrp_rt_priority 20" \
  "vrrp_priority -5" "vrrp_rlimit_rttime 20000"
run_case "[noswap]" 10 "$ALL_CPUS" 0 10000 "vrrp_no_swap"
echo "# RSS kB: default $RSS_defaults, configured $RSS_configured, vrrp_no_swap (mlockall) $RSS_noswap"
echo "# VmLck kB: default $LCK_defaults, configured $LCK_configured, vrrp_no_swap (mlockall) $LCK_noswap"
# The kernel's count of locked memory, not RSS: under ASan RSS is mostly shadow memory and
# says nothing about locking.
if lab_asan; then
  echo "skip - VmLck checks: ASan's runtime makes mlock and mlockall no-ops"
else
  check "the default locks the advert thread's stack only (VmLck $LCK_defaults kB, at most 1 MiB)" \
    eval '[ "$LCK_defaults" -gt 0 ] && [ "$LCK_defaults" -le 1024 ]'
  check "vrrp_no_swap locks the whole process (VmLck $LCK_noswap kB, above 4 MiB)" \
    test "$LCK_noswap" -gt 4096
fi
lab_done
