#!/bin/bash
# usage: nat-modules.sh KERNEL_ROOT MODULES_DIR
# Ship the NAT scenario's modules from KERNEL_ROOT (a kernel build tree,
# or a stock kernel's modules directory) into MODULES_DIR/nat, for
# tests/mkinitramfs.sh; used by make check's kunit-6.1 run and by
# tests/check-kernel.sh.
set -euo pipefail
root=$1
modules=$2

# The NAT scenario's modules: conntrack, NAT, nftables and ctnetlink with
# their dependencies, uncompressed, in modules/nat/ in load order; the
# guest loads them itself (after checking that loading tw_stats does not)
# and unloads them again.  From the test kernel's build, or the stock
# kernel's modules; a kernel that builds them in ships none.
nat_ship() {
	local f dep
	grep -qx "$1" "$modules/nat/order" 2>/dev/null && return 0
	f=$(find "$root" -name "$1.ko" -o -name "$1.ko.*" | head -n 1)
	[ -n "$f" ] || return 0		# built in, or not built
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do
		nat_ship "$dep"
	done
	# soft dependencies the guest has no modprobe to follow: libcrc32c's
	# "pre: crc32c" is the algorithm crc32c_generic provides (stock kernels)
	for dep in $(modinfo -F softdep "$f" | sed 's/post:.*//; s/pre://g'); do
		nat_ship "$dep"
		nat_ship "${dep}_generic"
	done
	case "$f" in
	*.xz) xz -dc "$f" > "$modules/nat/$1.ko" ;;
	*.zst) zstd -qdc "$f" > "$modules/nat/$1.ko" ;;
	*) cp "$f" "$modules/nat/$1.ko" ;;
	esac
	echo "$1" >> "$modules/nat/order"
}
mkdir -p "$modules/nat"
: > "$modules/nat/order"
# (and veth, a module on stock kernels, for its three namespaces)
for m in veth nf_conntrack nf_nat nf_conntrack_netlink nf_tables nft_ct nft_chain_nat nft_masq; do
	nat_ship "$m"
done
