# Checker labs (tests/lab/checks_*.sh): the driver (tests/lab/check_driver.cpp) on one
# host, real servers on another: nginx from Debian and tests/lab/check_servers.py.
# Sourced after lib.sh.
shopt -s extglob  # reason patterns with alternatives: @(a|b)
CHECK_DRIVER=${CHECK_DRIVER:-$KA_BUILD/tests/check_driver}
CHECK_SERVERS="$LAB_ROOT/tests/lab/check_servers.py"

# Runs the driver on HOST with $LAB_DIR/HOST.conf for SECONDS; its JSON lines go to
# $LAB_DIR/HOST.jsonl. DRIVER_T0: when it started (ns), for lab_t.
start_driver() {  # HOST SECONDS
  DRIVER_T0=$(date +%s%N)
  ip netns exec "$(ns "$1")" "$CHECK_DRIVER" "$LAB_DIR/$1.conf" "$2" > "$LAB_DIR/$1.jsonl" 2>> "$LAB_DIR/$1.log" &
  LAB_PIDS+=($!)
  DRIVER_PID=$!
}

# Seconds since the driver started, on the driver's clock give or take its start-up.
lab_t() { awk -v now="$(date +%s%N)" -v t0="$DRIVER_T0" 'BEGIN { printf "%.3f", (now - t0) / 1e9 }'; }

# The reports on real server RS (ADDR:PORT) as lines "up<TAB>t<TAB>reason", in order.
reports() {  # HOST RS
  jq -r --arg rs "$2" 'select(.event=="report" and .rs==$rs) | "\(.up)\t\(.t)\t\(.reason)"' "$LAB_DIR/$1.jsonl"
}
# The last report on RS says up (true) or down (false).
last_is() {  # HOST RS true|false
  [ "$(reports "$1" "$2" | tail -n 1 | cut -f1)" = "$3" ]
}
# How many reports on RS.
report_count() { reports "$1" "$2" | wc -l; }
# The n-th report's field (1: up, 2: t, 3: reason), counting from 1.
report_field() {  # HOST RS N FIELD
  reports "$1" "$2" | sed -n "${3}p" | cut -f"$4"
}
# The driver's final status line of RS's checker.
status_of() {  # HOST RS
  jq -c --arg rs "$2" 'select(.event=="status" and .real_server==$rs)' "$LAB_DIR/$1.jsonl"
}

# A server in HOST's namespace; its pid in SRV_<NAME> (killed by the EXIT trap too).
start_server() {  # NAME HOST COMMAND...
  local name=$1 host=$2; shift 2
  ip netns exec "$(ns "$host")" "$@" >> "$LAB_DIR/$name.log" 2>&1 &
  LAB_PIDS+=($!)
  eval "SRV_$name=$!"
}
stop_server() {  # NAME
  local pid; pid=$(eval "echo \${SRV_$1}")
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}

# nginx as a foreground master in HOST, from $LAB_DIR/NAME.nginx.conf (server blocks on
# stdin, wrapped here in a minimal main block that keeps every file in $LAB_DIR).
nginx_conf() {  # NAME < server blocks
  local d="$LAB_DIR/$1.nginx"
  mkdir -p "$d"
  {
    printf 'user root;\nworker_processes 1;\npid %s/nginx.pid;\nerror_log %s/error.log;\n' "$d" "$d"
    printf 'events { worker_connections 64; }\nhttp {\n  access_log off;\n'
    printf '  client_body_temp_path %s/body;\n  proxy_temp_path %s/proxy;\n' "$d" "$d"
    printf '  fastcgi_temp_path %s/fastcgi;\n  uwsgi_temp_path %s/uwsgi;\n  scgi_temp_path %s/scgi;\n' "$d" "$d" "$d"
    cat
    printf '}\n'
  } > "$d.conf"
}
start_nginx() {  # NAME HOST
  start_server "$1" "$2" nginx -c "$LAB_DIR/$1.nginx.conf" -g 'daemon off;'
}
# A TCP port answers in HOST (for waiting until a server listens).
port_open() {  # HOST ADDR PORT
  ip netns exec "$(ns "$1")" bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null
}

# Checks on the reports, for check():
# the N-th report on RS has a reason matching the glob PATTERN
reason_is() {  # HOST RS N PATTERN
  local r; r=$(report_field "$1" "$2" "$3" 3)
  # shellcheck disable=SC2053
  [[ $r == $4 ]] || { echo "    reason: '$r'"; return 1; }
}
# LO <= B - A <= HI (seconds, decimals allowed)
delta_within() {  # A B LO HI
  awk -v a="$1" -v b="$2" -v lo="$3" -v hi="$4" 'BEGIN { d = b - a; if (d < lo || d > hi) { printf "    delta %.3f\n", d; exit 1 } }'
}
# The final status of RS's checker satisfies the jq expression
status_has() {  # HOST RS JQ_EXPR
  local s; s=$(status_of "$1" "$2")
  [ -n "$s" ] && jq -e "$3" <<< "$s" > /dev/null || { echo "    status: $s"; return 1; }
}
# The up/down sequence of RS's reports, as "true false ..."
up_sequence() { reports "$1" "$2" | cut -f1 | tr '\n' ' ' | sed 's/ $//'; }
# At least N reports on RS, the last one UP (true|false)
reports_reach() {  # HOST RS N UP
  [ "$(report_count "$1" "$2")" -ge "$3" ] && last_is "$1" "$2" "$4"
}
