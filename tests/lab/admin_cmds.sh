#!/usr/bin/env bash
# Admin commands and live events (keepalivectl priority / garp / stats clear / check /
# watch), and the bash completion file. Two Keepalive routers:
#   r1: MASTER 150    r2: BACKUP 100    (garp_master_delay 0: one GARP burst per mastership)
# - `priority VI_1 200` on r2 makes it take over, `reset` gives the VIP back to r1;
# - `garp VI_1` on the master puts gratuitous ARPs on the wire (a packet socket in r2),
#   and is refused for a BACKUP and for an unknown instance;
# - `stats clear` zeroes adverts, bad adverts and transitions; status says when;
# - `watch` (JSON and human) sees the failover's transitions in order, with reasons, and
#   a tracked file's changes;
# - `check` exits 0, then 1 once r1's link is down (FAULT), 3 with no daemon, 2 on usage;
# - 20 watchers that never read (one sending junk) leave the daemon answering.
source "$(dirname "$0")/lib.sh"
lab_init admin_cmds
lab_host r1 11
lab_host r2 12
VIP=192.0.2.100
PY=$(dirname "$0")/admin_cmds.py
# The wire, for the GARPs (tcpdump on the switch, as tests/lab/garp_defaults.sh).
ip netns exec "$(ns sw)" tcpdump -i br0 -nn -l -tt arp > "$LAB_DIR/arp.txt" 2> "$LAB_DIR/tcpdump.log" &
LAB_PIDS+=($!)
vrrp_conf r1 MASTER 150 notify= extra="garp_master_delay 0" | lab_conf r1
{ printf 'vrrp_track_file tf {\n  file @DIR@/tf\n}\n'   # r2 tracks a file (weight 1, value 0)
  vrrp_conf r2 BACKUP 100 notify= extra="garp_master_delay 0
  track_file {
    tf weight 1
  }"; } | lab_conf r2
echo 0 > "$LAB_DIR/tf"

jnum() {  # JSON KEY [PREFIX]: the first "KEY": value after PREFIX, as in admin.sh
  local j=$1
  [ -n "${3:-}" ] && j=${j#*\"$3\":}
  printf '%s' "$j" | grep -o "\"$2\":[^,}]*" | head -n 1 | cut -d: -f2- | tr -d '"'
}
state_of() { jnum "$(ctl "$1" status --json)" state; }

start_keepalive r1
start_keepalive r2
check "r1 is MASTER" wait_for 5 has_vip r1 $VIP
check "r2 is BACKUP, hearing r1" wait_for 5 eval '[ "$(jnum "$(ctl r2 status --json)" master)" = 192.0.2.11 ]'

# ---- watchers: JSON on r2, human on r1, from before the failover ----------------------------
"$KEEPALIVECTL" -s "$LAB_DIR/r2.sock" --json watch > "$LAB_DIR/watch-r2.jsonl" 2> "$LAB_DIR/watch-r2.err" &
W2=$!; LAB_PIDS+=($W2)
"$KEEPALIVECTL" -s "$LAB_DIR/r1.sock" watch > "$LAB_DIR/watch-r1.txt" 2> "$LAB_DIR/watch-r1.err" &
W1=$!; LAB_PIDS+=($W1)
check "status counts the two watchers" \
  wait_for 3 eval '[ "$(jnum "$(ctl r1 status --json)" watchers events)" = 1 ] &&
                   [ "$(jnum "$(ctl r2 status --json)" watchers events)" = 1 ]'

echo 1 > "$LAB_DIR/tf"
check "watch r2 sees the tracked file's change 0 -> 1" wait_for 3 grep -q \
  '"type":"tracker","actor":"track_file tf","old":"0","new":"1","reason":"value 1"}$' "$LAB_DIR/watch-r2.jsonl"
echo 0 > "$LAB_DIR/tf"
check "... and 1 -> 0" wait_for 3 grep -q '"actor":"track_file tf","old":"1","new":"0"' "$LAB_DIR/watch-r2.jsonl"

# 20 more on r1 that never read (one sends 1 MiB of junk), through the commands and the
# failover below: they must cost the daemon nothing that shows.
python3 "$PY" watchers "$LAB_DIR/r1.sock" 20 14 > "$LAB_DIR/watchers.txt" &
AB=$!; LAB_PIDS+=($AB)
check "20 idle watchers more: status counts 21" wait_for 3 eval '[ "$(jnum "$(ctl r1 status --json)" watchers events)" = 21 ]'
t=$(date +%s%N); ctl r1 ping >/dev/null; ms=$(( ($(date +%s%N) - t) / 1000000 ))
check "with them, ping answers in ${ms} ms (< 1000)" test "$ms" -lt 1000

# ---- check: both as expected --------------------------------------------------------------
out=$(ctl r1 check); rc=$?
check "check r1: exit 0, ok line ($out)" eval '[ $rc = 0 ] && [ "$out" = "ok: 1 instance as expected" ]'
out=$(ctl r2 check --json); rc=$?
check "check r2 --json: exit 0, ok true" eval '[ $rc = 0 ] && [[ $out == "{\"ok\":true,\"instances\":1,\"problems\":[]}" ]]'

# ---- garp --------------------------------------------------------------------------------
garps() {  # FROM TO: gratuitous ARPs for the VIP seen on the wire between two times
  awk -v f="$1" -v t="$2" -v vip="$VIP" '$0 ~ ("who-has " vip " .*tell " vip ",") && $1 >= f && $1 < t { n++ }
    END { print n + 0 }' "$LAB_DIR/arp.txt"
}
# r1's start-up burst (garp_master_delay 0: its only one) must be over first.
wire_quiet() {  # no GARP for the VIP in the last 1.2 s
  awk -v vip="$VIP" -v now="$(date +%s.%N)" '$0 ~ ("who-has " vip " .*tell " vip ",") { t = $1 }
    END { exit !(t > 0 && now - t > 1.2) }' "$LAB_DIR/arp.txt"
}
check "r1's start-up GARPs were on the wire, and are over" wait_for 5 wire_quiet
t0=$(date +%s.%N)
out=$(ctl r1 garp VI_1); rc=$?
check "garp on the master: exit 0 ($out)" \
  eval '[ $rc = 0 ] && [ "$out" = "VI_1: gratuitous ARP/NA sent for 1 addresses (5 each)" ]'
sleep 1
n_before=$(garps "$(awk -v t="$t0" 'BEGIN { printf "%.6f", t - 1 }')" "$t0")
n_after=$(garps "$t0" 9999999999)
check "garp: gratuitous ARPs for $VIP on the wire after the command ($n_after), none in the second before ($n_before)" \
  eval '[ "$n_after" -ge 5 ] && [ "$n_before" = 0 ]'
out=$(ctl r2 garp VI_1 2>&1); rc=$?
check "garp on a BACKUP: exit 1, not MASTER ($out)" eval '[ $rc = 1 ] && [[ $out == *"is BACKUP, not MASTER"* ]]'
out=$(ctl r1 garp VI_9 2>&1); rc=$?
check "garp on an unknown instance: exit 1, known names listed ($out)" \
  eval '[ $rc = 1 ] && [[ $out == *"no instance named '"'"'VI_9'"'"' (known: VI_1)"* ]]'

# ---- stats clear -------------------------------------------------------------------------
ip netns exec "$(ns r2)" python3 "$PY" junk 192.0.2.12   # a bad advert (TTL 1) for r1 to count
sleep 0.3
j=$(ctl r1 status --json)
bad=$(printf '%s' "${j#*\"bad\":}" | sed 's/}.*//' | grep -o ':[0-9]*' | tr -d : | awk '{s += $1} END {print s + 0}')
sent=$(jnum "$j" adverts_sent counters); tr=$(jnum "$j" transitions)
check "before clear: adverts sent ($sent), bad ($bad), transitions ($tr) counted" \
  eval '[ "$sent" -ge 3 ] && [ "$bad" -ge 1 ] && [ "$tr" -ge 2 ]'
out=$(ctl r1 stats clear); rc=$?
check "stats clear: exit 0 ($out)" eval '[ $rc = 0 ] && [ "$out" = "counters cleared" ]'
j=$(ctl r1 status --json)
bad=$(printf '%s' "${j#*\"bad\":}" | sed 's/}.*//' | grep -o ':[0-9]*' | tr -d : | awk '{s += $1} END {print s + 0}')
sent=$(jnum "$j" adverts_sent counters); tr=$(jnum "$j" transitions)
check "after clear: adverts sent ($sent <= 1), bad 0 ($bad), transitions 0 ($tr)" \
  eval '[ "$sent" -le 1 ] && [ "$bad" = 0 ] && [ "$tr" = 0 ]'
check "status: when the counters were cleared" \
  eval '[[ $(jnum "$j" stats_cleared_s_ago) =~ ^[0-9.]+$ ]] && ctl r1 status | grep -q "^counters cleared [0-9.]* s ago"'

# ---- priority override: r2 takes over, reset gives it back ---------------------------------
out=$(ctl r2 priority VI_1 200); rc=$?
check "priority VI_1 200 on r2: exit 0 ($out)" \
  eval '[ $rc = 0 ] && [ "$out" = "VI_1: priority configured 100, override 200, effective 200" ]'
check "r2 takes over" wait_for 6 eval 'has_vip r2 $VIP && ! has_vip r1 $VIP'
check "r2's status: configured 100, override 200, effective 200" \
  eval 'ctl r2 status --json | grep -q "\"priority\":{\"configured\":100,\"override\":200,\"effective\":200}"'
check "r2's table marks the override" eval 'ctl r2 status | grep -q "^VI_1: priority override 200 (configured 100, effective 200)"'
check "r1 BACKUP hears r2 at 200" eval '[ "$(jnum "$(ctl r1 status --json)" master_priority)" = 200 ]'
out=$(ctl r1 check); rc=$?
check "check r1 (BACKUP, hearing a higher master): exit 0" test $rc = 0
out=$(ctl r2 priority VI_1 reset); rc=$?
check "priority VI_1 reset: exit 0 ($out)" \
  eval '[ $rc = 0 ] && [ "$out" = "VI_1: priority configured 100, override none, effective 100" ]'
check "r1 takes the VIP back (preempt)" wait_for 6 eval 'has_vip r1 $VIP && ! has_vip r2 $VIP'
for bad in 0 255 x; do
  out=$(ctl r2 priority VI_1 $bad 2>&1); rc=$?
  check "priority $bad: usage error, exit 2" eval '[ $rc = 2 ] && [[ $out == *"1..254"* ]]'
done
out=$(python3 "$PY" raw "$LAB_DIR/r2.sock" '{"cmd":"priority","instance":"VI_1","priority":255}')
check "raw priority 255: refused by the daemon ($out)" eval '[[ $out == *"must be an integer 1..254"* ]]'

# ---- watch saw the failover in order --------------------------------------------------------
sleep 0.5
kill $W1 $W2 2>/dev/null; wait $W1 $W2 2>/dev/null

seq2=$(grep '"actor":"vrrp_instance VI_1"' "$LAB_DIR/watch-r2.jsonl" | grep -o '"old":"[A-Z]*","new":"[A-Z]*"' |
       sed 's/"old":"\([A-Z]*\)","new":"\([A-Z]*\)"/\1>\2/' | paste -sd' ')
check "watch r2 (JSON): BACKUP>MASTER MASTER>BACKUP ($seq2)" test "$seq2" = "BACKUP>MASTER MASTER>BACKUP"
check "watch r2: every line has ts, type, actor, old, new, reason" \
  eval 'grep -c "^{\"ts\":[0-9.]*,\"type\":\"instance\",\"actor\":\"vrrp_instance VI_1\",\"old\":\"[A-Z]*\",\"new\":\"[A-Z]*\",\"reason\":\"[^\"]*\"}$" "$LAB_DIR/watch-r2.jsonl" | grep -qx 2'
check "watch r2: r1's advert is the reason it went back" \
  grep -q '"new":"BACKUP","reason":"advert from 192.0.2.11 priority 150"' "$LAB_DIR/watch-r2.jsonl"
seq1=$(grep -o 'vrrp_instance VI_1: [A-Z]* -> [A-Z]*' "$LAB_DIR/watch-r1.txt" | cut -d' ' -f3- | paste -sd,)
check "watch r1 (human): MASTER -> BACKUP, BACKUP -> MASTER ($seq1)" test "$seq1" = "MASTER -> BACKUP,BACKUP -> MASTER"
check "watch r1: lines start with the time" eval 'grep -Eq "^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} vrrp_instance VI_1: MASTER -> BACKUP \(advert from 192\.0\.2\.12 priority 200\)$" "$LAB_DIR/watch-r1.txt"'

# ---- abusive watchers and requests ------------------------------------------------------------
wait $AB
check "the 20 watchers gone: status counts none" wait_for 3 eval '[ "$(jnum "$(ctl r1 status --json)" watchers events)" = 0 ]'
long=$(head -c 60000 /dev/zero | tr '\0' a)
out=$(python3 "$PY" raw "$LAB_DIR/r1.sock" "{\"cmd\":\"$long\"}")
check "a 60 KB unknown command: a short error (${out%% *} bytes)" \
  eval '[ "${out%% *}" -lt 400 ] && [[ $out == *"unknown command"* ]]'
out=$(python3 "$PY" raw "$LAB_DIR/r1.sock" "{\"cmd\":\"garp\",\"instance\":\"$long\"}")
check "a 60 KB instance name: refused as too long (${out%% *} bytes)" \
  eval '[ "${out%% *}" -lt 400 ] && [[ $out == *"longer than 128 bytes"* ]]'
out=$(python3 "$PY" raw "$LAB_DIR/r1.sock" '{"cmd":"priority","instance":"nope","priority":50}')
check "priority for an unknown instance: refused" eval '[[ $out == *"no instance named '"'"'nope'"'"'"* ]]'
check "r1 is still MASTER and answers" eval 'has_vip r1 $VIP && [ "$(state_of r1)" = MASTER ]'

# ---- bash completion ---------------------------------------------------------------------------
comp=$(PATH="$(dirname "$KEEPALIVECTL"):$PATH" bash -c '
  source "$1/etc/keepalivectl.bash-completion"
  complete -p keepalivectl
  try() { COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _keepalivectl
          echo "$(IFS=,; echo "${COMPREPLY[*]}")"; }
  try keepalivectl st
  try keepalivectl -s "$2" priority ""
  try keepalivectl --socket = "$2" garp V
  try keepalivectl -s "$2" priority VI_1 r
  try keepalivectl stats ""
  try keepalivectl --js
  try keepalivectl -s /nonexistent garp ""' _ "$LAB_ROOT" "$LAB_DIR/r1.sock")
check "completion: registered as _keepalivectl" eval '[ "$(sed -n 1p <<<"$comp")" = "complete -F _keepalivectl keepalivectl" ]'
check "completion: st -> status,stats" eval '[ "$(sed -n 2p <<<"$comp")" = "status,stats" ]'
check "completion: priority INSTANCE from the daemon -> VI_1" eval '[ "$(sed -n 3p <<<"$comp")" = VI_1 ]'
check "completion: --socket=... garp V -> VI_1" eval '[ "$(sed -n 4p <<<"$comp")" = VI_1 ]'
check "completion: priority VI_1 r -> reset" eval '[ "$(sed -n 5p <<<"$comp")" = reset ]'
check "completion: stats -> clear" eval '[ "$(sed -n 6p <<<"$comp")" = clear ]'
check "completion: --js -> --json" eval '[ "$(sed -n 7p <<<"$comp")" = --json ]'
check "completion: no daemon -> no instance names" eval '[ "$(sed -n 8p <<<"$comp")" = "" ]'

# ---- check after a FAULT, and the exit codes ---------------------------------------------------
ip -n "$(ns r1)" link set eth0 down
check "r1 enters FAULT" wait_for 3 eval '[ "$(state_of r1)" = FAULT ]'
out=$(ctl r1 check); rc=$?
check "check after FAULT: exit 1, one line for VI_1 ($out)" eval '[ $rc = 1 ] && [ "$out" = "VI_1: FAULT (interface eth0 down)" ]'
out=$(ctl r1 check bogus 2>&1); rc=$?
check "check with an extra word: usage, exit 2" test $rc = 2
stop_router r2
out=$(ctl r2 check 2>&1); rc=$?
check "check with no daemon: exit 3 ($out)" eval '[ $rc = 3 ] && [[ $out == *"cannot connect"* ]]'
lab_done
