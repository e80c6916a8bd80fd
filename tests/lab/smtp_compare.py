#!/usr/bin/env python3
"""Reads the mails an smtp_sink.py directory holds (tests/lab/smtp_alert.sh).

  smtp_compare.py subjects DIR          one subject per line, in arrival order
  smtp_compare.py same OURS THEIRS      the mails with the same subject (router id aside)
                                        have the same envelope, HELO, header names in the
                                        same order and the same body; X-Mailer and Date aside
"""
import email
import signal
import glob
import json
import re
import sys


def mails(d):
    out = []
    for p in sorted(glob.glob(d + "/*.json")):
        r = json.load(open(p))
        m = email.message_from_string(r["data"])
        r["headers"] = [k for k, _ in m.items()]
        r["subject"] = m["Subject"]
        r["to"] = m["To"]
        r["from"] = m["From"]
        r["body"] = m.get_payload()
        out.append(r)
    return out


def generic(subject):
    return re.sub(r"^\[[^]]*\] ", "", subject or "")


signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # a reader that stops early (grep -q) is no error
if sys.argv[1] == "subjects":
    for m in mails(sys.argv[2]):
        print(m["subject"])
    sys.exit(0)

ours, theirs = mails(sys.argv[2]), mails(sys.argv[3])
theirs_by = {generic(m["subject"]): m for m in theirs}
errors, compared = [], 0
for m in ours:
    t = theirs_by.get(generic(m["subject"]))
    if not t:
        continue
    compared += 1
    for k in ("helo", "mail_from", "rcpt_tos", "headers", "to", "from", "body"):
        if m[k] != t[k]:
            errors.append("%s: %s %r, keepalived's %r" % (m["subject"], k, m[k], t[k]))
if compared == 0:
    errors.append("no mail of the same subject to compare")
for e in errors:
    print(e)
print("compared %d mails" % compared)
sys.exit(1 if errors else 0)
