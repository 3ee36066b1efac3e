#!/bin/bash
# Pack the test guest's initramfs: static busybox, our init and scenarios,
# the static traffic helpers, twstat, twbench (make bench's timer),
# twcheck and twpoke (the torture's reader, writer and loader), the
# modules under test, and the oracles
# ss and nstat (and promtool and node_exporter for twstat's checks) copied
# from the host with their shared libraries.
#
# usage: mkinitramfs.sh OUTPUT.cpio.gz MODULE_DIR
#   the binaries are $TW_GUEST_TOOLS (lib.sh), built by tw_build_tools
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$1 moddir=$2
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
# mktemp makes it 0700: the guest's / must let unprivileged test users in
chmod 755 "$root"

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,tmp,run,etc,tests,root}
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$TW_TOP/tests/guest/init" "$root/init"
chmod +x "$root/init"
# the guest sees the harness's and the benchmark's guest scripts in one /tests
cp "$TW_TOP"/tests/guest/*.sh "$TW_TOP"/tests/guest/*.awk "$TW_TOP"/bench/guest/*.sh "$root/tests/"
cp -r "$TW_TOP/tests/guest/scenarios" "$root/tests/"
for t in $TW_GUEST_TOOLS; do
	cp "$t" "$root/bin/"
done
for m in "$moddir"/*.ko; do
	cp "$m" "$root/lib/"
done
# modules a stock kernel needs before the tests (see guest/init)
[ ! -d "$moddir/preload" ] || cp -r "$moddir/preload" "$root/lib/"
# the NAT scenario's conntrack, NAT and nftables modules (tests/check-kernel.sh)
[ ! -d "$moddir/nat" ] || cp -r "$moddir/nat" "$root/lib/"

# A dynamic binary (as /usr/bin/NAME if given) and everything ldd says it
# loads, at the same paths.
copy_with_libs() {
	local bin=$1 name=${2:-} lib
	cp "$bin" "$root/usr/bin/$name"
	for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
copy_with_libs "$(command -v ss)"
copy_with_libs "$(command -v nstat)"
# iproute2's ip for "ip netns add" (busybox ip has no netns); its own name
# so that busybox's ip stays what the other scenarios use
if command -v ip > /dev/null; then copy_with_libs "$(command -v ip)" ip-full; fi
# util-linux's setpriv, which can drop a capability from the bounding set
# (busybox's cannot): root without CAP_NET_ADMIN, for tw_netns's check
copy_with_libs "$(command -v setpriv)" setpriv-full
# twstat's checks: promtool lints its output, node_exporter serves it
for b in promtool prometheus-node-exporter; do
	if command -v $b > /dev/null; then copy_with_libs "$(command -v $b)"; fi
done
# the NAT scenario: nft sets up the router's masquerade, conntrack(8) is
# the oracle (Debian's nftables and conntrack packages)
tw_need_pkgs nftables conntrack
for b in nft conntrack; do
	if command -v $b > /dev/null; then copy_with_libs "$(command -v $b)"; fi
done
echo 'tcp 6 TCP' > "$root/etc/protocols"

# TW_GUEST_PERF=1 (make bench): the host's perf, for the per-function
# profile of a reading (bench/guest/bench.sh profile); 24 MB of libraries
# that no test needs
if [ "${TW_GUEST_PERF:-0}" = 1 ]; then
	command -v perf > /dev/null || tw_need_pkgs linux-perf
	copy_with_libs "$(command -v perf)"
fi

# TW_GUEST_EXTRA=DIR: a tree laid over the root at its own paths, with the
# shared libraries of every program in it (tests/check-deb-e2e.sh: what
# the Debian packages installed on the host)
if [ -n "${TW_GUEST_EXTRA:-}" ]; then
	cp -a "$TW_GUEST_EXTRA/." "$root/"
	find "$TW_GUEST_EXTRA" -type f -perm -u+x | while read -r f; do
		[ "$(head -c 4 "$f" | tail -c 3)" = ELF ] || continue
		for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	done
fi

(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
