#!/usr/bin/env bash
# Front-end speed and memory: generates a keepalived.conf of VS virtual servers with RS
# real servers each, every one with a TCP_CHECK (2,000 x 20 by default, about 250,000
# lines; documentation addresses only: virtual servers in 198.51.100.0/24 and
# 203.0.113.0/24 on many ports, real servers in 192.0.2.0/24), then times
# `keepalive -t` and `keepalived -t` on the same file, RUNS times each, and prints the
# best and median wall time, the peak RSS (GNU time's %M) and the ratios.
#   usage: bench/parse.sh [RUNS] [VS] [RS]     (KEEPALIVE: the binary, default build/actors/keepalive)
# keepalived -t is run as it is: with no ip_vs module in the kernel it still reads and
# checks the whole file (see the note it prints, kept in the output).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5} vs=${2:-2000} rs=${3:-20}
keepalive=${KEEPALIVE:-build/actors/keepalive}
[ -x "$keepalive" ] || { echo "bench/parse: no $keepalive (build first)"; exit 1; }
command -v keepalived > /dev/null || { echo "bench/parse: keepalived is not installed"; exit 1; }
if [ ! -x /usr/bin/time ]; then
  apt-get install -y -qq time > /dev/null || { echo "bench/parse: cannot install GNU time"; exit 1; }
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
conf=$dir/lvs.conf
awk -v vs="$vs" -v rs="$rs" 'BEGIN {
  print "global_defs {\n  router_id bench\n}"
  for (i = 0; i < vs; i++) {
    net = (i % 2) ? "203.0.113." : "198.51.100."
    host = int(i / 2) % 254 + 1
    port = 1000 + int(i / 508)
    printf "virtual_server %s%d %d {\n  delay_loop 6\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n", net, host, port
    for (j = 0; j < rs; j++) {
      printf "  real_server 192.0.2.%d %d {\n    weight 1\n    TCP_CHECK {\n      connect_timeout 3\n    }\n  }\n", j % 254 + 1, 10000 + i
    }
    print "}"
  }
}' > "$conf"
lines=$(wc -l < "$conf")
bytes=$(wc -c < "$conf")

# One run: "seconds kib exit-status"; GNU time's line is the last of the command's stderr.
measure() {
  /usr/bin/time -f '%e %M %x' "$@" > "$dir/run.out" 2> "$dir/run.err" || true
  tail -n 1 "$dir/run.err"
}
series() {  # NAME CMD...: prints "best median kib"
  local name=$1; shift
  local times=() kib=0 i t m x
  for ((i = 0; i < runs; i++)); do
    read -r t m x < <(measure "$@")
    echo "$x" > "$dir/$name.status"
    times+=("$t")
    (( m > kib )) && kib=$m
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v kib="$kib" '
    { t[NR] = $1 } END { med = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; print t[1], med, kib }'
}

echo "config: $vs virtual servers x $rs real servers with TCP_CHECK: $lines lines, $bytes bytes"
read -r ka_best ka_med ka_kib < <(series keepalive "$keepalive" -t -f "$conf")
echo "keepalive -t: exit $(cat "$dir/keepalive.status"); its last lines:"
tail -n 3 "$dir/run.out" "$dir/run.err" | grep -v '^==>' | sed 's/^/  /' | cut -c1-160
read -r kd_best kd_med kd_kib < <(series keepalived keepalived -t -f "$conf")
echo "keepalived -t: exit $(cat "$dir/keepalived.status"); its last lines:"
tail -n 4 "$dir/run.err" | sed 's/^/  /' | cut -c1-160

awk -v a="$ka_best" -v b="$ka_med" -v c="$ka_kib" -v d="$kd_best" -v e="$kd_med" -v f="$kd_kib" -v n="$runs" 'BEGIN {
  printf "%-14s %10s %10s %14s   (%d runs each)\n", "", "best s", "median s", "peak RSS MiB", n
  printf "%-14s %10.2f %10.2f %14.1f\n", "keepalive -t", a, b, c / 1024
  printf "%-14s %10.2f %10.2f %14.1f\n", "keepalived -t", d, e, f / 1024
  printf "%-14s %10.2fx %9.2fx %13.2fx   (keepalived / keepalive; > 1: keepalive faster / smaller)\n", "ratio",
         (a > 0 ? d / a : 0), (b > 0 ? e / b : 0), (c > 0 ? f / c : 0)
}'
