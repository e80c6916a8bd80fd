#!/usr/bin/env bash
# The end-to-end VM test of the daemon as a load balancer (ctest label vm): one boot of
# tests/vm/run-in-vm.sh runs tests/vm/lb_e2e_in_vm.sh, which starts build/actors/keepalive
# with virtual servers, real servers in namespaces and HTTP clients. Prints the wall time.
#   tests/vm/lb_e2e_vm.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?build dir}" && pwd)
start=$(date +%s%N)
rc=0
# The binaries run from the shared build directory (the ASan one is >100 MiB): only their
# libraries go into the initramfs, the probe module's (OpenSSL, c-ares...) among them.
mapfile -t libs < <(ldd "$build/actors/keepalive" "$build/actors/keepalivectl" "$build/actors/keepalive-probes.so" |
                    grep -o '/[^ ]*' | grep -v ':$' | sort -u)
# Slack over the checkers' 3 s bound for a failure to leave the table: TCG alone needs
# under 1 s of it; the sanitizer build's daemon is several times slower.
slack=1500
printf '%s\n' "${libs[@]}" | grep -q libasan && slack=4000
"$here/run-in-vm.sh" -t 900 -s "$build" \
  "sh $here/lb_e2e_in_vm.sh $build/actors/keepalive $build/actors/keepalivectl $slack" \
  "${libs[@]}" "$here/lb_e2e_in_vm.sh" "$(command -v ipvsadm)" \
  "$(command -v jq)" "$(readlink -f "$(command -v ip)")" || rc=$?
echo "lb e2e vm test: exit $rc, wall $(( ($(date +%s%N) - start) / 1000000 )) ms"
exit $rc
