#!/bin/bash
# `make demo`: show tw_stats working.  On a host that can load modules,
# build against the running kernel, load it and print /proc/net/tw_stats;
# anywhere else, do the same in a QEMU guest with the bundled test kernel
# (built once and cached) and some real TIME_WAIT traffic.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kdir=/lib/modules/$(uname -r)/build
can_load_here() {
	[ "$(id -u)" -eq 0 ] && [ -d "$kdir" ] &&
		[ "$(cat /proc/sys/kernel/modules_disabled 2>/dev/null || echo 1)" = 0 ]
}

if [ "${TW_DEMO:-auto}" != qemu ] && can_load_here; then
	make -C "$TW_TOP" modules
	if [ -e /sys/module/tw_stats ] || insmod "$TW_TOP/tw_stats.ko"; then
		echo "\$ cat /proc/net/tw_stats"
		cat /proc/net/tw_stats
		exit 0
	fi
	tw_log "this kernel refused the module; showing it in QEMU instead"
fi

tw_log "this host cannot load modules: running the demo in a QEMU guest"
begin=$(date +%s)
tw_need_pkgs $TW_HOST_PKGS linux-source-6.1
kbuild=$(tw_timed demo.kernel "$TW_TOP/tests/build-kernel.sh")
out=$TW_CACHE/demo
obj=$TW_CACHE/obj/$(basename "$kbuild")
mkdir -p "$out/modules"
tw_timed demo.module "$TW_TOP/tests/build-module.sh" "$(readlink -f "$kbuild/source")" "$kbuild" "$obj" \
	> "$out/build.log" 2>&1 || { cat "$out/build.log"; tw_die "module build failed"; }
rm -f "$out/modules"/*.ko
cp "$obj/tw_stats.ko" "$out/modules/"
tw_timed demo.tools tw_build_tools > "$out/tools.log" 2>&1 || { cat "$out/tools.log"; tw_die "tools build failed"; }
"$TW_TOP/tests/mkinitramfs.sh" "$out/initramfs.cpio.gz" "$out/modules"
tw_timed demo.guest "$TW_TOP/tests/run-qemu.sh" "$kbuild/arch/x86/boot/bzImage" "$out/initramfs.cpio.gz" \
	demo "$out/guest.log" 300
tr -d '\r' < "$out/guest.log" | sed -n '/^TWDEMO begin/,/^TWDEMO end/p' | sed '1d;$d' > "$out/demo.txt"
[ -s "$out/demo.txt" ] || { tail -n 30 "$out/guest.log"; tw_die "the demo guest printed nothing (log: $out/guest.log)"; }
cat "$out/demo.txt"
tw_log "total took $(( $(date +%s) - begin ))s"
