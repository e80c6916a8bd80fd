"""An aiosmtpd handler for tests/lab/smtp_alert.sh: each mail accepted is saved as one JSON
file in DIR (HELO name, envelope, the DATA as received), so the lab can read it back.

  python3 -m aiosmtpd -n -l 127.0.0.1:2525 -c smtp_sink.Sink DIR   (PYTHONPATH=tests/lab)
"""
import json
import os
import time


class Sink:
    def __init__(self, directory):
        self.dir = directory
        self.n = 0

    @classmethod
    def from_cli(cls, parser, *args):  # aiosmtpd's way to hand a handler its arguments
        if len(args) != 1:
            parser.error("smtp_sink.Sink takes one argument: the directory")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        record = {
            "helo": session.host_name,
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.original_content.decode("utf-8", "replace"),
            "at": time.time(),
        }
        tmp = os.path.join(self.dir, ".%d.tmp" % self.n)
        with open(tmp, "w") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.dir, "%03d.json" % self.n))
        return "250 OK"
