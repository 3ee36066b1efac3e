# The result cache: within cache_ms a read serves the last walk (so a
# reader loop cannot burn kernel CPU); cache_ms=0 walks every time.
srv=$($TWGEN server -a 127.0.0.1 -p 5800 -m wait)
echo 60000 > $TW_PARAMS/cache_ms
before=$(tw tw_total)
walk_ns=$(tw walk_ns)
$TWGEN client -a 127.0.0.1 -p 5800 -n 25 -m close > /dev/null
settle
expect_eq cached_value_served "$(tw tw_total)" "$before"
expect_eq cached_walk_reused "$(tw walk_ns)" "$walk_ns"
sleep 1
expect_true cache_age_grows "cache_age_ms $(tw cache_age_ms) < 900" \
	test "$(tw cache_age_ms)" -ge 900
echo 0 > $TW_PARAMS/cache_ms
expect_eq fresh_after_cache_off "$(tw tw_total)" $((before + 25))
# fresh: taken at the open, so only the tick or two between taking and
# printing it (a slow debug kernel can take a 4 ms tick there)
age=$(tw cache_age_ms)
expect_true no_age_without_cache "cache_age_ms $age with cache_ms=0" test "$age" -le 20
# the cache is per netns: another namespace is not served our snapshot
echo 60000 > $TW_PARAMS/cache_ms
tw tw_total > /dev/null
expect_eq other_netns_not_served_ours \
	"$(unshare -n awk '$1 == "tw_total" { print $2 }' /proc/net/tw_stats)" 0

# --- a costly reading is served for ten times the CPU it cost its reader
# (tw_reading_max_age_ms()), however short cache_ms: one process reads
# tw_stats over and over with cache_ms 1, and in walk_history each walk
# comes at least max(1 ms, 10 x the CPU of the walk before it) after that
# one.  What a reading costs is the module's own measure (cpu_ns); the
# walks' spacing is the cache's doing, and with cache_ms 1 alone they would
# follow one another as fast as the reader reads.
# 8000 listeners make each reading cost several ms (a port row each),
# so that ten times it is well past the reader's own pace.
d=/sys/kernel/debug/tw_stats/$(readlink /proc/self/ns/net | tr -dc 0-9)
ulimit -n 8100
lst=$($TWGEN listen -a 127.0.0.1 -p 20000 -n 8000)
echo 1 > $TW_PARAMS/cache_ms
w0=$(awk '$1 == "walks" { print $2 }' $d/walk_cost)
twcheck -n 3000 /proc/net/tw_stats > /dev/null
walks=$(( $(awk '$1 == "walks" { print $2 }' $d/walk_cost) - w0 ))
echo 60000 > $TW_PARAMS/cache_ms
# newest first: row i+1 is the walk before row i
# (only the walks of the loop: the rows before were taken with cache_ms 0)
spacing=$(awk -v loop="$walks" 'NR > 1 { age[NR] = $1; cpu[NR] = $7 } END {
	last = NR < loop + 1 ? NR : loop + 1
	for (i = 2; i < last; i++) {
		duty = 10 * int(cpu[i + 1] / 1000000)
		need = duty > 1 ? duty : 1
		gap = age[i + 1] - age[i]
		pairs++
		if (duty > 1) costly++
		if (gap < need) { bad++; worst = worst " " gap "<" need }
	}
	printf "%d %d %d%s\n", pairs, costly, bad, worst
}' $d/walk_history)
echo "TWGUEST measure: cache duty: $walks walks in 3000 reads with cache_ms 1; walk_history pairs, costly, spaced too close: $spacing; (age_ms cpu_ns):$(awk 'NR > 1 { printf " (%s %s)", $1, $7 }' $d/walk_history)"
set -- $spacing
expect_true duty_pairs "$walks walks, $1 pairs of them in walk_history" test "$1" -ge 3
expect_true duty_some_walk_costly "no walk in walk_history cost 1 ms of CPU: $spacing" test "$2" -ge 1
expect_eq duty_walks_spaced "$3" 0
expect_true duty_fewer_walks_than_reads "$walks walks in 3000 reads" test "$walks" -lt 3000
# the CPU a reading cost is within the time it took, up to the
# scheduler's tick (its count is brought up to date at ticks)
cpu=$(awk '$1 == "cpu_ns" { print $2 }' $d/walk_phases)
total=$(awk '$1 == "total_ns" { print $2 }' $d/walk_phases)
expect_true duty_cpu_within_wall "cpu_ns $cpu, total_ns $total" \
	test "$cpu" -le $((total + 25000000))

echo 0 > $TW_PARAMS/cache_ms
kill_daemons $srv $lst
