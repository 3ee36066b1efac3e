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
# copy only what kbuild reads; keep objects of unchanged files
for d in module procfs kunit; do
	mkdir -p "$obj/$d"
	cp -p "$TW_TOP/$d"/*.[ch] "$obj/$d/" 2>/dev/null || true
done
cp -p "$TW_TOP/Kbuild" "$obj/"
# a file deleted from the tree must not survive in the copy
for f in "$obj"/{module,procfs,kunit}/*.[ch]; do
	[ -e "$TW_TOP/${f#"$obj"/}" ] || rm -f "$f"
done
make -C "$ksrc" O="$kbuild" M="$obj" W=1 TW_WERROR=1 "$@" modules
