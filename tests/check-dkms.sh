#!/bin/bash
# A real DKMS round trip on this host: install dkms and Debian 12's
# current linux-headers-<abi>-amd64 (harmless: headers only, no kernel),
# run "make dkms-install" for that kernel, check what modinfo shows of the
# installed module, then remove it again.  Prints PASS/FAIL lines (the
# format of tests/lib.sh).
#
# usage: check-dkms.sh   (root; make check-all runs it)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/apt.sh"

out=${TW_OUT:-$TW_CACHE/run}/dkms
mkdir -p "$out"
say() { tw_result "$1" "dkms.$2" "${3:-}"; }

image=$(tw_apt_depends_on bookworm linux-image-amd64 '^linux-image-[0-9]')
kver=${image#linux-image-}
tw_need_pkgs dkms "linux-headers-$kver" || { say FAIL install "cannot install dkms linux-headers-$kver"; exit 0; }

version=$(sed -n 's/^MODULE_VERSION("\(.*\)");$/\1/p' "$TW_TOP/module/main.c")

# a leftover of an earlier run would make "dkms add" fail
make -s -C "$TW_TOP" dkms-remove > /dev/null 2>&1
start=$(date +%s)
if make -C "$TW_TOP" dkms-install KVER="$kver" > "$out/install.log" 2>&1; then
	say PASS make_dkms_install
else
	say FAIL make_dkms_install "see $out/install.log"
	tail -n 20 "$out/install.log" | sed 's/^/    /' >&2
	make -s -C "$TW_TOP" dkms-remove > /dev/null 2>&1
	exit 0
fi
tw_log "dkms build + install took $(( $(date +%s) - start ))s"
# ./dkms.conf is a template: the installed one has MODULE_VERSION in it
conf=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "/usr/src/tw_stats-$version/dkms.conf")
[ "$version" = "$conf" ] && say PASS version_matches ||
	say FAIL version_matches "the installed dkms.conf says '$conf', MODULE_VERSION '$version'"

dkms status -m tw_stats -v "$version" -k "$kver" > "$out/status" 2>&1
grep -q 'installed' "$out/status" && say PASS status_installed ||
	say FAIL status_installed "dkms status: $(cat "$out/status")"
# dkms builds without W=1; a warning here is still a warning
log=/var/lib/dkms/tw_stats/$version/$kver/x86_64/log/make.log
if [ ! -s "$log" ]; then
	say FAIL build_clean "no DKMS build log at $log"
elif grep -E 'warning:|error:' "$log" > "$out/warnings"; then
	say FAIL build_clean "$(head -n 1 "$out/warnings")"
else
	say PASS build_clean
fi

ko=$(modinfo -k "$kver" -n tw_stats 2>/dev/null)
case "$ko" in
/lib/modules/$kver/updates/*) say PASS installed_for_kernel ;;
*) say FAIL installed_for_kernel "modinfo -k $kver finds '$ko'" ;;
esac
modinfo -k "$kver" tw_stats > "$out/modinfo" 2>&1
for field in description version license; do
	[ -n "$(modinfo -k "$kver" -F "$field" tw_stats)" ] && say PASS "modinfo_$field" ||
		say FAIL "modinfo_$field" "modinfo shows no $field"
done
[ "$(modinfo -k "$kver" -F version tw_stats)" = "$version" ] && say PASS modinfo_version_value ||
	say FAIL modinfo_version_value "not $version"
# every parameter in the source, and each one explained ("name:text")
params=$(find "$TW_TOP/module" -name '*.c' -exec sed -n 's/^module_param[a-z_]*(\([a-z_0-9]*\),.*/\1/p' {} +)
for p in $params; do
	modinfo -k "$kver" -F parm tw_stats | grep -qE "^$p:.{20,}" && say PASS "modinfo_parm_$p" ||
		say FAIL "modinfo_parm_$p" "no description for parameter $p"
done

make -s -C "$TW_TOP" dkms-remove > "$out/remove.log" 2>&1
[ ! -e "/lib/modules/$kver/updates/dkms/tw_stats.ko" ] && [ ! -d /var/lib/dkms/tw_stats ] &&
	say PASS removed || say FAIL removed "tw_stats is still in the DKMS tree or /lib/modules"
