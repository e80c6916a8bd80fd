#!/usr/bin/env bash
# Runs one shell command as root inside a throw-away qemu VM that boots a stock Debian kernel,
# where IPVS exists (the dev and CI machines' kernel has no CONFIG_IP_VS and loads no modules).
# The command's exit status is this script's; 124: no result (timeout, panic, qemu failed);
# 125: this script failed before the boot. Facts and timings: docs/ipvs-vm.md.
#
#   tests/vm/run-in-vm.sh [-s DIR] [-t SECS] [-m MiB] [-v] 'COMMAND' [HOST_PATH...]
#
#   COMMAND    run by the host's /bin/sh (dash) in the VM, stdin /dev/null
#   HOST_PATH  host files or directories put in the VM at the same path; an executable's
#              libraries (as ldd lists them) come along
#   -s DIR     DIR shared read-write over 9p at the same path, and the command starts there
#   -t SECS    the VM is killed after SECS (default 300)
#   -m MiB     guest memory (default 512)
#   -v         the whole console (firmware, kernel, init), not only the command's output
# Environment: KA_VM_KERNEL_PKG (a linux-image-* package; default: what linux-image-amd64
# depends on), KA_VM_CACHE (default /var/tmp/keepalive-vm: the unpacked kernel, ~430 MiB).
# Host packages: qemu-system-x86 busybox-static cpio (in .ci/setup).
set -euo pipefail
t0=$EPOCHREALTIME

die() { echo "run-in-vm: $*" >&2; exit 125; }

share= timeout_s=300 mem=512 verbose=0
while getopts ':s:t:m:v' o; do
  case $o in
    s) share=$(cd "$OPTARG" && pwd) || die "no directory $OPTARG" ;;
    t) timeout_s=$OPTARG ;;
    m) mem=$OPTARG ;;
    v) verbose=1 ;;
    *) die "usage: $0 [-s DIR] [-t SECS] [-m MiB] [-v] 'COMMAND' [HOST_PATH...]" ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || die "no command"
cmd=$1; shift

for t in qemu-system-x86_64 cpio dpkg-deb apt-get ldd flock; do
  command -v "$t" >/dev/null || die "$t is missing (.ci/setup installs qemu-system-x86 busybox-static cpio)"
done
busybox=$(command -v busybox) || die "busybox is missing (busybox-static)"
ldd "$busybox" >/dev/null 2>&1 && die "$busybox is dynamic: the VM needs busybox-static's"

# ---- the kernel: fetched once with apt-get download, unpacked (never installed) ----
cache=${KA_VM_CACHE:-/var/tmp/keepalive-vm}
mkdir -p "$cache"
exec 8>"$cache/lock"
flock 8   # two runs at once share one download
pkg=${KA_VM_KERNEL_PKG:-}
if [ -z "$pkg" ]; then
  # Old ABI packages leave the mirror, so the name is asked for (once a day: ~1 s).
  if [ -n "$(find "$cache/package" -mmin -1440 2>/dev/null)" ]; then
    pkg=$(cat "$cache/package")
  else
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
    [ -n "$pkg" ] || die "no linux-image-amd64 in apt's lists (apt-get update)"
    echo "$pkg" > "$cache/package"
  fi
fi
kdir=$cache/$pkg
if [ ! -e "$kdir/ready" ]; then
  echo "run-in-vm: fetching $pkg (once)" >&2
  rm -rf "$kdir" "$kdir.new"
  mkdir -p "$kdir.new/deb"
  # Stale lists name a package the mirror no longer has: refresh them once and retry.
  (cd "$kdir.new/deb" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
    { apt-get update -qq >/dev/null 2>&1 && (cd "$kdir.new/deb" && apt-get download -q "$pkg" >/dev/null 2>&1); } ||
    die "apt-get download $pkg failed"
  dpkg-deb -x "$kdir.new"/deb/*.deb "$kdir.new/x"
  mkdir -p "$kdir/lib"
  mv "$kdir.new"/x/boot/vmlinuz-* "$kdir/vmlinuz"
  mv "$kdir.new"/x/boot/config-* "$kdir/config"
  mv "$kdir.new/x/lib/modules" "$kdir/lib/modules"
  rm -rf "$kdir.new"
  kver=$(ls "$kdir/lib/modules")
  # Newer kernels compress their modules; busybox insmod in the VM reads plain ones.
  find "$kdir/lib/modules" -name '*.ko.xz' -exec xz -d {} +
  find "$kdir/lib/modules" -name '*.ko.zst' -exec zstd -q -d --rm {} +
  # The package has no modules.dep (dpkg's postinst makes it): busybox depmod does.
  "$busybox" depmod -b "$kdir" "$kver"
  # TCG spends ~5 s per boot inflating an xz bzImage. A PVH kernel boots from its ELF
  # vmlinux directly: unpack it once from the xz stream inside the bzImage.
  if grep -q '^CONFIG_PVH=y' "$kdir/config"; then
    off=$(LC_ALL=C grep -abo -m1 $'\xfd7zXZ' "$kdir/vmlinuz" | head -1 | cut -d: -f1 || true)
    if [ -n "$off" ]; then
      tail -c +$((off + 1)) "$kdir/vmlinuz" | xz -dc > "$kdir/vmlinux.new" 2>/dev/null || true
      if [ "$(head -c 4 "$kdir/vmlinux.new")" = $'\x7fELF' ]; then mv "$kdir/vmlinux.new" "$kdir/vmlinux"; fi
      rm -f "$kdir/vmlinux.new"
    fi
  fi
  touch "$kdir/ready"
fi
flock -u 8
kver=$(ls "$kdir/lib/modules")
mdir=$kdir/lib/modules/$kver

# ---- the initramfs ----
work=$(mktemp -d "${TMPDIR:-/tmp}/ka-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{proc,sys,dev,tmp,run,root,etc,mnt,usr/bin,usr/sbin,usr/lib,usr/lib64}
for d in bin sbin lib lib64; do  # the host's merged-/usr links, so ldd's paths resolve
  if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$root/$d"; else mkdir -p "$root/$d"; fi
done
cp "$busybox" "$root/bin/busybox"
: > "$root/etc/host-tools"
put() {  # host file $1 at the same path, and its libraries
  local f=$1 l
  [ -e "$root$f" ] && return 0
  mkdir -p "$root$(dirname "$f")"
  cp -L --preserve=mode "$f" "$root$f"
  [ -x "$f" ] && echo "${f##*/}" >> "$root/etc/host-tools"
  if ldd "$f" >/dev/null 2>&1; then
    for l in $(ldd "$f" | grep -o '/[^ ]*'); do [ -e "$root$l" ] || put "$l"; done
  fi
}
put_path() {
  local p=$1 f
  case $p in /*) ;; *) p=$PWD/$p ;; esac
  [ -e "$p" ] || die "no such host path $1"
  if [ -d "$p" ]; then
    while IFS= read -r f; do put "$f"; done < <(find "$p" -type f)
  else
    put "$p"
  fi
}
# Debian's busybox sh runs its own applets before PATH (so `ip` would be busybox's, which
# has no netns): the command runs under the host's dash instead.
hostsh=$(readlink -f /bin/sh)
put "$hostsh"
[ "${hostsh##*/}" = sh ] || ln -s "${hostsh##*/}" "$root$(dirname "$hostsh")/sh"
for p in "$@"; do put_path "$p"; done

# Modules: IPVS with every scheduler and persistence engine this kernel has, conntrack for
# NAT, veth/dummy for namespaces, SCTP, and the 9p share's. crc32c_generic first: libcrc32c
# needs it through a soft dependency that busybox modprobe ignores.
boot_mods="crc32c_generic ip_vs"
for f in "$mdir"/kernel/net/netfilter/ipvs/ip_vs_*.ko; do
  m=$(basename "$f" .ko)
  case $m in ip_vs_ftp) ;; *) boot_mods="$boot_mods $m" ;; esac
done
boot_mods="$boot_mods veth dummy sctp"
[ -n "$share" ] && boot_mods="$boot_mods virtio_pci 9pnet_virtio 9p"
want=$(for m in $boot_mods; do
  grep -E -m1 -o "^kernel/(.*/)?${m//_/[-_]}\.ko:" "$mdir/modules.dep" | tr -d : || die "no module $m in $kver"
done)
# modules.dep lists each module's dependencies, transitively.
all=$(awk -v want="$want" 'BEGIN { n = split(want, w, "\n"); for (i = 1; i <= n; i++) W[w[i]] = 1 }
      { k = $1; sub(/:$/, "", k) } k in W { for (i = 1; i <= NF; i++) { sub(/:$/, "", $i); print $i } }' \
      "$mdir/modules.dep" | sort -u)
mkdir -p "$root/lib/modules/$kver"
# shellcheck disable=SC2086
(cd "$mdir" && cp --parents $all "$root/lib/modules/$kver/")
"$busybox" depmod -b "$root" "$kver"
printf '%s\n' $boot_mods > "$root/etc/boot-modules"
printf '%s\n' "$cmd" > "$root/etc/command"
printf '%s\n' "$share" > "$root/etc/share"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' > "$root/etc/hosts"

cat > "$root/init" <<'INIT'
#!/bin/busybox sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s 2>/dev/null   # here, not on the host: 300 links cost ~1 s there
# A host tool wins over a busybox applet of the same name (ip, ipvsadm...).
while read -r t; do
  for d in /usr/sbin /usr/bin /sbin /bin; do
    case $(readlink "$d/$t" 2>/dev/null) in */busybox) rm -f "$d/$t" ;; esac
  done
done < /etc/host-tools
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm && mount -t devpts devpts /dev/pts && mount -t tmpfs tmpfs /dev/shm
chmod 1777 /tmp
echo 1 > /proc/sys/kernel/printk   # kernel messages stay in dmesg, out of the output
hostname vm
echo "@@ka-vm-start@@"
while read -r m; do modprobe "$m" || echo "init: modprobe $m failed"; done < /etc/boot-modules
ip link set lo up
share=$(cat /etc/share)
cd /
if [ -n "$share" ]; then
  mkdir -p "$share"
  mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=none host0 "$share" && cd "$share" ||
    echo "init: 9p mount of $share failed"
fi
/bin/sh -c "$(cat /etc/command)" < /dev/null
echo "@@ka-vm-exit=$?@@"
cd / && sync
[ -n "$share" ] && umount "$share"
poweroff -f
INIT
chmod 755 "$root/init"
# Not compressed: TCG inflates a gzip initramfs ~0.5 s slower than it reads a plain one.
(cd "$root" && find . | cpio -o -H newc --quiet) > "$work/initrd"

# ---- the boot ----
# TCG: /dev/kvm here is PVM, which runs only PVM-enabled guests (docs/ipvs-vm.md).
kernel=$kdir/vmlinuz
[ -f "$kdir/vmlinux" ] && kernel=$kdir/vmlinux
qemu=(qemu-system-x86_64 -accel tcg -cpu max -machine pc -m "$mem" -smp 1 -nodefaults -no-user-config
      -display none -monitor none -serial stdio -no-reboot -nic none
      -kernel "$kernel" -initrd "$work/initrd"
      -append "console=ttyS0 quiet loglevel=1 panic=-1 mitigations=off")
[ -f /usr/share/qemu/qboot.rom ] && qemu+=(-bios /usr/share/qemu/qboot.rom)  # faster than SeaBIOS
[ -n "$share" ] && qemu+=(-virtfs "local,path=$share,mount_tag=host0,security_model=none,multidevs=remap")

ms() { local a=${1/./} b=${2/./}; echo $(( (10#$b - 10#$a) / 1000 )); }
t_boot=$EPOCHREALTIME t_cmd= t_end=
state=before rc=
while IFS= read -r line || [ -n "$line" ]; do
  line=${line%$'\r'}
  case $line in
    *@@ka-vm-start@@*) state=running; t_cmd=$EPOCHREALTIME; [ $verbose = 1 ] && echo "$line"; continue ;;
    *@@ka-vm-exit=*) rc=${line##*@@ka-vm-exit=}; rc=${rc%@@*}; state=after; t_end=$EPOCHREALTIME ;;
  esac
  printf '%s\n' "$line" >> "$work/console"
  if [ $verbose = 1 ] || [ $state = running ]; then
    printf '%s\n' "$line"
  else
    case $line in *"Kernel panic"*|*"BUG:"*|*Oops*) printf '%s\n' "$line" >&2 ;; esac
  fi
done < <(exec timeout -k 5 "$timeout_s" "${qemu[@]}" < /dev/null 2>&1)

if [ -z "$rc" ]; then
  echo "run-in-vm: no result (timeout ${timeout_s}s, panic or qemu failure); console tail:" >&2
  tail -n 20 "$work/console" >&2 || true
  exit 124
fi
# Where the time went: initramfs (and a first fetch), boot to /init, modules and command.
echo "run-in-vm: $(ms "$t0" "$t_boot") ms before qemu, $(ms "$t_boot" "$t_cmd") ms boot," \
     "$(ms "$t_cmd" "$t_end") ms modules and command, $(ms "$t_end" "$EPOCHREALTIME") ms poweroff" >&2
exit "$rc"
