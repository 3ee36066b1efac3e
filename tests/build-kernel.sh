#!/bin/bash
# Build (once) an x86_64 test kernel from a Debian linux-source-X.Y package
# with tests/config/kernel.config, cached under $TW_CACHE keyed by the source
# package version and a hash of the config; print the build directory on
# stdout.
#
# usage: build-kernel.sh [--source] [CONFIG_FRAGMENT...]
#   (default fragments: tests/config/nat.config tests/config/kernel.config,
#   the kunit-6.1 kernel that runs the scenarios)
#   --source      only unpack (and patch) the source and print its directory,
#                 without configuring or building (make check's checkpatch)
#   Several fragments are applied in order, so a debug kernel can be the
#   test kernel's fragment plus its own (make torture: kernel.config
#   torture.config); the cache is keyed by their CONFIG_ lines and named
#   after the last one.
#   TW_KSRC_PKG   source package (default linux-source-6.1, installed on
#                 the host); TW_KSRC_SUITE names the suite to fetch it from
#                 instead (e.g. linux-source-7.2 from sid), unpacked into
#                 the cache with tests/apt.sh, never installed.
#   TW_KSRC_PATCH a patch (-p1) to build with: applied to a hard-linked copy
#                 of the source (the shared tree stays untouched), and part
#                 of the cache key (make bench uses it).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/apt.sh"

source_only=
if [ "${1:-}" = --source ]; then
	source_only=1
	shift
fi
[ $# -gt 0 ] || set -- "$TW_TOP/tests/config/nat.config" "$TW_TOP/tests/config/kernel.config"
for f in "$@"; do
	[ -f "$f" ] || tw_die "no config fragment $f"
done
frags=("$@")
frag=${frags[-1]}
pkg=${TW_KSRC_PKG:-linux-source-6.1}
suite=${TW_KSRC_SUITE:-}
series=${pkg#linux-source-}

tw_need_pkgs $TW_HOST_PKGS
if [ -z "$suite" ]; then
	tw_need_pkgs "$pkg"
	srcver=$(dpkg-query -W -f='${Version}' "$pkg")
	tarball=/usr/src/$pkg.tar.xz
else
	srcver=$(tw_apt_candidate "$suite" "$pkg")
	[ -n "$srcver" ] || tw_die "$suite has no $pkg"
	tarball=$TW_CACHE/pkgroot/${pkg}_$srcver/usr/src/$pkg.tar.xz
	[ -f "$tarball" ] || tw_apt_unpack "$suite" "$TW_CACHE/pkgroot/${pkg}_$srcver" "$pkg"
fi
src=$TW_CACHE/src/${pkg}_$srcver
patchfile=${TW_KSRC_PATCH:-}
# keyed by what reaches the build: the CONFIG_ lines, the patch and the
# certificates compiled in (CONFIG_SYSTEM_TRUSTED_KEYS names a file: a new
# certificate at the same path is a new kernel), so that editing a comment
# does not rebuild a kernel
certs=$(cat "${frags[@]}" | sed -n 's/^CONFIG_SYSTEM_TRUSTED_KEYS="\(..*\)"$/\1/p')
for f in $certs; do
	[ -f "$f" ] || tw_die "no certificate file $f (CONFIG_SYSTEM_TRUSTED_KEYS)"
done
key=$( { cat "${frags[@]}" | grep -E '^CONFIG_'; [ -z "$patchfile" ] || cat "$patchfile"
	[ -z "$certs" ] || cat $certs; } | sha256sum | cut -c1-12)
build=$TW_CACHE/kernel/${series}_${srcver}_$(basename "$frag" .config)_$key

if [ ! -f "$src/.unpacked" ]; then
	tw_log "unpacking $tarball into $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	mv "$src.tmp" "$src"
	touch "$src/.unpacked"
fi

if [ -n "$patchfile" ]; then
	psrc=${src}_$(basename "$patchfile" .patch)_$(sha256sum < "$patchfile" | cut -c1-12)
	if [ ! -f "$psrc/.patched" ]; then
		tw_log "patching a hard-linked copy of $src with $patchfile"
		rm -rf "$psrc" "$psrc.tmp"
		cp -al "$src" "$psrc.tmp"
		# unshare the files the patch touches before patching them
		for f in $(sed -n 's|^+++ b/\([^\t]*\).*|\1|p' "$patchfile"); do
			cp --remove-destination "$src/$f" "$psrc.tmp/$f"
		done
		patch -s -p1 -d "$psrc.tmp" < "$patchfile" || tw_die "$patchfile does not apply"
		mv "$psrc.tmp" "$psrc"
		touch "$psrc/.patched"
	fi
	src=$psrc
fi
if [ -n "$source_only" ]; then
	echo "$src"
	exit 0
fi

if [ -f "$build/.built" ]; then
	echo "$build"
	exit 0
fi

tw_log "building test kernel in $build (about 5 minutes on 2 idle cores, once)"
start=$(date +%s)
rm -rf "$build"
mkdir -p "$build"
# allnoconfig plus the fragments, as kunit.py sizes its kernels: every
# option not asked for is off, which halves the build against defconfig.
cat "${frags[@]}" | grep -E '^CONFIG_' > "$build/fragment.config"
make -s -C "$src" O="$build" ARCH=x86_64 KCONFIG_ALLCONFIG="$build/fragment.config" \
	allnoconfig >&2

# allnoconfig silently drops options whose dependencies are unmet: refuse
# to build a kernel that lacks something the tests rely on.
bad=0
while IFS= read -r line; do
	grep -qxF "$line" "$build/.config" || { tw_log "config did not take: $line"; bad=1; }
done < <(cat "${frags[@]}" | grep -E '^CONFIG_')
[ $bad -eq 0 ] || tw_die "kernel config fragments ${frags[*]} are not satisfiable"

jobs=$(( $(nproc) + 1 ))
make -s -C "$src" O="$build" ARCH=x86_64 -j"$jobs" bzImage modules >&2 ||
	tw_die "kernel build failed"
echo "$(( $(date +%s) - start ))" > "$build/.build-seconds"
touch "$build/.built"
tw_log "kernel built in $(cat "$build/.build-seconds")s"
echo "$build"
