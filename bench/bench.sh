#!/bin/bash
# `make bench`: build the benchmark kernels (bench/bench.config, TIME_WAIT
# of 30 minutes) and the module for them, boot one guest per entry of
# TW_BENCH_GUESTS that fills the socket table to 10k, 100k and 1M
# TIME_WAIT and times every way of counting them (bench/guest/bench.sh),
# and write BENCHMARKS.md from their logs (bench/bench-report.sh).
# Reports only: timings are never a verdict of make check.
#
#   TW_OUT             where logs and the initramfs go (default $TW_CACHE/bench)
#   TW_BENCH_MD        the report to write (default BENCHMARKS.md at the top)
#   TW_BENCH_BEFORE    a git revision: its module is built too and timed
#                      on the same sockets at every size, as "before"
#   TW_BENCH_NOTES     a markdown file appended to the report as notes
#   TW_BENCH_GUESTS    the guests, space-separated SERIES:BUCKETS[:STEPS]:
#                      the bench kernel (6.1, or 7.2 from sid), the
#                      established hash (thash_entries) and the steps
#                      (10k,100k,100k+100k_est,1M; none: all, with the
#                      drop storm and the churn; insn: the instruction
#                      counts, alone).  Default: each kernel
#                      with a hash sized as a host sizes it for the step
#                      (131072 up to 100k, 1048576 for 1M, which also
#                      shows 10k and 100k in a hash 10x their size), and
#                      the instruction counts on each kernel at 131072
#   TW_QEMU_MEM, TW_QEMU_SMP   as for run-qemu.sh (default 6144 and 2 here)
#   TW_ONLY=churn      only the reader-against-churn figures (100k, 9 rounds)
#   TW_ONLY=drops      only the drop probe's PAWS storm (5 runs)
#   TW_ONLY=insn       only the instruction counts: what one read of each
#                      file executes, and the misses of a cache model, at
#                      100k (6.1, 131072 buckets, one vCPU under the
#                      bench/insn/twinsn.c QEMU plugin; also a guest of
#                      the default list)
#   TW_ONLY=100k,...   only these steps, in the one 6.1 guest of 1048576
#                      buckets (a quick look while developing)
set -euo pipefail
. "$(dirname "$0")/../tests/lib.sh"

out=${TW_OUT:-$TW_CACHE/bench}
md=${TW_BENCH_MD:-$TW_TOP/BENCHMARKS.md}
mkdir -p "$out"

if [ "${TW_ONLY:-}" = insn ]; then
	guests=${TW_BENCH_GUESTS:-6.1:131072:insn}
elif [ -n "${TW_ONLY:-}" ]; then
	guests=${TW_BENCH_GUESTS:-6.1:1048576:$TW_ONLY}
else
	guests=${TW_BENCH_GUESTS:-6.1:131072:10k,100k,100k+100k_est 6.1:1048576 7.2:131072:10k,100k,100k+100k_est 7.2:1048576 6.1:131072:insn 7.2:131072:insn}
fi
tw_need_pkgs $TW_HOST_PKGS
begin=$(date +%s)
tw_timed bench.tools tw_build_tools > "$out/tools.log" 2>&1 || tw_die "tools build failed, see $out/tools.log"

# bench_modules SERIES: the bench kernel of SERIES, this tree's module
# for it and the "before" one; prints the kernel's build directory
bench_modules() {
	local series=$1 kbuild ksrc obj modules before before_build
	kbuild=$(tw_timed bench.kernel.$series "$TW_TOP/bench/build-bench-kernel.sh" "$series")
	ksrc=$(readlink -f "$kbuild/source")
	obj=$out/obj/$(basename "$kbuild")
	tw_log "building the module for $(basename "$kbuild")"
	tw_timed bench.module "$TW_TOP/tests/build-module.sh" "$ksrc" "$kbuild" "$obj" > "$out/build-module-$series.log" 2>&1 ||
		tw_die "module build failed, see $out/build-module-$series.log"
	modules=$out/modules-$series
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
		"$before_build" "$ksrc" "$kbuild" "$out/obj-before-$series" > "$out/build-module-before-$series.log" 2>&1 ||
			tw_die "module build of $TW_BENCH_BEFORE failed, see $out/build-module-before-$series.log"
		cp "$out/obj-before-$series/tw_stats.ko" "$modules/tw_stats_before.ko"
	fi
	TW_GUEST_PERF=1 "$TW_TOP/tests/mkinitramfs.sh" "$out/initramfs-$series.cpio.gz" "$modules" >&2
	echo "$kbuild"
}

# a million sockets: ~300 MB of timewait slab, an ehash of a bucket each
export TW_QEMU_MEM=${TW_QEMU_MEM:-6144} TW_QEMU_SMP=${TW_QEMU_SMP:-2}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log=$out/bench-guest.log
: > "$log"
kbuilds=
declare -A built
for g in $guests; do
	IFS=: read -r series buckets steps <<< "$g"
	[ -n "${built[$series]:-}" ] || built[$series]=$(bench_modules "$series")
	kbuild=${built[$series]}
	kbuilds="$kbuilds $(basename "$kbuild")"
	only=$steps
	[ -n "$only" ] || only=${TW_ONLY:-}
	glog=$out/bench-guest-$series-$buckets.log
	# the instruction counts: one vCPU under the twinsn plugin
	smp=$TW_QEMU_SMP qemu_extra=
	if [ "$only" = insn ]; then
		glog=$out/bench-guest-$series-$buckets-insn.log
		plugin=$(tw_timed bench.insn_plugin "$TW_TOP/bench/insn/build-plugin.sh")
		insn_out=$out/insn-$series-$buckets.out
		rm -f "$insn_out"
		smp=1 qemu_extra="-plugin $plugin,out=$insn_out"
	fi
	TW_QEMU_SMP=$smp TW_QEMU_EXTRA=$qemu_extra tw_timed bench.guest.$series.$buckets \
		"$TW_TOP/tests/run-qemu.sh" "$kbuild/arch/x86/boot/bzImage" \
		"$out/initramfs-$series.cpio.gz" bench "$glog" "${TW_BENCH_TIMEOUT:-2700}" \
		"thash_entries=$buckets${only:+ tw.only=$only}"
	# the guest's kernel log must be clean for the numbers to mean anything
	"$TW_TOP/tests/parse-guest-log.sh" "$glog" | grep -E '^(PASS|FAIL) (guest.completed|kernel.log_clean)' |
		sed "s/^/$series $buckets: /" | tee -a "$out/bench-verdict"
	grep -q '^TWBENCH done' "$glog" || tw_die "the bench guest $g did not finish, see $glog"
	if [ "$only" = insn ]; then
		"$TW_TOP/bench/insn/insn-lines.py" "$glog" "$insn_out" "$kbuild/System.map" \
			"$out/modules-$series/tw_stats.ko" >> "$glog" ||
			tw_die "the instruction counts of $g did not pair up, see $glog and $insn_out"
	fi
	# one log for the report: each step named after its guest
	# (100k/6.1/131072) when there are several guests
	if [ "$(wc -w <<< "$guests")" -gt 1 ]; then
		tag=$series/$buckets
		[ "$only" != insn ] || tag=$tag/insn
		tr -d '\r' < "$glog" | awk -v tag="$tag" '
			$1 == "TWBENCH" && $2 ~ /^(count|kernel|time|memory|unload|churn|phases|profile|insn|insnsym|insn_count)$/ { $3 = $3 "/" tag }
			$1 == "TWBENCH" && $2 == "config" { $2 = "config " tag }
			$1 == "TWBENCH" && $2 == "fill" { $2 = "fill " tag }
			{ print }' >> "$log"
	else
		tr -d '\r' < "$glog" >> "$log"
	fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

{
	echo "host_cpu $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "host_cpus $(nproc)"
	echo "host_load_before $load_before"
	echo "host_load_after $load_after"
	echo "qemu $(qemu-system-x86_64 --version | head -n 1)"
	echo "date $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "kernel_build$kbuilds"
	echo "git $(git -C "$TW_TOP" describe --always --dirty 2>/dev/null || echo unknown)"
	echo "before ${TW_BENCH_BEFORE:+$(git -C "$TW_TOP" rev-parse --short "$TW_BENCH_BEFORE")}"
} > "$out/bench-host"
# the report keeps the hand-kept section of the one it replaces
TW_BENCH_MD=$md "$TW_TOP/bench/bench-report.sh" "$log" "$out/bench-host" \
	${TW_BENCH_NOTES:+"$TW_BENCH_NOTES"} > "$md.tmp"
mv "$md.tmp" "$md"
tw_log "wrote $md"
tw_log "total took $(( $(date +%s) - begin ))s"
