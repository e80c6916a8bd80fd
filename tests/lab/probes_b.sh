#!/usr/bin/env bash
# Health-check probes against real servers in network namespaces, one probe_tool run per
# case (tests/lab/probe_tool.cpp prints the probe_result as JSON; exit 0 = up):
#   DNS_CHECK  dnsmasq answering for example.test: A/AAAA/CNAME/MX/SOA up, NODATA up
#              (keepalived's rule: RCODE 0 is up), NXDOMAIN and REFUSED down, a server
#              that swallows queries down at the timeout, one that answers garbage down,
#              dnsmasq stopped (ICMP port unreachable) down at once, restarted up again;
#              a bindto that is not ours down.
#   UDP_CHECK  socat echo: matching reply (with x nibbles) up, wrong reply, too long or
#              short a reply and a closed port (ICMP port unreachable) down; a silent
#              port up without require_reply and down with it; a dead address (ICMP host
#              unreachable once ARP gives up) down.
#   PING_CHECK ICMP and ICMPv6 to the server up, to absent addresses down, both through
#              raw sockets and through ping sockets (ping_group_range); the server's wire
#              cut: down, restored: up.
#   MISC_CHECK exit 0/1, misc_dynamic weights, a script hanging past misc_timeout
#              (SIGTERM, its children killed too), one ignoring SIGTERM (SIGKILL 2 s
#              later), `user nobody`.
#   FILE_CHECK values with weight 0, reverse, dynamic, a missing file, an out-of-range one.
# And many probes of a kind at once (--parallel) on probe_tool's two engine threads.
source "$(dirname "$0")/lib.sh"
TOOL=${PROBE_TOOL:-$KA_BUILD/tests/probe_tool}
lab_init prb
lab_host cl 1
lab_host srv 2
ip -n "$(ns cl)" addr add 2001:db8::1/64 dev eth0 nodad
ip -n "$(ns srv)" addr add 2001:db8::2/64 dev eth0 nodad
CL=$(ns cl) SRV=$(ns srv)

probe() {  # KIND ARGS...: runs it from the client, the JSON line into $LAB_DIR/last.json
  ip netns exec "$CL" "$TOOL" "$@" > "$LAB_DIR/last.json" 2>> "$LAB_DIR/probe.log"
  local rc=$?
  echo "    $(cat "$LAB_DIR/last.json")" >> "$LAB_DIR/probe.log"
  return $rc
}
said() { grep -q -- "$1" "$LAB_DIR/last.json"; }  # TEXT: in the last result's line
latency_ms() { jq '.latency_us / 1000 | floor' "$LAB_DIR/last.json"; }
up() {  # DESCRIPTION KIND ARGS...
  local what=$1; shift
  echo "$what: $*" >> "$LAB_DIR/probe.log"
  check "$what: up" probe "$@"
}
down() {  # DESCRIPTION REASON KIND ARGS...: down, saying REASON
  local what=$1 why=$2; shift 2
  echo "$what: $*" >> "$LAB_DIR/probe.log"
  if probe "$@"; then
    check "$what: down" false
  else
    check "$what: down ($why)" said "$why"
  fi
}

# ---- DNS_CHECK
start_dnsmasq() {
  ip netns exec "$SRV" dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts --bind-interfaces \
    --listen-address=192.0.2.2 --port=53 --user=root --group=root --pid-file \
    --local=/example.test/ --host-record=www.example.test,192.0.2.80,2001:db8::80 \
    --cname=alias.example.test,www.example.test --mx-host=example.test,mail.example.test \
    --auth-server=ns.example.test --auth-zone=example.test >> "$LAB_DIR/dnsmasq.log" 2>&1 &
  DNSMASQ=$!
  LAB_PIDS+=("$DNSMASQ")
  wait_for 5 probe dns --addr 192.0.2.2 --port 53 --name www.example.test --type A --timeout 0.5
}
start_dnsmasq
D=(dns --addr 192.0.2.2 --port 53 --timeout 1)
up "dns A" "${D[@]}" --name www.example.test --type A
check "dns A: the reason names the record" said "A among them"
up "dns AAAA" "${D[@]}" --name www.example.test --type AAAA
up "dns CNAME" "${D[@]}" --name alias.example.test --type CNAME
up "dns MX" "${D[@]}" --name example.test --type MX
up "dns SOA of the zone" "${D[@]}" --name example.test --type SOA
up "dns NODATA (no MX for www) is up as in keepalived" "${D[@]}" --name www.example.test --type MX
check "dns NODATA: said" said "none of type MX"
down "dns NXDOMAIN" "NXDOMAIN" "${D[@]}" --name nosuch.example.test --type A
down "dns default (SOA of .) from a server without upstream" "REFUSED" "${D[@]}"
down "dns from a source address that is not ours" "bind" "${D[@]}" --name www.example.test --bindto 192.0.2.77
up "dns bound to our own address and port" "${D[@]}" --name www.example.test --bindto 192.0.2.1 --bind-port 5300
# A server that swallows queries, and one that answers garbage.
ip netns exec "$SRV" socat -u UDP4-RECV:5353,bind=192.0.2.2 /dev/null 2>> "$LAB_DIR/socat.log" &
LAB_PIDS+=($!)
ip netns exec "$SRV" socat UDP4-RECVFROM:5354,bind=192.0.2.2,fork SYSTEM:'head -c 1 >/dev/null; echo garbage-not-dns' 2>> "$LAB_DIR/socat.log" &
LAB_PIDS+=($!)
sleep 0.3
down "dns server that hangs" "timeout" dns --addr 192.0.2.2 --port 5353 --timeout 1 --name www.example.test
check "dns hang: verdict at the timeout (1 s), not before" test "$(latency_ms)" -ge 950
down "dns server that answers garbage" "timeout" dns --addr 192.0.2.2 --port 5354 --timeout 1 --name www.example.test
# Flap: dnsmasq stopped (the port closes: ICMP port unreachable), then back.
kill "$DNSMASQ"; wait "$DNSMASQ" 2>/dev/null
down "dns server stopped" "refused" "${D[@]}" --name www.example.test --type A
check "dns stopped: down at once, not at the timeout" test "$(latency_ms)" -lt 900
start_dnsmasq
up "dns server restarted" "${D[@]}" --name www.example.test --type A
up "dns 300 probes at once on 2 engine threads" dns --addr 192.0.2.2 --port 53 --timeout 3 --name www.example.test --parallel 300

# ---- UDP_CHECK
ip netns exec "$SRV" socat UDP4-RECVFROM:7,bind=192.0.2.2,fork PIPE 2>> "$LAB_DIR/socat.log" &
LAB_PIDS+=($!)
ip netns exec "$SRV" socat UDP4-RECVFROM:8,bind=192.0.2.2,fork SYSTEM:'head -c 2 >/dev/null; printf nope' 2>> "$LAB_DIR/socat.log" &
LAB_PIDS+=($!)
ip netns exec "$SRV" socat -u UDP4-RECV:9,bind=192.0.2.2 /dev/null 2>> "$LAB_DIR/socat.log" &
LAB_PIDS+=($!)
sleep 0.3
U=(udp --addr 192.0.2.2 --timeout 1)
up "udp echo, exact reply" "${U[@]}" --port 7 --payload 6f6b2121 --require-reply --reply 6f6b2121
up "udp echo, x nibbles" "${U[@]}" --port 7 --payload 6f6b2121 --require-reply --reply 6fxb2x
up "udp echo, random payload, any reply" "${U[@]}" --port 7 --require-reply
down "udp wrong reply" "differs" "${U[@]}" --port 8 --payload 6f6b --require-reply --reply 6f6b
down "udp reply longer than max_reply_length" "outside" "${U[@]}" --port 7 --payload 0102030405 --require-reply --reply 01 --max-len 4
down "udp reply shorter than min_reply_length" "outside" "${U[@]}" --port 7 --payload 0102 --require-reply --reply 01 --min-len 3
up "udp lengths unchecked without a HEX_STR (keepalived 2.2.7)" "${U[@]}" --port 7 --payload 0102 --require-reply --min-len 3
down "udp closed port" "destination unreachable: port unreachable" "${U[@]}" --port 10 --payload 01
up "udp silent port without require_reply" "${U[@]}" --port 9 --payload 01
check "udp silent: up only at the timeout" test "$(latency_ms)" -ge 950
down "udp silent port with require_reply" "no reply" "${U[@]}" --port 9 --payload 01 --require-reply
# 100: socat forks per datagram and lost 16 of 300 sent at once (measured).
up "udp 100 probes at once" udp --addr 192.0.2.2 --port 7 --timeout 3 --require-reply --parallel 100
down "udp to an absent host" "host unreachable" udp --addr 192.0.2.99 --port 7 --payload 01 --timeout 6
check "udp absent host: down when ARP gives up, before the timeout" test "$(latency_ms)" -lt 5900

# ---- PING_CHECK: the client's namespace starts with ping sockets closed to root
# (ping_group_range "1 0"), so these go through raw sockets; then through ping sockets.
for path in raw ping; do
  if [ "$path" = ping ]; then
    ip netns exec "$CL" sysctl -qw net.ipv4.ping_group_range="0 0"
  fi
  up "ping ICMP ($path)" ping --addr 192.0.2.2 --timeout 1
  check "ping ICMP: through a $path socket" said "$path socket"
  up "ping ICMPv6 ($path)" ping --addr 2001:db8::2 --timeout 1
  check "ping ICMPv6: through a $path socket" said "$path socket"
  down "ping an absent address ($path)" "no echo reply" ping --addr 192.0.2.99 --timeout 0.5
  down "ping an absent IPv6 address ($path)" "no echo reply" ping --addr 2001:db8::99 --timeout 0.5
  up "ping 200 probes at once ($path)" ping --addr 192.0.2.2 --timeout 3 --parallel 200
done
lab_unplug 2
down "ping, server's wire cut" "no echo reply" ping --addr 192.0.2.2 --timeout 0.5
lab_plug 2
up "ping, wire back" ping --addr 192.0.2.2 --timeout 1

# ---- MISC_CHECK
S=$LAB_DIR/scripts
mkdir -p "$S"
printf '#!/bin/sh\nexit "$1"\n' > "$S/exit.sh"
printf '#!/bin/sh\nsleep 30 &\necho $! > %s/child.pid\nsleep 30\n' "$S" > "$S/hang.sh"
printf '#!/bin/sh\ntrap "" TERM\nwhile :; do sleep 0.1; done\n' > "$S/stubborn.sh"
chmod 755 "$S"/*.sh
up "misc exit 0" misc --path "$S/exit.sh 0"
up "misc 50 scripts at once" misc --path "$S/exit.sh 0" --parallel 50
down "misc exit 1" "exit status 1" misc --path "$S/exit.sh 1"
down "misc exit 3 without misc_dynamic" "exit status 3" misc --path "$S/exit.sh 3"
up "misc_dynamic exit 0" misc --path "$S/exit.sh 0" --dynamic
check "misc_dynamic exit 0: weight unchanged" said '"weight":null'
down "misc_dynamic exit 1" "exit status 1" misc --path "$S/exit.sh 1" --dynamic
up "misc_dynamic exit 12" misc --path "$S/exit.sh 12" --dynamic
check "misc_dynamic exit 12: weight 10" said '"weight":10'
up "misc_dynamic exit 255" misc --path "$S/exit.sh 255" --dynamic
check "misc_dynamic exit 255: weight 253" said '"weight":253'
up "misc quoted arguments, split as keepalived does" misc --path "sh -c 'test \"a b\" = \"a b\"'"
down "misc_path that does not exist" "No such file" misc --path "$S/none.sh"
down "misc hanging past misc_timeout" "misc_timeout.*signal 15" misc --path "$S/hang.sh" --timeout 1
check "misc hang: SIGTERM at the timeout (1 s)" test "$(latency_ms)" -ge 950 -a "$(latency_ms)" -lt 2500
check "misc hang: its child was killed too" wait_for 2 bash -c "! kill -0 \$(cat $S/child.pid) 2>/dev/null"
down "misc ignoring SIGTERM" "misc_timeout.*signal 9" misc --path "$S/stubborn.sh" --timeout 1
check "misc ignoring SIGTERM: SIGKILL 2 s after the timeout" test "$(latency_ms)" -ge 2950 -a "$(latency_ms)" -lt 4500
chmod 755 "$LAB_DIR"
up "misc as user nobody" misc --path "sh -c '[ \$(id -u) = 65534 ]'" --user nobody
down "misc as root is not nobody" "exit status 1" misc --path "sh -c '[ \$(id -u) = 65534 ]'"

# ---- FILE_CHECK
F=$LAB_DIR/track
echo 0 > "$F"
up "file 0, weight 0" file --path "$F"
echo 3 > "$F"
down "file 3, weight 0" "value 3" file --path "$F"
up "file 3, weight 0 reverse" file --path "$F" --reverse
up "file 3, weight 5 dynamic" file --path "$F" --weight 5 --dynamic
check "file 3 x 5: weight change 15" said '"weight":15'
up "file 3, weight 5 reverse dynamic" file --path "$F" --weight 5 --reverse --dynamic
check "file 3 x -5: weight change -15" said '"weight":-15'
echo 0x10 > "$F"
up "file hex 0x10, weight 2 dynamic" file --path "$F" --weight 2 --dynamic
check "file 0x10 x 2: weight change 32" said '"weight":32'
echo -2147483648 > "$F"
down "file at the lowest int, weight 1" "fault" file --path "$F" --weight 1
echo 99999999999 > "$F"
up "file out of range: previous value kept" file --path "$F" --previous 0
check "file out of range: said" said "previous value kept"
rm -f "$F"
up "file missing reads 0" file --path "$F"
check "file missing: said" said "taken as 0"

lab_done
