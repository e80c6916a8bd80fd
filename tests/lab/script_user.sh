#!/usr/bin/env bash
# Whom scripts run as, Keepalive beside keepalived 2.2.7 with the same config (each alone on
# its own segment, so both become master):
#   1. vrrp_scripts, notify hooks and notify FIFO scripts with a user of their own or
#      under `script_user nobody nogroup` each write `id -u -g` to a file: the uid and gid
#      seen must be the same for both daemons (65534 65534 for nobody, 0 0 for `root`);
#   2. enable_script_security: an unweighted tracked script that fails, run as root from a
#      world-writable directory, is refused, so the instance is not held in FAULT by it and
#      becomes MASTER in both daemons; the same script from a safe directory would fault it.
#   3. enable_script_security without script_user (and no user keepalived_script): scripts
#      without a user of their own do not run (the instance becomes MASTER though their
#      script fails), a script with `user nobody` does.
source "$(dirname "$0")/lib.sh"
lab_init scrusr
lab_host ka 11
lab_host kd 12
ip -n "$LAB_P-sw" link set p12 nomaster  # separate segments: each daemon alone, both master
id keepalived_script > /dev/null 2>&1 && { echo "skip: a user keepalived_script exists"; exit 0; }
S=$(mktemp -d /tmp/ka-scripts.XXXXXX)  # outside LAB_DIR: its path must be root's only
chmod 755 "$S"
mkdir "$S/safe" "$S/open" "$S/out"
chmod 755 "$S/safe"; chmod 777 "$S/open" "$S/out"
trap 'rm -rf "$S"; lab_cleanup' EXIT
printf '#!/bin/sh\necho "$(id -u) $(id -g)" > %s/out/$1-$2\nexit 0\n' "$S" > "$S/safe/id.sh"
printf '#!/bin/sh\nexit 1\n' > "$S/safe/fail.sh"
cp "$S/safe/fail.sh" "$S/open/fail.sh"
chmod 755 "$S"/safe/*.sh "$S"/open/*.sh

conf() {  # ROUTER GLOBAL_LINES SCRIPTS TRACKED BACKUP_HOOK_USER
  printf 'global_defs {\n  router_id %s\n%s\n}\n%s\n' "$1" "$2" "$3"
  vrrp_conf "$1" BACKUP 100 notify= "extra=track_script {
    $4
  }
  notify_master \"$S/safe/id.sh $1 notify_master\"
  notify_backup \"$S/safe/id.sh $1 notify_backup\" ${5:-}" | sed '1,/^}/d'  # its global_defs is above
}
idscripts() {  # ROUTER
  printf 'vrrp_script as_nobody {\n  script "%s/safe/id.sh %s as_nobody"\n  user nobody\n}\n' "$S" "$1"
  printf 'vrrp_script as_root {\n  script "%s/safe/id.sh %s as_root"\n  user root\n}\n' "$S" "$1"
  printf 'vrrp_script as_default {\n  script "%s/safe/id.sh %s as_default"\n}\n' "$S" "$1"
}
run_both() {  # what to wait for: each router master
  for r in ka kd; do rm -f "$S/out/$r-"*; : > "$LAB_DIR/$r.log"; done
  start_keepalive ka
  start_keepalived kd
  check "[$1] Keepalive becomes master" wait_for 10 is_master ka
  check "[$1] keepalived becomes master" wait_for 10 is_master kd
  sleep 2
}
stop_both() { stop_router ka TERM; stop_router kd TERM; }
ids() { cat "$S/out/$1-$2" 2>/dev/null || echo none; }

# ---- 1. users ----
for r in ka kd; do
  conf $r "  script_user nobody nogroup
  notify_fifo $LAB_DIR/$r.fifo
  notify_fifo_script \"$S/safe/id.sh $r fifo_default\"
  vrrp_notify_fifo $LAB_DIR/$r-vrrp.fifo
  vrrp_notify_fifo_script \"$S/safe/id.sh $r fifo_root\" root" "$(idscripts $r)" "as_nobody
    as_root
    as_default" root | lab_conf $r
done
run_both users
for s in as_nobody as_root as_default notify_master notify_backup fifo_default fifo_root; do
  check "[users] $s: Keepalive ran it as '$(ids ka $s)', keepalived as '$(ids kd $s)'" \
    eval "[ \"\$(ids ka $s)\" = \"\$(ids kd $s)\" ] && [ \"\$(ids ka $s)\" != none ]"
done
check "[users] nobody is 65534 65534" test "$(ids ka as_nobody)" = "65534 65534"
check "[users] a hook's own user (notify_backup ... root) wins over script_user" test "$(ids ka notify_backup)" = "0 0"
stop_both

# ---- 2. enable_script_security refuses an unsafe root script ----
for dir in open safe; do
  for r in ka kd; do
    conf $r "  enable_script_security" \
      "$(printf 'vrrp_script chk {\n  script %s/%s/fail.sh\n  user root\n}\n' "$S" "$dir")" chk | lab_conf $r
  done
  if [ $dir = open ]; then
    run_both "security, failing root script in a world-writable directory"
    check "[security] Keepalive says why it refused the script" \
      grep -q "vrrp_script chk: not run: it runs as root and $S/open is writable by users other than root" "$LAB_DIR/ka.log"
  else
    for r in ka kd; do : > "$LAB_DIR/$r.log"; done
    start_keepalive ka
    start_keepalived kd
    sleep 6
    check "[security] the same script from a safe directory holds Keepalive in FAULT" \
      eval "ctl ka status --json | grep -q '\"state\":\"FAULT\"'"
    check "[security] and keeps keepalived from MASTER" eval "! is_master kd && ! has_vip kd 192.0.2.100"
  fi
  stop_both
done

# ---- 3. enable_script_security without script_user: no fallback to root ----
for r in ka kd; do
  conf $r "  enable_script_security" "$(idscripts $r)
$(printf 'vrrp_script chk {\n  script %s/safe/fail.sh\n}\n' "$S")" "as_nobody
    as_default
    chk" nobody | lab_conf $r
done
run_both "security, no script_user"
check "[security, no script_user] a script with user nobody runs in both" \
  eval "[ \"\$(ids ka as_nobody)\" = '65534 65534' ] && [ \"\$(ids kd as_nobody)\" = '65534 65534' ]"
check "[security, no script_user] a script without a user runs in neither" \
  eval "[ \"\$(ids ka as_default)\" = none ] && [ \"\$(ids kd as_default)\" = none ]"
check "[security, no script_user] nor the notify hook without a user" \
  eval "[ \"\$(ids ka notify_master)\" = none ] && [ \"\$(ids kd notify_master)\" = none ]"
check "[security, no script_user] the hook with user nobody runs in both" \
  eval "[ \"\$(ids ka notify_backup)\" = '65534 65534' ] && [ \"\$(ids kd notify_backup)\" = '65534 65534' ]"
stop_both
lab_done
