#!/bin/bash
# Build (once) the x86_64 test kernel from Debian's linux-source-6.1 with
# kunit/kernel.config, cached under $TW_CACHE keyed by the source package
# version and a hash of the config; print the build directory on stdout.
#
# usage: build-kernel.sh [CONFIG_FRAGMENT]   (default: kunit/kernel.config)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

frag=${1:-$TW_TOP/kunit/kernel.config}
[ -f "$frag" ] || tw_die "no config fragment $frag"

tw_need_pkgs linux-source-6.1 $TW_HOST_PKGS

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
tarball=/usr/src/linux-source-6.1.tar.xz
src=$TW_CACHE/src/linux-source-6.1_$srcver
key=$(cat "$frag" | sha256sum | cut -c1-12)
build=$TW_CACHE/kernel/6.1_${srcver}_$(basename "$frag" .config)_$key

if [ ! -f "$src/.unpacked" ]; then
	tw_log "unpacking $tarball into $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	mv "$src.tmp" "$src"
	touch "$src/.unpacked"
fi

if [ -f "$build/.built" ]; then
	echo "$build"
	exit 0
fi

tw_log "building test kernel in $build (about 5 minutes on 2 cores, once)"
rm -rf "$build"
mkdir -p "$build"
grep -E '^CONFIG_' "$frag" > "$build/.config"
make -s -C "$src" O="$build" ARCH=x86_64 olddefconfig >&2

# olddefconfig silently drops options whose dependencies are unmet: refuse
# to build a kernel that lacks something the tests rely on.
bad=0
while IFS= read -r line; do
	grep -qxF "$line" "$build/.config" || { tw_log "config did not take: $line"; bad=1; }
done < <(grep -E '^CONFIG_' "$frag")
[ $bad -eq 0 ] || tw_die "kernel config fragment $frag is not satisfiable"

jobs=$(( $(nproc) + 1 ))
make -s -C "$src" O="$build" ARCH=x86_64 -j"$jobs" bzImage modules >&2 ||
	tw_die "kernel build failed"
touch "$build/.built"
echo "$build"
