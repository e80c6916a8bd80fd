#!/usr/bin/env bash
# Hitless reload (SIGHUP, `keepalivectl reload`): Keepalive as master of four VRRPv3
# instances, keepalived 2.2.7 as their backup watching. A capture on the bridge times
# every advert.
#  1. the same config reloaded: nothing changes, no transition on either router;
#  2. VI_A's priority 150 -> 160 (on the wire at once, still MASTER), VI_B's addresses
#     .102 .103 -> .102 .105 (only those added/removed), VI_C removed (priority 0 on the
#     wire, its VIP released, its notify_stop and notify ... STOP ran; keepalived takes it
#     over), VI_D added (becomes master of .106);
#  3. an invalid config: `keepalivectl reload` exits 1 and prints the error, the daemon
#     keeps the running config (no transition, addresses unchanged);
#  4. ten SIGHUPs in a row: the daemon answers, still master, no transition.
# Around each reload, valid or not, systemd's side of Type=notify (tests/lab/
# notify_receiver.py on NOTIFY_SOCKET) gets RELOADING=1 then READY=1, and
# `keepalivectl watch` one "reload" event (ok with its counts, or refused).
# Throughout: VI_A and VI_B (kept running, updated in place) send their adverts with no
# gap above one interval (plus a margin for a loaded machine), and keepalived never
# becomes MASTER for them.
source "$(dirname "$0")/lib.sh"
lab_init reload
lab_host ka 11
lab_host kd 12
INT=1          # advert_int, s
GAP_MS=1350    # largest allowed gap between two adverts of a running instance

ip netns exec "$(ns sw)" tcpdump -i br0 -nn -l -tt 'ip proto 112' > "$LAB_DIR/wire.txt" 2> "$LAB_DIR/tcpdump.log" &
LAB_PIDS+=($!)

inst() {  # NAME VRID PRIORITY STATE VIP...
  local name=$1 vrid=$2 prio=$3 state=$4; shift 4
  printf 'vrrp_instance %s {\n  state %s\n  interface eth0\n  virtual_router_id %s\n' "$name" "$state" "$vrid"
  printf '  priority %s\n  advert_int %s\n  version 3\n  virtual_ipaddress {\n' "$prio" "$INT"
  local v; for v in "$@"; do printf '    %s/24\n' "$v"; done
  printf '  }\n  notify @NOTIFY@\n  notify_stop "@DIR@/stopped.sh %s"\n}\n' "$name"
}
printf '#!/bin/sh\necho "$1" >> %s/stopped.log\n' "$LAB_DIR" > "$LAB_DIR/stopped.sh"
chmod +x "$LAB_DIR/stopped.sh"

METRICS=127.0.0.1:9650  # Keepalive's metrics_listen (in its namespace): read after a reload
gdefs() { printf 'global_defs {\n  router_id %s\n' "$1"; [ "$1" = ka ] && printf '  metrics_listen %s\n' "$METRICS"; printf '}\n'; }
conf1() {  # ROUTER PRIO STATE
  gdefs "$1"
  inst VI_A 1 "$2" "$3" 192.0.2.101
  inst VI_B 2 "$2" "$3" 192.0.2.102 192.0.2.103
  inst VI_C 3 "$2" "$3" 192.0.2.104
}
conf2() {  # ROUTER PRIO STATE: A's priority +10 (Keepalive), B's addresses, C gone, D new
  gdefs "$1"
  inst VI_A 1 "$(( $2 + ${4:-0} ))" "$3" 192.0.2.101
  inst VI_B 2 "$2" "$3" 192.0.2.102 192.0.2.105
  [ "$1" = kd ] && inst VI_C 3 "$2" "$3" 192.0.2.104  # the backup keeps it: it takes it over
  inst VI_D 4 "$2" "$3" 192.0.2.106
}
conf1 ka 150 MASTER | lab_conf ka
conf1 kd 100 BACKUP | lab_conf kd
start_keepalived kd
python3 "$(dirname "$0")/notify_receiver.py" "$LAB_DIR/sd-notify.sock" "$LAB_DIR/sd-notify.log" &
LAB_PIDS+=($!)
wait_for 5 test -S "$LAB_DIR/sd-notify.sock"
NOTIFY_SOCKET=$LAB_DIR/sd-notify.sock start_keepalive ka
watch_has() {  # CONDITION on one event `e` of `keepalivectl --json watch`
  python3 -c 'import json,sys
for l in open(sys.argv[1]):
    try: e = json.loads(l)
    except ValueError: continue
    if isinstance(e, dict) and eval(sys.argv[2]): sys.exit(0)
sys.exit(1)' "$LAB_DIR/watch.jsonl" "$1"
}
sd_order() { grep -E '^(READY|RELOADING)=1$' "$LAB_DIR/sd-notify.log" | tr '\n' ' '; }

ka_master_of() {  # NAME...
  local st; st=$(ctl ka status --json 2>/dev/null) || return 1
  local n; for n in "$@"; do
    python3 -c 'import json,sys; d=json.load(sys.stdin); n=sys.argv[1]
sys.exit(0 if any(i.get("name")==n and i.get("state")=="MASTER" for i in d["instances"]) else 1)' "$n" <<<"$st" || return 1
  done
}
holds() { has_vip "$1" "$2"; }
# Transitions after a line count of a log: Keepalive's "Entering" lines, keepalived's too.
entering() {  # HOST FROM_LINE PATTERN
  tail -n +"$(( $2 + 1 ))" "$LAB_DIR/$1.log" | grep -c -E "$3" || true
}
lines() { wc -l < "$LAB_DIR/$1.log"; }

check "Keepalive is master of VI_A, VI_B, VI_C" wait_for 8 ka_master_of VI_A VI_B VI_C
check "keepalived is backup (no VIP)" bash -c "! ip -n $(ns kd) -4 -o addr show dev eth0 | grep -q '192.0.2.10[1-4]/'"
"$KEEPALIVECTL" -s "$LAB_DIR/ka.sock" --json watch > "$LAB_DIR/watch.jsonl" 2> "$LAB_DIR/watch.err" &
LAB_PIDS+=($!)
sleep 1.5  # a few adverts before the window opens
T0=$(date +%s.%N)
KA0=$(lines ka) KD0=$(lines kd)

# ---- 1. the same config ----
out=$(ctl ka reload 2>&1); rc=$?
echo "  $out"
check "unchanged reload answers ok" [ $rc = 0 ]
check "unchanged reload: 3 kept, nothing else" grep -q "3 kept, 0 updated (0 restarted), 0 removed, 0 added" <<<"$out"
check "systemd: READY=1, then RELOADING=1 and READY=1 around the reload (got: $(sd_order))" \
  wait_for 3 eval '[ "$(sd_order)" = "READY=1 RELOADING=1 READY=1 " ]'
check "watch: a reload event, config 1 -> config 2, with its counts" wait_for 3 watch_has \
  'e.get("type")=="reload" and e.get("old")=="config 1" and e.get("new")=="config 2" and e.get("reason","").startswith("admin socket: 3 kept, 0 updated")'
sleep 1.5

# ---- 2. priority, addresses, a removed and an added instance ----
conf2 ka 150 MASTER 10 | lab_conf ka
conf2 kd 100 BACKUP | lab_conf kd
MARK=$(wc -l < "$LAB_DIR/wire.txt")
out=$(ctl ka reload 2>&1); rc=$?
kill -HUP "$(pid_of kd)"  # the peer too, at once: VI_B's address list must match on both
echo "  $out"
check "changed reload answers ok" [ $rc = 0 ]
check "changed reload: 2 updated in place, 1 removed, 1 added" \
  grep -q "0 kept, 2 updated (0 restarted), 1 removed, 1 added" <<<"$out"
check "VI_A at priority 160 on the wire" wait_for 3 eval \
  "tail -n +$(( MARK + 1 )) '$LAB_DIR/wire.txt' | grep -q '192.0.2.11 > 224.0.0.18: VRRPv3, Advertisement, vrid 1, prio 160'"
check "VI_A status: priority 160, still MASTER" eval \
  "ctl ka status --json | python3 -c 'import json,sys; d=json.load(sys.stdin); i=[i for i in d[\"instances\"] if i[\"name\"]==\"VI_A\"][0]; sys.exit(0 if i[\"priority\"][\"configured\"]==160 and i[\"state\"]==\"MASTER\" else 1)'"
check "VI_B: .105 added, .103 removed, .102 kept" wait_for 3 eval \
  "holds ka 192.0.2.105 && ! holds ka 192.0.2.103 && holds ka 192.0.2.102"
check "VI_C released by Keepalive (priority 0 on the wire)" eval \
  "! holds ka 192.0.2.104 && tail -n +$(( MARK + 1 )) '$LAB_DIR/wire.txt' | grep -q '192.0.2.11 > 224.0.0.18: VRRPv3, Advertisement, vrid 3, prio 0'"
check "VI_C: notify_stop ran" wait_for 3 grep -qx VI_C "$LAB_DIR/stopped.log"
check "VI_C: notify ... STOP ran" wait_for 3 grep -q "^ka INSTANCE VI_C STOP" "$LAB_DIR/notify.log"
check "keepalived takes VI_C over" wait_for 6 holds kd 192.0.2.104
check "VI_D added: Keepalive master of .106" wait_for 6 eval "ka_master_of VI_D && holds ka 192.0.2.106"
check "no other notify_stop ran" [ "$(wc -l < "$LAB_DIR/stopped.log")" = 1 ]
check "metrics after the reload: VI_D's series, none of VI_C's" eval \
  "ip netns exec $(ns ka) curl -sS --max-time 5 http://$METRICS/metrics > '$LAB_DIR/metrics.txt' &&
   grep -q 'keepalive_vrrp_state{vrrp_instance=\"VI_D\".*state=\"MASTER\"} 1' '$LAB_DIR/metrics.txt' &&
   ! grep -q 'vrrp_instance=\"VI_C\"' '$LAB_DIR/metrics.txt'"
sleep 1

# ---- 3. an invalid config ----
cp "$LAB_DIR/ka.conf" "$LAB_DIR/ka.good"
printf 'vrrp_instance VI_E {\n  interface eth0\n  virtual_router_id 300\n  priority 100\n}\n' >> "$LAB_DIR/ka.conf"
out=$(ctl ka reload 2>&1); rc=$?
echo "$out" | sed 's/^/  /'
check "invalid reload exits non-zero" [ $rc != 0 ]
check "invalid reload prints the error with its position" grep -q "ka.conf:[0-9]*:[0-9]*: error" <<<"$out"
check "daemon log says the running config is kept" grep -q "the running configuration is kept" "$LAB_DIR/ka.log"
check "systemd: READY=1 again after the refused reload (got: $(sd_order))" wait_for 3 eval \
  '[ "$(sd_order)" = "READY=1 RELOADING=1 READY=1 RELOADING=1 READY=1 RELOADING=1 READY=1 " ]'
check "watch: the refused reload's event" wait_for 3 watch_has \
  'e.get("type")=="reload" and e.get("new")=="refused" and "configuration invalid" in e.get("reason","")'
check "still master of VI_A, VI_B, VI_D, addresses unchanged" eval \
  "ka_master_of VI_A VI_B VI_D && holds ka 192.0.2.101 && holds ka 192.0.2.105 && holds ka 192.0.2.106"
cp "$LAB_DIR/ka.good" "$LAB_DIR/ka.conf"

# ---- 4. a SIGHUP storm ----
for _ in $(seq 1 10); do kill -HUP "$(pid_of ka)"; done
check "after 10 SIGHUPs the daemon answers" wait_for 5 eval "ctl ka ping >/dev/null"
check "after 10 SIGHUPs: still master of VI_A, VI_B, VI_D" wait_for 3 ka_master_of VI_A VI_B VI_D
check "after the SIGHUPs every reload finished (nothing changed)" wait_for 5 eval \
  "[ \$(tail -n +$KA0 '$LAB_DIR/ka.log' | grep -c 'Reload done.*: 3 kept, 0 updated (0 restarted), 0 removed, 0 added') -ge 1 ]"

# ---- 5. a sync group, a tracker and a notify FIFO, added, then changed ----
extra() {  # WEIGHT FIFO
  printf 'global_defs {\n  router_id ka\n  metrics_listen %s\n  vrrp_notify_fifo %s\n}\n' "$METRICS" "$2"
  printf 'vrrp_script S {\n  script /bin/true\n  interval 1\n  weight %s\n}\n' "$1"
  printf 'vrrp_sync_group G {\n  group {\n    VI_E\n    VI_F\n  }\n}\n'
  inst VI_E 5 150 MASTER 192.0.2.107 | sed 's/^}$/  track_script {\n    S\n  }\n}/'
  inst VI_F 6 150 MASTER 192.0.2.108
}
{ conf2 ka 150 MASTER 10 | sed 1,4d; extra 10 "$LAB_DIR/fifo1"; } | lab_conf ka
out=$(ctl ka reload 2>&1); rc=$?
echo "  $out"
check "group, tracker, FIFO added: 3 kept, 4 added" eval "[ $rc = 0 ] && grep -q '3 kept, 0 updated (0 restarted), 0 removed, 4 added' <<<\"\$out\""
check "VI_E and VI_F master together" wait_for 6 ka_master_of VI_E VI_F
{ conf2 ka 150 MASTER 10 | sed 1,4d; extra 20 "$LAB_DIR/fifo2"; } | lab_conf ka
out=$(ctl ka reload 2>&1); rc=$?
echo "$out" | sed 's/^/  /'
check "weight changed: tracker, VI_E and G restarted, VI_F kept" eval "[ $rc = 0 ] && grep -q 'restarted: tracker script S: weight changed' <<<\"\$out\" && grep -q 'restarted: vrrp_instance VI_E' <<<\"\$out\" && grep -q 'restarted: vrrp_sync_group G' <<<\"\$out\""
check "VI_E master again, with VI_F" wait_for 8 ka_master_of VI_E VI_F
check "the new FIFO gets VI_E's line" eval "timeout 1 cat '$LAB_DIR/fifo2' | grep -q 'INSTANCE \"VI_E\" MASTER'"
check "VI_F never left MASTER" [ "$(grep -c 'VRRP_Instance(VI_F) Entering' "$LAB_DIR/ka.log")" = 2 ]
sleep 1
T1=$(date +%s.%N)

# ---- throughout ----
check "Keepalive: no transition of VI_A, VI_B since the first reload" \
  [ "$(entering ka "$KA0" 'VRRP_Instance\(VI_[AB]\) Entering')" = 0 ]
check "keepalived never MASTER for VI_A, VI_B" [ "$(entering kd "$KD0" '\(VI_[AB]\) Entering MASTER')" = 0 ]
gaps=$(awk -v t0="$T0" -v t1="$T1" '
  $1 >= t0 && $1 <= t1 && / 192\.0\.2\.11 > 224\.0\.0\.18: VRRPv3/ {
    v = $0; sub(/.*vrid /, "", v); sub(/,.*/, "", v)
    if (v in last) { g = ($1 - last[v]) * 1000; if (g > max[v]) { max[v] = g; at[v] = $1 - t0 } }
    last[v] = $1; n[v]++ }
  END { for (v in n) printf "vrid %s: %d adverts, max gap %d ms (ending %.1f s into the window)\n", v, n[v], max[v], at[v] }' "$LAB_DIR/wire.txt" | sort)
echo "$gaps" | sed 's/^/  /'
for v in 1 2; do
  check "vrid $v: no advert gap above ${GAP_MS} ms" eval \
    "grep -q '^vrid $v: ' <<<\"\$gaps\" && [ \$(grep '^vrid $v: ' <<<\"\$gaps\" | sed 's/.*max gap \([0-9]*\) ms.*/\1/') -le $GAP_MS ]"
done
check "Keepalive exits cleanly" stop_router ka
lab_done
