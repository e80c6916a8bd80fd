#!/usr/bin/env bash
# The VM test of IPVS programming (ctest label vm): one boot of tests/vm/run-in-vm.sh runs
# tests/vm/ipvs_in_vm.sh, which drives build/tests/ipvs_probe. Prints the wall time.
#   tests/vm/ipvs_vm.sh BUILD_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?build dir}" && pwd)
probe=$build/tests/ipvs_probe
start=$(date +%s%N)
rc=0
"$here/run-in-vm.sh" -t 900 -s "$build" "sh $here/ipvs_in_vm.sh $probe $here/ipvsadm_lines.awk" \
  "$probe" "$build/tests/ipvs_actor_probe" "$here/ipvs_in_vm.sh" "$here/ipvsadm_lines.awk" "$(command -v ipvsadm)" \
  "$(readlink -f "$(command -v ip)")" || rc=$?
echo "ipvs vm test: exit $rc, wall $(( ($(date +%s%N) - start) / 1000000 )) ms"
exit $rc
