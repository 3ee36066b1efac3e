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
# copy only what kbuild reads, and only what changed: an unchanged file
# keeps its old time (and its object), a changed one gets the time of now
# so make rebuilds it even if its object is younger than the edit
for f in $(cd "$TW_TOP" && find module tests/kunit kunit -name '*.[ch]' 2>/dev/null |
	   sed "s|^|$TW_TOP/|") "$TW_TOP/Kbuild"; do
	dst=$obj/${f#"$TW_TOP"/}
	mkdir -p "$(dirname "$dst")"
	cmp -s "$f" "$dst" || cp "$f" "$dst"
done
# a file deleted from the tree must not survive in the copy
for f in $(cd "$obj" && find module procfs tests/kunit kunit -name '*.[ch]' 2>/dev/null |
	   sed "s|^|$obj/|"); do
	[ -e "$TW_TOP/${f#"$obj"/}" ] || rm -f "$f"
done
make -C "$ksrc" O="$kbuild" M="$obj" W=1 TW_WERROR=1 "$@" modules
