#!/usr/bin/env bash
# The admin socket and keepalivectl: the status table and its JSON (fields, counters,
# advert lateness), socket mode 0600, ping, clear errors when no daemon answers, and a
# raw client's bad requests (malformed JSON, unknown command, a 100 KB line, a client
# that leaves mid-request). Counters: a router with another auth_pass on the same VRID
# makes r1 count auth_failure.
#   r1: MASTER 150, auth_pass secret1    r3: BACKUP 50, auth_pass secret1
#   r2: BACKUP 100, auth_pass wrongpw1 (started later; its adverts are bad for r1 and r3)
# The raw client is socat, else OpenBSD netcat (nc -U), else python3; with none of
# them those checks are skipped (Debian package socat provides the first).
source "$(dirname "$0")/lib.sh"
lab_init admin
lab_host r1 11
lab_host r2 12
lab_host r3 13
VIP=192.0.2.100

vrrp_conf r1 MASTER 150 pass=secret1 notify= | lab_conf r1
vrrp_conf r2 BACKUP 100 pass=wrongpw1 notify= | lab_conf r2
vrrp_conf r3 BACKUP 50 pass=secret1 notify= | lab_conf r3

# A number or string member of the compact JSON: the first match of "KEY": after PREFIX.
jnum() {  # JSON KEY [PREFIX]
  local j=$1
  [ -n "${3:-}" ] && j=${j#*\"$3\":}
  printf '%s' "$j" | grep -o "\"$2\":[^,}]*" | head -n 1 | cut -d: -f2- | tr -d '"'
}
is_num() { [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$ ]]; }
auth_failures() { jnum "$(ctl r1 status --json)" auth_failure; }

start_keepalive r1
start_keepalive r3
check "r1 is MASTER" wait_for 4 has_vip r1 $VIP
check "r3 is BACKUP" wait_for 4 eval "ctl r3 status --json | grep -q '\"state\":\"BACKUP\"'"
sleep 3   # a few scheduled adverts, for the lateness figures

# ---- keepalivectl status, table and JSON ------------------------------------------------
table=$(ctl r1 status); rc=$?
check "status exits 0" test "$rc" -eq 0
check "table: r1's instance row (MASTER, eth0, 51, 150/150, itself as master, 1s)" \
  eval 'grep -Eq "^VI_1 +MASTER +eth0 +51 +150/150 +192\.0\.2\.11 +1s " <<<"$table"'
check "table: r3's row shows BACKUP, 50/50, r1 as master" \
  eval 'ctl r3 status | grep -Eq "^VI_1 +BACKUP +eth0 +51 +50/50 +192\.0\.2\.11 "'
check "table: advert thread line with lateness" \
  eval 'grep -Eq "^advert thread: .*lateness p50 [0-9]+ us, p99 [0-9]+ us" <<<"$table"'

json=$(ctl r1 status --json); rc=$?
check "status --json exits 0" test "$rc" -eq 0
if command -v jq >/dev/null; then
  check "JSON parses (jq)" eval 'jq -e .ok <<<"$json" >/dev/null'
elif command -v python3 >/dev/null; then
  check "JSON parses (python3)" eval 'python3 -c "import json,sys; assert json.load(sys.stdin)[\"ok\"]" <<<"$json"'
else  # no parser: one line, one object, braces and brackets balanced
  check "JSON is one balanced object" eval '[ "$(wc -l <<<"$json")" = 1 ] && [[ $json == "{\"ok\":true,"*"}" ]] &&
    [ "$(tr -cd "{" <<<"$json" | wc -c)" = "$(tr -cd "}" <<<"$json" | wc -c)" ] &&
    [ "$(tr -cd "[" <<<"$json" | wc -c)" = "$(tr -cd "]" <<<"$json" | wc -c)" ]'
fi
check "JSON: state MASTER" eval '[[ $json == *"\"name\":\"VI_1\",\"state\":\"MASTER\""* ]]'
check "JSON: priority configured/effective 150/150" \
  eval '[[ $json == *"\"priority\":{\"configured\":150,\"override\":null,\"effective\":150}"* ]]'
check "JSON: master address is r1's" test "$(jnum "$json" master)" = 192.0.2.11
v=$(jnum "$json" advert_int_s)
check "JSON: advert_int_s 1 ($v)" eval 'is_num "$v" && awk -v x="$v" "BEGIN { exit !(x == 1) }"'
v=$(jnum "$json" in_state_s)
check "JSON: in_state_s is a number >= 2 ($v)" eval 'is_num "$v" && awk -v x="$v" "BEGIN { exit !(x >= 2) }"'
check "JSON: transitions 2 (BACKUP, then MASTER)" test "$(jnum "$json" transitions)" = 2
v=$(jnum "$json" adverts_sent counters)
check "JSON: counters.adverts_sent >= 3 ($v)" eval 'is_num "$v" && [ "$v" -ge 3 ]'
check "JSON: counters.adverts_received present (0 as sole master)" \
  test "$(jnum "$json" adverts_received counters)" = 0
v=$(jnum "$(ctl r3 status --json)" adverts_received counters)
check "JSON: r3 counts r1's adverts as received ($v)" eval 'is_num "$v" && [ "$v" -ge 3 ]'
check "JSON: counters.bad by reason, auth_failure 0 so far" \
  eval '[[ $json == *"\"bad\":{"*"\"auth_failure\":0"* ]] && [ "$(auth_failures)" = 0 ]'
for k in too_short bad_checksum bad_ttl auth_type_mismatch interval_mismatch; do
  check "JSON: bad.$k present" eval 'is_num "$(jnum "$json" $k bad)"'
done
v=$(jnum "$json" samples lateness_us); p50=$(jnum "$json" p50 lateness_us)
p99=$(jnum "$json" p99 lateness_us); max=$(jnum "$json" max lateness_us)
check "JSON: advert lateness samples >= 2, p50/p99/max numbers ($v, $p50, $p99, $max us)" \
  eval 'is_num "$v" && [ "$v" -ge 2 ] && is_num "$p50" && is_num "$p99" && is_num "$max" && [ "$p50" -le "$max" ]'

# ---- the socket file, ping, errors --------------------------------------------------------
check "socket file has mode 0600" test "$(stat -c %a "$LAB_DIR/r1.sock")" = 600
check "socket is a socket" test -S "$LAB_DIR/r1.sock"
check "keepalivectl ping answers pong" eval 'out=$(ctl r1 ping) && [ "$out" = pong ]'
out=$("$KEEPALIVECTL" -s "$LAB_DIR/nowhere.sock" status 2>&1); rc=$?
check "wrong socket path: exit 3 (cannot reach the daemon)" test "$rc" -eq 3
check "wrong socket path: error names the path and the cause" \
  eval '[[ $out == *"cannot connect to $LAB_DIR/nowhere.sock: No such file or directory"* ]]'
out=$("$KEEPALIVECTL" -s "$LAB_DIR/r1.sock" frobnicate 2>&1); rc=$?
check "unknown keepalivectl command: exit 2 with a message" \
  eval '[ "$rc" -eq 2 ] && [[ $out == *"unknown command '\''frobnicate'\''"* ]]'

# ---- raw requests -----------------------------------------------------------------------------
RAW=none
if command -v socat >/dev/null; then RAW=socat
elif command -v nc >/dev/null && nc -h 2>&1 | grep -q -- ' -U'; then RAW=nc
elif command -v python3 >/dev/null; then RAW=python3
fi
PY_CLIENT='
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(3)
s.connect(sys.argv[1])
try:
    s.sendall(sys.stdin.buffer.read())
    if sys.argv[2] == "close":
        sys.exit(0)
    s.shutdown(socket.SHUT_WR)
except OSError:
    pass
out = b""
try:
    while True:
        b = s.recv(65536)
        if not b:
            break
        out += b
except OSError:
    pass
sys.stdout.buffer.write(out)
'
# stdin to the socket; with "read" the replies (until the daemon closes) to stdout,
# with "close" the client leaves without reading.
raw() {  # read|close
  local sock=$LAB_DIR/r1.sock
  case $RAW in
    socat) if [ "$1" = read ]; then timeout 5 socat -t 3 - "UNIX-CONNECT:$sock"
           else timeout 5 socat -u - "UNIX-CONNECT:$sock"; fi ;;
    nc) if [ "$1" = read ]; then timeout 5 nc -N -U "$sock"
        else timeout 5 nc -q 0 -U "$sock" >/dev/null; fi ;;
    python3) timeout 5 python3 -c "$PY_CLIENT" "$sock" "$1" ;;
  esac
}
if [ "$RAW" = none ]; then
  echo "skip - raw admin requests: no socat, OpenBSD nc or python3 (Debian package: socat)"
else
  echo "raw client: $RAW"
  out=$(printf 'this is not json\n{"cmd":"ping"}\n' | raw read)
  l1=$(sed -n 1p <<<"$out"); l2=$(sed -n 2p <<<"$out")
  check "malformed JSON: {\"ok\":false,\"error\":\"bad request...\"}" \
    eval '[[ $l1 == "{\"ok\":false,\"error\":\"bad request:"*"}" ]]'
  check "malformed JSON: the same connection still answers the next request" \
    test "$l2" = '{"ok":true,"pong":true}'
  out=$(printf '{"cmd":"frob"}\n' | raw read)
  check "unknown cmd: error naming it and the known commands" \
    eval '[[ $out == "{\"ok\":false,\"error\":\"unknown command '\''frob'\''"*"status"*"ping"* ]]'
  out=$(printf '{"nocmd":1}\n[1,2]\n{"cmd":42}\n' | raw read)
  check "object without a string cmd: three errors, one per line" \
    eval '[ "$(grep -c "^{\"ok\":false,\"error\":\"bad request: expected an object" <<<"$out")" = 3 ]'
  # A well-formed ping padded to 100 KB: over the 64 KiB limit, so refused, not answered.
  out=$( { printf '{"cmd":"ping","pad":"'; head -c 102400 /dev/zero | tr '\0' a; printf '"}\n'; } | raw read)
  check "100 KB line: error reply, not pong" \
    eval '[[ $out == "{\"ok\":false,\"error\":\"request longer than"* ]]'
  check "100 KB line: daemon still answers" eval 'out=$(ctl r1 ping) && [ "$out" = pong ]'
  printf '{"cmd":"sta' | raw close
  check "client gone mid-request: daemon still answers" eval 'out=$(ctl r1 ping) && [ "$out" = pong ]'
  for _ in 1 2 3 4 5; do printf '{"cmd":"status"}\n' | raw close; done
  check "clients gone before reading their status: daemon still answers" \
    eval 'ctl r1 status | grep -Eq "^VI_1 +MASTER "'
fi
check "r1 kept the VIP through all of it" has_vip r1 $VIP

# ---- a bad advert on the segment ---------------------------------------------------------------
start_keepalive r2
check "r2 (other auth_pass) makes r1 count auth_failure" wait_for 6 eval '[ "$(auth_failures)" -ge 2 ]'
a=$(auth_failures); sleep 2.2; b=$(auth_failures)
check "auth_failure keeps counting, one per advert ($a -> $b)" eval '[ "$b" -ge $((a + 1)) ] && [ "$b" -le $((a + 4)) ]'
check "table BAD column shows them" eval 'ctl r1 status | grep -Eq "^VI_1 +MASTER .* [1-9][0-9]* +192\.0\.2\.100/24$"'
check "r1 stays MASTER (bad adverts ignored)" eval 'has_vip r1 $VIP && ctl r1 status --json | grep -q "\"state\":\"MASTER\""'
check "the drop is logged" grep -q "VRRP_Instance(VI_1): dropped advert from 192.0.2.12: " "$LAB_DIR/r1.log"

# ---- no daemon ----------------------------------------------------------------------------------
stop_router r3 TERM
out=$(ctl r3 status 2>&1); rc=$?
check "stopped daemon: socket file removed" test ! -e "$LAB_DIR/r3.sock"
check "stopped daemon: exit 3 and a clear message" \
  eval '[ "$rc" -eq 3 ] && [[ $out == *"cannot connect to $LAB_DIR/r3.sock"*"is keepalive running?"* ]]'
kill -9 "$(pid_of r2)"; wait "$(pid_of r2)" 2>/dev/null
out=$(ctl r2 ping 2>&1); rc=$?
check "crashed daemon (stale socket): exit 3, connection refused" \
  eval '[ "$rc" -eq 3 ] && [[ $out == *"cannot connect to $LAB_DIR/r2.sock: Connection refused"* ]]'
lab_done
