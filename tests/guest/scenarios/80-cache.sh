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
echo 0 > $TW_PARAMS/cache_ms
kill_daemons $srv
