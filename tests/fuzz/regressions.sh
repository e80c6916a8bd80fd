#!/usr/bin/env bash
# Every input that once crashed the config front end (tests/fuzz/regressions/), run
# through `keepalive -t`: each must end with exit 0 (valid) or 1 with a message, never
# a signal or a hang. A crash test, not a timing test: the time bound is generous.
#   usage: regressions.sh PATH/TO/keepalive
set -uo pipefail
keepalive=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$(cd "$(dirname "$0")" && pwd)/regressions
failed=0
# Too big to keep in git: made here. And files that are no regular files at all.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{ printf 'global_defs {\n router_id "'; head -c 1048576 /dev/zero | tr '\0' x; printf '"\n}\n'; } > "$tmp/quoted-1MB.conf"
{ printf 'global_defs {\n router_id '; head -c 1048576 /dev/zero | tr '\0' '"'; printf '\n}\n'; } > "$tmp/empty-words-1MB.conf"
mkfifo "$tmp/fifo.conf"
for f in "$dir"/* "$tmp"/*.conf /dev/zero "$tmp"; do
  out=$(cd "$dir" && timeout 60 "$keepalive" -t -f "$f" 2>&1)
  status=$?
  case $status in
    0) ;;
    1) grep -q "^keepalive: " <<<"$out" || { echo "FAIL $f: exit 1 without a message"; failed=1; } ;;
    124) echo "FAIL $f: still running after 60 s"; failed=1 ;;
    *) echo "FAIL $f: exit $status"; printf '%s\n' "${out:0:2000}"; failed=1 ;;
  esac
  [ "$status" -le 1 ] && printf 'ok (exit %s) %s: %s\n' "$status" "${f##*/}" "$(tail -1 <<<"$out" | cut -c1-160)"
done
exit $failed
