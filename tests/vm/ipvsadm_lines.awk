# ipvsadm's view of the table in ipvs_probe show's lines (tests/vm/ipvs_probe.cpp): one line
# per service, and per destination its service's line, "->", address, forward, tunnel info,
# weight, thresholds. Input: `ipvsadm -Ln --tun-info`, then `ipvsadm -Ln --thresholds` of the
# same table (same lines in the same order, three header lines each).
FNR <= 3 { next }
NR == FNR {
  $1 = $1   # one space between fields
  if ($1 != "->") { svc = $0; print; next }
  dest[FNR] = svc " -> " $2 " " $3 " " $4 " " $5
  next
}
$1 == "->" { print dest[FNR] " " $3 " " $4 }
