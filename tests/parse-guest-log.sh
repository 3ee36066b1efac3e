#!/bin/bash
# Turn a test guest's console log into PASS/FAIL/SKIP lines (the format of
# tests/lib.sh): the scenarios' TWTEST lines, one line per KUnit case (from
# the KTAP in the kernel log), and a verdict on the kernel log (no WARNING,
# BUG, lockdep or RCU report; of KCSAN's, those in tw_stats's code).
#
# usage: parse-guest-log.sh LOG [--no-kunit]
#   --no-kunit: a run without the KUnit suites (make torture)
set -uo pipefail
log=$1
kunit=${2:-}
# An allocation failure injected on purpose (make torture: fault injection
# aimed at twcheck's reads and twpoke's module loads) may make the kernel
# print the failed allocation with a stack dump (warn_alloc: "vmalloc
# error", "page allocation failure").
# That is the kernel reporting the injected failure, not a splat: drop
# exactly those reports, from their first line to the end of their stack.
tr -d '\r' < "$log" | awk '
	/^(twcheck|twpoke): (vmalloc error|page allocation failure): / {
		skip = 1
		print "TWGUEST injected allocation failure reported"
		next
	}
	skip && /^ *<\/TASK>$/ { skip = 0; next }
	# kmemleak itself allocating in a task that asked for faults: it
	# scans that object whole instead of in parts (no leak goes unseen)
	/^kmemleak: Cannot allocate a scan area, scanning the full object$/ {
		print "TWGUEST injected allocation failure met kmemleak (scan area)"
		next
	}
	# what a kmemleak scan of the torture reports in its own count (boot-time
	# objects too): the torture judges the reports itself
	/tw_stats torture: kmemleak scan begin/ { base = 1 }
	/tw_stats torture: kmemleak scan end/ { base = 0 }
	base && /kmemleak: [0-9]+ new suspected memory leaks/ { next }
	# KCSAN (make check-all'"'"'s kcsan-6.1) reports data races anywhere in
	# the kernel: keep, to fail the log, only those with a frame of
	# tw_stats'"'"'s modules in them; name the others in one line each.
	# A report is "BUG: KCSAN: ..." to the next line of ='"'"'s.
	/^BUG: KCSAN: / { kcsan = 1; n = 0; title = $0 }
	kcsan {
		buf[++n] = $0
		if (/\[tw_stats(_test)?\]/)
			ours = 1
		if (!/^=+$/)
			next
		if (ours)
			for (i = 1; i <= n; i++)
				print buf[i]
		else
			print "TWGUEST KCSAN report outside tw_stats: " substr(title, 13)
		kcsan = ours = 0
		next
	}
	!skip
	END { if (kcsan) for (i = 1; i <= n; i++) print buf[i] }' > "$log.clean"
log=$log.clean

grep -q '^TWGUEST begin' "$log" && echo "PASS guest.booted" ||
	echo "FAIL guest.booted: no 'TWGUEST begin' in $1 (kernel or init failed)"
grep -q '^TWGUEST end' "$log" && echo "PASS guest.completed" ||
	echo "FAIL guest.completed: the guest did not finish (crash or timeout, see $1)"

sed -n 's/^TWTEST \(PASS\|FAIL\|SKIP\) \(.*\)$/\1 guest.\2/p' "$log"

# A scenario that stopped early (a shell error, a hang) never says so.
sed -n 's/^TWGUEST scenario //p' "$log" | while read -r s; do
	grep -q "^TWTEST PASS $s.completed$" "$log" ||
		echo "FAIL guest.$s.completed: the scenario did not run to its end"
done

# KUnit cases: "    ok N case" (later KTAP: "ok N - case") under
# "    # Subtest: suite".
# A kernel without KUnit says so; anything else must have run the suites.
skip=$(sed -n 's/^TWGUEST kunit-skip //p' "$log" | head -n 1)
[ "$kunit" != --no-kunit ] || skip="not run (--no-kunit)"
[ -z "$skip" ] && sed -n '/^TWGUEST kunit-begin/,/^TWGUEST kunit-end/p' "$log" | awk -v logfile="$1" '
	/^    # Subtest: / { suite = $3; planned[suite] = 0; next }
	/^    1\.\.[0-9]+$/ && suite != "" { sub(/^    1\.\./, ""); planned[suite] = $0 + 0; next }
	/^    (not )?ok [0-9]+ / && suite != "" {
		ok = ($1 == "ok")
		name = $0
		sub(/^    (not )?ok [0-9]+ (- )?/, "", name)
		sub(/ .*/, "", name)
		ran[suite]++
		cases++
		if (ok && $0 ~ /# SKIP/)
			print "FAIL kunit." suite "." name ": skipped"
		else if (ok)
			print "PASS kunit." suite "." name
		else
			print "FAIL kunit." suite "." name ": not ok (its KUnit output is in " logfile ")"
		next
	}
	END {
		if (cases == 0)
			print "FAIL kunit.ran: no KUnit case results in the kernel log"
		for (s in planned)
			if (ran[s] != planned[s])
				print "FAIL kunit." s ".plan: planned " planned[s] ", ran " ran[s]
	}'
[ -z "$skip" ] || [ "$kunit" = --no-kunit ] || echo "SKIP kunit.ran: $skip"

# kmemleak: its reports, not its start-up lines (the torture kernel has it)
splat='WARNING:|BUG:|Oops|Kernel panic|kernel BUG|general protection|possible recursive locking|circular locking|suspicious RCU usage|sleeping function called|INFO: task .* blocked|soft lockup|hard LOCKUP|KASAN|UBSAN|kmemleak: .*(suspected memory leaks|Cannot|disabled|unknown object|Found object)|unreferenced object 0x|Call Trace:|list_add corruption|list_del corruption|refcount_t:|ODEBUG:'
if grep -En "$splat" "$log" > "$log.splats"; then
	echo "FAIL kernel.log_clean: $(head -n 1 "$log.splats") (all in $log.splats)"
else
	echo "PASS kernel.log_clean"
fi
