# The remaining-lifetime histogram: two batches of TIME_WAIT 16 s apart
# fall in different bins, and every bin agrees with ss's timers.
srv=$($TWGEN server -a 127.0.0.1 -p 5150 -m wait)
expect_eq old_connected "$($TWGEN client -a 127.0.0.1 -p 5150 -n 100 -m close)" "connected 100"
sleep 16
expect_eq new_connected "$($TWGEN client -a 127.0.0.1 -p 5150 -n 50 -m close)" "connected 50"
settle
expect_eq ss_sees_created "$(ssc state time-wait dport = :5150)" 150
expect_eq le_1s "$(tw tw_expires_le_1s)" 0
expect_eq le_30s "$(tw tw_expires_le_30s)" 0
expect_eq le_45s_holds_old_batch "$(tw tw_expires_le_45s)" 100
expect_eq le_60s_holds_both "$(tw tw_expires_le_60s)" 150
expect_eq total "$(tw tw_total)" 150
compare_all expiry
# ss prints truncated seconds and reads a moment later: allow that
ss -Htano state time-wait state fin-wait-2 | awk -f /tests/ss_timers.awk > /tmp/timers
for b in 1 5 10 20 30 45 60; do
	ours=$(tw tw_expires_le_${b}s)
	lo=$(awk -v b=$b '$1 + 1 <= b - 1 { n++ } END { print n + 0 }' /tmp/timers)
	hi=$(awk -v b=$b '$1 <= b + 1 { n++ } END { print n + 0 }' /tmp/timers)
	expect_true "le_${b}s=ss_timers" "ours $ours not in ss's [$lo, $hi]" \
		test "$ours" -ge "$lo" -a "$ours" -le "$hi"
done
kill_daemons $srv
