#!/usr/bin/env bash
# The admin socket against hostile use: a path that is not a socket is left alone and the
# daemon refuses to start; an unknown admin_group is refused; peers are checked (root, or
# admin_group members: mode 0660, the group's); a non-UTF-8 instance name still gives a
# readable status; the client cap; a client that sends without reading is dropped while
# the daemon's memory stays flat, and with two of them at work a normal
# `keepalivectl status` still answers within 100 ms; a half-sent line is closed after 5 s,
# an idle client after 60 s.
# Raw clients: tests/lab/admin_client.py (python3). Limits: actors/admin_server.cpp.
source "$(dirname "$0")/lib.sh"
lab_init abuse
lab_host r1 11
VIP=192.0.2.100
CLIENT="python3 $(dirname "$0")/admin_client.py"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
chmod 711 "$LAB_DIR"   # others may reach the socket; its own mode decides

# An instance name with byte 0xE9 (Latin-1 e acute): valid for the parser, not UTF-8.
NAME=$'VI_\xe9'
vrrp_conf r1 MASTER 150 name="$NAME" notify= | lab_conf r1
{ echo 'global_defs {'; echo '  admin_group nogroup'; echo '}'; vrrp_conf r1 MASTER 150 notify=; } |
  sed '/^global_defs {$/{n;/router_id/d}' > "$LAB_DIR/group.conf"
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# A start that must be refused: exit status and output of a foreground daemon.
refused_start() {  # ARGS...
  out=$(ip netns exec "$(ns r1)" timeout 10 "$KEEPALIVE" -n -l -f "$LAB_DIR/r1.conf" \
        -p "$LAB_DIR/refused.pid" "$@" 2>&1); rc=$?
}

# ---- paths that are not a stale socket --------------------------------------------------
printf 'precious\n' > "$LAB_DIR/file.sock"
refused_start --admin-socket "$LAB_DIR/file.sock"
check "regular file at the socket path: the daemon refuses to start (exit $rc)" \
  eval '[ $rc -ne 0 ] && [ $rc -ne 124 ]'
check "... naming the path and what it is" \
  eval '[[ $out == *"admin socket $LAB_DIR/file.sock exists and is a regular file, not a socket; refusing to replace it"* ]]'
check "... leaving the file as it was" eval '[ -f "$LAB_DIR/file.sock" ] && [ "$(cat "$LAB_DIR/file.sock")" = precious ]'
check "... and no VRRP started (no VIP)" eval '! has_vip r1 $VIP'
mkdir "$LAB_DIR/dir.sock"; ln -s "$LAB_DIR/file.sock" "$LAB_DIR/link.sock"
refused_start --admin-socket "$LAB_DIR/dir.sock"
check "a directory: refused, named, kept" \
  eval '[ $rc -ne 0 ] && [[ $out == *"$LAB_DIR/dir.sock exists and is a directory, not a socket"* ]] && [ -d "$LAB_DIR/dir.sock" ]'
refused_start --admin-socket "$LAB_DIR/link.sock"
check "a symbolic link: refused, named with its target, kept" \
  eval '[ $rc -ne 0 ] && [[ $out == *"$LAB_DIR/link.sock exists and is a symbolic link to $LAB_DIR/file.sock, not a socket"* ]] && [ -L "$LAB_DIR/link.sock" ]'
# admin_socket from global_defs, daemonised (no -n): the command itself fails.
{ printf 'global_defs {\n  admin_socket %s\n}\n' "$LAB_DIR/file.sock"; vrrp_conf r1 MASTER 150 notify= | sed 1,3d; } \
  > "$LAB_DIR/filecfg.conf"
out=$(ip netns exec "$(ns r1)" timeout 10 "$KEEPALIVE" -f "$LAB_DIR/filecfg.conf" -p "$LAB_DIR/refused.pid" 2>&1); rc=$?
check "admin_socket in global_defs, daemonising: the command exits non-zero with the message" \
  eval '[ $rc -ne 0 ] && [ $rc -ne 124 ] && [[ $out == *"$LAB_DIR/file.sock exists and is a regular file"* ]] && [ "$(cat "$LAB_DIR/file.sock")" = precious ]'
refused_start --admin-socket "$LAB_DIR/x.sock" --admin-group no-such-group-ka
check "unknown --admin-group: refused, naming the group" \
  eval '[ $rc -ne 0 ] && [[ $out == *"unknown group '\''no-such-group-ka'\''"* ]] && [ ! -e "$LAB_DIR/x.sock" ]'
sed 's/admin_group nogroup/admin_group no-such-group-ka/' "$LAB_DIR/group.conf" > "$LAB_DIR/badgroup.conf"
out=$("$KEEPALIVE" -t -f "$LAB_DIR/badgroup.conf" 2>&1); rc=$?
check "-t with an unknown admin_group: exit non-zero, naming it" \
  eval '[ $rc -ne 0 ] && [[ $out == *"no-such-group-ka"* ]]'

# ---- root only (no admin_group); a name that is not UTF-8 ----------------------------------
start_keepalive r1
check "r1 starts and becomes MASTER" wait_for 5 has_vip r1 $VIP
check "socket mode 0600, root's group" eval '[ "$(stat -c %a:%G "$LAB_DIR/r1.sock")" = 600:root ]'
table=$(ctl r1 status); rc=$?
check "non-UTF-8 instance name: keepalivectl status exits 0" test $rc -eq 0
check "... and shows the name, the byte replaced by U+FFFD" \
  eval 'grep -Eq "^VI_"$'"'"'\xef\xbf\xbd'"'"'" +MASTER " <<<"$table"'
json=$(ctl r1 status --json); rc=$?
check "... keepalivectl --json exits 0 and prints valid JSON with the name" \
  eval '[ $rc -eq 0 ] && python3 -c "import json,sys; j=json.load(sys.stdin); assert j[\"ok\"] and j[\"instances\"][0][\"name\"]==\"VI_\ufffd\"" <<<"$json"'
out=$("${NOBODY[@]}" "$KEEPALIVECTL" -s "$LAB_DIR/r1.sock" ping 2>&1); rc=$?
check "non-root peer, mode 0600: refused at connect (exit $rc: cannot reach the daemon)" \
  eval '[ $rc -eq 3 ] && [[ $out == *"Permission denied"* ]]'
# Were the mode wrong (here widened by hand), the daemon still checks the peer's credentials.
chmod 666 "$LAB_DIR/r1.sock"
out=$("${NOBODY[@]}" "$KEEPALIVECTL" -s "$LAB_DIR/r1.sock" ping 2>&1); rc=$?
check "non-root peer on a world-writable socket: one JSON error, exit 1 ($out)" \
  eval '[ $rc -eq 1 ] && [[ $out == *"permission denied: uid 65534"*"is not root"* ]]'
check "... root still answered" eval '[ "$(ctl r1 ping)" = pong ]'
check "r1 stops on SIGTERM" stop_router r1 TERM

# ---- admin_group ------------------------------------------------------------------------------
cp "$LAB_DIR/group.conf" "$LAB_DIR/r1.conf"
start_keepalive r1
check "with admin_group: r1 starts" wait_for 5 eval 'ctl r1 ping >/dev/null 2>&1'
check "socket mode 0660, group nogroup" eval '[ "$(stat -c %a:%G "$LAB_DIR/r1.sock")" = 660:nogroup ]'
check "a peer whose group is nogroup is accepted" \
  eval '[ "$("${NOBODY[@]}" "$KEEPALIVECTL" -s "$LAB_DIR/r1.sock" ping)" = pong ]'
check "a peer with nogroup as a supplementary group is accepted (status table)" \
  eval 'setpriv --reuid=65534 --regid=100 --groups=65534 "$KEEPALIVECTL" -s "$LAB_DIR/r1.sock" status | grep -Eq "^VI_1 +(BACKUP|MASTER) "'
out=$(setpriv --reuid=65534 --regid=100 --clear-groups "$KEEPALIVECTL" -s "$LAB_DIR/r1.sock" ping 2>&1); rc=$?
check "a peer outside the group is refused at connect (exit 3)" eval '[ $rc -eq 3 ] && [[ $out == *"Permission denied"* ]]'
out=$(ip netns exec "$(ns r1)" "$KEEPALIVE" -n -l -f "$LAB_DIR/r1.conf" -p "$LAB_DIR/r1b.pid" \
      --admin-socket "$LAB_DIR/r1.sock" 2>&1); rc=$?
check "r1 becomes MASTER again" wait_for 5 has_vip r1 $VIP
check "a second daemon on the served socket is refused; the socket still answers" \
  eval '[ $rc -ne 0 ] && [[ $out == *"is served by a running daemon"* ]] && [ "$(ctl r1 ping)" = pong ]'

# ---- the client cap -----------------------------------------------------------------------------
out=$($CLIENT "$LAB_DIR/r1.sock" cap 32 2>&1)
echo "$out"
check "32 clients held; the 33rd gets one JSON error line" \
  eval '[[ $out == *"extra: {\"ok\":false,\"error\":\"too many clients (32); try again later\"}"* ]]'
check "... and once one leaves, a new client is served" eval '[[ $out == *"after one left: {\"ok\":true,\"pong\":true}"* ]]'

# An idle client, left alone while the rest runs (after the cap test: it is a client too).
$CLIENT "$LAB_DIR/r1.sock" idle > "$LAB_DIR/idle.out" 2>&1 &
idle_pid=$!; LAB_PIDS+=("$idle_pid")

# ---- clients that do not read ---------------------------------------------------------------------
pid=$(pid_of r1)
check "the lab's pid is the daemon's" test "$(cat /proc/"$pid"/comm)" = keepalive
for _ in 1 2 3 4 5; do ctl r1 status >/dev/null; done
rss0=$(rss_kib "$pid")
out=$($CLIENT "$LAB_DIR/r1.sock" nonreader 30 2>&1)
echo "non-reader: $out"
check "a client that sends status requests without reading is disconnected" \
  eval '[[ $out == "disconnected after "* ]]'

# Latency of keepalivectl status (fork, exec, connect, answer), microseconds: N runs, one
# every 0.3 s; sets LAT ("median X ms, max Y ms") and LAT_MAX.
status_latency() {  # N
  local times=() t0 t1 sorted
  for _ in $(seq 1 "$1"); do
    t0=$EPOCHREALTIME
    if ctl r1 status 2>&1 | grep -q "^VI_1 *MASTER"; then
      t1=$EPOCHREALTIME; times+=($(( ${t1/./} - ${t0/./} )))
    else
      times+=(99999999)  # no answer is the worst latency
    fi
    sleep 0.3
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  LAT_MAX=$(tail -n 1 <<<"$sorted")
  local median; median=$(sed -n "$(( ($1 + 1) / 2 ))p" <<<"$sorted")
  LAT=$(awk -v m="$median" -v x="$LAT_MAX" 'BEGIN { printf "median %.1f ms, max %.1f ms", m / 1000, x / 1000 }')
}
status_latency 15
echo "keepalivectl status, no other client: $LAT"
# The machine may be shared with other builds: a run whose maximum is a scheduling hiccup
# of this test's own processes is measured again, at most twice; every run is shown.
for run in 1 2 3; do
  $CLIENT "$LAB_DIR/r1.sock" abuser 10 > "$LAB_DIR/abuser1.out" 2>&1 &
  a1=$!; LAB_PIDS+=("$a1")
  $CLIENT "$LAB_DIR/r1.sock" abuser 10 > "$LAB_DIR/abuser2.out" 2>&1 &
  a2=$!; LAB_PIDS+=("$a2")
  sleep 1
  status_latency 25
  wait $a1 $a2
  echo "keepalivectl status with two abusive clients (run $run): 25 runs, $LAT;" \
    "$(cat "$LAB_DIR/abuser1.out"); $(cat "$LAB_DIR/abuser2.out")"
  [ "$LAT_MAX" -lt 100000 ] && break
done
check "with two abusive clients, keepalivectl status answers within 100 ms ($LAT)" \
  test "$LAT_MAX" -lt 100000
check "... the abusers were really dropped and came back" \
  eval 'grep -Eq "dropped [1-9][0-9]* times" "$LAB_DIR/abuser1.out" && grep -Eq "dropped [1-9][0-9]* times" "$LAB_DIR/abuser2.out"'
rss1=$(rss_kib "$pid")
echo "daemon RSS: ${rss0} KiB before the abuse, ${rss1} KiB after"
if lab_asan; then  # its quarantine keeps freed memory (256 MB)
  echo "skip - RSS bound: under ASan the RSS measures the allocator's quarantine"
else
  check "the daemon's RSS stayed flat (grew by $(( (rss1 - rss0) )) KiB, < 5 MiB)" test $((rss1 - rss0)) -lt 5120
fi

# ---- a half-sent line ---------------------------------------------------------------------------------
out=$($CLIENT "$LAB_DIR/r1.sock" partial 2>&1)
echo "half a line: $out"
t=$(sed -E 's/^closed after ([0-9.]+) s.*/\1/' <<<"$out")
check "half a line: closed after the 5 s partial-line timeout ($t s), with one JSON error" \
  eval 'awk -v t="$t" "BEGIN { exit !(t >= 4.5 && t < 7) }" && [[ $out == *"{\"ok\":false,\"error\":\"request line not completed within 5 s\"}" ]]'
out=$($CLIENT "$LAB_DIR/r1.sock" drip 2>&1)
echo "one byte a second: $out"
t=$(sed -E 's/^closed after ([0-9.]+) s.*/\1/' <<<"$out")
check "a line sent one byte a second is closed too ($t s)" \
  eval 'awk -v t="$t" "BEGIN { exit !(t >= 4.5 && t < 8) }" && [[ $out == *"not completed within 5 s"* ]]'

wait $idle_pid
out=$(cat "$LAB_DIR/idle.out")
echo "idle client: $out"
t=$(sed -E 's/^closed after ([0-9.]+) s.*/\1/' <<<"$out")
check "an idle client is closed after 60 s ($t s), with one JSON error" \
  eval 'awk -v t="$t" "BEGIN { exit !(t >= 59.5 && t < 63) }" && [[ $out == *"{\"ok\":false,\"error\":\"idle for 60 s\"}" ]]'

check "after all of it: r1 answers, keeps its VIP, has logged the drops" \
  eval '[ "$(ctl r1 ping)" = pong ] && has_vip r1 $VIP && grep -q "admin: closing a client: replies left unread for 5 s" "$LAB_DIR/r1.log"'
check "r1 stops on SIGTERM, removing its socket" eval 'stop_router r1 TERM && [ ! -e "$LAB_DIR/r1.sock" ]'
lab_done
