#!/usr/bin/env bash
# HTTP_GET and SSL_GET against nginx (Debian's, HTTPS with a self-signed certificate made
# here) and against servers that misbehave (tests/lab/check_servers.py), through the
# checker actors (tests/lab/check_driver.cpp): up when healthy (status and MD5 digest),
# down after retry+1 failures when nginx stops and up again when it returns, down for a
# 503, a wrong digest, a server that hangs (by the timeout) and one that resets, a custom
# status_code range, a blip shorter than the retries that is absorbed, and a flapping
# server whose every change is reported once.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/checks_lib.sh"
command -v nginx > /dev/null || { echo "nginx not installed (.ci/setup installs nginx-light)"; exit 1; }
lab_init checks_http
lab_host lb 1
lab_host web 10

# The pages and their MD5 digests, as keepalived's genhash would print them.
mkdir -p "$LAB_DIR/www"
printf 'healthy page of the checker lab\n' > "$LAB_DIR/www/index.html"
printf 'another page\n' > "$LAB_DIR/www/other.html"
DIGEST=$(md5sum < "$LAB_DIR/www/index.html" | cut -d' ' -f1)
WRONG=$(md5sum < "$LAB_DIR/www/other.html" | cut -d' ' -f1)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=www.lab.example" \
  -keyout "$LAB_DIR/key.pem" -out "$LAB_DIR/cert.pem" 2> /dev/null

# nginx "main": the server that is stopped and started (HTTP 80, HTTPS 443).
nginx_conf main <<CONF
  server {
    listen 192.0.2.10:80;
    listen 192.0.2.10:443 ssl;
    ssl_certificate $LAB_DIR/cert.pem;
    ssl_certificate_key $LAB_DIR/key.pem;
    root $LAB_DIR/www;
  }
CONF
# nginx "fixed": always there, answering wrongly on purpose (81: 503; 82: the page that
# does not match the digest).
nginx_conf fixed <<CONF
  server {
    listen 192.0.2.10:81;
    location / { return 503; }
  }
  server {
    listen 192.0.2.10:82;
    root $LAB_DIR/www;
  }
CONF
start_nginx main web
start_nginx fixed web
echo up > "$LAB_DIR/flap"
start_server hang web python3 "$CHECK_SERVERS" hang 192.0.2.10 83
start_server reset web python3 "$CHECK_SERVERS" reset 192.0.2.10 84
start_server flap web python3 "$CHECK_SERVERS" flap 192.0.2.10 85 "$LAB_DIR/flap"
for p in 80 443 81 82 83 84 85; do wait_for 5 port_open lb 192.0.2.10 $p || echo "port $p not open"; done

# delay_loop 1, retry 2, delay_before_retry 1: a server is down after 3 failures in a
# row spanning 2 s, and a blip of one or two failed checks is absorbed.
lab_conf lb <<CONF
virtual_server 192.0.2.100 80 {
  delay_loop 1
  warmup 0
  retry 2
  delay_before_retry 1
  connect_timeout 1
  protocol TCP
  real_server 192.0.2.10 80 {
    HTTP_GET {
      url {
        path /index.html
        digest $DIGEST
      }
      url {
        path /
      }
    }
  }
  real_server 192.0.2.10 443 {
    SSL_GET {
      url {
        path /index.html
        digest $DIGEST
        virtualhost www.lab.example
      }
      enable_sni
    }
  }
  real_server 192.0.2.10 81 {
    HTTP_GET {
      url {
        path /
      }
    }
  }
  real_server 192.0.2.10 86 {
    HTTP_GET {
      connect_port 81
      url {
        path /
        status_code 500-503
      }
    }
  }
  real_server 192.0.2.10 82 {
    HTTP_GET {
      http_protocol 1.1
      url {
        path /index.html
        digest $WRONG
      }
    }
  }
  real_server 192.0.2.10 87 {
    HTTP_GET {
      connect_port 82
      url {
        path /index.html
        regex "^HEALTHY page .* lab$"
        regex_options caseless multiline
      }
    }
  }
  real_server 192.0.2.10 88 {
    HTTP_GET {
      connect_port 82
      url {
        path /index.html
        regex "healthy"
        regex_no_match
      }
    }
  }
  real_server 192.0.2.10 83 {
    HTTP_GET {
      url {
        path /
      }
    }
  }
  real_server 192.0.2.10 84 {
    HTTP_GET {
      url {
        path /
      }
    }
  }
  real_server 192.0.2.10 85 {
    HTTP_GET {
      url {
        path /
      }
    }
  }
}
CONF

start_driver lb 40
H=192.0.2.10
wait_for 10 last_is lb $H:80 true
wait_for 10 last_is lb $H:83 false   # the slowest first verdict: three timeouts
check "HTTP_GET: nginx with the right digest on two urls is up" last_is lb $H:80 true
check "SSL_GET: nginx over TLS (self-signed, SNI) with the right digest is up" last_is lb $H:443 true
check "HTTP_GET: 503 is down, said so" reason_is lb $H:81 1 "HTTP status 503"
check "HTTP_GET: status_code 500-503 takes the 503 as up" last_is lb $H:86 true
check "HTTP_GET: a wrong digest is down, said so" \
  reason_is lb $H:82 1 "digest $DIGEST differs from the expected $WRONG"
check "HTTP_GET: a regex (PCRE2, caseless multiline) that matches the body is up" last_is lb $H:87 true
check "HTTP_GET: regex_no_match with a match is down, said so" \
  reason_is lb $H:88 1 'regex "healthy" matched*'
check "HTTP_GET: a server that hangs is down by the timeout" \
  reason_is lb $H:83 1 "timeout after 1 s (reading the response)"
# The reset may be seen by the connect, the write or the read, whichever runs after it.
check "HTTP_GET: a server that resets is down" reason_is lb $H:84 1 "@(*reset by peer*|write: Broken pipe*)"
check "HTTP_GET: the hanging server's first verdict came after 3 checks (1 + 1 + 1 s timeouts, 1 s apart)" \
  delta_within 0 "$(report_field lb $H:83 1 2)" 5.5 12
check "HTTP_GET: the flapping server starts up" last_is lb $H:85 true

# A blip: one to two failed checks, fewer than retry+1: no report.
echo down > "$LAB_DIR/flap"; sleep 1.2; echo up > "$LAB_DIR/flap"

# Stop nginx: down after 3 failures (2 s of retries), then back up at the next check.
# The time is taken before the stop: nginx stops listening before its master process has
# exited and stop_server returns, so a failed check may come before that return.
T_STOP=$(lab_t)
stop_server main
wait_for 10 last_is lb $H:80 false
check "HTTP_GET: nginx stopped is down, the connection refused" \
  reason_is lb $H:80 2 "connect: Connection refused*"
T_DOWN=$(report_field lb $H:80 2 2)
check "HTTP_GET: down after the retries: 1.8 s to 6 s after the stop began (measured: $T_STOP -> $T_DOWN)" \
  delta_within "$T_STOP" "$T_DOWN" 1.8 6
wait_for 10 last_is lb $H:443 false
check "SSL_GET: nginx stopped is down" last_is lb $H:443 false
start_nginx main web
T_START=$(lab_t)
wait_for 10 last_is lb $H:80 true
T_UP=$(report_field lb $H:80 3 2)
check "HTTP_GET: nginx back is up within delay_loop (measured: $T_START -> $T_UP)" \
  delta_within "$T_START" "$T_UP" 0 3
wait_for 10 last_is lb $H:443 true
check "SSL_GET: nginx back is up" last_is lb $H:443 true
check "HTTP_GET: three reports on nginx, no repeats: up down up" test "$(up_sequence lb $H:80)" = "true false true"

# Flapping: down 5 s, up 4 s, down 5 s, up: each change reported once.
echo down > "$LAB_DIR/flap"; sleep 5
echo up > "$LAB_DIR/flap"; sleep 4
echo down > "$LAB_DIR/flap"; sleep 5
echo up > "$LAB_DIR/flap"
wait_for 8 reports_reach lb $H:85 5 true
check "HTTP_GET: the blip was absorbed and the flaps reported once each: up down up down up" \
  test "$(up_sequence lb $H:85)" = "true false true false true"

wait "$DRIVER_PID"
check "driver ran to its end" test $? -eq 0
echo "--- reports:"; jq -c 'select(.event=="report") | del(.event, .vs)' "$LAB_DIR/lb.jsonl"
check "status: the 503 checker counted its checks and failures" \
  status_has lb $H:81 '.state == "down" and .checks >= 10 and .failures == .checks'
check "status: nginx's checker says up, with a latency" \
  status_has lb $H:80 '.state == "up" and .last.ok and .last.latency_us > 0 and .transitions == 2'
check "status: the inherited timers" \
  status_has lb $H:80 '.delay_loop == 1 and .retry == 2 and .delay_before_retry == 1 and .connect_timeout == 1 and .warmup == 0'
lab_done
