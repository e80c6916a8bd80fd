#!/usr/bin/env bash
# Supervision (actors/supervisor.hpp): an actor that throws is restarted while everything
# else carries on. r1 (Keepalive, fault injection on) runs VI_1 (MASTER, tracks a
# vrrp_script) and VI_2 (BACKUP); r2 (keepalived) is the peer of both. Faults injected
# through the admin socket make one actor throw; the lab watches r1's addresses every
# 20 ms, r2's log (the peer must see no transition) and both routers' holders.
# Then a reload adds VI_3 (r1's alone), another updates it in place (a second address): its
# actor throws and is restarted from the updated config, nothing else moves; a third reload
# removes it and its supervisor ends with it.
# Then the restart intensity: VI_2 failing six times in a row is given up on: FAULT.
source "$(dirname "$0")/lib.sh"
lab_init supervise
lab_host r1 11
lab_host r2 12
VIP1=192.0.2.100 VIP2=192.0.2.101 VIP3=192.0.2.102 VIP4=192.0.2.103  # VI_3 (added by a reload): r1's alone

two_instances() {  # ROUTER PRIO1 PRIO2 [tracking of VI_1]
  printf 'global_defs {\n  router_id %s\n}\n' "$1"
  [ -n "${4:-}" ] && printf 'vrrp_script chk {\n  script "/bin/true"\n  interval 1\n}\n'
  printf 'vrrp_instance VI_1 {\n  state BACKUP\n  interface eth0\n  virtual_router_id 51\n'
  printf '  priority %s\n  advert_int 1\n  virtual_ipaddress {\n    %s/24\n  }\n' "$2" $VIP1
  printf '  notify @NOTIFY@\n'
  [ -n "${4:-}" ] && printf '  track_script {\n    chk\n  }\n'
  printf '}\n'
  printf 'vrrp_instance VI_2 {\n  state BACKUP\n  interface eth0\n  virtual_router_id 52\n'
  printf '  priority %s\n  advert_int 1\n  virtual_ipaddress {\n    %s/24\n  }\n' "$3" $VIP2
  printf '  notify @NOTIFY@\n}\n'
}
r1_conf() {  # [an extra instance's lines]
  two_instances r1 150 100 track
  printf '%s' "${1:-}"
  # load balancing: a pool (this kernel may have no IPVS: the pool runs without it) and a
  # TCP_CHECK on a socat listener of r1's own. alpha: the server starts down, and a pool
  # restarted without its checker's verdict would keep it down (a checker reports changes)
  printf 'virtual_server 192.0.2.200 80 {\n  delay_loop 1\n  alpha\n  protocol TCP\n'
  printf '  real_server 192.0.2.11 8080 {\n    TCP_CHECK {\n      connect_timeout 1\n    }\n  }\n}\n'
}
r1_conf | lab_conf r1
ip netns exec "$(ns r1)" socat TCP-LISTEN:8080,bind=192.0.2.11,fork,reuseaddr OPEN:/dev/null &
LAB_PIDS+=($!)
two_instances r2 100 150 | lab_conf r2
KEEPALIVE_FAULT_INJECTION=1 start_keepalive r1
start_keepalived r2

check "r1 holds VI_1's address, r2 VI_2's" wait_for 8 eval "has_vip r1 $VIP1 && has_vip r2 $VIP2"
check "r1: VI_1 MASTER, VI_2 BACKUP" wait_for 3 eval "ctl r1 status --json | grep -q '\"name\":\"VI_2\",\"state\":\"BACKUP\"'"
sleep 1.5  # past r2's own start-up transitions

fault() {  # KIND NAME: the admin command; prints the reply
  printf '{"cmd":"fault","kind":"%s","name":"%s"}\n' "$1" "$2" | socat -t 3 - "UNIX-CONNECT:$LAB_DIR/r1.sock"
}
entering() { grep -c "Entering" "$LAB_DIR/$1.log"; }  # transitions logged so far
# r1's addresses every 20 ms (slower on a loaded machine: an `ip` per sample): "TIME
# VIP1-held VIP2-held VIP3-held VIP4-held" per line.
poll_addresses() {
  while :; do
    a=$(ip -n "$(ns r1)" -4 -o addr show dev eth0)
    case $a in *" $VIP1/"*) h1=1 ;; *) h1=0 ;; esac
    case $a in *" $VIP2/"*) h2=1 ;; *) h2=0 ;; esac
    case $a in *" $VIP3/"*) h3=1 ;; *) h3=0 ;; esac
    case $a in *" $VIP4/"*) h4=1 ;; *) h4=0 ;; esac
    echo "$EPOCHREALTIME $h1 $h2 $h3 $h4" >> "$LAB_DIR/r1-addrs.txt"
    sleep 0.02
  done
}
poll_addresses &
POLLER=$!
LAB_PIDS+=($POLLER)

# ---- the MASTER instance's actor throws ----
r1_before=$(entering r1) r2_before=$(entering r2) notify_before=$(wc -l < "$LAB_DIR/notify.log")
reply=$(fault vrrp_instance VI_1)
check "the fault command is accepted ($reply)" eval "echo '$reply' | grep -q '\"ok\":true'"
check "r1 logs VI_1's failure and its restart" \
  wait_for 3 grep -q "vrrp_instance VI_1 failed (.*fault injected.*): restarted (restart 1" "$LAB_DIR/r1.log"
check "VI_1 resumes MASTER without a transition" \
  wait_for 3 grep -q "VRRP_Instance(VI_1): restarted; resuming MASTER without a transition" "$LAB_DIR/r1.log"
sleep 3  # three advert intervals: a peer that noticed anything would have moved by now
check "keepalivectl status shows VI_1 MASTER restarts=1" eval "ctl r1 status | grep -E '^VI_1 +MASTER restarts=1 '"
check "keepalivectl status has a supervision line for it" \
  eval "ctl r1 status | grep -q '^supervision: vrrp_instance VI_1 restarts=1, last: .*fault injected'"
check "VI_2 is still BACKUP on r1" eval "ctl r1 status | grep -qE '^VI_2 +BACKUP '"
check "no transition logged on r1 (neither instance moved)" test "$(entering r1)" -eq "$r1_before"
check "no transition on the peer r2 (keepalived's log)" test "$(entering r2)" -eq "$r2_before"
check "no notify hook ran" test "$(wc -l < "$LAB_DIR/notify.log")" -eq "$notify_before"
# Every sample has VI_1's address, and no two samples are more than 1 s apart (an `ip` per
# sample on a loaded machine; a restart through BACKUP would remove the address at once,
# for seconds at least).
held_throughout() {  # FILE COLUMN
  awk -v c="$2" 'NR > 1 && $1 - t > 1 { gap = 1 } { t = $1; if ($c != 1) lost = 1 }
                 END { print NR " samples, gap over 1 s: " (gap ? "yes" : "no") ", lost: " (lost ? "yes" : "no");
                       exit !(NR > 10 && !gap && !lost) }' "$1"
}
check "r1 never lost VI_1's address ($(held_throughout "$LAB_DIR/r1-addrs.txt" 2))" \
  eval "held_throughout '$LAB_DIR/r1-addrs.txt' 2 > /dev/null"
check "r1 never took VI_2's address" eval "! awk '\$3 == 1' '$LAB_DIR/r1-addrs.txt' | grep -q ."
check "r2 did not take VI_1's address, and kept VI_2's" eval "! has_vip r2 $VIP1 && has_vip r2 $VIP2"

# ---- the tracker (vrrp_script) throws ----
: > "$LAB_DIR/r1-addrs.txt"
reply=$(fault vrrp_script chk)
check "the tracker fault is accepted" eval "echo '$reply' | grep -q '\"ok\":true'"
check "r1 logs the tracker's restart" \
  wait_for 3 grep -q "vrrp_script chk failed (.*fault injected.*): restarted (restart 1" "$LAB_DIR/r1.log"
sleep 2.5  # the new tracker runs the script again: still succeeding
check "status shows the tracker's restart" eval "ctl r1 status | grep -q '^supervision: vrrp_script chk restarts=1'"
check "VI_1 is MASTER, its tracked script still succeeding" \
  eval "ctl r1 status --json | grep -q '\"name\":\"VI_1\",\"state\":\"MASTER\"'"
check "no transition on r1 nor r2 after the tracker's restart" \
  eval "[ $(entering r1) -eq $r1_before ] && [ $(entering r2) -eq $r2_before ]"
check "r1 kept VI_1's address throughout ($(held_throughout "$LAB_DIR/r1-addrs.txt" 2))" \
  eval "held_throughout '$LAB_DIR/r1-addrs.txt' 2 > /dev/null"

# ---- the checker, then the pool, throw ----
lb() {  # PYTHON-EXPRESSION on the status's first virtual_server `v`
  ctl r1 status --json | python3 -c "import json,sys; v=json.load(sys.stdin)['virtual_servers'][0]; print($1)"
}
server_up() { [ "$(lb "v['real_servers'][0]['up']")" = True ]; }
check "the real server is up (its TCP_CHECK succeeds)" wait_for 5 server_up
# The pool's view, sampled through the restarts: "True" each time.
sample_pool() { while :; do lb "v['real_servers'][0]['up']" >> "$LAB_DIR/pool-up.txt"; sleep 0.1; done; }
sample_pool &
POOL_SAMPLER=$!
LAB_PIDS+=($POOL_SAMPLER)
reply=$(fault checker "192.0.2.200:80 192.0.2.11:8080 TCP_CHECK #0")
check "the checker fault is accepted ($reply)" eval "echo '$reply' | grep -q '\"ok\":true'"
check "r1 logs the checker's restart" \
  wait_for 3 grep -q "checker 192.0.2.200:80 192.0.2.11:8080 TCP_CHECK #0 failed (.*fault injected.*): restarted" "$LAB_DIR/r1.log"
check "the new checker checks again: up" wait_for 4 eval "[ \"\$(lb \"v['checkers'][0]['state']\")\" = up ]"
pool=$(lb "v['name']")
reply=$(fault virtual_server "$pool")
check "the pool fault is accepted ($pool: $reply)" eval "echo '$reply' | grep -q '\"ok\":true'"
check "r1 logs the pool's restart" \
  wait_for 3 grep -q "virtual_server $pool failed (.*fault injected.*): restarted" "$LAB_DIR/r1.log"
sleep 1
kill "$POOL_SAMPLER" 2>/dev/null
check "the new pool has the checker's verdict at once: the server stayed up" \
  eval "[ \$(wc -l < '$LAB_DIR/pool-up.txt') -ge 3 ] && ! grep -qv '^True\$' '$LAB_DIR/pool-up.txt'"
check "status lists both restarts" eval "ctl r1 status | grep -q '^supervision: checker .* restarts=1' && ctl r1 status | grep -q '^supervision: virtual_server .* restarts=1'"
check "no real server went down in r1's log" eval "! grep -q 'real server .* down' '$LAB_DIR/r1.log'"

# ---- an instance added by a reload is supervised too; a removed one's supervisor ends ----
vi3() {  # ADDRESS...: VI_3's lines
  printf 'vrrp_instance VI_3 {\n  state MASTER\n  interface eth0\n  virtual_router_id 53\n  priority 150\n'
  printf '  advert_int 1\n  virtual_ipaddress {\n'
  printf '    %s/24\n' "$@"
  printf '  }\n}\n'
}
r1_conf "$(vi3 $VIP3)
" | lab_conf r1
out=$(ctl r1 reload 2>&1)
check "the reload adds VI_3 and keeps the rest ($(grep -o '[0-9]* kept.*added' <<<"$out"))" \
  grep -q "0 updated (0 restarted), 0 removed, 1 added" <<<"$out"
check "r1 holds VI_3's address" wait_for 6 eval "has_vip r1 $VIP3 && ctl r1 status | grep -qE '^VI_3 +MASTER '"
# Updated in place (a second address): its supervisor must restart it from the new config.
r1_conf "$(vi3 $VIP3 $VIP4)
" | lab_conf r1
out=$(ctl r1 reload 2>&1)
check "a reload updates VI_3 in place" grep -q "1 updated (0 restarted), 0 removed, 0 added" <<<"$out"
check "r1 holds VI_3's second address" wait_for 3 has_vip r1 $VIP4
vi3_status() {  # PYTHON-EXPRESSION on VI_3's status `v`
  ctl r1 status --json | python3 -c "import json,sys; v=[i for i in json.load(sys.stdin)['instances'] if i['name']=='VI_3'][0]; print($1)"
}
r1_b3=$(entering r1) r2_b3=$(entering r2)
: > "$LAB_DIR/r1-addrs.txt"
reply=$(fault vrrp_instance VI_3)
check "the fault into the reload's VI_3 is accepted ($reply)" eval "echo '$reply' | grep -q '\"ok\":true'"
check "r1 logs VI_3's failure and its restart" \
  wait_for 3 grep -q "vrrp_instance VI_3 failed (.*fault injected.*): restarted (restart 1" "$LAB_DIR/r1.log"
check "VI_3 resumes MASTER without a transition" \
  wait_for 3 grep -q "VRRP_Instance(VI_3): restarted; resuming MASTER without a transition" "$LAB_DIR/r1.log"
sleep 1.5
check "status: VI_3 MASTER restarts=1, VI_1 MASTER, VI_2 BACKUP" eval "ctl r1 status | grep -qE '^VI_3 +MASTER restarts=1 ' \
  && ctl r1 status | grep -qE '^VI_1 +MASTER ' && ctl r1 status | grep -qE '^VI_2 +BACKUP '"
check "no transition on r1 nor r2 through VI_3's restart" \
  eval "[ $(entering r1) -eq $r1_b3 ] && [ $(entering r2) -eq $r2_b3 ]"
check "r1 kept VI_1's address throughout ($(held_throughout "$LAB_DIR/r1-addrs.txt" 2))" \
  eval "held_throughout '$LAB_DIR/r1-addrs.txt' 2 > /dev/null"
check "r1 kept VI_3's address throughout ($(held_throughout "$LAB_DIR/r1-addrs.txt" 4))" \
  eval "held_throughout '$LAB_DIR/r1-addrs.txt' 4 > /dev/null"
check "r1 never took VI_2's address" eval "! awk '\$3 == 1' '$LAB_DIR/r1-addrs.txt' | grep -q ."
check "r1 kept VI_3's second address throughout ($(held_throughout "$LAB_DIR/r1-addrs.txt" 5))" \
  eval "held_throughout '$LAB_DIR/r1-addrs.txt' 5 > /dev/null"
check "the restarted VI_3 runs the reloaded config: 2 addresses, both held ($(vi3_status "len(v['vips']), v['vips_held']"))" \
  eval "[ \"\$(vi3_status \"len(v['vips']), v['vips_held']\")\" = '2 True' ]"
r1_conf | lab_conf r1
out=$(ctl r1 reload 2>&1)
check "a reload removes VI_3 again" grep -q "0 updated (0 restarted), 1 removed, 0 added" <<<"$out"
check "VI_3's addresses are released" wait_for 3 eval "! has_vip r1 $VIP3 && ! has_vip r1 $VIP4"
reply=$(fault vrrp_instance VI_3)
check "the removed VI_3's supervisor has stopped ($reply)" eval "echo '$reply' | grep -q 'its supervisor has stopped'"
check "VI_1 still MASTER with its address after both reloads" \
  eval "ctl r1 status | grep -qE '^VI_1 +MASTER ' && has_vip r1 $VIP1 && [ $(entering r2) -eq $r2_b3 ]"

# ---- restart intensity: VI_2 fails 6 times in a row (the limit is 5 in 60 s) ----
for n in 1 2 3 4 5 6; do
  fault vrrp_instance VI_2 > /dev/null
  wait_for 3 eval "grep -c 'vrrp_instance VI_2 failed' '$LAB_DIR/r1.log' | grep -qx $n"
done
check "the sixth failure is not restarted, loudly" \
  wait_for 3 grep -q "vrrp_instance VI_2 failed (.*) 6 times in 60 s: NOT RESTARTED ANY MORE" "$LAB_DIR/r1.log"
check "VI_2 is in FAULT, status says why" \
  wait_for 3 eval "ctl r1 status | grep -E '^VI_2 +FAULT \\(its actor failed too often; not restarted any more\\) restarts=5 '"
check "status marks VI_2 as FAILED" eval "ctl r1 status | grep -q '^supervision: vrrp_instance VI_2 restarts=5 FAILED'"
check "VI_1 stays MASTER with its address; r2 keeps VI_2's" \
  eval "ctl r1 status | grep -qE '^VI_1 +MASTER' && has_vip r1 $VIP1 && has_vip r2 $VIP2 && ! has_vip r2 $VIP1"
check "r2 saw no transition through all of it" test "$(entering r2)" -eq "$r2_before"
kill "$POLLER" 2>/dev/null
check "r1 exits cleanly (SIGTERM)" stop_router r1
lab_done
