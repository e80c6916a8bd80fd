#!/usr/bin/env bash
# Notify hooks: arguments and order. One router, three instances on eth0:
#   VI_1: the generic `notify` (INSTANCE name state priority) plus notify_master/backup/
#         fault/stop; the specific hooks are slow (0.3 s), so running them side by side or
#         out of order would show in the log;
#   VI_2: a quoted generic command with arguments, and specific hooks that cannot run
#         (missing file, file without the exec bit);
#   VI_3: a notify_backup hook that hangs, killed after --notify-timeout 1.
source "$(dirname "$0")/lib.sh"
lab_init notify
lab_host r1 11

cat <<EOF | lab_conf r1
global_defs {
  router_id r1
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 120
  advert_int 1
  virtual_ipaddress {
    192.0.2.101/24
  }
  notify @NOTIFY@
  notify_master "@DIR@/spec.sh VI_1 master"
  notify_backup "@DIR@/spec.sh VI_1 backup"
  notify_fault "@DIR@/spec.sh VI_1 fault"
  notify_stop "@DIR@/spec.sh VI_1 stop"
}
vrrp_instance VI_2 {
  state BACKUP
  interface eth0
  virtual_router_id 52
  priority 110
  advert_int 1
  virtual_ipaddress {
    192.0.2.102/24
  }
  notify "@DIR@/args.sh arg1 'two words'"
  notify_master @DIR@/does-not-exist.sh
  notify_backup @DIR@/not-executable.sh
}
vrrp_instance VI_3 {
  state BACKUP
  interface eth0
  virtual_router_id 53
  priority 100
  advert_int 1
  virtual_ipaddress {
    192.0.2.103/24
  }
  notify @NOTIFY@
  notify_backup @DIR@/hang.sh
}
EOF
D=$LAB_DIR
printf '#!/bin/sh\nsleep 0.3\necho "spec $*" >> %s/notify.log\n' "$D" > "$D/spec.sh"
# One line per run: the argument count, then each argument between bars.
printf '#!/bin/sh\n{ printf "%%s|" "$#" "$@"; echo; } >> %s/args.log\n' "$D" > "$D/args.sh"
printf '#!/bin/sh\necho started >> %s/hang.log\nsleep 1000\necho finished >> %s/hang.log\n' "$D" "$D" > "$D/hang.sh"
printf '#!/bin/sh\necho ran >> %s/noexec.log\n' "$D" > "$D/not-executable.sh"
chmod +x "$D/spec.sh" "$D/args.sh" "$D/hang.sh"
chmod -x "$D/not-executable.sh"

# VI_1's hook runs in order: generic ones as the state, specific ones as spec-KIND.
vi1_seq() {
  awk '$1 == "r1" && $3 == "VI_1" { printf "%s ", $4 } $1 == "spec" && $2 == "VI_1" { printf "spec-%s ", $3 }' \
    "$D/notify.log" 2>/dev/null
}
vi3_seq() { awk '$1 == "r1" && $3 == "VI_3" { printf "%s ", $4 }' "$D/notify.log" 2>/dev/null; }
jget() { ctl r1 status --json | grep -o "\"$1\":[0-9]*" | head -n 1 | cut -d: -f2; }
hang_running() { ps -o args= -p "$(ip netns pids "$(ns r1)" | paste -sd, -)" 2>/dev/null | grep -q '^sleep 1000'; }
instance_state() {  # NAME: state of that instance, from the status JSON
  ctl r1 status --json | grep -o "\"name\":\"$1\",\"state\":\"[A-Z]*\"" | sed 's/.*"state":"//; s/"//'
}

t0=$(date +%s%N)
start_keepalive r1 --notify-timeout 1

# ---- the hanging hook -------------------------------------------------------------------
check "hanging hook started" wait_for 1 grep -qs started "$D/hang.log"
check "admin socket answers while a hook hangs" eval "ctl r1 ping | grep -qx pong"
check "hanging hook is killed after the 1 s timeout (sleep child too)" wait_for 2 eval "! hang_running"
killed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "... and not before it (${killed_ms} ms after start)" test "$killed_ms" -ge 900
check "the timeout is logged" grep -q "notify: VI_3: '$D/hang.sh' still running after 1000 ms: killed" "$D/r1.log"
check "VI_3's generic BACKUP hook still ran after the killed one" \
  wait_for 1 eval '[ "$(vi3_seq)" = "BACKUP " ]'
check "status scripts.timeouts counts it" test "$(jget timeouts)" = 1

# ---- start-up: BACKUP then MASTER, specific before generic --------------------------------
check "VI_1, VI_2 and VI_3 become MASTER in time" \
  wait_for 6 eval 'has_vip r1 192.0.2.101 && has_vip r1 192.0.2.102 && has_vip r1 192.0.2.103'
check "hang.sh never finished" eval "! grep -q finished $D/hang.log"
check "VI_3's MASTER hook ran after the killed hook" wait_for 2 eval '[ "$(vi3_seq)" = "BACKUP MASTER " ]'
check "VI_1: notify gets INSTANCE, name, state, priority" \
  wait_for 2 grep -qx "r1 INSTANCE VI_1 MASTER 120" "$D/notify.log"
check "VI_1 hooks: spec-backup BACKUP spec-master MASTER" \
  wait_for 2 eval '[ "$(vi1_seq)" = "spec-backup BACKUP spec-master MASTER " ]'

# ---- the quoted command, and hooks that cannot run --------------------------------------------
check "VI_2: quoted notify split into words, then the four arguments" \
  wait_for 2 eval "head -n 1 $D/args.log | grep -qx '6|arg1|two words|INSTANCE|VI_2|BACKUP|110|'"
check "VI_2: generic MASTER hook ran after the missing notify_master" \
  wait_for 2 eval "grep -qx '6|arg1|two words|INSTANCE|VI_2|MASTER|110|' $D/args.log"
check "missing hook: error logged" \
  grep -q "notify: VI_2: cannot run '$D/does-not-exist.sh': No such file" "$D/r1.log"
check "non-executable hook: error logged" \
  grep -q "notify: VI_2: cannot run '$D/not-executable.sh': Permission denied" "$D/r1.log"
check "non-executable hook did not run" test ! -e "$D/noexec.log"
check "status scripts.failures counts both" test "$(jget failures)" = 2
check "daemon still answers" eval "ctl r1 ping | grep -qx pong"

# ---- a quick flap: FAULT and BACKUP hooks queue up and keep their order -------------------------
ip -n "$(ns r1)" link set eth0 down
ip -n "$(ns r1)" link set eth0 up
check "after the flap all three are MASTER again" \
  wait_for 7 eval '[ "$(instance_state VI_1)$(instance_state VI_2)$(instance_state VI_3)" = MASTERMASTERMASTER ]'
check "VI_1 hooks: ... spec-fault FAULT spec-backup BACKUP spec-master MASTER" \
  wait_for 2 eval '[ "$(vi1_seq)" = "spec-backup BACKUP spec-master MASTER spec-fault FAULT spec-backup BACKUP spec-master MASTER " ]'
check "VI_2 generic hook saw FAULT with the quoted arguments" \
  grep -qx '6|arg1|two words|INSTANCE|VI_2|FAULT|110|' "$D/args.log"
check "VI_3: the second hanging BACKUP hook was killed too" wait_for 1 test "$(jget timeouts)" = 2

# ---- stop: notify_stop then the generic STOP --------------------------------------------------
stop_router r1 TERM; rc=$?
check "r1 exits 0 on SIGTERM" test "$rc" -eq 0
check "VI_1 hooks end with spec-stop STOP" eval '[ "$(vi1_seq | awk "{ print \$(NF-1), \$NF }")" = "spec-stop STOP" ]'
check "VI_1 hook sequence complete, nothing extra" \
  eval '[ "$(vi1_seq)" = "spec-backup BACKUP spec-master MASTER spec-fault FAULT spec-backup BACKUP spec-master MASTER spec-stop STOP " ]'
check "VI_2 generic STOP ran" grep -qx '6|arg1|two words|INSTANCE|VI_2|STOP|110|' "$D/args.log"
check "no hook process left behind" eval "[ -z \"\$(ip netns pids $(ns r1))\" ]"
lab_done
