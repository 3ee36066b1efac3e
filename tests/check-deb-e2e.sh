#!/bin/bash
# The Debian packages end to end, on Debian 12's stock 6.1 image and
# bookworm-backports' stock 6.12 image (make check-all):
#   1. make deb builds tw-stats-dkms and twstat;
#   2. both install on this host with dpkg -i, and DKMS, from the source
#      the package installed, builds and installs tw_stats.ko for each
#      kernel whose headers are installed (the package's postinst, as on a
#      host; autoinstall_all_kernels makes it build for every one, not only
#      the running and the newest kernel);
#   3. each kernel boots in QEMU with the module DKMS built and the files
#      the twstat package installed (tests/check-kernel.sh deb-6.1 and
#      deb-6.12, scenario deb-e2e): the module loads, one run of the
#      service writes the textfile, node_exporter serves it;
#   4. dpkg --purge removes both, and DKMS's module with them.
# The host cannot boot these kernels, so the proof is split there: install
# and DKMS build on the host, load and run in the guest.
#
# Headers: 6.1's package (linux-headers-<abi>) installs on this host as
# check-dkms.sh installs it.  bookworm-backports' linux-headers-<abi>
# depends on its kernel image, which a test must not install on a host,
# so for 6.12 the headers tests/distro-kernel.sh unpacked are linked at
# /lib/modules/<release>/build, the one thing the package would have
# made that DKMS reads; the link is removed afterwards.
#
# usage: check-deb-e2e.sh   (root)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/apt.sh"

out=${TW_OUT:-$TW_CACHE/run}/deb-e2e
rm -rf "$out" && mkdir -p "$out"
say() { tw_result "$1" "deb-e2e.$2" "${3:-}"; }

purge() {
	dpkg --purge twstat tw-stats-dkms > "$out/purge.log" 2>&1
}

# ----- 1. the packages
debs=$out/debs
if make -C "$TW_TOP" deb DEB_OUT="$debs" > "$out/make-deb.log" 2>&1 &&
	ls "$debs"/tw-stats-dkms_*.deb "$debs"/twstat_*.deb > /dev/null 2>&1; then
	say PASS make_deb
else
	say FAIL make_deb "see $out/make-deb.log"
	exit 0
fi

# ----- 2. the kernels' headers, then dpkg -i
releases=()
links=()
for suite in bookworm bookworm-backports; do
	distro=$("$TW_TOP/tests/distro-kernel.sh" "$suite") ||
		{ say FAIL "fetch.$suite" "fetching $suite's kernel failed"; exit 0; }
	release=$(cat "$distro/release")
	releases+=("$release")
	if [ "$suite" = bookworm ]; then
		tw_need_pkgs dkms "linux-headers-$release" ||
			{ say FAIL headers.6.1 "cannot install linux-headers-$release"; exit 0; }
	elif [ ! -e "/lib/modules/$release/build" ]; then
		mkdir -p "/lib/modules/$release"
		ln -s "$(readlink -f "$distro/headers")" "/lib/modules/$release/build"
		links+=("/lib/modules/$release/build")
	fi
done
cleanup() {
	purge
	for l in "${links[@]}"; do
		rm -f "$l"
		rmdir --ignore-fail-on-non-empty "$(dirname "$l")" 2> /dev/null
	done
}
trap cleanup EXIT

# a leftover of an earlier run (or of make dkms-install) would make
# DKMS's add fail
purge
make -s -C "$TW_TOP" dkms-remove > /dev/null 2>&1
start=$(date +%s)
if autoinstall_all_kernels=1 dpkg -i "$debs"/tw-stats-dkms_*.deb "$debs"/twstat_*.deb \
	> "$out/dpkg-i.log" 2>&1; then
	say PASS dpkg_install
else
	say FAIL dpkg_install "see $out/dpkg-i.log"
	tail -n 20 "$out/dpkg-i.log" | sed 's/^/    /' >&2
	exit 0
fi
tw_log "dpkg -i with DKMS builds took $(( $(date +%s) - start ))s"

# the package's name for its module in DKMS
dkms_name=$(dpkg -L tw-stats-dkms | sed -n 's|^/usr/src/\(.*\)-[0-9][^/]*$|\1|p' | head -n 1)
version=$(dpkg-query -W -f '${Version}' tw-stats-dkms)
version=${version%-*}
dkms status -m "$dkms_name" > "$out/dkms-status" 2>&1

# ----- 3. each kernel in QEMU with DKMS's module and the package's files
extra=$out/root
rm -rf "$extra"
mkdir -p "$extra/e2e"
# what the twstat package installed: its files, from where dpkg put them
dpkg -L twstat | while read -r f; do
	[ -f "$f" ] || continue
	mkdir -p "$extra$(dirname "$f")"
	cp -a "$f" "$extra$f"
done
i=0
for id in deb-6.1 deb-6.12; do
	release=${releases[$i]}
	i=$((i + 1))
	if grep -q "$version, $release, .*: installed" "$out/dkms-status"; then
		say PASS "$id.dkms_built"
	else
		say FAIL "$id.dkms_built" "dkms status: $(tr '\n' ';' < "$out/dkms-status")"
		continue
	fi
	ko=$(find "/lib/modules/$release/updates/dkms" -name 'tw_stats.ko*' | head -n 1)
	case "$ko" in
	*.ko.xz) xz -dc "$ko" > "$out/tw_stats-$release.ko" ;;
	*.ko.zst) zstd -qdc "$ko" > "$out/tw_stats-$release.ko" ;;
	*.ko) cp "$ko" "$out/tw_stats-$release.ko" ;;
	*) say FAIL "$id.dkms_module" "no tw_stats.ko in /lib/modules/$release/updates/dkms"; continue ;;
	esac
	modinfo -F srcversion "$out/tw_stats-$release.ko" > "$extra/e2e/srcversion"
	TW_OUT=$out TW_PREBUILT_KO=$out/tw_stats-$release.ko TW_GUEST_EXTRA=$extra \
		TW_ONLY=deb-e2e "$TW_TOP/tests/check-kernel.sh" "$id"
done

# ----- 4. removal takes DKMS's module with it
trap - EXIT
cleanup
left=$(for r in "${releases[@]}"; do find "/lib/modules/$r/updates/dkms" -name 'tw_stats.ko*' 2> /dev/null; done)
if ! dpkg -s tw-stats-dkms > /dev/null 2>&1 && ! dpkg -s twstat > /dev/null 2>&1 &&
	[ -z "$left" ] && [ -z "$(dkms status -m "$dkms_name" 2> /dev/null)" ]; then
	say PASS purge_removes_everything
else
	say FAIL purge_removes_everything "left: $left $(dkms status -m "$dkms_name" 2>&1)"
fi
