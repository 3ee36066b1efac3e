#!/bin/bash
# `make check`: every test of tw_stats in one run.  Installs what it needs
# (Debian 12, as root), builds the cached KUnit test kernel, builds the
# module with W=1 -Werror, runs checkpatch and sparse, boots the guest
# once for the KUnit suites and the integration scenarios, scans the
# guest's kernel log for splats, runs a short torture (kunit/torture.sh)
# on the debug kernel, and ends with "N passed, N failed, N skipped".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out=${TW_OUT:-$TW_CACHE/run}
mkdir -p "$out"
TW_RESULTS=$out/results
results=$TW_RESULTS
: > "$results"

record() { tw_record "$@"; }

# step NAME LOGFILE COMMAND...: one test that is a command's success.
step() {
	local name=$1 log=$2
	shift 2
	if "$@" > "$log" 2>&1; then
		record PASS "$name"
	else
		record FAIL "$name" "see $log"
		tail -n 20 "$log" | sed 's/^/    /'
		return 1
	fi
}

finish() {
	tw_tally
	exit
}

# prometheus (promtool) and its node exporter check twstat's output
tw_need_pkgs $TW_HOST_PKGS linux-source-6.1 prometheus prometheus-node-exporter

kbuild=$("$TW_TOP/kunit/build-kernel.sh") || { record FAIL build.kernel "kernel build failed"; finish; }
ksrc=$(readlink -f "$kbuild/source")
obj=$out/obj/$(basename "$kbuild")

step build.module_w1_werror "$out/build-module.log" \
	"$TW_TOP/kunit/build-module.sh" "$ksrc" "$kbuild" "$obj" || finish
sparse_clean() {
	"$TW_TOP/kunit/build-module.sh" "$ksrc" "$kbuild" "$obj" C=2 || return 1
	! grep -E '(warning|error):' "$out/sparse.log" >&2
}
step build.sparse_clean "$out/sparse.log" sparse_clean
# module/compat/ is where version tests belong: only there are they allowed
cp_strict="$ksrc/scripts/checkpatch.pl --strict --no-tree --terse --show-types"
step lint.checkpatch_strict "$out/checkpatch.log" sh -c "
	$cp_strict -f $(find "$TW_TOP"/module "$TW_TOP"/tests/kunit "$TW_TOP"/kunit -name '*.[ch]' 2>/dev/null | grep -v /module/compat/ | sort | tr '\n' ' ') &&
	$cp_strict --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f $(ls "$TW_TOP"/module/compat/*.h "$TW_TOP"/module/compat.h 2>/dev/null | tr '\n' ' ')"
# Layers point one way: no core file (module/*.[ch]) includes a header of
# the presentation layer (module/files/); only module/ is on the include
# path, so such an include would have to name files/.
step lint.layers "$out/layers.log" sh -c "
	! grep -n '#include \"files/' '$TW_TOP'/module/*.[ch] '$TW_TOP'/module/compat/*.h"
step build.tools "$out/tools.log" make -C "$TW_TOP/tools" || finish
# twstat's host tests on saved snapshots: their own PASS/FAIL lines
"$TW_TOP/tools/tests/run.sh" > "$out/twstat-tests.log" 2>&1
grep -E '^(PASS|FAIL) ' "$out/twstat-tests.log" | tee -a "$results"
grep -q '^PASS ' "$out/twstat-tests.log" ||
	record FAIL tools.twstat_tests "no test ran: see $out/twstat-tests.log"

modules=$out/modules
rm -rf "$modules" && mkdir -p "$modules"
cp "$obj"/*.ko "$modules/"
step build.initramfs "$out/initramfs.log" \
	"$TW_TOP/kunit/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$modules" "$TW_TOP/tools" || finish

log=$out/guest.log
"$TW_TOP/kunit/run-qemu.sh" "$kbuild/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz" \
	check "$log" "${TW_GUEST_TIMEOUT:-900}" "${TW_ONLY:+tw.only=$TW_ONLY}"
"$TW_TOP/kunit/parse-guest-log.sh" "$log" >> "$results.guest"
cat "$results.guest" | tee -a "$results"
rm -f "$results.guest"

# The torture on the debug kernel (kunit/torture.sh): its own PASS/FAIL
# lines.  make check runs a short one (TORTURE_SECONDS, 60 s of torture,
# 30 s of fuzzing), make check-all the full 300 s; TORTURE_SECONDS=0
# leaves it out (a SKIP line).
torture_secs=${TORTURE_SECONDS:-60}
if [ "$torture_secs" != 0 ]; then
	TW_OUT=$out/torture TORTURE_SECONDS=$torture_secs \
		TORTURE_FUZZ_SECONDS=${TORTURE_FUZZ_SECONDS:-30} \
		"$TW_TOP/kunit/torture.sh" > "$out/torture.log" 2>&1
	grep -E '^(PASS|FAIL|SKIP) ' "$out/torture.log" | tee -a "$results"
	grep -E '^torture (ops|took)' "$out/torture.log"
	grep -q '^PASS ' "$out/torture.log" ||
		record FAIL torture.ran "no torture result: see $out/torture.log"
else
	echo "SKIP torture: TORTURE_SECONDS=0" | tee -a "$results"
fi

# The other kernels of the matrix (kunit/check-kernel.sh, README: Supported kernels):
# make check adds Debian 12's stock 6.1 image, make check-all all of them.
for k in ${TW_KERNELS-debian-6.1}; do
	tw_log "kernel $k"
	"$TW_TOP/kunit/check-kernel.sh" "$k" | tee -a "$results"
done
[ -z "${TW_DKMS:-}" ] || "$TW_TOP/kunit/check-dkms.sh" | tee -a "$results"
finish
