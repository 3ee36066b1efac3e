#!/bin/bash
# Run tw_stats's build and guest scenarios on one kernel of the supported
# matrix and print one PASS/FAIL/SKIP line per result (the format of
# tests/lib.sh), each name prefixed with the kernel's id; timings go to
# $TW_OUT/<id>/timing.
#
# usage: check-kernel.sh KERNEL-ID
#   kunit-6.1    KUnit/lockdep kernel built from Debian 12's linux-source-6.1
#   kunit-7.2    the same config built from sid's linux-source-7.2
#   debian-6.1   Debian 12's stock linux-image-amd64 (6.1.y) and its headers
#   debian-6.12  bookworm-backports' stock linux-image-amd64 (6.12.y)
#   deb-6.1, deb-6.12  the same stock images with the tw_stats.ko that
#                DKMS built from the tw-stats-dkms package
#                (TW_PREBUILT_KO) and the twstat package's files
#                (TW_GUEST_EXTRA): tests/check-deb-e2e.sh runs these
#   debian-5.10  Debian 11's headers: unsupported, the build must refuse
#                it in one line (no guest)
#   rt-6.12      a PREEMPT_RT lockdep kernel from bookworm-backports'
#                linux-source-6.12 (tests/config/rt.config): the KUnit
#                suites and the drop probe's scenarios (TW_ONLY, default
#                paws,drops-unload) with a clean kernel log
#   kcsan-6.1    a KCSAN kernel from linux-source-6.1 (tests/config/
#                kcsan.config): the KUnit suites, the scenarios (TW_ONLY,
#                default all) and a short torture (KCSAN_TORTURE_SECONDS,
#                default 60); a data race reported in tw_stats's code fails
#                kernel.log_clean, one in the kernel alone is only listed
#   modsig-6.1   a kernel from linux-source-6.1 that refuses unsigned
#                modules (tests/config/modsig.config) and trusts a test
#                key made as DKMS makes its MOK key: a real dkms build
#                signs tw_stats.ko; the guest runs the modsig scenario
#                (TW_ONLY, default modsig): unsigned and untrusted refused
# Stock kernels have no KUnit: tw_stats_test.ko is not built for them and
# the guest says so (a SKIP line with the reason); every scenario runs.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

id=$1
out=${TW_OUT:-$TW_CACHE/run}/$id
mkdir -p "$out"
: > "$out/timing"

say() { tw_result "$1" "$id.$2" "${3:-}"; }
# timed NAME COMMAND...: run, say "tw_stats: step <id>.NAME took Ns" and
# append "<id>.NAME SECONDS" to the timing file
timed() {
	local name=$1
	shift
	TW_TIMING=$out/timing tw_timed "$id.$name" "$@"
}

case "$id" in
kunit-6.1 | kunit-7.2)
	series=${id#kunit-}
	suite=
	frags=("$TW_TOP/tests/config/nat.config" "$TW_TOP/tests/config/kernel.config")
	if [ "$series" != 6.1 ]; then
		suite=sid
		frags+=("$TW_TOP/tests/config/kunit-autorun.config")
	fi
	export TW_KSRC_PKG=linux-source-$series TW_KSRC_SUITE=$suite
	# shared_walk (150 s in TCG) runs on kunit-6.1 and on the stock 6.12,
	# whose bind hash is laid out as 7.2's
	[ "$series" = 6.1 ] || export TW_SKIP=${TW_SKIP-shared-walk}
	kbuild=$(timed kernel "$TW_TOP/tests/build-kernel.sh" "${frags[@]}") ||
		{ say FAIL build.kernel "building the $series test kernel failed"; exit 0; }
	ksrc=$(readlink -f "$kbuild/source")
	kernel=$kbuild/arch/x86/boot/bzImage
	distro=
	;;
rt-6.12 | kcsan-6.1)
	if [ "$id" = rt-6.12 ]; then
		# 6.12's tracepoints still call probes with preemption off
		# (7.2's do not): where a sleeping lock in a probe is a splat
		export TW_KSRC_PKG=linux-source-6.12 TW_KSRC_SUITE=bookworm-backports
		frag=rt
		export TW_ONLY=${TW_ONLY-paws,drops-unload}
	else
		export TW_KSRC_PKG=linux-source-6.1 TW_KSRC_SUITE=
		frag=kcsan
		# KCSAN's delays at its watchpoints slow every scenario down
		guest_limit=2400
	fi
	kbuild=$(timed kernel "$TW_TOP/tests/build-kernel.sh" "$TW_TOP/tests/config/kernel.config" \
		"$TW_TOP/tests/config/$frag.config") ||
		{ say FAIL build.kernel "building the $id test kernel failed"; exit 0; }
	ksrc=$(readlink -f "$kbuild/source")
	kernel=$kbuild/arch/x86/boot/bzImage
	distro=
	;;
modsig-6.1)
	# Secure Boot's module path (docs/kernels.md): a kernel that loads
	# only modules signed by a key it trusts, here a test key made the way
	# DKMS makes its MOK key (tests/modsig.sh), compiled in as shim's MOK
	# list would enroll it.  The guest runs the modsig scenario (TW_ONLY,
	# default modsig) with the DKMS-signed tw_stats.ko.
	export TW_KSRC_PKG=linux-source-6.1 TW_KSRC_SUITE=
	export TW_ONLY=${TW_ONLY-modsig}
	keys=$TW_CACHE/modsig
	"$TW_TOP/tests/modsig.sh" keys "$keys" ||
		{ say FAIL build.keys "cannot make the test MOK key"; exit 0; }
	kbuild=$(timed kernel "$TW_TOP/tests/build-kernel.sh" "$TW_TOP/tests/config/kernel.config" \
		"$keys/trusted-keys.config" "$TW_TOP/tests/config/modsig.config") ||
		{ say FAIL build.kernel "building the $id test kernel failed"; exit 0; }
	ksrc=$(readlink -f "$kbuild/source")
	kernel=$kbuild/arch/x86/boot/bzImage
	distro=
	;;
debian-6.1 | debian-6.12 | deb-6.1 | deb-6.12)
	suite=bookworm
	[ "${id#*-}" = 6.1 ] || suite=bookworm-backports
	case "$id:${TW_PREBUILT_KO:-}" in
	deb-*:) tw_die "$id: run by tests/check-deb-e2e.sh, which sets TW_PREBUILT_KO" ;;
	esac
	distro=$(timed kernel "$TW_TOP/tests/distro-kernel.sh" "$suite") ||
		{ say FAIL fetch.kernel "fetching $suite's kernel failed"; exit 0; }
	kbuild=$(readlink -f "$distro/headers")
	ksrc=$kbuild
	kernel=$distro/vmlinuz
	# The load scenarios test code that is the same on every kernel and
	# take minutes in TCG: kunit-6.1 (6.1's code, lockdep) and kunit-7.2
	# run them; a stock image runs everything else.  shared_walk stays on
	# 6.12, whose bind hash is laid out unlike 6.1's.
	heavy=long-chain,reader-memory,netns-teardown
	[ "${id#*-}" != 6.1 ] || heavy=$heavy,shared-walk
	export TW_SKIP=${TW_SKIP-$heavy}
	;;
debian-5.10)
	# Debian 11's kernel is older than we support: the build must stop
	# with our one line, before the compiler says anything.
	distro=$(timed kernel "$TW_TOP/tests/distro-kernel.sh" bullseye) ||
		{ say FAIL fetch.kernel "fetching bullseye's kernel failed"; exit 0; }
	rm -rf "$out/obj"
	# its headers name gcc-10; any gcc reaches our check the same way
	timed module "$TW_TOP/tests/build-module.sh" "$distro/headers" "$distro/headers" "$out/obj" CC=gcc \
		> "$out/build-module.log" 2>&1 && { say FAIL build.refused "the build succeeded"; exit 0; }
	if [ "$(grep -c 'tw_stats needs Linux 6.1 or newer' "$out/build-module.log")" = 1 ] &&
		! grep -qE 'error:|warning:|CC \[M\]' "$out/build-module.log"; then
		say PASS build.refused_in_one_line
	else
		say FAIL build.refused_in_one_line "see $out/build-module.log"
	fi
	exit 0
	;;
*)
	tw_die "unknown kernel id '$id' (kunit-6.1 kunit-7.2 debian-6.1 debian-6.12 deb-6.1 deb-6.12 debian-5.10 rt-6.12 kcsan-6.1 modsig-6.1)"
	;;
esac

obj=$out/obj
rm -rf "$obj"
if [ -n "${TW_PREBUILT_KO:-}" ]; then
	# a module someone else built (DKMS): only the checks of what it is
	mkdir -p "$obj"
	cp "$TW_PREBUILT_KO" "$obj/tw_stats.ko"
elif timed module "$TW_TOP/tests/build-module.sh" "$ksrc" "$kbuild" "$obj" > "$out/build-module.log" 2>&1; then
	say PASS build.module_w1_werror
else
	say FAIL build.module_w1_werror "see $out/build-module.log"
	tail -n 20 "$out/build-module.log" | sed 's/^/    /' >&2
	exit 0
fi
# the module must carry the release of the kernel it was built for
release=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kbuild/include/generated/utsrelease.h")
vermagic=$(modinfo -F vermagic "$obj/tw_stats.ko" | cut -d' ' -f1)
[ "$vermagic" = "$release" ] && say PASS build.vermagic ||
	say FAIL build.vermagic "tw_stats.ko says '$vermagic', kernel is '$release'"

# tw_stats_test.ko exactly where the kernel has KUnit (Kbuild's rule)
if grep -qE '^CONFIG_KUNIT=[ym]' "$kbuild/.config"; then
	[ -f "$obj/tw_stats_test.ko" ] && say PASS build.kunit_module ||
		say FAIL build.kunit_module "KUnit kernel but no tw_stats_test.ko"
else
	[ ! -f "$obj/tw_stats_test.ko" ] && say SKIP build.kunit_module "no CONFIG_KUNIT in $release" ||
		say FAIL build.kunit_module "tw_stats_test.ko built for a kernel without KUnit"
fi

modules=$out/modules
rm -rf "$modules" && mkdir -p "$modules"
cp "$obj"/*.ko "$modules/"
# modsig-6.1: the guest gets the DKMS-built, signed module as tw_stats.ko
# and the unsigned and wrongly signed ones beside it
if [ "$id" = modsig-6.1 ]; then
	timed sign "$TW_TOP/tests/modsig.sh" modules "$keys" "$kbuild" "$obj" "$modules" "$out/modsig" |
		sed "s/^\(PASS\|FAIL\|SKIP\) /\1 $id./"
fi

# preload NAME: put module NAME of the stock kernel, after its
# dependencies, uncompressed, in modules/preload/ and in its load order.
preload() {
	local f dep
	grep -qx "$1" "$modules/preload/order" 2>/dev/null && return 0
	f=$(find "$distro/modules/kernel" -name "$1.ko*" | head -n 1)
	[ -n "$f" ] || return 0		# built in
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do
		preload "$dep"
	done
	case "$f" in
	*.xz) xz -dc "$f" > "$modules/preload/$1.ko" ;;
	*.zst) zstd -qdc "$f" > "$modules/preload/$1.ko" ;;
	*) cp "$f" "$modules/preload/$1.ko" ;;
	esac
	echo "$1" >> "$modules/preload/order"
}
if [ -n "$distro" ]; then
	mkdir -p "$modules/preload"
	: > "$modules/preload/order"
	# ss reads sockets through sock_diag (inet_diag, tcp_diag)
	for m in inet_diag tcp_diag; do
		preload "$m"
	done
fi

# the NAT scenario's modules, from the stock kernel's modules when it is one
natroot=$kbuild
[ -z "$distro" ] || natroot=$distro/modules/kernel
"$TW_TOP/tests/nat-modules.sh" "$natroot" "$modules"

# kunit-6.1: the same_output scenario's reference module, as tests/check.sh
# builds it (tw_ref_module, tests/lib.sh), so that a targeted run of that
# scenario compares instead of skipping
if [ "$id" = kunit-6.1 ] && [ -z "${TW_PREBUILT_KO:-}" ] &&
	git -C "$TW_TOP" rev-parse -q --verify "$TW_REF_COMMIT^{commit}" > /dev/null; then
	if tw_ref_module "$ksrc" "$kbuild" "$modules" "$out/ref" > "$out/ref-module.log" 2>&1; then
		say PASS build.reference_module
	else
		say FAIL build.reference_module "see $out/ref-module.log"
	fi
fi

timed tools tw_build_tools > "$out/tools.log" 2>&1 ||
	{ say FAIL build.tools "see $out/tools.log"; exit 0; }
timed initramfs "$TW_TOP/tests/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$modules" \
	> "$out/initramfs.log" 2>&1 || { say FAIL build.initramfs "see $out/initramfs.log"; exit 0; }

log=$out/guest.log
timed guest "$TW_TOP/tests/run-qemu.sh" "$kernel" "$out/initramfs.cpio.gz" \
	check "$log" "${TW_GUEST_TIMEOUT:-${guest_limit:-900}}" \
	"${TW_ONLY:+tw.only=$TW_ONLY}${TW_SKIP:+ tw.skip=$TW_SKIP}"
grep -q "^TWGUEST begin check $release " <(tr -d '\r' < "$log") &&
	say PASS guest.release || say FAIL guest.release "the guest did not run $release"
"$TW_TOP/tests/parse-guest-log.sh" "$log" | sed "s/^\(PASS\|FAIL\|SKIP\) /\1 $id./"

# kcsan-6.1: then the torture's mix of churn, namespaces, readers, writers
# and unload/reload on the same kernel, short; allocation faults and
# kmemleak as in make torture (kcsan.config has them), KCSAN watching.
if [ "$id" = kcsan-6.1 ]; then
	secs=${KCSAN_TORTURE_SECONDS:-60}
	tlog=$out/torture.log
	TW_QEMU_MEM=${TW_QEMU_MEM:-2048} TW_QEMU_SMP=${TW_QEMU_SMP:-2} \
		timed torture "$TW_TOP/tests/run-qemu.sh" "$kernel" "$out/initramfs.cpio.gz" \
		torture "$tlog" "$((secs + ${TORTURE_SLACK_SECONDS:-1800}))" \
		"tw.seconds=$secs tw.faults=1 rcutree.kthread_prio=1 rcutree.use_softirq=0"
	"$TW_TOP/tests/parse-guest-log.sh" "$tlog" --no-kunit | sed "s/^\(PASS\|FAIL\|SKIP\) /\1 $id.torture./"
fi
