#!/usr/bin/env bash
# The daemon's command line and life cycle: -v, -h, bad options, -t on valid, broken and
# unknown-keyword configs; daemonising without -n (parent returns, pid file, new session,
# no terminal), a second start refused, SIGHUP survived, SIGTERM ending it and removing
# its pid file; a VRRPv3 instance running beside a v2 one on the same interface.
source "$(dirname "$0")/lib.sh"
lab_init cli
lab_host r1 11
D=$LAB_DIR

check "-v prints the version" eval '"$KEEPALIVE" -v | grep -q "^Keepalive [0-9]"'
check "-h prints usage and exits 0" eval '"$KEEPALIVE" -h | grep -q -- "--use-file"'
"$KEEPALIVE" --no-such-option > /dev/null 2>&1
check "an unknown option exits non-zero" test $? -ne 0

out=$("$KEEPALIVE" -t -f "$LAB_ROOT/etc/keepalived.conf" 2>&1); rc=$?
check "-t on the shipped config exits 0" test $rc -eq 0
check "-t reports nothing of the shipped config as not acted on (its mail settings are)" \
  eval '! grep -q "not acted on yet" <<<"$out"'
printf 'global_defs {\n  smtp_alert_checker\n}\nvrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 5\n}\n' > "$D/na.conf"
out=$("$KEEPALIVE" -t -f "$D/na.conf" 2>&1); rc=$?
check "-t reports a keyword not acted on, with its position, and exits 0" \
  eval '[ $rc -eq 0 ] && grep -q "na.conf:2:3: not acted on yet: .smtp_alert_checker." <<<"$out"'

printf 'vrrp_instance VI_1 {\n  interface eth0\n  virtual_router_id 300\n}\n' > "$D/bad.conf"
out=$("$KEEPALIVE" -t -f "$D/bad.conf" 2>&1); rc=$?
check "-t on an out-of-range VRID exits non-zero" test $rc -ne 0
check "... naming file:line:column, what was found and what was expected" \
  eval 'grep -q "^$D/bad.conf:3:21: error: found .300., expected" <<<"$out"'
out=$("$KEEPALIVE" -t -f "$D/missing.conf" 2>&1); rc=$?
check "-t on a missing file exits non-zero with its name" eval '[ $rc -ne 0 ] && grep -q missing.conf <<<"$out"'

cat > "$D/r1.conf" <<'EOF'
global_defs {
  router_id r1
  frobnicate yes
}
$VRID=51
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id $VRID
  priority 100
  @lab_other priority 200
  virtual_ipaddress {
    ~SEQ(N, 100, 100) 192.0.2.${N}/24
  }
}
vrrp_instance VI_3 {
  interface eth0
  virtual_router_id 52
  version 3
  track_bfd {
    eth0
  }
  virtual_ipaddress {
    192.0.2.101/24
  }
}
EOF
out=$("$KEEPALIVE" -t -f "$D/r1.conf" 2>&1); rc=$?
check "-t with an unknown keyword exits non-zero, naming it" \
  eval '[ $rc -ne 0 ] && grep -q "r1.conf:3:3: unknown keyword: .*frobnicate" <<<"$out"'

# Daemonised: no -n, no -l (logs go to syslog).
t0=$(date +%s%N)
ip netns exec "$(ns r1)" "$KEEPALIVE" -f "$D/r1.conf" -p "$D/r1.pid" --admin-socket "$D/r1.sock"
rc=$?
check "without -n the command returns at once with 0" \
  eval '[ $rc -eq 0 ] && [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 2000 ]'
check "the pid file appears" wait_for 3 test -s "$D/r1.pid"
pid=$(cat "$D/r1.pid" 2>/dev/null)
LAB_PIDS+=("$pid")
check "the pid file names a running keepalive" eval '[ "$(cat /proc/$pid/comm 2>/dev/null)" = keepalive ]'
check "the daemon has its own session and no terminal" \
  eval '[ "$(ps -o sid= -p $pid | tr -d " ")" != "$(ps -o sid= -p $$ | tr -d " ")" ] && [ "$(ps -o tty= -p $pid | tr -d " ")" = "?" ]'
check "the daemon's cwd is /" eval '[ "$(readlink /proc/$pid/cwd)" = / ]'
check "its admin socket answers" wait_for 3 eval 'ctl r1 ping | grep -q pong'
check "it acts on the config: VI_1 becomes master" wait_for 6 has_vip r1 192.0.2.100
check "VI_3 (VRRPv3, same interface as v2 VI_1) becomes master with its address" \
  wait_for 6 eval 'ctl r1 status | grep -Eq "^VI_3 +MASTER .* v3 IPv4 " && has_vip r1 192.0.2.101'

# The effective configuration: the same JSON from the running daemon and from the file.
ctl r1 config > "$D/config.running" 2>&1; rc=$?
"$KEEPALIVE" --dump-config -f "$D/r1.conf" > "$D/config.file" 2>&1
check "keepalivectl config exits 0 and equals keepalive --dump-config" \
  eval '[ $rc -eq 0 ] && diff "$D/config.running" "$D/config.file" > /dev/null'
check "... after substitution and ~SEQ (virtual_router_id 51, 192.0.2.100)" \
  eval 'grep -q "\"virtual_router_id\": 51" "$D/config.file" && grep -q "\"address\": \"192.0.2.100\"" "$D/config.file"'
check "--dump-config -i lab_other takes the @lab_other line (priority 200)" \
  eval '"$KEEPALIVE" --dump-config -i lab_other -f "$D/r1.conf" | grep -q "\"priority\": 200"'
check "... and without it priority stays 100" eval 'grep -q "\"priority\": 100" "$D/config.file"'
check "--dump-config on a broken file exits 1 with the error" \
  eval '! "$KEEPALIVE" --dump-config -f "$D/bad.conf" > /dev/null 2>&1'
# What the config asks for that is not in effect yet, listed by the running daemon.
check "status lists what is not in effect, with positions (VI_3's track_bfd)" \
  eval 'ctl r1 status | sed -n "/^not in effect/,\$p" | grep -q "r1.conf:19:3: .track_bfd. is not acted on"'
check "status --json has not_in_effect entries {keyword, where, message}" \
  eval 'ctl r1 --json status | grep -q "\"not_in_effect\":\[{\"keyword\":[^,]*,\"where\":\"$D/r1.conf:19:3\",\"message\":\".track_bfd. is not"'

ip netns exec "$(ns r1)" "$KEEPALIVE" -f "$D/r1.conf" -p "$D/r1.pid" --admin-socket "$D/r1.sock" 2>"$D/second.err"
rc=$?
check "a second start with the same pid file is refused" \
  eval '[ $rc -ne 0 ] && grep -q "already running" "$D/second.err"'

kill -HUP "$pid"; sleep 0.3
check "SIGHUP does not stop it" eval 'kill -0 $pid && ctl r1 ping | grep -q pong'

# Re-parented to this sandbox's init, an exited daemon may linger as a zombie: that is gone.
gone() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null); [ -z "$st" ] || [[ $st == Z* ]]; }
kill -TERM "$pid"
check "SIGTERM ends it within a second" wait_for 1 gone "$pid"
check "... removing its pid file and admin socket" eval '[ ! -e "$D/r1.pid" ] && [ ! -e "$D/r1.sock" ]'
check "... and its virtual address" eval '! has_vip r1 192.0.2.100'
lab_done
