#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn make bench's instruction counts into TWBENCH lines.

usage: insn-lines.py GUEST_LOG PLUGIN_OUT SYSTEM_MAP MODULE_KO [TOP]

The guest (bench/guest/bench.sh, insn_counts) prints one "TWBENCH
insn_read SCALE WHAT round R bytes B" line per measured read, in order; the plugin
(bench/insn/twinsn.c) wrote one "TWINSN read ..." line per measurement,
in the same order, each followed by its "TWINSN tb" and "TWINSN miss"
lines.  This pairs
them, the k-th with the k-th, and prints for each read

  TWBENCH insn SCALE WHAT round R bytes B insns_user U ... l3_miss C

and, for the last round, the TOP (default 25) functions by instructions
executed per read of each WHAT and the TOP by misses of the model's last
level (the floor's reads averaged):

  TWBENCH insnsym SCALE WHAT SYMBOL insns N l1_miss A l2_miss B l3_miss C

Kernel addresses are resolved with System.map (make bench's kernels have
no KASLR), module addresses with the .ko's own .text symbols from the
base the guest printed ("TWBENCH insn_text SCALE 0x...").
"""

import bisect
import subprocess
import sys
from collections import defaultdict


def guest_lines(path):
    reads, text_base = [], None
    with open(path, errors="replace") as f:
        for line in f:
            w = line.replace("\r", "").split()
            if len(w) >= 3 and w[0] == "TWBENCH" and w[1] == "insn_text":
                text_base = int(w[3], 16)
            elif len(w) >= 8 and w[0] == "TWBENCH" and w[1] == "insn_read":
                reads.append(w[2:])
    return reads, text_base


def plugin_reads(path):
    """[(counts words, {tb vaddr: insns executed},
    {insn vaddr: [l1, l2, l3 misses]})] in order."""
    reads = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if w[:2] == ["TWINSN", "read"]:
                reads.append((w[2:], defaultdict(int),
                              defaultdict(lambda: [0, 0, 0])))
            elif w[:2] == ["TWINSN", "tb"] and reads:
                reads[-1][1][int(w[2], 16)] += int(w[4]) * int(w[6])
            elif w[:2] == ["TWINSN", "miss"] and reads:
                m = reads[-1][2][int(w[2], 16)]
                for i in range(3):
                    m[i] += int(w[4 + 2 * i])
    return reads


def kernel_symbols(path):
    syms = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) == 3 and w[1] in "tTwW":
                syms.append((int(w[0], 16), w[2]))
    return syms


def module_symbols(ko, base):
    if base is None:
        return []
    out = subprocess.run(["objdump", "-t", ko], capture_output=True,
                         text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        w = line.split()
        # VALUE FLAGS... SECTION SIZE NAME, functions of .text only
        if len(w) >= 5 and w[-3] == ".text" and "F" in w[1:-3]:
            syms.append((base + int(w[0], 16), w[-1]))
    return syms


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__.split("\n\n")[1])
    reads, base = guest_lines(sys.argv[1])
    counted = plugin_reads(sys.argv[2])
    if len(reads) != len(counted):
        sys.exit(f"insn-lines: {len(reads)} reads in the guest log but "
                 f"{len(counted)} in the plugin's output")
    top = int(sys.argv[5]) if len(sys.argv) == 6 else 25
    syms = sorted(kernel_symbols(sys.argv[3]) +
                  module_symbols(sys.argv[4], base))
    addrs = [a for a, _ in syms]

    def name_of(vaddr):
        i = bisect.bisect_right(addrs, vaddr) - 1
        return syms[i][1] if i >= 0 else "?"

    last = max((int(r[3]) for r in reads), default=0)
    # (scale, what) -> symbol -> [insns, l1, l2, l3 misses]
    per_sym = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    nreads = defaultdict(int)
    for guest, (counts, tbs, misses) in zip(reads, counted):
        scale, what, _, rnd = guest[:4]
        print("TWBENCH insn", " ".join(guest), " ".join(counts))
        if int(rnd) != last:
            continue
        nreads[(scale, what)] += 1
        for vaddr, n in tbs.items():
            per_sym[(scale, what)][name_of(vaddr)][0] += n
        for vaddr, m in misses.items():
            v = per_sym[(scale, what)][name_of(vaddr)]
            for i in range(3):
                v[1 + i] += m[i]
    for (scale, what), by_sym in per_sym.items():
        n = nreads[(scale, what)]
        chosen = set()
        for col in (0, 3):
            ranked = sorted(by_sym.items(), key=lambda kv: -kv[1][col])
            chosen.update(sym for sym, v in ranked[:top] if v[col])
        for sym in sorted(chosen, key=lambda y: -by_sym[y][0]):
            v = [x // n for x in by_sym[sym]]
            print(f"TWBENCH insnsym {scale} {what} {sym} insns {v[0]} "
                  f"l1_miss {v[1]} l2_miss {v[2]} l3_miss {v[3]}")


if __name__ == "__main__":
    main()
