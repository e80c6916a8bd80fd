#!/usr/bin/env bash
# SMTP alerts against a real SMTP server (aiosmtpd from Debian, tests/lab/smtp_sink.py),
# Keepalive beside keepalived 2.2.7 with the same config: a sync group G1 of VI_1 and VI_2,
# global smtp_alert on, VI_2 `smtp_alert off`. Each router mails its own server on
# 127.0.0.1:2525 in its namespace. Keepalive (ka, priority 150) starts after keepalived
# (kd, 100) and takes over: its mails are one per transition of VI_1 and G1 (none of VI_2),
# and each has the envelope, HELO, headers and body of keepalived's mail for the same
# transition. Then Keepalive's mail server is blackholed (SYNs dropped: every mail waits
# for smtp_connect_timeout, 20 s) and its wire cut and restored: it still goes to FAULT
# at once and back to MASTER within the usual time, while those mails are pending.
source "$(dirname "$0")/lib.sh"
lab_init smtpal
lab_host ka 11
lab_host kd 12
here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3   # Debian's, which has python3-aiosmtpd

conf() {  # ROUTER PRIORITY
  cat <<C
global_defs {
  router_id $1
  notification_email {
    root@example.com
    ops@example.com
  }
  notification_email_from alerts@example.com
  smtp_server 127.0.0.1 2525
  smtp_connect_timeout 20
  smtp_alert
}
vrrp_sync_group G1 {
  group {
    VI_1
    VI_2
  }
}
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority $2
  advert_int 1
  virtual_ipaddress {
    192.0.2.100/24
  }
}
vrrp_instance VI_2 {
  state BACKUP
  interface eth0
  virtual_router_id 52
  priority $2
  advert_int 1
  smtp_alert off
  virtual_ipaddress {
    192.0.2.101/24
  }
}
C
}
conf ka 150 | lab_conf ka
conf kd 100 | lab_conf kd

sink() {  # HOST
  mkdir -p "$LAB_DIR/mail-$1"
  PYTHONPATH="$here" ip netns exec "$(ns "$1")" $PY -m aiosmtpd -n -l 127.0.0.1:2525 \
    -c smtp_sink.Sink "$LAB_DIR/mail-$1" >> "$LAB_DIR/sink-$1.log" 2>&1 &
  LAB_PIDS+=($!)
  eval "SINK_$1=$!"
}
listening() { ip netns exec "$(ns "$1")" ss -ltn | grep -q '127.0.0.1:2525 '; }
mails() { ls "$LAB_DIR/mail-$1"/*.json 2>/dev/null | wc -l; }
subjects() { $PY "$here/smtp_compare.py" subjects "$LAB_DIR/mail-$1"; }
has_mail() { subjects "$1" | grep -q -x -F "$2"; }

sink ka
sink kd
wait_for 10 listening ka
wait_for 10 listening kd
check "both SMTP servers listen" bash -c "$(declare -f listening ns); LAB_P=$LAB_P; listening ka && listening kd"

start_keepalived kd
wait_for 10 is_master kd
start_keepalive ka
wait_for 10 is_master ka
# ka: VI_1 and G1 enter BACKUP, then MASTER; kd: BACKUP, MASTER, BACKUP again.
wait_for 10 has_mail ka "[ka] VRRP Group G1 - Entering MASTER state"
wait_for 10 has_mail kd "[kd] VRRP Group G1 - Entering BACKUP state"
sleep 1
echo "--- Keepalive's mails:"; subjects ka | sed 's/^/  /'
echo "--- keepalived's mails:"; subjects kd | sed 's/^/  /'
for s in "VRRP Instance VI_1 - Entering BACKUP state" "VRRP Group G1 - Entering BACKUP state" \
         "VRRP Instance VI_1 - Entering MASTER state" "VRRP Group G1 - Entering MASTER state"; do
  check "Keepalive mailed: $s" test "$(subjects ka | grep -c -x -F "[ka] $s")" = 1
done
check "Keepalive sent 4 mails, no more" test "$(mails ka)" = 4
check "no mail for VI_2 (smtp_alert off), from either daemon" bash -c "! grep -h -q 'VI_2' '$LAB_DIR'/mail-k*/*.json"
check "Keepalive's mails have keepalived's envelope, HELO, headers and bodies" \
  $PY "$here/smtp_compare.py" same "$LAB_DIR/mail-ka" "$LAB_DIR/mail-kd"

# The mail server goes dark: SYNs to it are dropped, every mail waits its 20 s timeout.
ip netns exec "$(ns ka)" nft -f - <<'N'
table inet kablk {
  chain in {
    type filter hook input priority 0;
    tcp dport 2525 drop
  }
}
N
before=$(mails ka)
log0=$(wc -l < "$LAB_DIR/ka.log")
lab_unplug 11
t0=$(date +%s%N)
wait_for 5 bash -c "$(declare -f ctl); KEEPALIVECTL='$KEEPALIVECTL' LAB_DIR='$LAB_DIR'; ctl ka status --json | grep -q '\"state\":\"FAULT\"'"
t_fault=$(( ($(date +%s%N) - t0) / 1000000 ))
check "with the mail server dark, the cut wire still puts Keepalive in FAULT at once (${t_fault} ms)" \
  test "$t_fault" -lt 2000
wait_for 10 is_master kd
sleep 1
lab_plug 11
t0=$(date +%s%N)
wait_for 10 is_master ka
t_master=$(( ($(date +%s%N) - t0) / 1000000 ))
wait_for 2 has_vip ka 192.0.2.100
echo "  wire back to Keepalive MASTER: ${t_master} ms"
check "back to MASTER within the usual time while its mails hang (${t_master} ms < 5000)" \
  test "$t_master" -lt 5000
check "Keepalive holds the address" has_vip ka 192.0.2.100
check "those mails are still pending, none delivered" test "$(mails ka)" = "$before"
check "no mail failure logged since (the 20 s timeout has not passed)" \
  bash -c "! tail -n +$((log0 + 1)) '$LAB_DIR/ka.log' | grep -q 'SMTP alert .* not sent'"
check "the admin socket answers meanwhile" bash -c "'$KEEPALIVECTL' -s '$LAB_DIR/ka.sock' status >/dev/null"
mailer() {  # FIELD: the mailer's counter in the status
  "$KEEPALIVECTL" -s "$LAB_DIR/ka.sock" status --json | $PY -c 'import json, sys
j = json.load(sys.stdin)
print([o for o in j["notify_outlets"] if o.get("kind") == "smtp_alert"][0][sys.argv[1]])' "$1"
}
sent=$(mailer sent) pending=$(mailer in_flight)
check "status: the mailer sent 4 and has $pending pending (>= 4: FAULT, BACKUP, MASTER of VI_1 and G1)" \
  test "$sent" = 4 -a "${pending:-0}" -ge 4
lab_done
