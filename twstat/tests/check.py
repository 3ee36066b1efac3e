#!/usr/bin/env python3
# Independent oracles for twstat's host tests: read a snapshot directory
# with Python's own parsing and compare it with what twstat printed.
# usage: check.py json DIR JSON | prom DIR PROM | promfmt PROM
#        | topcap DIR PROM TOP
import json
import os
import re
import sys


def fail(msg):
    print(msg)
    sys.exit(1)


def read_stats(path):
    out = {}
    with open(path) as f:
        for line in f:
            name, value = line.split()
            out[name] = int(value)
    return out


def read_table(path):
    with open(path) as f:
        lines = f.read().splitlines()
    cols = lines[0].split()
    return cols, [line.split() for line in lines[1:]]


def cell(text, is_text):
    if text == "-":
        return None
    if not is_text and text.isdigit():
        return int(text)
    return text


TEXT_COLS = {"local", "remote", "reason"}


def check_json(snap, path):
    with open(path) as f:
        doc = json.load(f)
    if doc.get("schema_version") != 1:
        fail("schema_version is %r" % doc.get("schema_version"))
    stats = read_stats(os.path.join(snap, "tw_stats"))
    if doc["tw_stats"] != stats:
        fail("tw_stats differs: json %r file %r" % (doc["tw_stats"], stats))
    if list(doc["tw_stats"]) != list(stats):
        fail("tw_stats order differs from the file")
    for name in ("tw_ports", "tw_destinations", "tw_drops", "tw_netns",
                 "debugfs/chain_lengths"):
        p = os.path.join(snap, name)
        got = doc[name] if "/" not in name else doc["debugfs"][name.split("/")[1]]
        if not os.path.exists(p):
            if got is not None:
                fail("%s: absent file but json has %r" % (name, got))
            continue
        cols, rows = read_table(p)
        want = [{c: cell(v, c in TEXT_COLS) for c, v in zip(cols, r)} for r in rows]
        if got != want:
            fail("%s differs:\n json %r\n file %r" % (name, got, want))
    p = os.path.join(snap, "debugfs/walk_cost")
    want = read_stats(p) if os.path.exists(p) else None
    if doc["debugfs"]["walk_cost"] != want:
        fail("walk_cost differs")
    for name in ("tcp_tw_reuse", "tcp_timestamps", "tcp_fin_timeout",
                 "tcp_max_tw_buckets"):
        p = os.path.join(snap, "sysctl", name)
        want = int(open(p).read()) if os.path.exists(p) else None
        if doc["sysctl"][name] != want:
            fail("sysctl %s: json %r file %r" % (name, doc["sysctl"][name], want))
    p = os.path.join(snap, "sysctl/ip_local_port_range")
    want = [int(x) for x in open(p).read().split()] if os.path.exists(p) else None
    if doc["sysctl"]["ip_local_port_range"] != want:
        fail("ip_local_port_range differs")


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)')


def read_prom(path):
    """Families with HELP and TYPE, and samples as (name, labels, value)."""
    helps, types, samples = {}, {}, []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# HELP "):
                name, text = line[7:].split(" ", 1)
                helps[name] = text
            elif line.startswith("# TYPE "):
                name, kind = line[7:].split(" ")
                types[name] = kind
            else:
                m = SAMPLE.match(line)
                if not m:
                    fail("not a sample without timestamp: %r" % line)
                labels = dict((k, v) for k, v, _ in LABEL.findall(m.group(2)))
                samples.append((m.group(1), labels, m.group(3)))
    return helps, types, samples


def check_promfmt(path):
    helps, types, samples = read_prom(path)
    for name, labels, value in samples:
        if name not in helps or name not in types:
            fail("%s has no HELP or TYPE" % name)
        if types[name] == "counter" and not name.endswith("_total"):
            fail("counter %s does not end in _total" % name)
        if types[name] != "counter" and name.endswith("_total"):
            fail("%s ends in _total but is a %s" % (name, types[name]))
        if "netns" not in labels:
            fail("%s has no netns label" % name)
        float(value)


def series(samples, name, **want):
    got = [v for n, l, v in samples
           if n == name and all(l.get(k) == w for k, w in want.items())]
    if len(got) != 1:
        fail("%s%r: %d samples" % (name, want, len(got)))
    return got[0]


def check_prom(snap, path):
    helps, types, samples = read_prom(path)
    st = read_stats(os.path.join(snap, "tw_stats"))
    pairs = [("tw_stats_timewait_sockets", {"substate": "time_wait"}, "tw_time_wait"),
             ("tw_stats_timewait_sockets", {"substate": "fin_wait2"}, "tw_fin_wait2"),
             ("tw_stats_timewait_sockets_by_family", {"family": "ipv4"}, "tw_ipv4"),
             ("tw_stats_timewait_sockets_by_family", {"family": "ipv6"}, "tw_ipv6"),
             ("tw_stats_timewait_memory_bytes", {}, "tw_memory_bytes"),
             ("tw_stats_max_tw_buckets", {}, "tw_max_buckets"),
             ("tw_stats_tcp_sockets", {"state": "close_wait"}, "state_close_wait")]
    for name in st:
        if name.startswith("tcpext_"):
            pairs.append(("tw_stats_%s_total" % name, {}, name))
        if name.startswith("drop_"):
            pairs.append(("tw_stats_drops_total", {"reason": name[5:]}, name))
        m = re.match(r"tw_expires_le_(\d+)s$", name)
        if m:
            pairs.append(("tw_stats_timewait_expiring_sockets",
                          {"within_seconds": m.group(1)}, name))
    for metric, labels, stat in pairs:
        if stat not in st:
            continue
        v = series(samples, metric, **labels)
        if v != str(st[stat]):
            fail("%s%r = %s, file %s = %d" % (metric, labels, v, stat, st[stat]))
    if "walk_ns" in st:
        v = series(samples, "tw_stats_walk_duration_seconds")
        ns = st["walk_ns"]
        if v != "%d.%09d" % (ns // 10**9, ns % 10**9):
            fail("walk_duration_seconds %s for walk_ns %d" % (v, ns))
    p = os.path.join(snap, "tw_destinations")
    if os.path.exists(p):
        cols, rows = read_table(p)
        for r in rows:
            d = dict(zip(cols, r))
            if d["local"] == "others":
                continue
            v = series(samples, "tw_stats_destination_headroom_ports",
                       local=d["local"], remote=d["remote"])
            if v != d["headroom"]:
                fail("headroom of %s: %s, file %s" % (d["remote"], v, d["headroom"]))


def check_topcap(snap, path, top):
    """Per-port series: at most TOP ports + other, and they add up."""
    helps, types, samples = read_prom(path)
    cols, rows = read_table(os.path.join(snap, "tw_ports"))
    for col, state in (("tw", "time_wait"), ("established", "established")):
        i = cols.index(col)
        want = sum(int(r[i]) for r in rows)
        got = [(l["port"], int(v)) for n, l, v in samples
               if n == "tw_stats_port_sockets" and l["state"] == state]
        ports = [p for p, _ in got]
        if "other" not in ports or len(ports) > top + 1:
            fail("state %s: ports %r (top %d)" % (state, ports, top))
        if sum(v for _, v in got) != want:
            fail("state %s: series add up to %d, file %d" %
                 (state, sum(v for _, v in got), want))
    for name in ("tw_stats_destination_ports_in_use", "tw_stats_remote_drops_total"):
        n = len([1 for s in samples if s[0] == name])
        if n > top + 1:
            fail("%s: %d series for top %d" % (name, n, top))


cmd = sys.argv[1]
if cmd == "json":
    check_json(sys.argv[2], sys.argv[3])
elif cmd == "prom":
    check_prom(sys.argv[2], sys.argv[3])
elif cmd == "promfmt":
    check_promfmt(sys.argv[2])
elif cmd == "topcap":
    check_topcap(sys.argv[2], sys.argv[3], int(sys.argv[4]))
else:
    fail("unknown check %s" % cmd)
