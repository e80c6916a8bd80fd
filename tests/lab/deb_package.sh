#!/usr/bin/env bash
# The Debian package (cmake/packaging.cmake): cpack builds it from this build tree,
# `apt-get install ./keepalive_*.deb` installs it beside Debian's keepalived, the
# installed files are checked (binaries, unit, conffiles, man pages, completion), an
# edited conffile survives a reinstall, and `apt-get remove --purge` leaves none of the
# package's files. keepalived (other labs run it) must be untouched throughout: its files
# verify against dpkg's checksums (dpkg -V) and it still runs.
# Installing is system-wide, so two runs (the release and the ASan pass, or two
# checkouts) never overlap: a lock file, waited for.
source "$(dirname "$0")/lib.sh"
LAB_DIR=$(mktemp -d /tmp/ka-lab-deb.XXXXXX)
exec 9> /run/lock/keepalive-deb-package-test.lock
flock -w 280 9 || { echo "FAIL - another package test held the lock for 280 s"; exit 1; }
installed_here=0
cleanup() {
  local rc=$?
  # A failure half-way must not leave our package on the system.
  if [ $installed_here = 1 ] && dpkg-query -W -f='${Status}' keepalive 2>/dev/null | grep -q installed; then
    apt-get remove --purge -y -qq -o DPkg::Lock::Timeout=120 keepalive >> "$LAB_DIR/apt.log" 2>&1
  fi
  if [ $rc -ne 0 ] || [ $LAB_FAILS -ne 0 ]; then
    echo "--- logs kept in $LAB_DIR"; tail -n 30 "$LAB_DIR"/*.log 2>/dev/null
  else
    rm -rf "$LAB_DIR"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
apt_() { apt-get -y -qq -o DPkg::Lock::Timeout=120 "$@" >> "$LAB_DIR/apt.log" 2>&1; }

kd_before=$(dpkg -V keepalived 2>&1; md5sum /usr/sbin/keepalived)
check "keepalived is installed and runs before" sh -c "keepalived -v >/dev/null 2>&1"

# ---- build
cpack -G DEB --config "$KA_BUILD/CPackConfig.cmake" -B "$LAB_DIR/pkg" > "$LAB_DIR/cpack.log" 2>&1
deb=$(ls "$LAB_DIR"/pkg/keepalive_*.deb 2>/dev/null | head -n 1)
check "cpack -G DEB builds keepalive_VERSION_ARCH.deb" test -n "$deb"
[ -n "$deb" ] || exit 1
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' > "$LAB_DIR/contents"
for f in /usr/sbin/keepalive /usr/bin/keepalivectl /lib/systemd/system/keepalive.service \
         /etc/keepalive/keepalived.conf /etc/default/keepalive /usr/share/man/man8/keepalive.8 \
         /usr/share/man/man8/keepalivectl.8 /usr/share/bash-completion/completions/keepalive; do
  check "the package holds $f" grep -qx "$f" "$LAB_DIR/contents"
done
depends=$(dpkg-deb -f "$deb" Depends)
check "Depends computed from the binaries (libcaf-core, libnl-route-3, libsystemd0): $depends" \
  sh -c "echo '$depends' | grep -q libcaf-core && echo '$depends' | grep -q libnl-route-3 && echo '$depends' | grep -q libsystemd0"
check "both /etc files are conffiles" \
  sh -c "dpkg-deb -I '$deb' conffiles | sort | tr '\n' ' ' | grep -qx '/etc/default/keepalive /etc/keepalive/keepalived.conf '"
# Coexistence: no file of the package is one of keepalived's.
dpkg -L keepalived | while read -r p; do [ -d "$p" ] || echo "$p"; done | sort > "$LAB_DIR/keepalived-files"
shared=$(grep -vx '.*/' "$LAB_DIR/contents" | sort | comm -12 - "$LAB_DIR/keepalived-files")
check "no file shared with keepalived's package (${shared:-none})" test -z "$shared"

# ---- install beside keepalived
installed_here=1
apt_ install "$deb"
check "apt-get install ./$(basename "$deb"): installed" \
  sh -c "dpkg-query -W -f='\${Status}' keepalive | grep -qx 'install ok installed'"
check "keepalived is still installed" sh -c "dpkg-query -W -f='\${Status}' keepalived | grep -qx 'install ok installed'"
out=$(/usr/sbin/keepalive -t -f /etc/keepalive/keepalived.conf 2>&1); rc=$?
check "keepalive -t accepts the installed config (rc $rc: $out)" test $rc -eq 0
check "the probe module is installed where the daemon looks, its libraries found" \
  sh -c "test -f /usr/lib/keepalive/keepalive-probes.so && ! ldd /usr/lib/keepalive/keepalive-probes.so | grep -q 'not found'"
check "keepalivectl runs from PATH" sh -c "keepalivectl --help | grep -q 'Usage: keepalivectl'"
vout=$(systemd-analyze verify /lib/systemd/system/keepalive.service 2>&1); rc=$?
check "systemd-analyze verify of the installed unit, man pages included (rc $rc: $vout)" \
  test $rc -eq 0 -a -z "$vout"
check "man -w finds keepalive(8) and keepalivectl(8)" sh -c "man -w 8 keepalive && man -w 8 keepalivectl" >/dev/null
check "the completion completes -S's values" \
  bash -c "source /usr/share/bash-completion/completions/keepalive; COMP_WORDS=(keepalive -S loc); COMP_CWORD=2;
           _keepalive; [ \"\${COMPREPLY[*]}\" = 'local0 local1 local2 local3 local4 local5 local6 local7' ]"

# ---- an edited conffile survives a reinstall (dpkg keeps it: the package's copy is
# unchanged). dpkg -i directly: conffiles are dpkg's business, and apt-get's own start
# costs ~7 s on a loaded machine.
echo "! edited by deb_package.sh" >> /etc/keepalive/keepalived.conf
for _ in $(seq 1 60); do  # another apt or dpkg (not ours) may hold dpkg's lock for a while
  dpkg -i "$deb" > "$LAB_DIR/dpkg.log" 2>&1; rc=$?
  grep -q 'lock' "$LAB_DIR/dpkg.log" || break
  sleep 2
done
check "dpkg -i of the same version again: rc $rc" test $rc -eq 0
check "reinstall keeps the edited /etc/keepalive/keepalived.conf" \
  grep -qx '! edited by deb_package.sh' /etc/keepalive/keepalived.conf

# ---- purge
apt_ remove --purge keepalive
check "apt-get remove --purge: the package is gone" \
  sh -c "! dpkg-query -W -f='\${Status}' keepalive 2>/dev/null | grep -q installed"
left=$(grep -vx '.*/' "$LAB_DIR/contents" | while read -r f; do [ -e "$f" ] && echo "$f"; done)
check "no file of the package is left (${left:-none})" test -z "$left"
check "/etc/keepalive is gone (the edited conffile too)" test ! -e /etc/keepalive
installed_here=0
check "keepalived is untouched: dpkg -V and its binary's checksum as before" \
  test "$(dpkg -V keepalived 2>&1; md5sum /usr/sbin/keepalived)" = "$kd_before"
check "keepalived still runs" sh -c "keepalived -v >/dev/null 2>&1"
lab_done
