#!/usr/bin/env bash
# A SIGINT or SIGTERM in the first milliseconds of start-up: the daemon must still end
# cleanly, exit status 0, no pid file and no admin socket left behind. 20 runs at each of
# 0, 1, 2, 5 and 10 ms after the exec of the daemon (see one_run), SIGINT, then the same
# for SIGTERM at 0 and 2 ms. The pid file and the admin socket appear 1-3 ms after exec.
source "$(dirname "$0")/lib.sh"
lab_init early
lab_host r1 11
vrrp_conf r1 BACKUP 100 | lab_conf r1
n=$(ns r1)

one_run() {  # SIGNAL DELAY_MS: prints "ok" or what went wrong
  local sig=$1 ms=$2 pid rc
  # Job control on: otherwise bash starts background commands with SIGINT ignored, and a
  # SIGINT before the daemon's first instruction would be discarded rather than fatal.
  set -m
  ip netns exec "$n" "$KEEPALIVE" -n -l -D -f "$LAB_DIR/r1.conf" -p "$LAB_DIR/r1.pid" \
    --admin-socket "$LAB_DIR/r1.sock" >> "$LAB_DIR/r1.log" 2>&1 &
  pid=$!
  # Time 0 is the exec: the wrapper has become the daemon (builtins only: a forked
  # helper per look would be slower than the whole start-up). Before the daemon's first
  # instruction (dynamic loading, ~1 ms) no program can catch a signal: it dies of it,
  # having created nothing. That outcome is counted apart and only accepted clean.
  local comm i
  for ((i = 0; i < 200000; i++)); do
    read -r comm < /proc/$pid/comm 2>/dev/null
    [ "$comm" = keepalive ] && break
  done
  [ "$ms" -gt 0 ] && sleep "0.$(printf %03d "$ms")"
  kill "-$sig" "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; echo "$sig@${ms}ms: still running after 5 s"; fi
  wait "$pid"; rc=$?
  local bad=""
  local killed=0
  [ "$rc" -eq $((128 + $(kill -l "$sig"))) ] && killed=1
  [ "$rc" -eq 0 ] || [ $killed = 1 ] || bad+=" exit=$rc"
  [ -e "$LAB_DIR/r1.pid" ] && bad+=" pid-file-left"
  [ -e "$LAB_DIR/r1.sock" ] && bad+=" socket-left"
  if [ -n "$bad" ]; then
    echo "$sig@${ms}ms:$bad"
    rm -f "$LAB_DIR/r1.pid" "$LAB_DIR/r1.sock"  # so that the next run is judged alone
  elif [ $killed = 1 ]; then
    echo before-main
  else
    echo ok
  fi
}

for spec in INT:0 INT:1 INT:2 INT:5 INT:10 TERM:0 TERM:2; do
  sig=${spec%%:*} ms=${spec#*:} fails=() early=0
  for _ in $(seq 1 20); do
    r=$(one_run "$sig" "$ms")
    case $r in ok) ;; before-main) early=$((early + 1)) ;; *) fails+=("$r") ;; esac
  done
  check "SIG$sig ${ms} ms after exec, 20 runs: exit 0 ($early died before main, nothing left), no pid file, no socket left${fails:+ (${fails[*]})}" \
    test "${#fails[@]}" -eq 0
done
lab_done
