#!/bin/bash
# The twstat-textfile units under a real systemd: a Debian 12 (bookworm)
# userspace with systemd as PID 1, booted with systemd-nspawn on this
# host's kernel (it shares the host's network namespace, as the unit
# must), the twstat package installed with dpkg -i.  There the service
# runs with every hardening setting of the unit, and:
#  - the timer is not enabled by the package;
#  - without /var/lib/prometheus/node-exporter the run is skipped, not
#    failed, and nothing is created;
#  - without the module (this kernel has no tw_stats) it exits 2, which
#    counts as success: one line in the journal, a textfile holding
#    "tw_stats_up 0", the unit not failed;
#  - on a fake module tree (TWSTAT_ROOT, a drop-in) it writes the textfile
#    0644 with the namespace families, no temporary file left;
#  - CAP_SYS_PTRACE is what lets it read another user's /proc/PID/ns/net
#    (the same sandbox without it is refused);
#  - a root-only debugfs file stays readable in the sandbox (debugfs is
#    mounted for the run if this host has not);
#  - enabled, the timer runs the service again within 20 s, and a
#    drop-in changes its interval.
# The rootfs is debootstrapped once into the cache ($TW_CACHE/nspawn,
# about 2 minutes and 200 MB) and copied for each run.  Prints PASS/FAIL
# lines (the format of tests/lib.sh).
#
# usage: check-units.sh TWSTAT_DEB   (root)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/apt.sh"

deb=$(readlink -f "$1")
out=${TW_OUT:-$TW_CACHE/run}/units
say() { tw_result "$1" "units.$2" "${3:-}"; }

tw_need_pkgs debootstrap systemd-container ||
	{ say FAIL install "cannot install debootstrap systemd-container"; exit 0; }

# ----- the cached rootfs, then this run's copy with the package
base=$TW_CACHE/nspawn/bookworm
if [ ! -f "$base/.done" ]; then
	rm -rf "$base" && mkdir -p "$base"
	if ! tw_timed units.debootstrap debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus \
		bookworm "$base" "$(tw_apt_mirror)" > "$TW_CACHE/nspawn/debootstrap.log" 2>&1; then
		say FAIL rootfs "debootstrap failed: see $TW_CACHE/nspawn/debootstrap.log"
		exit 0
	fi
	touch "$base/.done"
fi
rm -rf "$out" && mkdir -p "$out"
root=$out/root
cp -a "$base" "$root"
cp "$deb" "$root/tmp/twstat.deb"
if chroot "$root" dpkg -i /tmp/twstat.deb > "$out/dpkg.log" 2>&1; then
	say PASS dpkg_install
else
	say FAIL dpkg_install "see $out/dpkg.log"
	exit 0
fi

# debugfs, as a systemd host mounts it (sys-kernel-debug.mount): mounted
# here for the run if it is not, and handed to the container
debugfs_mounted=
if ! mountpoint -q /sys/kernel/debug && mount -t debugfs debugfs /sys/kernel/debug 2> /dev/null; then
	debugfs_mounted=1
fi
# a root-only file (0400 under the 0700 root) to read in the sandbox
debugfs_file=$(mountpoint -q /sys/kernel/debug &&
	find /sys/kernel/debug -maxdepth 2 -type f -perm 0400 2> /dev/null | head -n 1)
bind=()
[ -z "$debugfs_file" ] || bind=(--bind=/sys/kernel/debug)

# ----- boot it
systemd-nspawn -q -D "$root" --register=no --keep-unit "${bind[@]}" -b > "$out/boot.log" 2>&1 < /dev/null &
nspawn=$!
# shellcheck disable=SC2317 # run by trap
stop() {
	[ -n "${init:-}" ] && nsenter -t "$init" -a systemctl poweroff > /dev/null 2>&1
	for _ in $(seq 30); do
		kill -0 "$nspawn" 2> /dev/null || break
		sleep 1
	done
	kill "$nspawn" 2> /dev/null
	sleep 1
	# the copy of the rootfs is 200 MB; the logs stay
	kill -0 "$nspawn" 2> /dev/null || rm -rf "$root"
	[ -z "$debugfs_mounted" ] || umount /sys/kernel/debug
}
trap stop EXIT
init=
for _ in $(seq 90); do
	# the container's PID 1: nspawn's child (or grandchild) systemd
	for p in "$nspawn" $(pgrep -P "$nspawn"); do
		init=${init:-$(pgrep -P "$p" -x systemd | head -n 1)}
	done
	if [ -n "$init" ]; then
		nsenter -t "$init" -a systemctl is-system-running --wait > "$out/state" 2>&1
		grep -qE '^(running|degraded)$' "$out/state" && break
	fi
	sleep 1
done
if [ -z "$init" ] || ! grep -qsE '^(running|degraded)$' "$out/state"; then
	say FAIL boot "systemd did not come up in the container: see $out/boot.log"
	exit 0
fi
say PASS boot
C() { nsenter -t "$init" -a "$@"; }
svc=twstat-textfile.service
timer=twstat-textfile.timer
dir=/var/lib/prometheus/node-exporter
prom=$dir/tw_stats.prom
# show PROPERTY [UNIT]: one property of the service (or UNIT)
show() { C systemctl show -P "$1" "${2:-$svc}"; }
# Every run's result, as "SERVICE_RESULT EXIT_CODE EXIT_STATUS" lines,
# from an ExecStopPost= outside the sandbox ("+"): systemctl show forgets
# them, since systemd unloads an inactive static unit.
dropins=$root/etc/systemd/system/$svc.d
mkdir -p "$dropins"
printf '[Service]\nExecStopPost=+/bin/sh -c '"'"'echo "$SERVICE_RESULT $EXIT_CODE $EXIT_STATUS" >> /run/tw-results'"'"'\n' \
	> "$dropins/observe.conf"
C systemctl daemon-reload
runs() { C sh -c 'cat /run/tw-results 2> /dev/null' | wc -l; }
last() { C sh -c 'tail -n 1 /run/tw-results 2> /dev/null'; }

[ "$(C systemctl is-enabled "$timer")" = disabled ] && say PASS timer_not_enabled_by_package ||
	say FAIL timer_not_enabled_by_package "$timer is $(C systemctl is-enabled "$timer")"

# ----- no textfile directory: skipped by its condition, not failed
C systemctl start "$svc" 2>> "$out/systemctl.log"
rc=$?
C journalctl -q -o cat -u "$svc" > "$out/nodir.journal"
if [ $rc -eq 0 ] && [ "$(runs)" = 0 ] && grep -q 'unmet condition check (ConditionPathIsDirectory=' "$out/nodir.journal" &&
	[ "$(show ActiveState)" != failed ] && [ ! -e "$root$dir" ]; then
	say PASS skipped_without_textfile_dir
else
	say FAIL skipped_without_textfile_dir "start: $rc, $(runs) runs, $(show ActiveState), see $out/nodir.journal"
fi

# ----- no module: status 2 is success, one line in the journal
mkdir -p "$root$dir"
C systemctl start "$svc" 2>> "$out/systemctl.log"
rc=$?
C journalctl -q -o cat -u "$svc" SYSLOG_IDENTIFIER=twstat > "$out/nomodule.journal"
if [ $rc -eq 0 ] && [ "$(last)" = "success exited 2" ] && [ "$(show ActiveState)" != failed ]; then
	say PASS no_module_not_failed
else
	say FAIL no_module_not_failed "start: $rc, result '$(last)' (want 'success exited 2')"
fi
[ "$(wc -l < "$out/nomodule.journal")" -eq 1 ] && grep -q 'not loaded' "$out/nomodule.journal" &&
	say PASS no_module_one_journal_line ||
	say FAIL no_module_one_journal_line "the journal has: $(head -n 3 "$out/nomodule.journal" | tr '\n' '|')"
# only that series (its netns label aside): nothing stale
if grep -qE '^tw_stats_up(\{[^}]*\})? 0$' "$root$prom" 2> /dev/null &&
	[ "$(grep -vc '^#' "$root$prom")" = 1 ]; then
	say PASS no_module_up_0
else
	say FAIL no_module_up_0 "$prom is not just a 'tw_stats_up 0' sample: $(grep -v '^#' "$root$prom" 2>&1 | head -n 2 | tr '\n' '|')"
fi

# ----- a fake module tree (twstat's TWSTAT_ROOT, through a drop-in): the
# whole write under the sandbox
fake=/srv/fake
snap=$TW_TOP/twstat/tests/snapshots/healthy
ino=$(C stat -L -c %i /proc/self/ns/net)
mkdir -p "$root$fake/proc/net" "$root$fake/proc/sys/net/ipv4" "$root$fake/proc/1/ns" \
	"$root$fake/sys/kernel/debug/tw_stats/$ino"
cp "$snap"/tw_* "$root$fake/proc/net/"
cp "$snap"/sysctl/* "$root$fake/proc/sys/net/ipv4/"
cp "$snap"/debugfs/* "$root$fake/sys/kernel/debug/tw_stats/$ino/"
ln -s "net:[$ino]" "$root$fake/proc/1/ns/net"
printf '[Service]\nEnvironment=TWSTAT_ROOT=%s\n' "$fake" > "$dropins/fake.conf"
C systemctl daemon-reload
rm -f "$root$prom"
C systemctl start "$svc" 2>> "$out/systemctl.log"
rc=$?
if [ $rc -eq 0 ] && [ "$(last)" = "success exited 0" ] && [ -f "$root$prom" ] &&
	[ "$(stat -c %a "$root$prom")" = 644 ] && grep -q '^tw_stats_netns_sockets{' "$root$prom" &&
	[ "$(ls -A "$root$dir")" = tw_stats.prom ]; then
	say PASS writes_textfile
else
	say FAIL writes_textfile "start: $rc, result '$(last)', in $dir: $(ls -l "$root$dir" | tail -n +2 | tr '\n' '|')"
fi
rm "$dropins/fake.conf"

# ----- what CAP_SYS_PTRACE is for: readlink of another user's
# /proc/PID/ns/net, in the unit's own sandbox (ExecStart replaced)
C systemd-run -q --unit tw-nobody -p User=nobody /bin/sleep 300
pid=$(show MainPID tw-nobody.service)
readlink_as() {
	printf '[Service]\nExecStart=\nExecStart=/bin/readlink /proc/%s/ns/net\nSuccessExitStatus=\n%s\n' "$pid" "$1" \
		> "$dropins/readlink.conf"
	C systemctl daemon-reload
	C systemctl start "$svc" 2> /dev/null
}
if readlink_as "" && [ "$(last)" = "success exited 0" ]; then
	say PASS ptrace_reads_other_users_netns
else
	say FAIL ptrace_reads_other_users_netns "readlink /proc/$pid/ns/net (user nobody) failed in the unit's sandbox"
fi
if ! readlink_as "CapabilityBoundingSet=~CAP_SYS_PTRACE" && [ "$(last)" = "exit-code exited 1" ]; then
	say PASS ptrace_needed_for_other_users_netns
else
	say FAIL ptrace_needed_for_other_users_netns "readlink worked without CAP_SYS_PTRACE: the capability would be needless"
fi
rm "$dropins/readlink.conf"

# ----- debugfs (/sys/kernel/debug/tw_stats is 0700 root, its files 0400):
# ProtectKernelTunables= makes it read-only, must not hide it
if [ -n "$debugfs_file" ]; then
	printf '[Service]\nExecStart=\nExecStart=/bin/dd if=%s of=/dev/null count=1 status=none\n' \
		"$debugfs_file" > "$dropins/debugfs.conf"
	C systemctl daemon-reload
	C systemctl start "$svc" 2>> "$out/systemctl.log"
	[ "$(last)" = "success exited 0" ] && say PASS debugfs_readable ||
		say FAIL debugfs_readable "reading $debugfs_file in the unit's sandbox: '$(last)'"
	rm "$dropins/debugfs.conf"
else
	say SKIP debugfs_readable "no debugfs on this host (and it cannot be mounted)"
fi
C systemctl stop tw-nobody.service
C systemctl daemon-reload
C systemctl reset-failed "$svc" 2> /dev/null

# ----- the timer: enabled by hand, runs the service again; a drop-in
# changes the interval
before=$(runs)
C systemctl enable --now "$timer" > "$out/enable.log" 2>&1
ran=
for _ in $(seq 20); do
	sleep 1
	[ "$(runs)" != "$before" ] && { ran=1; break; }
done
[ -n "$ran" ] && [ "$(last)" = "success exited 2" ] && say PASS timer_runs_service ||
	say FAIL timer_runs_service "no run within 20 s of enable --now (see $out/enable.log)"
show TimersCalendar "$timer" | grep -q '0/15' && say PASS timer_every_15s ||
	say FAIL timer_every_15s "TimersCalendar: $(show TimersCalendar "$timer")"
mkdir -p "$root/etc/systemd/system/$timer.d"
printf '[Timer]\nOnCalendar=\nOnCalendar=*:*:0/30\n' > "$root/etc/systemd/system/$timer.d/interval.conf"
C systemctl daemon-reload
cal=$(show TimersCalendar "$timer")
grep -q '0/30' <<< "$cal" && ! grep -q '0/15' <<< "$cal" && say PASS timer_drop_in_interval ||
	say FAIL timer_drop_in_interval "TimersCalendar after the drop-in: $cal"
C systemctl --failed --no-legend > "$out/failed"
grep -q twstat "$out/failed" && say FAIL no_failed_unit "$(cat "$out/failed")" || say PASS no_failed_unit
