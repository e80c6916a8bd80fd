#!/usr/bin/env bash
# keepalived's dump files: SIGUSR1 (data), SIGUSR2 (stats) and keepalived's JSON signal
# (`keepalived --signum=JSON`) make Keepalive write /tmp/keepalived.{data,stats,json} as
# keepalived 2.2.7 does for the same config. Two routers: keepalived (kd, priority 150,
# master) and Keepalive (ka, 100, backup), a sync group of two instances, a vrrp_script,
# PASS authentication, an excluded address and SMTP settings; top-level `instance` with
# data_use_instance puts the data dump at /tmp/keepalived.NAME.data (keepalived's path).
# Each daemon is signalled in turn (the stats and JSON paths are the same for both) and
# dump_compare.py compares the files structurally. The counters count real adverts: the
# backup's "Received" is within 2 of the master's "Sent", and after keepalived stops
# (priority 0 adverts), Keepalive's "Priority Zero: Received" and "Became master" are 1.
# Last, a symlink planted at /tmp/keepalived.stats is replaced, not followed.
source "$(dirname "$0")/lib.sh"
lab_init dumps
lab_host ka 11
lab_host kd 12
NAME="kadump$$"
DATA=/tmp/keepalived.$NAME.data
STATS=/tmp/keepalived.stats
JSON=/tmp/keepalived.json
JSIG=$(keepalived --signum=JSON)
here=$(dirname "$0")

conf() {  # ROUTER PRIORITY
  cat <<C
instance $NAME
global_defs {
  router_id $1
  data_use_instance
  notification_email {
    root@example.com
  }
  notification_email_from ka@example.com
  smtp_server 127.0.0.1 2525
  smtp_connect_timeout 5
}
vrrp_script chk {
  script "/bin/true"
  interval 1
  weight 0
}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
  }
  smtp_alert
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority $2
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass secret
  }
  virtual_ipaddress {
    192.0.2.100/24
  }
  virtual_ipaddress_excluded {
    192.0.2.110/24
  }
  track_script {
    chk
  }
}
vrrp_instance VI_2 {
  state BACKUP
  interface eth0
  virtual_router_id 52
  priority $2
  advert_int 1
  virtual_ipaddress {
    192.0.2.101/24
  }
}
C
}
conf ka 100 | lab_conf ka
conf kd 150 | lab_conf kd

# Asks one daemon for one dump; the file must be new (removed first, then written).
dump() {  # HOST SIGNAL FILE COPY
  rm -f "$3"
  local pid; pid=$(pid_of "$1")
  [ "$1" = kd ] && pid=$(cat "$LAB_DIR/kd.pid")
  kill "-$2" "$pid"
  wait_for 5 test -s "$3" && sleep 0.2 && cp "$3" "$4"
}
dump_all() {  # HOST
  dump "$1" USR1 "$DATA" "$LAB_DIR/$1.data" &&
    dump "$1" USR2 "$STATS" "$LAB_DIR/$1.stats" &&
    dump "$1" "$JSIG" "$JSON" "$LAB_DIR/$1.json"
}
stat_of() {  # FILE INSTANCE LINE-PREFIX: the counter's value in a stats dump
  awk -v i="VRRP Instance: $2" -v p="$3" '$0 == i { on = 1; next } /^VRRP Instance:/ { on = 0 }
    on && index($0, p) == 1 { sub(/.*: /, ""); print; exit }' "$1"
}
near() { local d=$(( $1 - $2 )); [ ${d#-} -le "$3" ]; }
adverts_match() { [ "${1:-0}" -ge 4 ] && [ "${2:-0}" -ge 4 ] && near "$1" "$2" 2; }

start_keepalived kd
# keepalived as a backup first (its first 3 s), for the fields only a backup's dump has.
wait_for 5 test -s "$LAB_DIR/kd.pid"
sleep 0.5
dump kd USR1 "$DATA" "$LAB_DIR/kd-backup.data"
check "keepalived wrote a data dump as a backup" grep -q -x '   State = BACKUP' "$LAB_DIR/kd-backup.data"
wait_for 10 is_master kd
start_keepalive ka
both_backup() { [ "$(ctl ka status --json 2>/dev/null | grep -o '"state":"BACKUP"' | wc -l)" -ge 2 ]; }
wait_for 10 both_backup
sleep 4  # a few adverts to count

# Both dumped at once, as nearly as the shared paths allow: keepalived's first.
dump_all kd
check "keepalived wrote its three dumps" test -s "$LAB_DIR/kd.data" -a -s "$LAB_DIR/kd.stats" -a -s "$LAB_DIR/kd.json"
dump_all ka
check "Keepalive wrote its three dumps (data at keepalived's data_use_instance path)" \
  test -s "$LAB_DIR/ka.data" -a -s "$LAB_DIR/ka.stats" -a -s "$LAB_DIR/ka.json"
check "the files are mode 0600, as keepalived's" \
  test "$(stat -c %a "$DATA" "$STATS" "$JSON" | sort -u)" = 600
for k in data stats json; do
  extra=(); [ $k = data ] && extra=("$LAB_DIR/kd-backup.data")
  check "the $k dump has keepalived's structure" python3 "$here/dump_compare.py" $k "$LAB_DIR/ka.$k" "$LAB_DIR/kd.$k" "${extra[@]}"
done
check "the data dump shows the backup and its master" \
  grep -q -x '   Master router = 192.0.2.12' "$LAB_DIR/ka.data"
check "the JSON dump says BACKUP (1) for both instances" \
  test "$(python3 -c 'import json,sys; print(sorted(i["data"]["state"] for i in json.load(open(sys.argv[1]))))' "$LAB_DIR/ka.json")" = "[1, 1]"
for i in VI_1 VI_2; do
  sent=$(stat_of "$LAB_DIR/kd.stats" $i "    Sent:")
  got=$(stat_of "$LAB_DIR/ka.stats" $i "    Received:")
  echo "  $i: keepalived sent $sent, Keepalive received $got"
  check "$i: Keepalive's Received ($got) counts keepalived's adverts ($sent, within 2)" \
    adverts_match "$sent" "$got"
done

# keepalived stops: priority 0 adverts, Keepalive takes over.
kill -TERM "$(cat "$LAB_DIR/kd.pid")"
wait_for 10 is_master ka
sleep 2.5
dump ka USR2 "$STATS" "$LAB_DIR/ka2.stats"
for i in VI_1 VI_2; do
  check "$i: Became master 1, Released master 0" \
    test "$(stat_of "$LAB_DIR/ka2.stats" $i "  Became master:")/$(stat_of "$LAB_DIR/ka2.stats" $i "  Released master:")" = 1/0
  pz=$(awk -v i="VRRP Instance: $i" '$0 == i { on = 1; next } /^VRRP Instance:/ { on = 0 }
    on && /Priority Zero:/ { z = 1; next } on && z && /Received:/ { sub(/.*: /, ""); print; exit }' "$LAB_DIR/ka2.stats")
  check "$i: Priority Zero Received = 1 (got $pz)" test "$pz" = 1
  s=$(stat_of "$LAB_DIR/ka2.stats" $i "    Sent:")
  check "$i: as master it counts its own adverts (Sent $s >= 2)" test "${s:-0}" -ge 2
done

# A symlink planted where the stats go is replaced, not followed.
rm -f "$STATS"
echo "victim" > "$LAB_DIR/victim"
ln -s "$LAB_DIR/victim" "$STATS"
kill -USR2 "$(pid_of ka)"
wait_for 5 test -f "$STATS" -a ! -L "$STATS"
check "a symlink at $STATS is replaced by a regular file" test -f "$STATS" -a ! -L "$STATS"
check "the symlink's target is untouched" test "$(cat "$LAB_DIR/victim")" = victim
check "no temporary file is left beside the dumps" bash -c "! ls /tmp/keepalived.stats.* /tmp/keepalived.json.* $DATA.* 2>/dev/null | grep -q ."
check "Keepalive still answers" bash -c "'$KEEPALIVECTL' -s '$LAB_DIR/ka.sock' status >/dev/null"
rm -f "$DATA" "$STATS" "$JSON"  # this lab's own outputs in /tmp
lab_done
