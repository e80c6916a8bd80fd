#!/usr/bin/env bash
# TCP_CHECK and SMTP_CHECK through the checker actors (tests/lab/check_driver.cpp) against
# listeners in another namespace (tests/lab/check_servers.py): up when the server is
# healthy, down when the port is closed (refused), when nobody answers (timeout) and on a
# wrong SMTP code or an SMTP server that stops answering; a stopped SMTP server goes down
# after the retries and comes back; bindto/bind_port and helo_name reach the server;
# alpha starts down and reports a first failure at once; IPv6.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/checks_lib.sh"
lab_init checks_tcp
lab_host lb 1
lab_host mail 20
ip -n "$(ns lb)" addr add 2001:db8::1/64 dev eth0 nodad
ip -n "$(ns mail)" addr add 2001:db8::20/64 dev eth0 nodad

start_server smtp mail python3 "$CHECK_SERVERS" smtp 192.0.2.20 25 220,250,221 "$LAB_DIR/smtp-good.txt"
start_server smtp6 mail python3 "$CHECK_SERVERS" smtp 2001:db8::20 25 220,250,221 "$LAB_DIR/smtp6.txt"
start_server smtp554 mail python3 "$CHECK_SERVERS" smtp 192.0.2.20 26 554,250,221 "$LAB_DIR/smtp554.txt"
start_server smtphang mail python3 "$CHECK_SERVERS" smtp 192.0.2.20 27 220,hang,221 "$LAB_DIR/smtphang.txt"
start_server smtp500 mail python3 "$CHECK_SERVERS" smtp 192.0.2.20 28 220,500,221 "$LAB_DIR/smtp500.txt"
start_server tcpsrc mail python3 "$CHECK_SERVERS" smtp 192.0.2.20 29 220,250,221 "$LAB_DIR/tcpsrc.txt"
for p in 25 26 27 28 29; do wait_for 5 port_open lb 192.0.2.20 $p || echo "port $p not open"; done
wait_for 5 port_open lb 2001:db8::20 25 || echo "port [2001:db8::20]:25 not open"

# delay_loop 1, retry 1 (keepalived's default), delay_before_retry 1 (its default for
# TCP_CHECK and SMTP_CHECK), warmup 0.
lab_conf lb <<CONF
global_defs {
  smtp_helo_name lab-global.example
}
bfd_instance lab_bfd {
  neighbor_ip 192.0.2.20
}
virtual_server 192.0.2.100 25 {
  delay_loop 1
  warmup 0
  connect_timeout 1
  protocol TCP
  real_server 192.0.2.20 25 {
    TCP_CHECK {
    }
  }
  real_server 192.0.2.20 30 {
    TCP_CHECK {
    }
  }
  real_server 192.0.2.99 25 {
    TCP_CHECK {
    }
  }
  real_server 192.0.2.20 29 {
    TCP_CHECK {
      bindto 192.0.2.1
      bind_port 40029
    }
  }
  real_server 192.0.2.20 31 {
    alpha
    TCP_CHECK {
      retry 3
    }
  }
  real_server 192.0.2.20 32 {
    BFD_CHECK {
      name lab_bfd
    }
  }
}
virtual_server 192.0.2.100 587 {
  delay_loop 1
  warmup 0
  connect_timeout 1
  protocol TCP
  real_server 192.0.2.20 25 {
    SMTP_CHECK {
      helo_name lab-helo.example
    }
  }
  real_server 192.0.2.20 26 {
    SMTP_CHECK {
    }
  }
  real_server 192.0.2.20 27 {
    SMTP_CHECK {
    }
  }
  real_server 192.0.2.20 28 {
    SMTP_CHECK {
    }
  }
  real_server 2001:db8::20 25 {
    SMTP_CHECK {
    }
  }
}
CONF

start_driver lb 25
M=192.0.2.20
wait_for 10 last_is lb $M:27 false
check "TCP_CHECK: a listening port is up" last_is lb $M:25 true
check "TCP_CHECK: a closed port is down, refused" reason_is lb $M:30 1 "connect: Connection refused"
check "TCP_CHECK: an address nobody answers is down by the timeout" \
  reason_is lb 192.0.2.99:25 1 "timeout after 1 s (connecting)"
check "TCP_CHECK: the silent address's verdict after 2 checks (retry 1): 1 + 1 + 1 + 1 s" \
  delta_within 0 "$(report_field lb 192.0.2.99:25 1 2)" 3.5 10
check "TCP_CHECK: bindto and bind_port: up" last_is lb $M:29 true
check "TCP_CHECK: the server saw the checks come from 192.0.2.1:40029" grep -q "^peer 192.0.2.1 40029$" "$LAB_DIR/tcpsrc.txt"
check "TCP_CHECK: alpha starts down, the first failure reported at once (retry 3 not used)" \
  delta_within 0 "$(report_field lb $M:31 1 2)" 0.9 2.5
check "TCP_CHECK: alpha's port is down" last_is lb $M:31 false
check "SMTP_CHECK: 220, 250, 221 is up" last_is lb $M:25 true
check "SMTP_CHECK: helo_name reaches the server" grep -q "^HELO lab-helo.example$" "$LAB_DIR/smtp-good.txt"
check "SMTP_CHECK: then QUIT" grep -q "^QUIT$" "$LAB_DIR/smtp-good.txt"
check "SMTP_CHECK: global_defs smtp_helo_name when the checker has none" grep -q "^HELO lab-global.example$" "$LAB_DIR/smtp500.txt"
check "SMTP_CHECK: a 554 greeting is down, said so" reason_is lb $M:26 1 "SMTP 554 waiting for the greeting, expected 220*"
check "SMTP_CHECK: a server that never answers HELO is down by the timeout" \
  reason_is lb $M:27 1 "timeout after 1 s (answering HELO)"
check "SMTP_CHECK: HELO answered 500 is down" reason_is lb $M:28 1 "SMTP 500 answering HELO, expected 250*"
check "BFD_CHECK (no probe here): said so, no actor, no report" \
  test "$(jq -r 'select(.event=="error") | "\(.rs) \(.error)"' "$LAB_DIR/lb.jsonl")" = "192.0.2.20:32 checker kind BFD_CHECK not implemented"
check "BFD_CHECK: no report" test "$(report_count lb 192.0.2.20:32)" -eq 0
check "SMTP_CHECK: over IPv6" last_is lb "[2001:db8::20]:25" true

# Stop the good SMTP server (port 25 serves both TCP_CHECK and SMTP_CHECK): down after
# two failures (retry 1), then up again.
# Timed from before the stop: the server stops listening before stop_server returns
# (measured 0.79 s from that return to the verdict under CI load).
T_STOP=$(lab_t)
stop_server smtp
# Both checkers' verdicts: each probes on its own schedule (seen 0.09 s apart).
check "SMTP_CHECK and TCP_CHECK: the stopped server is down" \
  wait_for 8 eval '[ "$(reports lb $M:25 | grep -c false)" -eq 2 ]'
check "TCP_CHECK: down 1 s to 4 s after the stop" delta_within "$T_STOP" "$(reports lb $M:25 | grep false | head -n1 | cut -f2)" 0.9 4
start_server smtp mail python3 "$CHECK_SERVERS" smtp 192.0.2.20 25 220,250,221 "$LAB_DIR/smtp-good.txt"
wait_for 8 reports_reach lb $M:25 6 true
check "SMTP_CHECK and TCP_CHECK: back up, each once" \
  test "$(up_sequence lb $M:25)" = "true true false false true true"

wait "$DRIVER_PID"
check "driver ran to its end" test $? -eq 0
echo "--- reports:"; jq -c 'select(.event=="report") | del(.event)' "$LAB_DIR/lb.jsonl"
check "status: the silent address's checker: down, retry 1 resolved" \
  status_has lb 192.0.2.99:25 '.state == "down" and .retry == 1 and .delay_before_retry == 1 and .failures == .checks'
check "status: alpha and its retry" status_has lb $M:31 '.alpha and .retry == 3 and .transitions == 0'
lab_done
