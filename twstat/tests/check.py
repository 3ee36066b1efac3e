#!/usr/bin/env python3
# Independent oracles for twstat's host tests: read a snapshot directory
# with Python's own parsing and compare it with what twstat printed.
# usage: check.py json DIR JSON | prom DIR PROM | promall DIR PROM
#        | promfmt PROM | topcap DIR PROM TOP
import json
import os
import re
import sys


def fail(msg):
    print(msg)
    sys.exit(1)


def read_stats(path):
    """name -> int; None for "-" (nat_min_headroom may say it)."""
    out = {}
    with open(path) as f:
        for line in f:
            name, value = line.split()
            out[name] = None if value == "-" else int(value)
    return out


INACTIVE = "# inactive: "


def read_table(path):
    with open(path) as f:
        lines = f.read().splitlines()
    cols = lines[0].split()
    # tw_nat while its view is inactive: the header, the reason, no rows
    if len(lines) > 1 and lines[1].startswith(INACTIVE):
        return cols, []
    return cols, [line.split() for line in lines[1:]]


def nat_inactive(snap):
    """The reason an inactive tw_nat gives, else None."""
    p = os.path.join(snap, "tw_nat")
    if not os.path.exists(p):
        return None
    lines = open(p).read().splitlines()
    if len(lines) > 1 and lines[1].startswith(INACTIVE):
        return lines[1][len(INACTIVE):]
    return None


def cell(text, is_text):
    if text == "-":
        return None
    if not is_text and text.isdigit():
        return int(text)
    return text


TEXT_COLS = {"local", "remote", "reason", "proto", "source", "destination"}


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
    if doc["tw_nat_inactive"] != nat_inactive(snap):
        fail("tw_nat_inactive: json %r file %r" % (doc["tw_nat_inactive"], nat_inactive(snap)))
    for name in ("tw_ports", "tw_destinations", "tw_drops", "tw_netns",
                 "tw_nat", "debugfs/chain_lengths"):
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
                 "tcp_max_tw_buckets", "nf_conntrack_tcp_timeout_time_wait"):
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


# What point 4 of issue 17 asks of every name (Prometheus naming
# practices): base units, no ages, no "by_<label>" breakdown in a name.
# (The thing measured may name a label, as node_cpu_seconds_total{cpu}
# does: tw_stats_port_sockets{port}.)
BAD_PARTS = {"ms", "ns", "us", "sec", "age", "by"}


def check_promfmt(path):
    helps, types, samples = read_prom(path)
    if samples and samples[0][0] != "tw_stats_up":
        fail("the first family is %s, not tw_stats_up" % samples[0][0])
    for name, labels, value in samples:
        if name not in helps or name not in types:
            fail("%s has no HELP or TYPE" % name)
        if types[name] == "counter" and not name.endswith("_total"):
            fail("counter %s does not end in _total" % name)
        if types[name] != "counter" and name.endswith("_total"):
            fail("%s ends in _total but is a %s" % (name, types[name]))
        if name.endswith("_timestamp_seconds") and types[name] != "gauge":
            fail("timestamp %s is a %s" % (name, types[name]))
        bad = BAD_PARTS.intersection(name.split("_"))
        if bad:
            fail("%s has %s in its name" % (name, " ".join(sorted(bad))))
        if "netns" not in labels:
            fail("%s has no netns label" % name)
        float(value)


def series(samples, name, **want):
    got = [v for n, l, v in samples
           if n == name and all(l.get(k) == w for k, w in want.items())]
    if len(got) != 1:
        fail("%s%r: %d samples" % (name, want, len(got)))
    return got[0]


def seconds(ns):
    return "%d.%09d" % (ns // 10**9, ns % 10**9)


def timestamp(time_ns, age_ms):
    """Unix time of an age, to the millisecond; None if it has none."""
    if time_ns is None or age_ms * 10**6 > time_ns:
        return None
    ms = time_ns // 10**6 - age_ms
    return "%d.%03d" % (ms // 1000, ms % 1000)


# tw_stats line -> (metric, labels, type, unit); unit "ns" or "age_ms"
STATS = {
    "tw_time_wait": ("tw_stats_timewait_sockets", {"substate": "time_wait"}, "gauge", None),
    "tw_fin_wait2": ("tw_stats_timewait_sockets", {"substate": "fin_wait2"}, "gauge", None),
    "tw_ipv4": ("tw_stats_timewait_ip_sockets", {"family": "ipv4"}, "gauge", None),
    "tw_ipv6": ("tw_stats_timewait_ip_sockets", {"family": "ipv6"}, "gauge", None),
    "tw_object_bytes": ("tw_stats_timewait_object_size_bytes", {"family": "ipv4"}, "gauge", None),
    "tw_object_bytes_ipv6": ("tw_stats_timewait_object_size_bytes", {"family": "ipv6"}, "gauge", None),
    "tw_memory_bytes": ("tw_stats_timewait_memory_bytes", {}, "gauge", None),
    "tw_max_buckets": ("tw_stats_max_tw_buckets", {}, "gauge", None),
    "ehash_buckets": ("tw_stats_ehash_buckets", {}, "gauge", None),
    "bhash_buckets": ("tw_stats_bhash_buckets", {}, "gauge", None),
    "walk_buckets": ("tw_stats_walk_buckets", {}, "gauge", None),
    "walk_sockets": ("tw_stats_walk_sockets", {}, "gauge", None),
    "walk_restarts": ("tw_stats_walk_restarts", {}, "gauge", None),
    "walk_long_chains": ("tw_stats_walk_long_chains", {}, "gauge", None),
    "walk_resumes": ("tw_stats_walk_resumes", {}, "gauge", None),
    "walk_resume_lost": ("tw_stats_walk_resume_lost_chains", {}, "gauge", None),
    "walk_ns": ("tw_stats_walk_duration_seconds", {}, "gauge", "ns"),
    "cache_age_ms": ("tw_stats_walk_timestamp_seconds", {}, "gauge", "age_ms"),
    "ephemeral_low": ("tw_stats_ephemeral_port_low", {}, "gauge", None),
    "ephemeral_high": ("tw_stats_ephemeral_port_high", {}, "gauge", None),
    "ephemeral_ports": ("tw_stats_ephemeral_ports", {}, "gauge", None),
    "ephemeral_reserved": ("tw_stats_ephemeral_ports_reserved", {}, "gauge", None),
    "ephemeral_bound": ("tw_stats_ephemeral_ports_bound", {}, "gauge", None),
    "ephemeral_available": ("tw_stats_ephemeral_ports_available", {}, "gauge", None),
    "ephemeral_in_use": ("tw_stats_ephemeral_ports_in_use", {}, "gauge", None),
    "ports_tw_only": ("tw_stats_ports_tw_only", {}, "gauge", None),
    "destinations": ("tw_stats_destinations", {}, "gauge", None),
    "destination_min_headroom": ("tw_stats_destination_min_headroom_ports", {}, "gauge", None),
    "destinations_untracked_sockets": ("tw_stats_destinations_untracked_sockets", {}, "gauge", None),
    "drop_unattributed": ("tw_stats_unattributed_drops_total", {}, "counter", None),
    "drops_table_busy": ("tw_stats_drops_table_busy_total", {}, "counter", None),
    "nat_active": ("tw_stats_nat_active", {}, "gauge", None),
    "nat_flows": ("tw_stats_nat_flows", {}, "gauge", None),
    "nat_time_wait": ("tw_stats_nat_time_wait_flows", {}, "gauge", None),
    "nat_min_headroom": ("tw_stats_nat_min_headroom_ports", {}, "gauge", None),
    "nat_untracked_flows": ("tw_stats_nat_untracked_flows", {}, "gauge", None),
    "conntrack_insert_failed": ("tw_stats_conntrack_insert_failed_total", {}, "counter", None),
    "conntrack_drop": ("tw_stats_conntrack_drop_total", {}, "counter", None),
    "conntrack_early_drop": ("tw_stats_conntrack_early_drop_total", {}, "counter", None),
}
NAT_FAMILIES = {"tw_stats_nat_destination_flows", "tw_stats_nat_destination_headroom_ports",
                "tw_stats_nat_destination_range_ports"}
NAT_STATES = ("time_wait", "close_wait", "established", "other")
WALK_COST = {
    "walks": ("tw_stats_walk_cost_walks_total", "counter", None),
    "age_ms": ("tw_stats_walk_cost_timestamp_seconds", "gauge", "age_ms"),
    "buckets": ("tw_stats_walk_cost_buckets", "gauge", None),
    "sockets": ("tw_stats_walk_cost_sockets", "gauge", None),
    "restarts": ("tw_stats_walk_cost_restarts", "gauge", None),
    "long_chains": ("tw_stats_walk_cost_long_chains", "gauge", None),
    "ns": ("tw_stats_walk_cost_duration_seconds", "gauge", "ns"),
    "resumes": ("tw_stats_walk_cost_resumes", "gauge", None),
    "resume_lost": ("tw_stats_walk_cost_resume_lost_chains", "gauge", None),
    "max_section_sockets": ("tw_stats_walk_cost_max_section_sockets", "gauge", None),
}
# promtool's lint: a name part that is a type or unit word
LINT = {"total", "count", "sum", "bucket", "created", "info", "gauge",
        "counter", "histogram", "summary", "s", "ms", "us", "ns", "sec",
        "b", "kb", "mb", "gb", "m", "h", "d"}
NETNS_FAMILIES = {"tw_stats_netns_sockets", "tw_stats_netns_ephemeral_ports_in_use",
                  "tw_stats_netns_min_headroom_ports", "tw_stats_netns_private_ehash"}


def lint_safe(name):
    return not LINT.intersection(name.split("_")) and not any(
        w in name for w in ("milli", "micro", "nano"))


def value(v, unit, time_ns):
    if v is None:
        return None
    if unit == "ns":
        return seconds(v)
    if unit == "age_ms":
        return timestamp(time_ns, v)
    return str(v)


def check_prom(snap, path, allns=False):
    """Every line of tw_stats and debugfs walk_cost is its series, with
    its type and unit, and no series comes from nowhere."""
    helps, types, samples = read_prom(path)
    st = read_stats(os.path.join(snap, "tw_stats"))
    p = os.path.join(snap, "meta")
    time_ns = read_stats(p).get("time_ns") if os.path.exists(p) else None
    want = []   # (metric, labels, type, value or None: absent)
    if series(samples, "tw_stats_up") != "1":
        fail("tw_stats_up is not 1")
    for name, v in st.items():
        m = re.match(r"tw_expires_le_(\d+)s$", name)
        if name in STATS:
            metric, labels, kind, unit = STATS[name]
            want.append((metric, labels, kind, value(v, unit, time_ns)))
        elif name.startswith("tcpext_"):
            want.append(("tw_stats_%s_total" % name, {}, "counter", str(v)))
        elif name.startswith("drop_"):
            want.append(("tw_stats_drops_total", {"reason": name[5:]}, "counter", str(v)))
        elif name.startswith("state_"):
            want.append(("tw_stats_tcp_sockets", {"state": name[6:]}, "gauge", str(v)))
        elif m:
            want.append(("tw_stats_timewait_expiring_sockets",
                         {"within_seconds": m.group(1)}, "gauge", str(v)))
        elif name != "tw_total" and lint_safe(name):
            want.append(("tw_stats_" + name, {}, "untyped", str(v)))
    p = os.path.join(snap, "debugfs/walk_cost")
    if os.path.exists(p):
        for name, v in read_stats(p).items():
            if name in WALK_COST:
                metric, kind, unit = WALK_COST[name]
                want.append((metric, {}, kind, value(v, unit, time_ns)))
            elif lint_safe(name):
                want.append(("tw_stats_walk_cost_" + name, {}, "untyped", str(v)))
    p = os.path.join(snap, "tw_drops")
    if os.path.exists(p):
        cols, rows = read_table(p)
        for r in rows:
            d = dict(zip(cols, r))
            if d["remote"] == "others" or d.get("last_seconds_ago", "-") == "-":
                continue
            want.append(("tw_stats_remote_last_drop_timestamp_seconds",
                         {"remote": d["remote"], "reason": d["reason"]}, "gauge",
                         timestamp(time_ns, int(d["last_seconds_ago"]) * 1000)))
    for metric, labels, kind, v in want:
        if v is None:
            if any(n == metric for n, _, _ in samples):
                fail("%s: a series, but it has no value here" % metric)
            continue
        got = series(samples, metric, **labels)
        if got != v:
            fail("%s%r = %s, expected %s" % (metric, labels, got, v))
        if types[metric] != kind:
            fail("%s is a %s, expected %s" % (metric, types[metric], kind))
    table = {"tw_stats_up", "tw_stats_port_sockets", "tw_stats_port_bind_explicit",
             "tw_stats_destination_sockets", "tw_stats_destination_ports_in_use",
             "tw_stats_destination_ports_reusable", "tw_stats_destination_headroom_ports",
             "tw_stats_destination_connections_per_second", "tw_stats_remote_drops_total",
             "tw_stats_ehash_chain_length_buckets"}
    if allns:
        table |= NETNS_FAMILIES
    table |= NAT_FAMILIES
    check_nat_rows(snap, samples, types)
    extra = set(types) - table - {w[0] for w in want}
    if extra:
        fail("families from nowhere: %s" % " ".join(sorted(extra)))
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


def check_nat_rows(snap, samples, types, top=10):
    """tw_nat's rows: the first TOP with their own series, the rest and
    the module's others row summed into proto/source/destination="other";
    headroom and range only where the row has a range."""
    p = os.path.join(snap, "tw_nat")
    names = [n for n, _, _ in samples if n in NAT_FAMILIES]
    if not os.path.exists(p) or nat_inactive(snap) is not None:
        if names:
            fail("NAT series without an active tw_nat: %s" % names[0])
        return
    cols, rows = read_table(p)
    rows = [dict(zip(cols, r)) for r in rows]
    data = [r for r in rows if r["proto"] != "others"]
    listed, rest = data[:top], data[top:] + [r for r in rows if r["proto"] == "others"]
    want = {}
    for r in listed:
        key = (r["proto"], r["source"], r["destination"])
        for st in NAT_STATES:
            want[("tw_stats_nat_destination_flows", key + (st,))] = r[st]
        if r["headroom"] != "-":
            want[("tw_stats_nat_destination_headroom_ports", key + (None,))] = r["headroom"]
            want[("tw_stats_nat_destination_range_ports", key + (None,))] = \
                str(int(r["port_max"]) - int(r["port_min"]) + 1)
    for st in NAT_STATES:
        want[("tw_stats_nat_destination_flows", ("other", "other", "other", st))] = \
            str(sum(int(r[st]) for r in rest))
    got = {}
    for n, l, v in samples:
        if n not in NAT_FAMILIES:
            continue
        k = (n, (l["proto"], l["source"], l["destination"], l.get("state")))
        if k in got:
            fail("%r twice" % (k,))
        got[k] = v
        if types[n] != "gauge":
            fail("%s is a %s" % (n, types[n]))
    if got != want:
        fail("NAT series differ:\n got %r\n want %r" % (sorted(got.items()), sorted(want.items())))


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
elif cmd == "promall":
    check_prom(sys.argv[2], sys.argv[3], allns=True)
elif cmd == "promfmt":
    check_promfmt(sys.argv[2])
elif cmd == "natrows":
    helps, types, samples = read_prom(sys.argv[3])
    check_nat_rows(sys.argv[2], samples, types, int(sys.argv[4]))
elif cmd == "topcap":
    check_topcap(sys.argv[2], sys.argv[3], int(sys.argv[4]))
else:
    fail("unknown check %s" % cmd)
