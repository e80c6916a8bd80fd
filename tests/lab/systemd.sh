#!/usr/bin/env bash
# keepalive under a service manager, without systemd as PID 1 (none here, none in CI):
#  1. Type=notify: a Unix datagram socket stands in for systemd's (NOTIFY_SOCKET). READY=1
#     must come once, after the instance is started and when the admin socket already
#     answers (tests/lab/notify_receiver.py asks it the moment READY=1 arrives), with a
#     STATUS= summary; STOPPING=1 at SIGTERM, after READY=1. A NOTIFY_SOCKET nobody
#     listens on costs a warning, not the daemon.
#  2. -S/--log-facility: a syslog socket at /dev/log in a private mount namespace (an
#     overlay on /dev: the host's /dev is not touched) records what the daemon sends; the
#     <PRI> of each line is facility * 8 + severity. Bad values are refused. Under systemd
#     (JOURNAL_STREAM) without -S, lines go to the journal's socket (a tmpfs on
#     /run/systemd in the same namespace) with INSTANCE= and STATE= on transitions.
#  3. etc/keepalive.service passes `systemd-analyze verify` without a warning (ExecStart
#     pointed at the built binary); the same unit with a typo or a missing program does not.
source "$(dirname "$0")/lib.sh"
lab_init sysd
lab_host r1 11
vrrp_conf r1 BACKUP 100 | lab_conf r1
n=$(ns r1)
here=$(dirname "$0")

# ---- 1. Type=notify
python3 "$here/notify_receiver.py" "$LAB_DIR/notify.sock" "$LAB_DIR/sd-notify.log" "$LAB_DIR/r1.sock" &
receiver=$!
LAB_PIDS+=($receiver)
wait_for 5 grep -qs LISTENING=1 "$LAB_DIR/sd-notify.log"
NOTIFY_SOCKET=$LAB_DIR/notify.sock start_keepalive r1
wait_for 20 grep -q '^READY=1' "$LAB_DIR/sd-notify.log"
check "READY=1 arrives" grep -qx 'READY=1' "$LAB_DIR/sd-notify.log"
# The receiver writes its ping's outcome once the ping is answered or fails (5 s at most).
wait_for 10 grep -q '^ADMIN_AT_READY=' "$LAB_DIR/sd-notify.log"
check "the admin socket answered when READY=1 arrived" grep -qx 'ADMIN_AT_READY=pong' "$LAB_DIR/sd-notify.log"
check "STATUS= with the summary (1 instance, 0 virtual servers, the admin socket)" \
  grep -qx "STATUS=Running 1 VRRP instance, 0 virtual servers; admin socket $LAB_DIR/r1.sock" "$LAB_DIR/sd-notify.log"
# The instance has started: it is BACKUP (or later MASTER) when asked right after READY.
check "the instance runs (status answers BACKUP or MASTER)" \
  sh -c "'$KEEPALIVECTL' -s '$LAB_DIR/r1.sock' status --json | grep -Eq '\"state\":\"(BACKUP|MASTER)\"'"
stop_router r1; rc=$?
check "SIGTERM: exit status 0 (got $rc)" test "$rc" -eq 0
wait_for 3 grep -q '^STOPPING=1' "$LAB_DIR/sd-notify.log"
check "STOPPING=1 at SIGTERM, with STATUS=Stopping on ..." \
  sh -c "grep -qx STOPPING=1 '$LAB_DIR/sd-notify.log' && grep -q '^STATUS=Stopping on Terminated' '$LAB_DIR/sd-notify.log'"
order=$(grep -E '^(READY|STOPPING)=1$' "$LAB_DIR/sd-notify.log" | tr '\n' ' ')
check "READY=1 once, then STOPPING=1 once (got: $order)" test "$order" = "READY=1 STOPPING=1 "

kill "$receiver"; wait "$receiver" 2>/dev/null

NOTIFY_SOCKET=$LAB_DIR/nobody-listens.sock start_keepalive r1
check "NOTIFY_SOCKET with no listener: the daemon still answers" wait_for 10 sh -c "'$KEEPALIVECTL' -s '$LAB_DIR/r1.sock' ping >/dev/null 2>&1"
check "... and logs that the notification failed" \
  grep -q 'service manager notification failed' "$LAB_DIR/r1.log"
stop_router r1; rc=$?
check "... and stops with status 0 (got $rc)" test "$rc" -eq 0

# ---- 2. -S / --log-facility, and the journal
# Runs keepalive (no -l) with ARGS inside a mount namespace whose /dev/log (an overlay on
# /dev) and /run/systemd/journal/socket (a tmpfs on /run/systemd) are datagram sockets:
# each message is one line of $LAB_DIR/syslog-TAG.sent.log or journal-TAG.sent.log (the
# journal's fields joined by " | "). The host's /dev and /run/systemd are not touched.
syslog_run() {  # TAG ARGS...
  local tag=$1; shift
  local d=$LAB_DIR/dev-$tag
  mkdir -p "$d/upper" "$d/work"
  : > "$LAB_DIR/syslog-$tag.sent.log"
  : > "$LAB_DIR/journal-$tag.sent.log"
  timeout 45 ip netns exec "$n" unshare -m bash -s "$d" "$LAB_DIR/syslog-$tag.sent.log" \
    "$LAB_DIR/journal-$tag.sent.log" \
    "$KEEPALIVE" -n -f "$LAB_DIR/r1.conf" -p "$LAB_DIR/r1.pid" --admin-socket "$LAB_DIR/r1.sock" \
    "$@" >> "$LAB_DIR/syslog-$tag.log" 2>&1 <<'SH'
d=$1 out=$2 jout=$3; shift 3
mount -t overlay overlay -o "lowerdir=/dev,upperdir=$d/upper,workdir=$d/work" /dev || exit 90
mkdir -p /run/systemd && mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/journal || exit 91
python3 -c '
import select, socket, sys
outs = {}
for path, out in (("/dev/log", sys.argv[1]), ("/run/systemd/journal/socket", sys.argv[2])):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(path)
    outs[s] = open(out, "a", buffering=1)
print("listening", file=sys.stderr, flush=True)
while True:
    for s in select.select(list(outs), [], [])[0]:
        outs[s].write(s.recv(65536).decode(errors="replace").rstrip("\n").replace("\n", " | ") + "\n")
' "$out" "$jout" 2> "$d/receiver" &
r=$!
for _ in $(seq 1 100); do grep -q listening "$d/receiver" && break; sleep 0.05; done
"$@" & k=$!
for _ in $(seq 1 400); do cat "$out" "$jout" | grep -q 'admin socket on' && break; sleep 0.05; done
for _ in $(seq 1 100); do cat "$out" "$jout" | grep -q 'Entering BACKUP STATE' && break; sleep 0.05; done
kill -TERM $k; wait $k; echo "exit=$?"
sleep 0.2; kill $r
SH
}
syslog_run local3 -S local3
check "-S local3: the daemon stopped cleanly" grep -qx 'exit=0' "$LAB_DIR/syslog-local3.log"
# LOG_LOCAL3 = 19 << 3 = 152; notice = 5, info = 6
check "-S local3: notice lines are <157> (local3.notice) from Keepalive[pid]" \
  grep -Eq '^<157>.* Keepalive\[[0-9]+\]: Starting ' "$LAB_DIR/syslog-local3.sent.log"
check "-S local3: info lines are <158>" grep -Eq '^<158>.*admin socket on ' "$LAB_DIR/syslog-local3.sent.log"
check "-S local3: every line is local3 (152-159)" \
  sh -c "! grep -Ev '^<15[2-9]>' '$LAB_DIR/syslog-local3.sent.log' | grep -q ."
syslog_run digit --log-facility=5
check "--log-facility=5: local5 (<173> = 21 << 3 | notice)" \
  grep -Eq '^<173>.* Keepalive\[[0-9]+\]: Starting ' "$LAB_DIR/syslog-digit.sent.log"
syslog_run default
check "no -S: daemon facility (<29> = 3 << 3 | notice)" \
  grep -Eq '^<29>.* Keepalive\[[0-9]+\]: Starting ' "$LAB_DIR/syslog-default.sent.log"
check "no -S, no JOURNAL_STREAM: nothing to the journal" test ! -s "$LAB_DIR/journal-default.sent.log"
# Under systemd (JOURNAL_STREAM set) and without -S: the journal, with fields.
JOURNAL_STREAM=8:4242 syslog_run journal
check "JOURNAL_STREAM, no -S: nothing to /dev/log" test ! -s "$LAB_DIR/syslog-journal.sent.log"
check "... the journal gets the transition with INSTANCE=, STATE=, priority, facility, identifier" \
  grep -q '^MESSAGE=VRRP_Instance(VI_1) Entering BACKUP STATE | PRIORITY=5 | SYSLOG_FACILITY=3 | SYSLOG_IDENTIFIER=Keepalive | INSTANCE=VI_1 | STATE=BACKUP$' \
  "$LAB_DIR/journal-journal.sent.log"
check "... and other lines without them" \
  grep -q '^MESSAGE=Starting Keepalive .* | PRIORITY=5 | SYSLOG_FACILITY=3 | SYSLOG_IDENTIFIER=Keepalive$' "$LAB_DIR/journal-journal.sent.log"
JOURNAL_STREAM=8:4242 syslog_run journal_s -S local3
check "JOURNAL_STREAM with -S local3: syslog as asked (<157>), not the journal" \
  sh -c "grep -Eq '^<157>.* Keepalive\[[0-9]+\]: Starting ' '$LAB_DIR/syslog-journal_s.sent.log' && test ! -s '$LAB_DIR/journal-journal_s.sent.log'"
for bad in 8 LOCAL3 kern local8 ''; do
  out=$("$KEEPALIVE" -n -S "$bad" -f "$LAB_DIR/r1.conf" -p "$LAB_DIR/bad.pid" --admin-socket "$LAB_DIR/bad.sock" 2>&1); rc=$?
  check "-S '$bad' refused: exit 1 with a message, nothing started (got $rc)" \
    sh -c "test $rc -eq 1 && echo \"\$1\" | grep -q 'log-facility' && ! test -e '$LAB_DIR/bad.sock'" _ "$out"
done

# ---- 3. the unit file
sed "s|/usr/sbin/keepalive |$KEEPALIVE |" "$LAB_ROOT/etc/keepalive.service" > "$LAB_DIR/keepalive.service"
check "the unit runs the daemon in the foreground under Type=notify, reloads with SIGHUP" \
  sh -c "grep -qx 'Type=notify' '$LAB_DIR/keepalive.service' && grep -q '^ExecStart=.* --dont-fork ' '$LAB_DIR/keepalive.service' &&
         grep -qx 'ExecReload=/bin/kill -HUP \$MAINPID' '$LAB_DIR/keepalive.service'"
vout=$(systemd-analyze verify --man=no "$LAB_DIR/keepalive.service" 2>&1); rc=$?
check "systemd-analyze verify passes, not a warning (rc $rc: $vout)" test "$rc" -eq 0 -a -z "$vout"
# What verify catches: a typo is a warning, a missing program an error.
mkdir -p "$LAB_DIR/typo"
sed 's/^Type=notify/Type=notfy/' "$LAB_DIR/keepalive.service" > "$LAB_DIR/typo/keepalive.service"
check "... a unit with Type=notfy gets a warning" \
  sh -c "systemd-analyze verify --man=no '$LAB_DIR/typo/keepalive.service' 2>&1 | grep -q 'notfy'"
sed "s|^ExecStart=[^ ]*|ExecStart=$LAB_DIR/no-such-keepalive|" "$LAB_DIR/keepalive.service" > "$LAB_DIR/typo/keepalive.service"
check "... and one whose program is missing fails" \
  sh -c "! systemd-analyze verify --man=no '$LAB_DIR/typo/keepalive.service' 2>/dev/null"
lab_done
