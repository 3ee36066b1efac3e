#!/bin/bash
# `make check`: every test of tw_stats in one run.  Installs what it needs
# (Debian 12, as root); first what needs no kernel: the module's layers
# point one way (tests/check-layers.sh), checkpatch, twstat's host tests;
# then builds the cached KUnit test kernel, builds the module with W=1
# -Werror, runs sparse, boots the guest once for the KUnit suites and the
# integration scenarios, scans the guest's kernel log for splats, runs a
# short torture (tests/torture.sh) on the debug kernel, then the other
# kernels of TW_KERNELS, each built or fetched only for its own run, and
# ends with "N passed, N failed, N skipped".  Every step says how long it
# took ("tw_stats: step NAME took Ns", also in $TW_OUT/timing), and the
# end the total.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out=${TW_OUT:-$TW_CACHE/run}
mkdir -p "$out"
TW_RESULTS=$out/results
: > "$TW_RESULTS"

record() { tw_record "$@"; }
begin=$(date +%s)
# every step's time, as "NAME SECONDS" (tw_timed), besides the stderr lines
export TW_TIMING=$out/timing
: > "$TW_TIMING"

# step NAME LOGFILE COMMAND...: one test that is a command's success,
# timed.
step() {
	local name=$1 log=$2 rc=0
	shift 2
	tw_timed "$name" "$@" > "$log" 2>&1 || rc=$?
	if [ $rc -eq 0 ]; then
		record PASS "$name"
	else
		record FAIL "$name" "see $log"
		tail -n 20 "$log" | sed 's/^/    /'
		return 1
	fi
}

finish() {
	tw_log "total took $(( $(date +%s) - begin ))s (step times in $TW_TIMING)"
	tw_tally "check took $(( $(date +%s) - begin ))s"
	exit
}

# prometheus (promtool) and its node exporter check twstat's output
tw_need_pkgs $TW_HOST_PKGS linux-source-6.1 prometheus prometheus-node-exporter jq curl

# ===== Host checks: no kernel is built for these, so they run first and
# also on a machine whose kernel build fails.

# the core never includes module/files/, version tests only in module/compat/
step lint.layers_point_down "$out/layers.log" "$TW_TOP/tests/check-layers.sh"

# checkpatch --strict over the module (core, files, compat) and the KUnit
# suites; module/compat/ is where version tests belong: only there are
# they allowed.  It needs the kernel source's scripts, not a built kernel.
cp_src=$(tw_timed kernel_source "$TW_TOP/tests/build-kernel.sh" --source) ||
	{ record FAIL build.kernel "unpacking the kernel source failed"; finish; }
# shellcheck disable=SC2317 # run by step
checkpatch_strict() {
	local cp=("$cp_src/scripts/checkpatch.pl" --strict --no-tree --terse --show-types)
	local srcs compat
	mapfile -t srcs < <(compgen -G "$TW_TOP/module/*.[ch]"; compgen -G "$TW_TOP/module/files/*.[ch]"
		compgen -G "$TW_TOP/tests/kunit/*.[ch]")
	mapfile -t compat < <(compgen -G "$TW_TOP/module/compat/*.[ch]")
	[ ${#srcs[@]} -gt 0 ] || { echo "no sources under $TW_TOP/module"; return 1; }
	"${cp[@]}" -f "${srcs[@]}" || return 1
	[ ${#compat[@]} -eq 0 ] ||
		"${cp[@]}" --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f "${compat[@]}" || return 1
	# the format contract: its column lists are X-macros (COLS(COL)), which
	# checkpatch takes for statements wanting parentheses
	"${cp[@]}" --ignore COMPLEX_MACRO,MACRO_ARG_REUSE -f "$TW_TOP/include/tw_stats_format.h"
}
step lint.checkpatch_strict "$out/checkpatch.log" checkpatch_strict

# twstat, the test helpers and twbench (every guest needs them)
step build.tools "$out/tools.log" tw_build_tools || finish
# twstat's host tests on saved snapshots: their own PASS/FAIL lines
tw_timed twstat_tests "$TW_TOP/twstat/tests/run.sh" > "$out/twstat-tests.log" 2>&1
tw_results_from "$out/twstat-tests.log"
grep -q '^PASS ' "$out/twstat-tests.log" ||
	record FAIL tools.twstat_tests "no test ran: see $out/twstat-tests.log"
# the Debian packages (make deb, lintian, their contents, DKMS's kernel
# range) and the systemd units booted for real (tests/check-deb.sh,
# tests/check-units.sh): their own PASS/FAIL lines
tw_timed deb "$TW_TOP/tests/check-deb.sh" > "$out/deb.log" 2>&1
tw_results_from "$out/deb.log"
grep -q '^PASS ' "$out/deb.log" ||
	record FAIL deb.ran "no packaging test ran: see $out/deb.log"
# the textfile of saved guest readings through a real node_exporter and
# Prometheus, and every query of the Grafana dashboard: its own PASS/FAIL
# lines (tests/check-grafana.sh)
tw_timed grafana "$TW_TOP/tests/check-grafana.sh" > "$out/grafana.log" 2>&1
tw_results_from "$out/grafana.log"
grep -q '^PASS ' "$out/grafana.log" ||
	record FAIL grafana.ran "no test ran: see $out/grafana.log"

# ===== The KUnit kernel (6.1, tests/config/kernel.config), built here
# because this run needs it: the W=1 build, sparse, then one guest for the
# KUnit suites and the scenarios.  Without it the other runs still go.
kunit_run() {
	local kbuild ksrc obj modules log
	kbuild=$(tw_timed kernel.kunit-6.1 "$TW_TOP/tests/build-kernel.sh") ||
		{ record FAIL build.kernel "kernel build failed"; return; }
	ksrc=$(readlink -f "$kbuild/source")
	obj=$out/obj/$(basename "$kbuild")

	step build.module_w1_werror "$out/build-module.log" \
		"$TW_TOP/tests/build-module.sh" "$ksrc" "$kbuild" "$obj" || finish
	# shellcheck disable=SC2317 # run by step
	sparse_clean() {
		"$TW_TOP/tests/build-module.sh" "$ksrc" "$kbuild" "$obj" C=2 || return 1
		! grep -E '(warning|error):' "$out/sparse.log" >&2
	}
	# C=2: sparse over every file kbuild compiles (module/, module/files/,
	# module/compat/ through their includes, tests/kunit/ on this kernel)
	step build.sparse_clean "$out/sparse.log" sparse_clean

	modules=$out/modules
	rm -rf "$modules" && mkdir -p "$modules"
	cp "$obj"/*.ko "$modules/"
	step build.nat_modules "$out/nat-modules.log" \
		"$TW_TOP/tests/nat-modules.sh" "$kbuild" "$modules"
	# the same_output scenario's reference: the module as of
	# TW_REF_COMMIT (tests/lib.sh), on the same kernel
	if git -C "$TW_TOP" rev-parse -q --verify "$TW_REF_COMMIT^{commit}" > /dev/null; then
		step build.reference_module "$out/ref-module.log" \
			tw_ref_module "$ksrc" "$kbuild" "$modules" "$out/ref"
	else
		record SKIP build.reference_module "no git history with $TW_REF_COMMIT: the same_output scenario is skipped"
	fi
	step build.initramfs "$out/initramfs.log" \
		"$TW_TOP/tests/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$modules" || finish

	log=$out/guest.log
	tw_timed guest.kunit-6.1 "$TW_TOP/tests/run-qemu.sh" "$kbuild/arch/x86/boot/bzImage" \
		"$out/initramfs.cpio.gz" check "$log" "${TW_GUEST_TIMEOUT:-900}" "${TW_ONLY:+tw.only=$TW_ONLY}"
	"$TW_TOP/tests/parse-guest-log.sh" "$log" | tw_results_from
}
kunit_run

# ===== The torture on its debug kernel (tests/torture.sh, which builds
# that kernel): its own PASS/FAIL lines.  make check runs a short one
# (TORTURE_SECONDS, 60 s of torture, 30 s of fuzzing), make check-all the
# full 300 s; TORTURE_SECONDS=0 leaves it out (a SKIP line, and no
# torture kernel is built).
torture_secs=${TORTURE_SECONDS:-60}
if [ "$torture_secs" != 0 ]; then
	TW_OUT=$out/torture TORTURE_SECONDS=$torture_secs \
		TORTURE_FUZZ_SECONDS=${TORTURE_FUZZ_SECONDS:-30} \
		tw_timed torture "$TW_TOP/tests/torture.sh" > "$out/torture.log" 2>&1
	tw_results_from "$out/torture.log"
	# its own step times (torture.*, in $TW_TIMING too), and its numbers
	grep -E '^tw_stats: step ' "$out/torture.log" >&2
	grep -E '^torture (ops|took)' "$out/torture.log"
	grep -q '^PASS ' "$out/torture.log" ||
		record FAIL torture.ran "no torture result: see $out/torture.log"
else
	record SKIP torture "TORTURE_SECONDS=0"
fi

# ===== The other kernels of the matrix (tests/check-kernel.sh,
# docs/kernels.md), each building or fetching only its own kernel:
# make check-all and .ci/run name them all in TW_KERNELS; make check
# alone runs none, so that a warm run stays under 10 minutes (the same
# scenarios on a stock image took about 3 more).
for k in ${TW_KERNELS-}; do
	tw_log "kernel $k"
	tw_timed "check-kernel.$k" "$TW_TOP/tests/check-kernel.sh" "$k" | tw_results_from
done
[ -z "${TW_DKMS:-}" ] || tw_timed dkms "$TW_TOP/tests/check-dkms.sh" | tw_results_from
# make check-all: the Debian packages installed, DKMS-built and run on the
# stock images (tests/check-deb-e2e.sh)
[ -z "${TW_DEB_E2E:-}" ] || tw_timed deb-e2e "$TW_TOP/tests/check-deb-e2e.sh" | tw_results_from
finish
