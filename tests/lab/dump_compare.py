#!/usr/bin/env python3
"""Compares Keepalive's dump files with keepalived's, structurally (tests/lab/dump_files.sh).

  dump_compare.py data OURS THEIRS... every section and every field we write is one keepalived
                                     writes in the same section (of any of its dumps given:
                                     some fields are a backup's, some a master's); the
                                     sections and fields of the features Keepalive has are
                                     all there
  dump_compare.py stats OURS THEIRS  the same lines, numbers aside
  dump_compare.py json OURS THEIRS   per instance, the same keys in "data" and in "stats",
                                     with values of the same JSON types
Prints what differs; exits 1 if anything does.
"""
import json
import re
import sys

# Fields of the data dump that Keepalive must write (those of the features it has).
REQUIRED = {
    "Global definitions": ["Router ID", "Smtp server", "Smtp server port", "Smtp HELO name",
                           "Smtp server connection timeout", "Email notification from",
                           "Email notification to", "Default smtp_alert"],
    "VRRP Topology": ["VRRP Instance", "VRRP Version", "Sync group", "State", "Wantstate",
                      "Last transition", "Interface", "Virtual Router ID", "Priority",
                      "Effective priority", "Advert interval", "Accept", "Preempt",
                      "Authentication type", "Password", "Virtual IP", "Virtual IP Excluded",
                      "Tracked scripts", "Using smtp notification"],
    "VRRP Sync groups": ["VRRP Sync Group", "VRRP member instances", "Using smtp notification"],
    "VRRP Scripts": ["VRRP Script", "Command", "Interval", "Timeout", "Weight", "Rise", "Fall",
                     "Tracking instances"],
}


def sections(path):
    """{section: set of field names}; a field is the text before ' = ' or ':' or '(',
    list items (deeper lines without either) are skipped."""
    out, cur = {}, None
    for line in open(path):
        m = re.match(r"^------< (.*) >------$", line.rstrip("\n"))
        if m:
            cur = m.group(1)
            out.setdefault(cur, set())
            continue
        if cur is None or not line.strip():
            continue
        body = line.strip()
        m = re.match(r"^([A-Za-z_][A-Za-z_ ]*?)( = |:| \(|$)", body)
        if m and (m.group(2) or body in ("Flags: none",)):
            out[cur].add(m.group(1).strip())
    return out


def data(ours, *theirs):
    # keepalived's fields of every dump given (a backup's "Master router" is not a master's).
    a, b = sections(ours), {}
    for t in theirs:
        for sec, fields in sections(t).items():
            b.setdefault(sec, set()).update(fields)
    errors = []
    for s, fields in a.items():
        if s not in b:
            errors.append("section %r is not keepalived's" % s)
            continue
        for f in sorted(fields - b[s]):
            errors.append("%s: field %r is not keepalived's" % (s, f))
    for s, fields in REQUIRED.items():
        for f in fields:
            if f in b.get(s, set()) and f not in a.get(s, set()):
                errors.append("%s: keepalived's field %r is missing" % (s, f))
    return errors


def stats(ours, theirs):
    strip = lambda p: [re.sub(r"\d+", "N", l.rstrip("\n")) for l in open(p)]
    a, b = strip(ours), strip(theirs)
    return [] if a == b else ["stats differ:\n  ours:   %s\n  theirs: %s" % (a, b)]


def kind(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    return type(v).__name__


def json_dump(ours, theirs):
    a, b = json.load(open(ours)), json.load(open(theirs))
    errors = []
    byname = lambda l: {i["data"]["iname"]: i for i in l}
    a, b = byname(a), byname(b)
    if set(a) != set(b):
        return ["instances differ: %s vs %s" % (sorted(a), sorted(b))]
    for name in a:
        for part in ("data", "stats"):
            x, y = a[name][part], b[name][part]
            if set(x) != set(y):
                errors.append("%s %s keys differ:\n  ours only:   %s\n  theirs only: %s" % (name, part, sorted(set(x) - set(y)), sorted(set(y) - set(x))))
            for k in set(x) & set(y):
                if kind(x[k]) != kind(y[k]):
                    errors.append("%s %s.%s: %s, keepalived's %s" % (name, part, k, kind(x[k]), kind(y[k])))
    return errors


if __name__ == "__main__":
    what, ours, theirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    errs = {"data": data, "stats": stats, "json": json_dump}[what](ours, *theirs)
    for e in errs:
        print(e)
    sys.exit(1 if errs else 0)
