#!/bin/bash
# `make bench`: build the benchmark kernel (bench/bench.config, TIME_WAIT of
# 30 minutes) and the module for it, boot one guest that fills the socket
# table to 10k, 100k and 1M TIME_WAIT and times every way of counting them
# (bench/guest/bench.sh), and write BENCHMARKS.md from its log
# (bench/bench-report.sh).  Reports only: timings are never a verdict of
# make check.
#
#   TW_OUT             where logs and the initramfs go (default $TW_CACHE/bench)
#   TW_BENCH_MD        the report to write (default BENCHMARKS.md at the top)
#   TW_BENCH_BEFORE    a git revision: its module is built too and timed
#                      on the same sockets at every size, as "before"
#   TW_BENCH_NOTES     a markdown file appended to the report as notes
#   TW_QEMU_MEM, TW_QEMU_SMP   as for run-qemu.sh (default 6144 and 2 here)
#   TW_ONLY=churn      only the reader-against-churn figures (100k, 7 runs)
#   TW_ONLY=drops      only the drop probe's PAWS storm (5 runs)
set -euo pipefail
. "$(dirname "$0")/../tests/lib.sh"

out=${TW_OUT:-$TW_CACHE/bench}
md=${TW_BENCH_MD:-$TW_TOP/BENCHMARKS.md}
mkdir -p "$out"

tw_need_pkgs $TW_HOST_PKGS linux-source-6.1
begin=$(date +%s)
kbuild=$(tw_timed bench.kernel "$TW_TOP/bench/build-bench-kernel.sh")
ksrc=$(readlink -f "$kbuild/source")
obj=$out/obj/$(basename "$kbuild")

tw_log "building the module for $(basename "$kbuild")"
tw_timed bench.module "$TW_TOP/tests/build-module.sh" "$ksrc" "$kbuild" "$obj" > "$out/build-module.log" 2>&1 ||
	tw_die "module build failed, see $out/build-module.log"
tw_timed bench.tools tw_build_tools > "$out/tools.log" 2>&1 || tw_die "tools build failed, see $out/tools.log"
modules=$out/modules
rm -rf "$modules" && mkdir -p "$modules"
cp "$obj"/tw_stats.ko "$modules/"
if [ -n "${TW_BENCH_BEFORE:-}" ]; then
	before=$out/before-src
	rm -rf "$before" && mkdir -p "$before"
	git -C "$TW_TOP" archive "$TW_BENCH_BEFORE" | tar -x -C "$before"
	tw_log "building the module of $TW_BENCH_BEFORE, for the before rows"
	# a revision from before issue 16 has its harness in kunit/
	before_build=$before/tests/build-module.sh
	[ -x "$before_build" ] || before_build=$before/kunit/build-module.sh
	"$before_build" "$ksrc" "$kbuild" "$out/obj-before" > "$out/build-module-before.log" 2>&1 ||
		tw_die "module build of $TW_BENCH_BEFORE failed, see $out/build-module-before.log"
	cp "$out/obj-before/tw_stats.ko" "$modules/tw_stats_before.ko"
fi
"$TW_TOP/tests/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$modules"

# a million sockets: ~300 MB of timewait slab, an ehash of a bucket each
export TW_QEMU_MEM=${TW_QEMU_MEM:-6144} TW_QEMU_SMP=${TW_QEMU_SMP:-2}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log=$out/bench-guest.log
tw_timed bench.guest "$TW_TOP/tests/run-qemu.sh" "$kbuild/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz" \
	bench "$log" "${TW_BENCH_TIMEOUT:-2700}" "thash_entries=1048576${TW_ONLY:+ tw.only=$TW_ONLY}"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# the guest's kernel log must be clean for the numbers to mean anything
"$TW_TOP/tests/parse-guest-log.sh" "$log" | grep -E '^(PASS|FAIL) (guest.completed|kernel.log_clean)' |
	tee "$out/bench-verdict"
grep -q '^TWBENCH done' "$log" || tw_die "the bench guest did not finish, see $log"

{
	echo "host_cpu $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "host_cpus $(nproc)"
	echo "host_load_before $load_before"
	echo "host_load_after $load_after"
	echo "qemu $(qemu-system-x86_64 --version | head -n 1)"
	echo "date $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "kernel_build $(basename "$kbuild")"
	echo "git $(git -C "$TW_TOP" describe --always --dirty 2>/dev/null || echo unknown)"
	echo "before ${TW_BENCH_BEFORE:+$(git -C "$TW_TOP" rev-parse --short "$TW_BENCH_BEFORE")}"
} > "$out/bench-host"
# the report keeps the hand-kept section of the one it replaces
TW_BENCH_MD=$md "$TW_TOP/bench/bench-report.sh" "$log" "$out/bench-host" \
	${TW_BENCH_NOTES:+"$TW_BENCH_NOTES"} > "$md.tmp"
mv "$md.tmp" "$md"
tw_log "wrote $md"
tw_log "total took $(( $(date +%s) - begin ))s"
