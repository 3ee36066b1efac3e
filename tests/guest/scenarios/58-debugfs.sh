# The per-netns debugfs folder: chain lengths cover the table, walks are
# logged, the tunables take valid values and refuse everything else, the
# floor walk counts what ss counts, and the module's memory is reported.
ino=$(readlink /proc/self/ns/net | tr -dc 0-9)
d=/sys/kernel/debug/tw_stats/$ino
expect_true folder_per_netns "no $d" test -d $d
expect_eq chain_lengths_header "$(head -n 1 $d/chain_lengths)" "length buckets"
expect_eq chain_lengths_cover_ehash "$(awk 'NR > 1 { n += $2 } END { print n }' $d/chain_lengths)" \
	"$(tw ehash_buckets)"
w1=$(awk '$1 == "walks" { print $2 }' $d/walk_cost)
tw tw_total > /dev/null
w2=$(awk '$1 == "walks" { print $2 }' $d/walk_cost)
expect_eq walk_logged "$((w2 - w1))" 1
expect_eq walk_cost_is_last_walk "$(awk '$1 == "buckets" { print $2 }' $d/walk_cost)" "$(tw walk_buckets)"
expect_eq walk_history_header "$(head -n 1 $d/walk_history)" "age_ms buckets sockets restarts long_chains ns cpu_ns"
expect_eq walk_history_newest_first "$(awk 'NR == 2 { print $6 }' $d/walk_history)" \
	"$(awk '$1 == "ns" { print $2 }' $d/walk_cost)"
expect_eq top_n_default "$(cat $d/top_n)" 64
for bad in abc -1 0 1025 99999999999 "" 5x; do
	name=top_n_rejects_$(printf '%s' "${bad:-empty}" | tr -c 'a-z0-9' '_')
	if echo "$bad" > $d/top_n 2>/dev/null; then fail "$name" "accepted '$bad'"; else pass "$name"; fi
done
expect_eq top_n_unchanged "$(cat $d/top_n)" 64
for bad in abc -1 60001 1.5; do
	name=cache_ms_rejects_$(printf '%s' "$bad" | tr -c 'a-z0-9' '_')
	if echo "$bad" > $d/cache_ms 2>/dev/null; then fail "$name" "accepted '$bad'"; else pass "$name"; fi
done
expect_eq cache_ms_follows_param "$(cat $d/cache_ms)" "$(cat $TW_PARAMS/cache_ms)"
srv=$($TWGEN server -a 127.0.0.1 -p 8000 -P 5 -m wait)
$TWGEN client -a 127.0.0.1 -p 8000 -P 5 -n 10 -m close > /dev/null
settle
# the count-only floor of make bench: same buckets as a real walk, same
# TIME_WAIT count as ss and sockstat
floor() {
	awk -v n="$1" '$1 == n { print $2 }' $d/walk_floor
}
expect_eq floor_made_time_wait "$(ssc state time-wait)" 10
expect_eq floor_time_wait=ss "$(floor time_wait)" "$(ssc state time-wait)"
expect_eq floor_timewait=sockstat "$(floor timewait)" "$(sockstat_tw)"
expect_eq floor_buckets=walk "$(floor buckets)" "$(tw walk_buckets)"
# walk_phases: the profile of the reading the cache holds (make bench),
# of the same sockets as walk_cost, its parts inside their whole
# Each visitor is timed only when time_visitors asks (root's switch):
# off, a reading reads the clock a few times, not five per batch
phase() {
	awk -v n="$1" '$1 == n { print $2 }' $d/walk_phases
}
visitors_ns() {
	echo $(( $(phase summary_ns) + $(phase ports_ns) + $(phase dests_ns) + $(phase cgroups_ns) ))
}
tv=/sys/kernel/debug/tw_stats/time_visitors
echo 0 > $d/cache_ms
expect_eq time_visitors_default_off "$(cat $tv)" N
tw tw_total > /dev/null
expect_eq walk_phases_untimed_visitors "$(visitors_ns)" 0
expect_true walk_phases_untimed_walk "walk_ns is $(phase walk_ns)" test "$(phase walk_ns)" -gt 0
if echo maybe 2> /dev/null > $tv; then
	fail time_visitors_rejects_words "'maybe' was accepted"
else
	pass time_visitors_rejects_words
fi
expect_eq time_visitors_still_off "$(cat $tv)" N
echo Y > $tv
tw tw_total > /dev/null
echo N > $tv
expect_true walk_phases_timed_visitors "visitors $(visitors_ns) ns" test "$(visitors_ns)" -gt 0
expect_eq walk_phases_sockets "$(phase sockets)" "$(awk '$1 == "sockets" { print $2 }' $d/walk_cost)"
expect_true walk_phases_visitors_in_walk "visitors $(phase summary_ns)+$(phase ports_ns)+$(phase dests_ns)+$(phase cgroups_ns) > walk $(phase walk_ns)" \
	test $(( $(phase summary_ns) + $(phase ports_ns) + $(phase dests_ns) + $(phase cgroups_ns) )) -le "$(phase walk_ns)"
expect_true walk_phases_parts_in_total "bind $(phase bind_ns) + walk $(phase walk_ns) + reduce $(phase reduce_ns) > total $(phase total_ns)" \
	test $(( $(phase bind_ns) + $(phase walk_ns) + $(phase reduce_ns) )) -le "$(phase total_ns)"
expect_true walk_phases_walk_timed "walk_ns is $(phase walk_ns)" test "$(phase walk_ns)" -gt 0
echo default > $d/cache_ms
expect_true memory_snapshot_held "memory: no snapshot_bytes after a read" \
	test "$(awk '$1 == "snapshot_bytes" { print $2 }' $d/memory)" -gt 0
echo 3 > $d/top_n
expect_eq top_n_applies "$(awk 'NR > 1 && $1 != "others"' /proc/net/tw_destinations | wc -l)" 3
expect_eq top_n_others "$(tail -n 1 /proc/net/tw_destinations | cut -d' ' -f3)" 4
echo default > $d/top_n
expect_eq top_n_back_to_default "$(cat $d/top_n)" 64
# this netns's override does not leak into another netns
echo 60000 > $d/cache_ms
expect_eq cache_ms_override "$(cat $d/cache_ms)" 60000
expect_eq other_netns_keeps_default "$(unshare -n sh -c 'cat /sys/kernel/debug/tw_stats/$(readlink /proc/self/ns/net | tr -dc 0-9)/cache_ms')" \
	"$(cat $TW_PARAMS/cache_ms)"
echo default > $d/cache_ms
kill_daemons $srv
