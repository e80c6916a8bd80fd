#!/usr/bin/env bash
# Every config keepalived accepts, Keepalive accepts: `keepalived -t` and `keepalive -t` on
# every sample keepalived ships (/usr/share/doc/keepalived/samples, .gz ones unpacked), every
# tests/unit/configs/*.conf and every fuzz seed (tests/fuzz/corpus/). Run in a namespace of
# its own holding interfaces with the names the configs use, so that keepalived does not
# reject a file only because this host lacks an eth3. They are empty bridges: this kernel
# has neither the dummy nor the vlan link type, and -t only asks whether a name exists.
#
# The check: whenever keepalived exits 0, keepalive exits 0. Files keepalived rejects are
# listed with both codes but do not fail the test: keepalived 2.2.7 exits 5 for scripts
# without `enable_script_security` and for an unknown keyword (both warnings in our model,
# and an unknown keyword is an error of our -t too), 3/4 for errors it can run around.
source "$(dirname "$0")/lib.sh"
lab_init samples
N=$(ns cfg)
ip netns add "$N"
LAB_NS+=("$N")
ip -n "$N" link set lo up
# The interface names of the samples and seeds (grep -ho 'interface [a-z0-9.]*' ...).
for i in eth0 eth1 eth2 eth3 eth0.1; do
  ip -n "$N" link add "$i" type bridge && ip -n "$N" link set "$i" up
done

SAMPLES=/usr/share/doc/keepalived/samples
mkdir -p "$LAB_DIR/samples"
files=()
if [ -d "$SAMPLES" ]; then
  for f in "$SAMPLES"/*; do
    case $f in
      *.gz) g="$LAB_DIR/samples/$(basename "${f%.gz}")"; gunzip -c "$f" > "$g"; f=$g ;;
    esac
    case $f in *.sh) continue ;; esac   # helper scripts shipped beside the configs
    files+=("$f")
  done
fi
check "keepalived's samples are installed" test "${#files[@]}" -gt 10
files+=("$LAB_ROOT"/tests/unit/configs/*.conf "$LAB_ROOT"/tests/fuzz/corpus/*)

run_in() { ip netns exec "$N" timeout 20 "$@"; }
# Columns: both exit codes, the file, and where one rejects it, the first line it said.
printf '%-4s %-4s %-52s %s\n' kd ka file why
rejected=()
agree=0
for f in "${files[@]}"; do
  # Relative includes and scripts are found from the file's own directory.
  (cd "$(dirname "$f")" && run_in keepalived -t -f "$f") > "$LAB_DIR/kd.out" 2>&1; kd=$?
  (cd "$(dirname "$f")" && run_in "$KEEPALIVE" -t -f "$f") > "$LAB_DIR/ka.out" 2>&1; ka=$?
  short=${f#"$LAB_ROOT"/}; short=${short#"$LAB_DIR"/}
  why=""
  [ "$kd" -ne 0 ] && why="keepalived: $(grep -m1 . "$LAB_DIR/kd.out" | cut -c1-110)"
  if [ "$ka" -ne 0 ]; then
    said=$(grep -m1 -E 'error|unknown keyword' "$LAB_DIR/ka.out")
    said=${said//"$(dirname "$f")/"/}   # positions without the directory, as keepalived's
    why="$why${why:+ | }keepalive: ${said:0:110}"
  fi
  printf '%-4s %-4s %-52s %s\n' "$kd" "$ka" "$short" "$why"
  if [ "$kd" -eq 0 ] && [ "$ka" -ne 0 ]; then
    rejected+=("$short")
    { echo "--- $short: keepalived 0, keepalive $ka"; cat "$LAB_DIR/ka.out"; } >> "$LAB_DIR/rejected.log"
  fi
  [ $(( kd == 0 )) -eq $(( ka == 0 )) ] && agree=$((agree + 1))
done
echo "${#files[@]} files; both agree (accepted or not) on $agree"
if [ "${#rejected[@]}" -gt 0 ]; then
  echo "keepalive rejects what keepalived accepts:"
  printf '  %s\n' "${rejected[@]}"
  cat "$LAB_DIR/rejected.log"
fi
check "keepalive -t accepts every file keepalived -t accepts" test "${#rejected[@]}" -eq 0
lab_done
