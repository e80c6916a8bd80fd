#!/usr/bin/env python3
"""Every keyword of keepalived.conf(5) (keepalived 2.2.7): known to the parser, covered by a
unit test that checks the model, and in the fuzzer's dictionary.

  man_keywords.py KEEPALIVE UNIT_TESTS [--list]

1. Reads the keywords from the man page's troff, per block: in the syntax sections (.nf),
   a line that starts with a bold word (\\fBword) is a keyword of the block it is written
   in; a line ending in '{' opens that word's block, a '}' line closes it. Values, list
   items and examples are not bold and are not taken. The page stops listing keywords at
   ADVANCED CONFIGURATION (the examples after it repeat keywords out of their blocks).
   A few keywords the page writes without bold are added by hand (K_NOT_BOLD), and checked
   to be on the page.
2. Known: each keyword alone in its block (and a block keyword with an empty block) goes
   through `KEEPALIVE -t` and keepalived 2.2.7's own `keepalived -t`; ours must not call it
   unknown, and where the two disagree the keyword must be listed below with the reason
   (K_NOT_COVERED: both call it unknown; K_PAGE_OVER_KEEPALIVED: only keepalived does).
   A made-up keyword in the same place must be called unknown by both (so the place is
   really read).
3. Covered: UNIT_TESTS runs the vocab test cases with KA_VOCAB_INVENTORY set; each table row
   whose model check passed writes the block path of every keyword in it whose removal
   changes the model or makes the config invalid (tests/unit/test_parser_vocab.cpp). Each man
   keyword must be among them, at its block.
4. The fuzzer's dictionary (tests/fuzz/keepalived.dict) holds each keyword, and its corpus
   (tests/fuzz/corpus/) a seed with each block kind (each keyword that opens a block).
Fails (exit 1) on any gap, and when the man page is missing (keepalived not installed:
.ci/setup installs it).
"""
import concurrent.futures
import gzip
import os
import re
import subprocess
import sys
import tempfile

MAN = os.environ.get("KA_MAN_PAGE", "/usr/share/man/man5/keepalived.conf.5.gz")
HERE = os.path.dirname(os.path.abspath(__file__))
DICT = os.path.join(HERE, "..", "fuzz", "keepalived.dict")
CORPUS = os.path.join(HERE, "..", "fuzz", "corpus")
UNIT_SOURCES = [os.path.join(HERE, f) for f in sorted(os.listdir(HERE)) if f.endswith(".cpp")]

# Written on the page without bold, each in the block where the page lists it.
K_NOT_BOLD = [
    ("global_defs", "disable_local_igmp"),
    ("", "interface_up_down_delays"),
    ("virtual_server/real_server/UDP_CHECK", "min_reply_length"),
    ("virtual_server/real_server/UDP_CHECK", "max_reply_length"),
]
# Other spellings the page (or the issue: lb_algo, lb_kind) names, read as the new one.
K_OTHER_SPELLINGS = [
    ("", "vrrp_track_file"),
    ("bfd_instance", "neighbour_ip"),
    ("virtual_server", "lb_algo"),
    ("virtual_server", "lb_kind"),
]
# The language's own keywords (parser/load.cpp): tested with files in test_parser.cpp /
# test_preprocess.cpp, not as model fields; only their presence in a unit test is checked.
K_LANGUAGE = ["include", "includer", "includem", "includew", "includeb", "includea"]
# Keywords deliberately not covered, each with its reason. Each is one that keepalived 2.2.7
# itself calls unknown where the page lists it: the parser must call it unknown too.
K_NOT_COVERED = {
    "virtual_server/real_server/MISC_CHECK/connect_timeout":
        "the page gives MISC_CHECK the generic options from alpha on, but keepalived 2.2.7 -t calls "
        "connect_timeout there an unknown keyword (misc_timeout is MISC_CHECK's timeout); so does the parser",
}
# Keywords the page lists that keepalived 2.2.7 (Debian's build) calls unknown all the same;
# the parser reads them as the page says (a config with them loads in both: keepalived only
# warns), and a unit test checks each in the model.
K_PAGE_OVER_KEEPALIVED = {
    "global_defs/vrrp_ipsets":
        "Debian's keepalived is built without ipsets (keepalived -v lists no IPSETS option)",
    "vrrp_sync_group/notify_deleted": "keepalived 2.2.7 -t: Unknown keyword, although on the page",
    "virtual_server/real_server/FILE_CHECK/dynamic": "keepalived 2.2.7 -t: Unknown keyword, although on the page",
}

# The generic checker options (the page's CHECKER_TYPE block) and where they apply: every
# checker but BFD_CHECK and FILE_CHECK, MISC_CHECK only from alpha on.
CHECKERS = ["HTTP_GET", "SSL_GET", "TCP_CHECK", "SMTP_CHECK", "DNS_CHECK", "MISC_CHECK", "UDP_CHECK",
            "PING_CHECK"]
MISC_FROM = "alpha"

# The words that open each block, to put a keyword in its place.
OPEN = {
    "global_defs": "global_defs {",
    "vrrp_instance": "vrrp_instance V {",
    "authentication": "authentication {",
    "vrrp_sync_group": "vrrp_sync_group G {",
    "vrrp_script": "vrrp_script S {",
    "vrrp_track_process": "vrrp_track_process P {",
    "track_file": "track_file F {",
    "bfd_instance": "bfd_instance B {",
    "garp_group": "garp_group {",
    "track_group": "track_group T {",
    "SSL": "SSL {",
    "virtual_server_group": "virtual_server_group VG {",
    "virtual_server": "virtual_server 192.0.2.1 80 {",
    "real_server": "real_server 198.51.100.1 80 {",
    "url": "url {",
}
for k in CHECKERS + ["BFD_CHECK", "FILE_CHECK"]:
    OPEN[k] = k + " {"


def fail_loudly(msg):
    print("man_keywords: " + msg, file=sys.stderr)
    sys.exit(1)


def man_keywords():
    """[(block path, keyword, opens a block)] in page order, without repeats."""
    if not os.path.exists(MAN):
        fail_loudly(MAN + " is missing: install keepalived 2.2.7 (.ci/setup does)")
    lines = gzip.open(MAN, "rt", errors="replace").read().split("\n")
    bold = re.compile(r"^\s*\\fB([A-Za-z][A-Za-z0-9_|-]*)")
    nf, stack, found = False, [], []
    for line in lines:
        if line.startswith(".SH ADVANCED CONFIGURATION"):
            break
        if line.startswith(".SH"):
            nf, stack = False, []
            continue
        if line.startswith(".nf"):
            nf, stack = True, []
            continue
        if line.startswith(".fi"):
            nf = False
            continue
        if not nf:
            continue
        code = re.sub(r"#.*", "", line).strip()
        m = bold.match(line)
        opens = code.endswith("{")
        if m:
            found.append(("/".join(stack), m.group(1), opens))
            if opens:
                stack.append(m.group(1))
        elif opens:
            stack.append(code[:-1].strip())
        elif code == "}" and stack:
            stack.pop()
    text = "\n".join(lines)
    for block, kw in K_NOT_BOLD:
        if not re.search(r"^\s*" + re.escape(kw) + r"\b", text, re.M):
            fail_loudly("'%s' is no longer on the page: update K_NOT_BOLD" % kw)
        found.append((block, kw, kw == "interface_up_down_delays"))
    for block, kw in K_OTHER_SPELLINGS:
        found.append((block, kw, False))
    # Expand the page's shared blocks into the blocks that read them.
    out, seen = [], set()
    for block, kw, opens in found:
        parts = block.split("/") if block else []
        targets = [parts]
        if parts and parts[-1] == "CHECKER_TYPE":
            kinds = [k for k in CHECKERS if k != "MISC_CHECK"]
            targets = [parts[:-1] + [k] for k in kinds]
        elif "HTTP_GET|SSL_GET" in parts:
            i = parts.index("HTTP_GET|SSL_GET")
            targets = [parts[:i] + [k] + parts[i + 1:] for k in ("HTTP_GET", "SSL_GET")]
        for t in targets:
            key = ("/".join(t), kw)
            if key not in seen:
                seen.add(key)
                out.append((key[0], kw, opens))
    # The generic options MISC_CHECK reads: alpha and those after it.
    generic = [kw for b, kw, _ in found if b.endswith("CHECKER_TYPE")]
    for kw in generic[generic.index(MISC_FROM):]:
        key = ("virtual_server/real_server/MISC_CHECK", kw)
        if key not in seen:
            seen.add(key)
            out.append((key[0], kw, False))
    # The page's own alternatives in one bold word (HTTP_GET|SSL_GET) are two keywords.
    final = []
    for block, kw, opens in out:
        for k in kw.split("|"):
            if (block, k) not in [(b, x) for b, x, _ in final]:
                final.append((block, k, opens))
    if len(final) < 300:
        fail_loudly("only %d keywords read from the page: the extraction is broken" % len(final))
    return final


def snippet(block, kw, opens):
    parts = block.split("/") if block else []
    head = [OPEN[p] for p in parts]
    if opens:
        line = kw + (" X {" if not parts else " {") + "\n" + "}"
    else:
        line = kw
    return "\n".join(head + [line] + ["}"] * len(parts)) + "\n", len(parts) + 1


KEEPALIVED = "/usr/sbin/keepalived"


def unknown_in(out, kw):
    """Our -t calls kw unknown, or (a list block such as virtual_server_group) not valid."""
    return ("unknown keyword '%s'" % kw) in out or ("found '%s'," % kw) in out


def known(keepalive, entries):
    """Runs each keyword in its place through both -t: [(block, kw, ours, keepalived's)]
    for each keyword that is unknown to either, and the blocks where a made-up keyword is
    not reported (so a check there would prove nothing)."""
    if not os.path.exists(KEEPALIVED):
        fail_loudly(KEEPALIVED + " is missing: install keepalived 2.2.7 (.ci/setup does)")
    verdicts, deaf = [], []
    with tempfile.TemporaryDirectory() as d:
        counter = iter(range(1 << 30))

        def run(text, kw):
            # Each run its own file: the runs go four at a time (~940 processes; under
            # ASan one `-t` costs a tenth of a second or more).
            path = os.path.join(d, "k%d.conf" % next(counter))
            with open(path, "w") as f:
                f.write(text)
            r = subprocess.run([keepalive, "-t", "-f", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            out = r.stdout.decode(errors="replace")
            if "configuration" not in out:
                fail_loudly("no summary from %s -t: %s" % (keepalive, out[-300:]))
            # keepalived -t: -l -D log to the terminal; an unknown keyword is "Unknown keyword 'X'".
            r = subprocess.run([KEEPALIVED, "-t", "-l", "-D", "-f", path], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=30)
            theirs = r.stdout.decode(errors="replace")
            return unknown_in(out, kw), ("Unknown keyword '%s'" % kw) in theirs or (
                "address %s " % kw) in theirs

        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            kws = [(block, kw, pool.submit(run, snippet(block, kw, opens)[0], kw)) for block, kw, opens in entries]
            blocks = [(block, pool.submit(run, snippet(block, "zz_not_a_keyword", False)[0], "zz_not_a_keyword"))
                      for block in sorted({b for b, _, _ in entries})]
            for block, kw, fut in kws:
                ours, theirs = fut.result()
                if ours or theirs:
                    verdicts.append((block, kw, ours, theirs))
            for block, fut in blocks:
                ours, theirs = fut.result()
                if not ours or not theirs:
                    deaf.append((block, ours, theirs))
    return verdicts, deaf


def inventory(unit_tests):
    fd, path = tempfile.mkstemp()
    os.close(fd)
    try:
        env = dict(os.environ, KA_VOCAB_INVENTORY=path)
        r = subprocess.run([unit_tests, "-tc=vocab*"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode != 0:
            print(r.stdout.decode(errors="replace")[-3000:])
            fail_loudly("the vocab unit tests fail")
        with open(path) as f:
            got = {line.strip() for line in f if line.strip()}
    finally:
        os.unlink(path)
    if len(got) < 100:
        fail_loudly("the inventory holds %d keywords: KA_VOCAB_INVENTORY is not written" % len(got))
    return got


def main():
    if len(sys.argv) < 3:
        fail_loudly("usage: man_keywords.py KEEPALIVE UNIT_TESTS [--list]")
    keepalive, unit_tests = sys.argv[1], sys.argv[2]
    entries = man_keywords()
    if "--list" in sys.argv:
        for block, kw, _ in entries:
            print((block + "/" if block else "/") + kw)
    words = {kw for _, kw, _ in entries}
    problems = []

    verdicts, deaf = known(keepalive, entries)
    for b, ours, theirs in deaf:
        problems.append("block '%s': a made-up keyword in it is not reported (keepalive: %s, keepalived: %s)"
                        % (b or "(top)", ours, theirs))
    # What keepalived itself calls unknown where the page lists it is not a keyword there:
    # the parser must say so too, and no test can check a model field for it.
    unknown = []
    rejected = {(b + "/" + kw).lstrip("/") for b, kw, ours, theirs in verdicts if ours}
    for b, kw, ours, theirs in verdicts:
        place = (b + "/" + kw).lstrip("/")
        if ours and theirs and place not in K_NOT_COVERED:
            problems.append("both call %s unknown: list it in K_NOT_COVERED with the reason" % place)
        elif ours and not theirs:
            unknown.append((b, kw))
            problems.append("unknown to the parser, keepalived reads it: %s" % place)
        elif theirs and not ours and place not in K_PAGE_OVER_KEEPALIVED:
            problems.append("keepalived calls %s unknown, the parser reads it: say why in K_PAGE_OVER_KEEPALIVED"
                            % place)
    for place in K_NOT_COVERED:
        if place not in rejected:
            problems.append("%s is in K_NOT_COVERED but the parser reads it" % place)

    covered = inventory(unit_tests)
    not_covered = K_NOT_COVERED
    missing = [(b, kw) for b, kw, _ in entries
               if (b + "/" + kw).lstrip("/") not in covered and (b + "/" + kw).lstrip("/") not in not_covered]
    for b, kw in missing:
        problems.append("no unit test row checks the model for %s/%s" % (b or "(top)", kw))

    sources = "".join(open(f).read() for f in UNIT_SOURCES)
    for kw in K_LANGUAGE:
        if not re.search(r"[\"\s]" + kw + r"[\"\s]", sources):
            problems.append("no unit test uses '%s'" % kw)

    # One entry a line: "word" or name="word" (libFuzzer's format).
    dict_words = set()
    for line in open(DICT):
        m = re.match(r'^(?:\w+=)?"(.*)"\s*$', line.strip())
        if m:
            dict_words.add(m.group(1))
    for kw in sorted(words | set(K_LANGUAGE)):
        if kw not in dict_words:
            problems.append("not in tests/fuzz/keepalived.dict: %s" % kw)

    seeds = ""
    for f in sorted(os.listdir(CORPUS)):
        seeds += open(os.path.join(CORPUS, f), errors="replace").read() + "\n"
    blocks = sorted({kw for _, kw, opens in entries if opens} | {p for b, _, _ in entries for p in b.split("/") if p})
    for kw in blocks:
        if not re.search(r"^\s*" + re.escape(kw) + r"(\s|$)", seeds, re.M):
            problems.append("no seed in tests/fuzz/corpus/ has a %s block" % kw)

    print("man_keywords: %d keyword places (%d distinct keywords) from the page and %d language keywords; "
          "%d known to the parser, %d covered by a unit test, %d deliberately not covered"
          % (len(entries), len(words), len(K_LANGUAGE), len(entries) - len(unknown) - len(K_NOT_COVERED),
             len(entries) - len(missing) - len(not_covered), len(not_covered)))
    for k, why in not_covered.items():
        print("  not covered: %s: %s" % (k, why))
    for k, why in K_PAGE_OVER_KEEPALIVED.items():
        print("  read as the page says, keepalived calls it unknown: %s: %s" % (k, why))
    for p in problems:
        print("GAP: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
