#!/usr/bin/env bash
# `keepalive -t` as an operator reads it: every warning and every error, in file order,
# then the summary; exit 1 on an error, 0 when only warnings (a missing interface is one).
#   usage: config_test.sh PATH/TO/keepalive
set -uo pipefail
keepalive=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
expect() {  # DESCRIPTION COMMAND...
  if "${@:2}"; then echo "ok   - $1"; else echo "FAIL - $1"; failed=1; fi
}

# Warnings (line 1: no virtual address, found late; line 7: an include matching nothing,
# found first) and an unknown keyword (line 4) around the error (line 5). The interface of
# line 3 does not exist, but a config that does not load is not checked for interfaces.
cat > "$tmp/mixed.conf" <<'CONF'
vrrp_instance VI_1 {
  virtual_router_id 5
  interface ka-nosuch0
  frobnicate 1
  priority 300
}
include none-*.conf
CONF
out=$("$keepalive" -t -f "$tmp/mixed.conf" 2>&1); rc=$?
printf '%s\n' "$out"
expect "an error exits 1" test $rc -eq 1
expected="$tmp/mixed.conf:1:1: warning: (VI_1) no virtual_ipaddress configured
$tmp/mixed.conf:4:3: unknown keyword: unknown keyword 'frobnicate'
$tmp/mixed.conf:5:12: error: found '300', expected an integer 1..255 for priority
$tmp/mixed.conf:7:9: warning: include pattern 'none-*.conf' matches no file
keepalive: $tmp/mixed.conf: configuration invalid (1 error, 1 unknown keyword, 2 warnings)"
expect "warnings and errors in file order, then the summary" test "$out" = "$expected"

sed -i 's/priority 300/priority 100/; /frobnicate/d' "$tmp/mixed.conf"
out=$("$keepalive" -t -f "$tmp/mixed.conf" 2>&1); rc=$?
printf '%s\n' "$out"
expect "only warnings exit 0" test $rc -eq 0
expect "a missing interface is a warning with its position" \
  grep -qx "$tmp/mixed.conf:3:13: warning: interface 'ka-nosuch0' does not exist (it may appear later)" <<<"$out"
expect "... said once per name" test "$(grep -c ka-nosuch0 <<<"$out")" -eq 1
expect "the summary counts the warnings" grep -q "configuration valid (1 vrrp_instance, 3 warnings)" <<<"$out"
exit $failed
