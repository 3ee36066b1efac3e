#!/bin/bash
# Fetch (once) a stock Debian kernel, its modules and its headers into the
# cache, unpacked, never installed, and print the directory that holds
# them.  That directory has: vmlinuz, modules/ (the package's
# lib/modules/<release>), headers/ (the kbuild tree to build against) and
# a file "release" with the kernel release (uname -r).
#
# usage: distro-kernel.sh SUITE
#   SUITE bookworm takes Debian 12's current linux-image-amd64 (6.1.y);
#   bookworm-backports takes its 6.12.y.  The version is the one the suite's
#   linux-image-amd64 depends on today; each version is cached on its own.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/apt.sh"

suite=$1
# dwarves: pahole, with which a stock kernel's headers (CONFIG_DEBUG_INFO_BTF
# _MODULES) give every module its BTF; 6.12's fail the build without it
tw_need_pkgs $TW_HOST_PKGS dwarves
image=$(tw_apt_depends_on "$suite" linux-image-amd64 '^linux-image-[0-9]')
[ -n "$image" ] || tw_die "$suite: linux-image-amd64 depends on no kernel image"
abi=${image#linux-image-}
ver=$(tw_apt_candidate "$suite" "$image")
dir=$TW_CACHE/distro/${abi}_$ver
if [ -f "$dir/.ready" ]; then
	echo "$dir"
	exit 0
fi

tw_log "fetching $image $ver and its headers from $suite into $dir"
rm -rf "$dir"
root=$dir/root
# linux-headers-<abi> needs its -common part and the kbuild tools
headers=$(tw_apt "$suite" apt-cache depends "linux-headers-$abi" |
	awk '$1 == "Depends:" && $2 ~ /^linux-(headers|kbuild)-/ { print $2 }')
# shellcheck disable=SC2086 # one package per word
tw_apt_unpack "$suite" "$root" "$image" "linux-headers-$abi" $headers

release=$(ls "$root/lib/modules")
[ "$(echo "$release" | wc -w)" -eq 1 ] || tw_die "$image: expected one module tree, found: $release"
# The headers' top Makefile includes the -common tree by absolute path.
sed -i "s|^include /usr/src/|include $root/usr/src/|" "$root/usr/src/linux-headers-$abi/Makefile"
ln -s "root/boot/vmlinuz-$release" "$dir/vmlinuz"
ln -s "root/lib/modules/$release" "$dir/modules"
ln -s "root/usr/src/linux-headers-$abi" "$dir/headers"
echo "$release" > "$dir/release"
touch "$dir/.ready"
echo "$dir"
