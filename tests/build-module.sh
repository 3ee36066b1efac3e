#!/bin/bash
# Build tw_stats.ko (and tw_stats_test.ko on KUnit kernels) against a
# kernel tree, in a copy of the sources so that builds for different
# kernels never share objects with each other or with the work tree.
#
# usage: build-module.sh KERNEL_SRC KERNEL_BUILD OBJDIR [make args...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ksrc=$1 kbuild=$2 obj=$3
shift 3
mkdir -p "$obj"
# copy only what kbuild reads (the Makefile's TW_KBUILD_SRC, what DKMS
# copies too), and only what changed: an unchanged file keeps its old time
# (and its object), a changed one gets the time of now so make rebuilds it
# even if its object is younger than the edit
srcs=$(make -s --no-print-directory -C "$TW_TOP" kbuild-src) ||
	tw_die "cannot list the module's sources (make kbuild-src)"
for f in $srcs; do
	dst=$obj/$f
	mkdir -p "$(dirname "$dst")"
	cmp -s "$TW_TOP/$f" "$dst" || cp "$TW_TOP/$f" "$dst"
done
# a source deleted from the tree (or from the list) must not survive in
# the copy; kbuild's own files (tw_stats.mod.c) sit at the top, not below
find "$obj" -mindepth 2 -name '*.[ch]' | while read -r f; do
	grep -qxF "${f#"$obj"/}" <<< "$srcs" || rm -f "$f"
done
make -C "$ksrc" O="$kbuild" M="$obj" W=1 TW_WERROR=1 TW_KUNIT=1 "$@" modules
