#!/bin/bash
# Build (once) bench/insn/twinsn.c, the QEMU plugin of make bench's
# instruction counts, for the host's QEMU, and print its path.  The
# plugin header ships only in QEMU's source: the source package of the
# installed qemu-system-x86 is fetched from the host's own mirror
# (tests/apt.sh, suite bookworm-src) and only include/qemu/qemu-plugin.h
# is kept in the cache.
set -euo pipefail
. "$(dirname "$0")/../../tests/lib.sh"
. "$TW_TOP/tests/apt.sh"

src=$TW_TOP/bench/insn/twinsn.c
version=$(dpkg-query -W -f='${source:Version}' qemu-system-x86 2> /dev/null) ||
	tw_die "qemu-system-x86 is not installed"
dir=$TW_CACHE/qemu-plugin/$(tr -c 'a-zA-Z0-9.\n' _ <<< "$version")
header=$dir/qemu-plugin.h
so=$dir/twinsn-$(sha1sum "$src" | cut -c1-12).so

if [ ! -f "$header" ]; then
	tmp=$dir/source
	rm -rf "$tmp" && mkdir -p "$tmp"
	tw_log "fetching QEMU $version's source for its plugin header"
	# the installed version, or the suite's own if the mirror no longer
	# has it (the plugin API of one upstream release does not change)
	(cd "$tmp" && { tw_apt bookworm-src apt-get -q source --download-only "qemu=$version" ||
		tw_apt bookworm-src apt-get -q source --download-only qemu; } >&2) ||
		tw_die "apt-get source qemu failed"
	tar -xJf "$tmp"/qemu_*.orig.tar.* -C "$tmp" --wildcards '*/include/qemu/qemu-plugin.h' ||
		tw_die "no include/qemu/qemu-plugin.h in QEMU's source"
	mv "$tmp"/*/include/qemu/qemu-plugin.h "$header"
	rm -rf "$tmp"
fi
if [ ! -f "$so" ]; then
	gcc -shared -fPIC -O2 -Wall -Wextra -Wno-unused-parameter -Werror \
		-I "$dir" -o "$so.tmp" "$src" >&2 || tw_die "building $src failed"
	mv "$so.tmp" "$so"
fi
echo "$so"
