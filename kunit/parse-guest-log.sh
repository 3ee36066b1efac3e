#!/bin/bash
# Turn a test guest's console log into PASS/FAIL lines: the scenarios'
# TWTEST lines, one line per KUnit case (from the KTAP in the kernel log),
# and a verdict on the kernel log (no WARNING, BUG, lockdep or RCU report).
#
# usage: parse-guest-log.sh LOG
set -uo pipefail
log=$1
tr -d '\r' < "$log" > "$log.clean"
log=$log.clean

grep -q '^TWGUEST begin' "$log" && echo "PASS guest.booted" ||
	echo "FAIL guest.booted: no 'TWGUEST begin' in $1 (kernel or init failed)"
grep -q '^TWGUEST end' "$log" && echo "PASS guest.completed" ||
	echo "FAIL guest.completed: the guest did not finish (crash or timeout, see $1)"

sed -n 's/^TWTEST PASS \(.*\)$/PASS guest.\1/p; s/^TWTEST FAIL \(.*\)$/FAIL guest.\1/p' "$log"

# A scenario that stopped early (a shell error, a hang) never says so.
sed -n 's/^TWGUEST scenario //p' "$log" | while read -r s; do
	grep -q "^TWTEST PASS $s.completed$" "$log" ||
		echo "FAIL guest.$s.completed: the scenario did not run to its end"
done

# KUnit cases: "    ok N case" (later KTAP: "ok N - case") under
# "    # Subtest: suite".
# A kernel without KUnit says so; anything else must have run the suites.
skip=$(sed -n 's/^TWGUEST kunit-skip //p' "$log" | head -n 1)
[ -z "$skip" ] && sed -n '/^TWGUEST kunit-begin/,/^TWGUEST kunit-end/p' "$log" | awk '
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
			print "FAIL kunit." suite "." name
		next
	}
	END {
		if (cases == 0)
			print "FAIL kunit.ran: no KUnit case results in the kernel log"
		for (s in planned)
			if (ran[s] != planned[s])
				print "FAIL kunit." s ".plan: planned " planned[s] ", ran " ran[s]
	}'
[ -z "$skip" ] || echo "SKIP kunit.ran: $skip"

splat='WARNING:|BUG:|Oops|Kernel panic|kernel BUG|general protection|possible recursive locking|circular locking|suspicious RCU usage|sleeping function called|INFO: task .* blocked|soft lockup|hard LOCKUP|KASAN|UBSAN|kmemleak|Call Trace:|list_add corruption|list_del corruption|refcount_t:'
if grep -En "$splat" "$log" > "$log.splats"; then
	echo "FAIL kernel.log_clean: $(head -n 1 "$log.splats") (all in $log.splats)"
else
	echo "PASS kernel.log_clean"
fi
