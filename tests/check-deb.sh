#!/bin/bash
# The Debian packages (debian/, docs/packaging.md), on the host, no kernel
# booted: "make deb" builds tw-stats-dkms and twstat, then
#  - the versions agree: MODULE_VERSION, debian/changelog, the packaged
#    dkms.conf (the template ./dkms.conf must keep its placeholder);
#  - lintian: no E: tag, and no W: tag outside the allow-list of
#    docs/packaging.md ("Lintian warnings we keep"), each listed with why;
#  - what each package holds: the DKMS tree is exactly the Makefile's
#    kbuild-src list plus dkms.conf, the modules-load.d entry, twstat
#    dynamic and hardened, its man page, the units, every
#    contrib/prometheus/*.yml and contrib/grafana/*.json of the tree;
#  - DKMS itself, on a private DKMS tree (nothing under /var/lib/dkms):
#    the packaged dkms.conf skips 5.10 (exit 77, its message) and admits
#    6.1, 6.12 and 7.x;
#  - with TW_DKMS=1 (make check-all): both packages installed with apt
#    (DKMS builds the module for the installed headers), then purged;
#  - systemd-analyze verify of the packaged units, and their ExecStart
#    run as the unit would run it (its capability bounding set, no new
#    privileges), writing into a scratch textfile directory: on this
#    host without the module that is the "tw_stats_up 0" path, whose exit
#    status must be one SuccessExitStatus= accepts.
# Prints PASS/FAIL lines (the format of tests/lib.sh).
#
# usage: check-deb.sh   (root: installs debhelper, dh-dkms, lintian, dkms)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

out=${TW_OUT:-$TW_CACHE/run}/deb
rm -rf "$out" && mkdir -p "$out"
say() { tw_result "$1" "deb.$2" "${3:-}"; }

tw_need_pkgs make gcc libc6-dev debhelper dh-dkms lintian dkms systemd binutils ||
	{ say FAIL install "cannot install the packaging tools"; exit 0; }

# ----- one version
version=$(sed -n 's/^MODULE_VERSION("\(.*\)");$/\1/p' "$TW_TOP/module/main.c")
changelog=$(cd "$TW_TOP" && dpkg-parsechangelog -S Version)
[ -n "$version" ] && [ "$version" = "${changelog%-*}" ] && say PASS version.changelog ||
	say FAIL version.changelog "debian/changelog says '$changelog', MODULE_VERSION '$version'"
grep -qx 'PACKAGE_VERSION="#MODULE_VERSION#"' "$TW_TOP/dkms.conf" && say PASS version.dkms_template ||
	say FAIL version.dkms_template "./dkms.conf must say PACKAGE_VERSION=\"#MODULE_VERSION#\" (make dkms-install and dh_dkms fill it in)"

# ----- the build
if tw_timed deb.build make -C "$TW_TOP" deb DEB_OUT="$out/debs" > "$out/build.log" 2>&1; then
	say PASS build
else
	say FAIL build "see $out/build.log"
	tail -n 20 "$out/build.log" | sed 's/^/    /' >&2
	exit 0
fi
dkms_deb=$(ls "$out/debs"/tw-stats-dkms_*_all.deb 2>/dev/null)
tool_deb=$(ls "$out/debs"/twstat_*_*.deb 2>/dev/null)
changes=$(ls "$out/debs"/*.changes 2>/dev/null)
for f in dkms_deb tool_deb changes; do
	[ -f "${!f}" ] || { say FAIL build.outputs "no $f in $out/debs"; exit 0; }
done
say PASS build.outputs

# ----- lintian on the .changes (the .buildinfo and both .debs)
lintian --pedantic -I "$changes" > "$out/lintian.log" 2> "$out/lintian.err"
lintian_rc=$?
# the allowed warnings: "- `tag`: why" lines under docs/packaging.md's
# "## Lintian warnings we keep"
allowed=$(sed -n '/^## Lintian warnings we keep/,/^## /s/^- `\([a-z0-9.+-]*\)`.*/\1/p' "$TW_TOP/docs/packaging.md")
errors=$(grep -c '^E: ' "$out/lintian.log")
bad_w=$(grep '^W: ' "$out/lintian.log" | while read -r _ _ tag _; do
	grep -qxF "$tag" <<< "$allowed" || echo "$tag"
done | sort -u)
# lintian exits 2 when it found an error tag: it ran if it complained
# of nothing but running as root
if grep -qv 'running with root privileges' "$out/lintian.err" ||
	{ [ "$lintian_rc" -ne 0 ] && ! grep -q '^E: ' "$out/lintian.log"; }; then
	say FAIL lintian.ran "lintian exited $lintian_rc: $(head -n 1 "$out/lintian.err")"
elif [ "$errors" -gt 0 ]; then
	say FAIL lintian.no_error "$(grep -m 1 '^E: ' "$out/lintian.log")"
else
	say PASS lintian.no_error
fi
[ -z "$bad_w" ] && say PASS lintian.warnings_documented ||
	say FAIL lintian.warnings_documented "not in docs/packaging.md: $(tr '\n' ' ' <<< "$bad_w")"
tw_log "lintian: $(grep -c '^E: ' "$out/lintian.log") E, $(grep -c '^W: ' "$out/lintian.log") W, $(grep -c '^I: ' "$out/lintian.log") I, $(grep -c '^P: ' "$out/lintian.log") P (in $out/lintian.log)"

# ----- tw-stats-dkms
dpkg-deb -c "$dkms_deb" | awk '{ print $6 }' | sed 's|^\./|/|' > "$out/dkms.files"
src=/usr/src/tw_stats-$version
want=$( (make -s --no-print-directory -C "$TW_TOP" kbuild-src; echo dkms.conf) | sed "s|^|$src/|" | sort)
have=$(grep "^$src/" "$out/dkms.files" | grep -v '/$' | sort)
if [ "$want" = "$have" ]; then
	say PASS dkms.source_tree
else
	say FAIL dkms.source_tree "differs from make kbuild-src: $(diff <(echo "$want") <(echo "$have") | grep '^[<>]' | head -n 3 | tr '\n' ' ')"
fi
mkdir -p "$out/dkms-root" && dpkg-deb -x "$dkms_deb" "$out/dkms-root"
conf=$out/dkms-root$src/dkms.conf
pv=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$conf")
[ "$pv" = "$changelog" ] && say PASS dkms.conf_version ||
	say FAIL dkms.conf_version "packaged dkms.conf says '$pv', debian/changelog '$changelog'"
grep -qx 'PACKAGE_NAME="tw_stats"' "$conf" && grep -qx 'BUILT_MODULE_NAME\[0\]="tw_stats"' "$conf" &&
	say PASS dkms.conf_names || say FAIL dkms.conf_names "PACKAGE_NAME/BUILT_MODULE_NAME are not tw_stats"
grep -q '^BUILD_EXCLUSIVE_KERNEL=' "$conf" && say PASS dkms.conf_build_exclusive ||
	say FAIL dkms.conf_build_exclusive "no BUILD_EXCLUSIVE_KERNEL in $conf"
load=$out/dkms-root/usr/lib/modules-load.d/tw_stats.conf
[ -f "$load" ] && grep -v '^#' "$load" | grep -qx tw_stats && say PASS dkms.modules_load ||
	say FAIL dkms.modules_load "no /usr/lib/modules-load.d/tw_stats.conf naming tw_stats"
dpkg-deb -f "$dkms_deb" Depends | grep -q 'dkms (>= 3' && say PASS dkms.depends ||
	say FAIL dkms.depends "Depends: $(dpkg-deb -f "$dkms_deb" Depends) (dkms 3 skips an excluded kernel)"

# DKMS on a private tree: add, then build for kernels it must skip
# (status 77 and its message) or take (past the check, it then stops at
# the missing headers of a made-up release instead)
tree=$out/dkms-tree
mkdir -p "$tree"
dk() { dkms "$@" -m tw_stats -v "$changelog" --sourcetree "$out/dkms-root/usr/src" --dkmstree "$tree"; }
if dk add > "$out/dkms-add.log" 2>&1; then
	say PASS dkms.add
	for k in 5.10.0-32-amd64 6.0.19-amd64 8.0.1-amd64; do
		dk build -k "$k" > "$out/dkms-$k.log" 2>&1
		rc=$?
		[ $rc -eq 77 ] && grep -q 'BUILD_EXCLUSIVE directive which does not match this kernel' "$out/dkms-$k.log" &&
			say PASS "dkms.skips_$k" || say FAIL "dkms.skips_$k" "dkms build exited $rc: see $out/dkms-$k.log"
	done
	for k in 6.1.0-99-amd64 6.12.95+bpo-amd64 7.2.13-amd64; do
		dk build -k "$k" > "$out/dkms-$k.log" 2>&1
		rc=$?
		[ $rc -ne 77 ] && grep -q "kernel headers for kernel $k cannot be found" "$out/dkms-$k.log" &&
			say PASS "dkms.admits_$k" || say FAIL "dkms.admits_$k" "dkms build exited $rc: see $out/dkms-$k.log"
	done
else
	say FAIL dkms.add "see $out/dkms-add.log"
fi

# ----- twstat
dpkg-deb -c "$tool_deb" | awk '{ print $6 }' | sed 's|^\./|/|' > "$out/twstat.files"
missing=
for f in /usr/sbin/twstat /usr/share/man/man8/twstat.8.gz \
	/lib/systemd/system/twstat-textfile.service /lib/systemd/system/twstat-textfile.timer \
	$(cd "$TW_TOP" && for y in contrib/prometheus/*.yml; do echo "/usr/share/twstat/prometheus/${y##*/}"; done) \
	$(cd "$TW_TOP" && for j in contrib/grafana/*.json; do [ ! -e "$j" ] || echo "/usr/share/twstat/grafana/${j##*/}"; done); do
	grep -qxF "$f" "$out/twstat.files" || missing="$missing $f"
done
[ -z "$missing" ] && say PASS twstat.files || say FAIL twstat.files "missing:$missing"
root=$out/twstat-root
mkdir -p "$root" && dpkg-deb -x "$tool_deb" "$root"
for f in Suggests Recommends; do
	dpkg-deb -f "$tool_deb" "$f" >> "$out/twstat.relations"
done
grep -q prometheus-node-exporter "$out/twstat.relations" && say PASS twstat.suggests_node_exporter ||
	say FAIL twstat.suggests_node_exporter "neither Suggests nor Recommends names prometheus-node-exporter"
# Debian's build: dynamic (twstat's own Makefile links statically),
# PIE, full RELRO, fortified
bin=$root/usr/sbin/twstat
readelf -lW "$bin" > "$out/twstat.phdr" 2>&1
readelf -dW "$bin" > "$out/twstat.dyn" 2>&1
grep -q 'Requesting program interpreter' "$out/twstat.phdr" && grep -q 'NEEDED.*libc\.so' "$out/twstat.dyn" &&
	say PASS twstat.dynamic || say FAIL twstat.dynamic "$bin is not linked dynamically against libc"
grep -q 'GNU_RELRO' "$out/twstat.phdr" && grep -qE 'BIND_NOW|FLAGS.*NOW' "$out/twstat.dyn" &&
	grep -q 'FLAGS_1.*PIE' "$out/twstat.dyn" && nm -D "$bin" | grep -q '__[a-z_]*_chk' &&
	say PASS twstat.hardened || say FAIL twstat.hardened "$bin lacks PIE, RELRO, BIND_NOW or fortified calls"
"$bin" --help > /dev/null 2>&1 && say PASS twstat.runs || say FAIL twstat.runs "$bin --help failed"

# The units as installed: systemd-analyze verify needs the targets they
# name (timers.target, sysinit.target...), so the host's units are laid
# under the package's, and man twstat(8) is looked up in the package
verify_root=$out/verify-root
mkdir -p "$verify_root/lib/systemd/system"
cp -a "$root/." "$verify_root/"
cp -an /lib/systemd/system/. "$verify_root/lib/systemd/system/"
units=$verify_root/lib/systemd/system
if MANPATH=$root/usr/share/man systemd-analyze verify --root="$verify_root" \
	"$units/twstat-textfile.service" "$units/twstat-textfile.timer" > "$out/verify.log" 2>&1 &&
	[ ! -s "$out/verify.log" ]; then
	say PASS units.verify
else
	say FAIL units.verify "$(head -n 1 "$out/verify.log")"
fi
systemd-analyze security --offline=yes --root="$verify_root" "$units/twstat-textfile.service" \
	> "$out/security.log" 2>&1
tw_log "systemd-analyze security: $(grep -o 'Overall exposure level.*' "$out/security.log")"

# ExecStart as the unit runs it, in a scratch directory instead of the
# textfile collector's: the unit's capabilities only, no new privileges
unit=$root/lib/systemd/system/twstat-textfile.service
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit" | tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
ok_status=" 0 $(sed -n 's/^SuccessExitStatus=//p' "$unit") "
textfile=/var/lib/prometheus/node-exporter/tw_stats.prom
[ "$exec_start" = "/usr/sbin/twstat --all-netns --prometheus --output $textfile" ] &&
	say PASS units.exec_start || say FAIL units.exec_start "ExecStart=$exec_start"
scratch=$out/textfile
mkdir -p "$scratch"
# shellcheck disable=SC2086 # the words of ExecStart
set -- $exec_start
shift
args=("$@")
args[${#args[@]}-1]=$scratch/tw_stats.prom
setpriv --bounding-set "-all,$caps" --inh-caps=-all --no-new-privs \
	"$bin" "${args[@]}" > "$out/run.out" 2> "$out/run.err"
rc=$?
# a status other than 0 is explained in one line (the journal's)
if [ "$rc" -ne 0 ]; then
	[ "$(wc -l < "$out/run.err")" -eq 1 ] && say PASS units.run_one_line ||
		say FAIL units.run_one_line "status $rc with $(wc -l < "$out/run.err") lines on stderr: see $out/run.err"
fi
if [[ "$ok_status" != *" $rc "* ]]; then
	say FAIL units.run "twstat exited $rc, the unit accepts only$ok_status: $(head -n 1 "$out/run.err")"
elif ! grep -qE '^tw_stats_up(\{[^}]*\})? [01]$' "$scratch/tw_stats.prom" 2>/dev/null; then
	say FAIL units.run "exit $rc but $scratch/tw_stats.prom has no tw_stats_up line"
elif [ "$(ls -A "$scratch")" != tw_stats.prom ]; then
	say FAIL units.run "left a temporary file: $(ls "$scratch" | tr '\n' ' ')"
else
	say PASS units.run
	tw_log "ExecStart exited $rc: $(cat "$out/run.err")"
fi

# ----- make check-all (TW_DKMS=1): the two packages installed on this
# host with apt, as an operator does: DKMS builds the module from the
# package for the installed headers; then purged, leaving nothing
install_round_trip() {
	local kver
	kver=$(ls -1 /lib/modules/*/build/Makefile 2>/dev/null | sed 's|/lib/modules/\([^/]*\)/.*|\1|' | sort -V | tail -n 1)
	if [ -z "$kver" ]; then
		say SKIP install "no kernel headers installed (make check-all's DKMS check installs them)"
		return
	fi
	if [ -n "$(dkms status -m tw_stats 2>/dev/null)" ] ||
		dpkg-query -W -f='${Status}\n' twstat tw-stats-dkms 2>/dev/null | grep -q 'ok installed'; then
		say SKIP install "tw_stats is already installed on this host (DKMS or package): not touching it"
		return
	fi
	if tw_timed deb.install apt-get install -y -q "$dkms_deb" "$tool_deb" > "$out/install.log" 2>&1; then
		say PASS install.apt
	else
		say FAIL install.apt "see $out/install.log"
	fi
	dkms status -m tw_stats -v "$changelog" -k "$kver" | grep -q installed && say PASS install.dkms_built ||
		say FAIL install.dkms_built "dkms status: $(dkms status -m tw_stats)"
	[ "$(modinfo -k "$kver" -F version tw_stats 2>/dev/null)" = "$changelog" ] && say PASS install.modinfo_version ||
		say FAIL install.modinfo_version "modinfo -k $kver shows '$(modinfo -k "$kver" -F version tw_stats 2>&1)'"
	/usr/sbin/twstat --help > /dev/null 2>&1 && [ -f /lib/systemd/system/twstat-textfile.timer ] &&
		say PASS install.twstat || say FAIL install.twstat "no working /usr/sbin/twstat or no timer unit"
	apt-get purge -y -q tw-stats-dkms twstat > "$out/purge.log" 2>&1
	if [ ! -e "/usr/src/tw_stats-$changelog" ] && [ ! -d /var/lib/dkms/tw_stats ] &&
		[ -z "$(find /lib/modules -name tw_stats.ko 2>/dev/null)" ] && [ ! -e /usr/sbin/twstat ]; then
		say PASS install.purge
	else
		say FAIL install.purge "something stayed behind: see $out/purge.log"
	fi
}
[ -z "${TW_DKMS:-}" ] || install_round_trip

# ----- the units under a real systemd (a container booted with nspawn)
"$TW_TOP/tests/check-units.sh" "$tool_deb"
