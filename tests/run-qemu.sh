#!/bin/bash
# Boot a test kernel with an initramfs under QEMU and copy its console to
# a log; the guest powers itself off (reboot -f with -no-reboot).
#
# usage: run-qemu.sh KERNEL INITRD RUN LOG [TIMEOUT_SECONDS] [EXTRA_APPEND]
#   RUN is passed to the guest's init as tw.run= (check, demo, probe).
#   TW_ACCEL=tcg|kvm|auto (default auto: KVM only if a timed probe boots).
#   TW_QEMU_MEM (default 2048) and TW_QEMU_SMP (default 2).
#   TW_QEMU_EXTRA: more QEMU arguments, split at spaces (make bench's
#   instruction counts pass their -plugin here).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=$1 initrd=$2 run=$3 log=$4 limit=${5:-900} extra=${6:-}

# shellcheck disable=SC2086 # TW_QEMU_EXTRA: one argument per word
boot() {	# ACCEL RUN LOG LIMIT
	timeout --foreground -k 5 "$4" qemu-system-x86_64 \
		-accel "$1" -smp "${TW_QEMU_SMP:-2}" -m "${TW_QEMU_MEM:-2048}" \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 printk.time=0 loglevel=5 log_buf_len=8M tw.run=$2 $extra" \
		-nographic -monitor none -no-reboot ${TW_QEMU_EXTRA:-} < /dev/null > "$3" 2>&1
}

# KVM hangs on some hosts (it does on our CI machines): trust it only
# after a guest booted with it and powered off within a few seconds.
# The verdict is cached per host kernel and QEMU version.
pick_accel() {
	local want=${TW_ACCEL:-auto} key verdict
	if [ "$want" != auto ]; then
		echo "$want"
		return
	fi
	if [ ! -w /dev/kvm ]; then
		echo tcg
		return
	fi
	key=$(uname -r)_$(qemu-system-x86_64 --version | head -n 1 | tr -c 'a-zA-Z0-9.\n' _)
	verdict=$TW_CACHE/kvm-probe/$key
	if [ ! -f "$verdict" ]; then
		mkdir -p "$(dirname "$verdict")"
		if boot kvm probe "$verdict.log" 20 && grep -q 'TWGUEST end' "$verdict.log"; then
			echo kvm > "$verdict"
		else
			echo tcg > "$verdict"
		fi
		tw_log "KVM probe: $(cat "$verdict") (cached in $verdict)"
	fi
	cat "$verdict"
}

# An emulator fault, not the kernel's and not ours: with several vCPUs,
# QEMU's TCG can run a translated block that still holds the int3 which
# the kernel's text patching (a static key flipped) has already replaced,
# and the kernel dies of an "Oops: int3" no patch site claims.  Seen in
# debian-6.12's own boot (sched_clock_tick(), the sched_clock_stable key
# set at late_initcall, no module loaded) and, before the kfree_skb event
# was held on, in drops-unload.  Whether LOG died that way before any test
# began: the oops comes before the first TWTEST/TWBENCH line and the
# modules it lists are none of ours.
died_of_stale_int3_at_boot() {	# LOG
	tr -d '\r' < "$1" | awk '
		/^(TWTEST|TWBENCH) / && !oops { tested = 1 }
		/Oops: int3/ && !oops { oops = 1; next }
		oops && /^Modules linked in:/ { listed = 1; ours = /tw_/; exit }
		END { exit !(oops && !tested && listed && !ours) }'
}

# run_guest: one boot; sets start and rc (qemu's exit status)
run_guest() {
	start=$(date +%s)
	rc=0
	boot "$accel" "$run" "$log" "$limit" || rc=$?
}

accel=$(pick_accel)
tw_log "booting $run guest ($accel, ${TW_QEMU_SMP:-2} CPUs, limit ${limit}s)"
run_guest
if died_of_stale_int3_at_boot "$log"; then
	mv "$log" "$log.stale-int3"
	tw_log "the guest's kernel died of a stale int3 before any test began (an emulator fault, see run-qemu.sh; log kept as $log.stale-int3): booting it once more"
	run_guest
fi
tw_log "guest ran $(( $(date +%s) - start ))s, qemu exit $rc"
[ $rc -ne 124 ] || tw_log "guest timed out after ${limit}s"
exit 0
