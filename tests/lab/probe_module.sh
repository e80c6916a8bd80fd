#!/usr/bin/env bash
# The health-check probes are a module (keepalive-probes.so, actors/probe_module.hpp) that
# the daemon loads only when its config has checkers: a VRRP-only daemon maps none of
# OpenSSL, c-ares or PCRE2 (their RSS), one with checkers loads the module and checks.
# A daemon that cannot find the module says so, checks nothing, and runs on.
#   r1: VRRP only. r2: a virtual_server whose real servers are an HTTP server on r3 (up)
#   and a closed port on r3 (down); IPVS is absent on this kernel, the checks run anyway.
#   r4: the same config from a copy of the executable with no module beside it.
source "$(dirname "$0")/lib.sh"
lab_init probemod
lab_host r1 11
lab_host r2 12
lab_host r3 13
lab_host r4 14
vrrp_conf r1 MASTER 150 notify= | lab_conf r1
lb_conf() {
  cat <<'CONF'
global_defs {
  router_id lb
}
virtual_server 198.51.100.80 80 {
  lvs_sched rr
  lvs_method NAT
  protocol TCP
  delay_loop 1
  real_server 192.0.2.13 8080 {
    HTTP_GET {
      url {
        path /
        status_code 200
      }
      connect_timeout 2
    }
  }
  real_server 192.0.2.13 8081 {
    TCP_CHECK {
      connect_timeout 2
    }
  }
}
CONF
}
lb_conf | lab_conf r2
lb_conf | lab_conf r4
mkdir -p "$LAB_DIR/www"
echo hello > "$LAB_DIR/www/index.html"
ip netns exec "$(ns r3)" python3 -m http.server 8080 --bind 192.0.2.13 --directory "$LAB_DIR/www" \
  > "$LAB_DIR/http.log" 2>&1 &
LAB_PIDS+=($!)

maps_has() { grep -q "$2" "/proc/$(pid_of "$1")/maps"; }
real_up() {  # HOST PORT: the real server is up after a check
  ctl "$1" --json status | python3 -c '
import json, sys
s = json.load(sys.stdin)
for p in s.get("virtual_servers", []):
    for r in p.get("real_servers", []):
        if r.get("address", "").endswith(":" + sys.argv[1]) and r.get("last") and r.get("up") is (sys.argv[2] == "up"):
            sys.exit(0)
sys.exit(1)' "$2" "$3"
}

start_keepalive r1
start_keepalive r2
check "r1 (VRRP only) becomes MASTER" wait_for 5 has_vip r1 192.0.2.100
for lib in keepalive-probes.so libssl libcrypto libcares libpcre2; do
  check "r1 (VRRP only) does not map $lib" eval '! maps_has r1 $lib'
done
check "r2 (checkers) maps the probe module" wait_for 5 maps_has r2 keepalive-probes.so
check "... and OpenSSL with it" maps_has r2 libssl
check "r2's HTTP_GET finds the HTTP server up" wait_for 10 real_up r2 8080 up
check "r2's TCP_CHECK finds the closed port down" wait_for 10 real_up r2 8081 down
check "r2 logs no error about the module" eval '! grep -q "probe module" "$LAB_DIR/r2.log"'

# A copy of the executable with nothing beside it: the module cannot be found.
mkdir -p "$LAB_DIR/bare"
cp "$KEEPALIVE" "$LAB_DIR/bare/keepalive"
KEEPALIVE=$LAB_DIR/bare/keepalive start_keepalive r4
check "r4 (no module) says why nothing is checked" \
  wait_for 5 grep -q "load balancing: the probe module is not installed (tried $LAB_DIR/bare/keepalive-probes.so" "$LAB_DIR/r4.log"
check "... and runs on: its admin socket answers" wait_for 5 eval "ctl r4 ping >/dev/null"
check "... its status names each unchecked real server" \
  eval 'ctl r4 --json status | grep -q "no probe module"'
check "... it maps no OpenSSL" eval '! maps_has r4 libssl'
lab_done
