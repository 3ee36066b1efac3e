#!/bin/bash
# `make torture`: the module under everything at once on a debug kernel
# (KASAN, kmemleak, lockdep, debug objects, fault injection, lockup
# detectors; tests/config/torture.config) for TORTURE_SECONDS, then its numbers
# against the oracles and its memory against kmemleak (the guest side is
# tests/guest/torture.sh); and twstat's parsers under libFuzzer for
# TORTURE_FUZZ_SECONDS.  Ends with "N passed, N failed"; make check runs
# a 60 s one (tests/check.sh).
#
#   TORTURE_SECONDS       the guest's torture time (default 300)
#   TORTURE_FUZZ_SECONDS  the fuzzer's time (default 120)
#   TORTURE_FAULTS        1 (default): inject allocation failures in the
#                         middle 60% of the run; 0: none
#   TORTURE_SLACK_SECONDS the guest's time limit beyond TORTURE_SECONDS
#                         (1800: boot, the quiet end and a kmemleak scan
#                         of all memory are slow under TCG on a loaded host)
#   TW_OUT                where builds, logs and results go
set -uo pipefail
. "$(dirname "$0")/lib.sh"

secs=${TORTURE_SECONDS:-300}
fuzz_secs=${TORTURE_FUZZ_SECONDS:-120}
faults=${TORTURE_FAULTS:-1}
for v in secs fuzz_secs faults; do
	case ${!v} in
	'' | *[!0-9]*) tw_die "torture: TORTURE_SECONDS, TORTURE_FUZZ_SECONDS and TORTURE_FAULTS take a whole number of seconds (TORTURE_FAULTS: 0 or 1)" ;;
	esac
done
[ "$secs" -gt 0 ] || tw_die "torture: TORTURE_SECONDS must be above 0"
out=${TW_OUT:-$TW_CACHE/torture}
mkdir -p "$out"
TW_RESULTS=$out/torture-results
results=$TW_RESULTS
: > "$results"
begin=$(date +%s)

record() { tw_record "$@"; }
finish() {
	tw_tally "torture took $(( $(date +%s) - begin ))s"
	exit
}

# clang for the fuzzer (libFuzzer comes with Debian's clang)
tw_need_pkgs $TW_HOST_PKGS linux-source-6.1 clang

# --- the parser fuzzer, bounded
if tw_timed torture.fuzz make -C "$TW_TOP/twstat" fuzz-run FUZZ_SECS="$fuzz_secs" > "$out/fuzz.log" 2>&1; then
	record PASS torture.fuzz_parse
else
	record FAIL torture.fuzz_parse "see $out/fuzz.log"
	grep -E 'ERROR|SUMMARY|crash-' "$out/fuzz.log" | head -n 10 | sed 's/^/    /'
fi
sed -n 's/^#\([0-9]*\)[[:space:]]*DONE .*cov: \([0-9]*\).*/tw_stats: fuzz_parse: \1 runs, coverage \2/p' \
	"$out/fuzz.log" >&2

# --- the torture kernel (once, cached), the module, the guest
kbuild=$(tw_timed torture.kernel "$TW_TOP/tests/build-kernel.sh" "$TW_TOP/tests/config/kernel.config" \
	"$TW_TOP/tests/config/torture.config") || { record FAIL torture.build_kernel "kernel build failed"; finish; }
ksrc=$(readlink -f "$kbuild/source")
obj=$out/obj/$(basename "$kbuild")
if tw_timed torture.module "$TW_TOP/tests/build-module.sh" "$ksrc" "$kbuild" "$obj" > "$out/build-module.log" 2>&1; then
	record PASS torture.build_module
else
	record FAIL torture.build_module "see $out/build-module.log"
	finish
fi
tw_timed torture.tools tw_build_tools > "$out/tools.log" 2>&1 ||
	{ record FAIL torture.build_tools "see $out/tools.log"; finish; }
modules=$out/modules
rm -rf "$modules" && mkdir -p "$modules"
# tw_stats.ko only: the KUnit suites are make check's
cp "$obj/tw_stats.ko" "$modules/"
tw_timed torture.initramfs "$TW_TOP/tests/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$modules" \
	> "$out/initramfs.log" 2>&1 || { record FAIL torture.initramfs "see $out/initramfs.log"; finish; }

# Two CPUs at least, so that readers, writers, churn and unload really
# run in parallel.  RCU's grace-period and callback kthreads get a real-
# time priority (as on an RT host): otherwise, with both vCPUs saturated
# under TCG, a grace period took 30 s, rcu_barrier() more, and one
# module unload (unregister_pernet_subsys, free_module) 120 to 330 s.
# 2 GiB hold KASAN's shadow and kmemleak's metadata; more only makes
# kmemleak's scans (all of memory, under TCG) slower.
log=$out/guest.log
TW_QEMU_MEM=${TW_QEMU_MEM:-2048} TW_QEMU_SMP=${TW_QEMU_SMP:-2} \
	tw_timed torture.guest "$TW_TOP/tests/run-qemu.sh" "$kbuild/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz" \
	torture "$log" "$((secs + ${TORTURE_SLACK_SECONDS:-1800}))" "tw.seconds=$secs tw.faults=$faults rcutree.kthread_prio=1 rcutree.use_softirq=0"
"$TW_TOP/tests/parse-guest-log.sh" "$log" --no-kunit | sed 's/^\(PASS\|FAIL\|SKIP\) /\1 torture./' |
	tw_results_from
tr -d "\r" < "$log" | sed -n "s/^TWGUEST torture-ops /torture ops: /p"
grep -q 'TWGUEST torture-ops' "$log" ||
	record FAIL torture.ops_reported "the guest printed no operation counts (see $log)"
finish
