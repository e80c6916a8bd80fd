#!/usr/bin/env bash
# keepalived 2.2.7 and probe_tool judge the same servers: one qemu VM (real IPVS,
# tests/vm/run-in-vm.sh, or IPVS_VM_RUN) holds a server namespace with dnsmasq
# and a socat UDP echo; keepalived runs a virtual server whose real servers each carry one
# DNS/UDP/PING/MISC checker for 12 s, and `ipvsadm -Ln` says which it kept (and at what
# weight); then probe_tool runs the same checks. Every verdict, and the misc_dynamic
# weight, must agree. Not in ctest (about 70 s under TCG): the wired-daemon VM test covers the same kinds.
set -u
: "${KA_BUILD:=$(cd "$(dirname "$0")/../.." && pwd)/build}"
RUN=${IPVS_VM_RUN:-$(cd "$(dirname "$0")/../vm" && pwd)/run-in-vm.sh}
[ -x "$RUN" ] || { echo "no VM tool ($RUN)"; exit 1; }
D=$(mktemp -d /tmp/ka-probes-vm.XXXXXX)
trap 'rm -rf "$D"' EXIT
cp "$KA_BUILD/tests/probe_tool" "$D/probe_tool"
printf '#!/bin/sh\ntrap "" TERM\nwhile :; do sleep 0.1; done\n' > "$D/stubborn.sh"
printf '#!/bin/sh\nexit "$1"\n' > "$D/exit.sh"
chmod 755 "$D"/*.sh

# name | real server port | keepalived checker block | probe_tool arguments
cases=(
  "dns A|5301|DNS_CHECK;connect_port 53;type A;name www.example.test|dns --port 53 --type A --name www.example.test"
  "dns NODATA|5302|DNS_CHECK;connect_port 53;type MX;name www.example.test|dns --port 53 --type MX --name www.example.test"
  "dns NODATA apex|5303|DNS_CHECK;connect_port 53;type TXT;name example.test|dns --port 53 --type TXT --name example.test"
  "dns NXDOMAIN|5304|DNS_CHECK;connect_port 53;type A;name nosuch.example.test|dns --port 53 --type A --name nosuch.example.test"
  "dns REFUSED (SOA of .)|5305|DNS_CHECK;connect_port 53|dns --port 53"
  "dns silent server|5306|DNS_CHECK;connect_port 9|dns --port 9"
  "udp echo, no HEX_STR, lengths ignored|701|UDP_CHECK;connect_port 7;payload 0102;require_reply;min_reply_length 3|udp --port 7 --payload 0102 --require-reply --min-len 3"
  "udp HEX_STR, too short|702|UDP_CHECK;connect_port 7;payload 0102;require_reply 01;min_reply_length 3|udp --port 7 --payload 0102 --require-reply --reply 01 --min-len 3"
  "udp HEX_STR with x|703|UDP_CHECK;connect_port 7;payload 0a0b0c;require_reply 0x0b|udp --port 7 --payload 0a0b0c --require-reply --reply 0x0b"
  "udp wrong reply|704|UDP_CHECK;connect_port 7;payload 0a0b;require_reply 0a0c|udp --port 7 --payload 0a0b --require-reply --reply 0a0c"
  "udp closed port|705|UDP_CHECK;connect_port 11;payload 01|udp --port 11 --payload 01"
  "udp silent port|706|UDP_CHECK;connect_port 9;payload 01|udp --port 9 --payload 01"
  "udp silent port, require_reply|707|UDP_CHECK;connect_port 9;payload 01;require_reply|udp --port 9 --payload 01 --require-reply"
  "ping|801|PING_CHECK|ping"
  "misc exit 0|901|MISC_CHECK;misc_path \"$D/exit.sh 0\"|misc --path '$D/exit.sh 0'"
  "misc exit 1|902|MISC_CHECK;misc_path \"$D/exit.sh 1\"|misc --path '$D/exit.sh 1'"
  "misc_dynamic exit 12|903|MISC_CHECK;misc_path \"$D/exit.sh 12\";misc_dynamic|misc --path '$D/exit.sh 12' --dynamic"
  "misc_dynamic exit 1|904|MISC_CHECK;misc_path \"$D/exit.sh 1\";misc_dynamic|misc --path '$D/exit.sh 1' --dynamic"
  "misc past misc_timeout|905|MISC_CHECK;misc_path \"$D/stubborn.sh\";misc_timeout 1|misc --path '$D/stubborn.sh' --timeout 1"
)
{
  printf 'global_defs {\n  router_id probes_vm\n}\nvirtual_server 203.0.113.100 53 {\n  delay_loop 3\n  protocol UDP\n'
  for c in "${cases[@]}"; do
    IFS='|' read -r _ port block _ <<< "$c"
    IFS=';' read -r -a lines <<< "$block"
    printf '  real_server 192.0.2.2 %s {\n    %s {\n' "$port" "${lines[0]}"
    # One keyword a line: keepalived reads only the first of a line.
    [ "${lines[0]}" = MISC_CHECK ] || printf '      connect_timeout 1\n      retry 0\n'
    for l in "${lines[@]:1}"; do printf '      %s\n' "$l"; done
    printf '    }\n  }\n'
  done
  printf '}\n'
} > "$D/keepalived.conf"
{
  cat <<EOS
#!/bin/sh
ip link set lo up
ip netns add srv
ip link add v0 type veth peer name v1 netns srv
ip addr add 192.0.2.1/24 dev v0
ip link set v0 up
ip -n srv addr add 192.0.2.2/24 dev v1
ip -n srv link set v1 up
ip -n srv link set lo up
ip netns exec srv dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \\
  --listen-address=192.0.2.2 --port=53 --user=root --group=root --pid-file \\
  --local=/example.test/ --host-record=www.example.test,192.0.2.80 \\
  --auth-server=ns.example.test --auth-zone=example.test > $D/dnsmasq.log 2>&1 &
ip netns exec srv socat UDP4-RECVFROM:7,bind=192.0.2.2,fork PIPE &
ip netns exec srv socat -u UDP4-RECV:9,bind=192.0.2.2 /dev/null &
sleep 1
keepalived -n -l -D -f $D/keepalived.conf -p $D/k.pid -c $D/c.pid > $D/keepalived.log 2>&1 &
sleep 12
ipvsadm -Ln > $D/ipvsadm.txt
kill \$(cat $D/k.pid)
sleep 1
EOS
  for c in "${cases[@]}"; do
    IFS='|' read -r _ port _ args <<< "$c"
    echo "$D/probe_tool $args --addr 192.0.2.2 --timeout 1 > $D/ours.$port"
  done
  echo "exit 0"  # a probe's own exit status (1: down) is not the VM's verdict
} > "$D/in_vm.sh"
chmod 755 "$D/in_vm.sh"
"$RUN" -s "$D" -t 240 -m 768 "$D/in_vm.sh" /bin/ip /usr/sbin/keepalived /usr/sbin/dnsmasq /usr/bin/socat \
  /usr/sbin/ipvsadm /bin/sleep "$D/probe_tool" > "$D/vm.txt" 2>&1 || { cat "$D/vm.txt"; exit 1; }

fails=0
for c in "${cases[@]}"; do
  IFS='|' read -r name port _ _ <<< "$c"
  kd=$(awk -v p="192.0.2.2:$port" '$2 == p { print "up w" $4 }' "$D/ipvsadm.txt")
  kd=${kd:-down}
  ours=$(jq -r 'if .ok then "up w" + ((.weight // 1) | tostring) else "down" end' "$D/ours.$port" 2>/dev/null)
  if [ "$kd" = "$ours" ]; then
    printf 'ok   - %-40s keepalived %-6s ours %-6s %s\n' "$name" "$kd" "$ours" "$(jq -r .reason "$D/ours.$port")"
  else
    printf 'FAIL - %-40s keepalived %-6s ours %-6s %s\n' "$name" "$kd" "$ours" "$(cat "$D/ours.$port")"
    fails=$((fails + 1))
  fi
done
[ "$fails" -eq 0 ] || { grep -v "^$" "$D/keepalived.log" | tail -40; }
echo "${#cases[@]} cases, $fails disagreeing"
[ "$fails" -eq 0 ]
