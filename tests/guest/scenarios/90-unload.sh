# Unload with a live namespace and a reader holding the file open in it:
# rmmod succeeds, the files go away everywhere, the holder gets an error
# (not a crash), and a reload serves every namespace again, correctly.
srv=$($TWGEN server -a 127.0.0.1 -p 5900 -m wait)
$TWGEN client -a 127.0.0.1 -p 5900 -n 40 -m close > /dev/null
peer=$(new_netns)
# a reader in the peer netns opens the file, waits, then reads again
nsenter -t "$peer" -n sh -c 'exec 3< /proc/net/tw_stats
	head -n 1 <&3 > /tmp/holder.first
	sleep 3
	if cat <&3 > /dev/null 2>&1; then echo read-ok; else echo read-error; fi > /tmp/holder.after' &
holder=$!
# and readers loop on every file while the module goes away under them
( while :; do cat /proc/net/tw_stats /proc/net/tw_ports /proc/net/tw_destinations \
	/proc/net/tw_drops > /dev/null 2>&1; done ) &
looper=$!
sleep 1
if rmmod tw_stats; then pass rmmod_with_reader; else fail rmmod_with_reader "rmmod failed"; fi
kill $looper
wait $looper 2> /dev/null
expect_true file_gone "/proc/net/tw_stats still exists" test ! -e $STATS
expect_true file_gone_in_peer "peer still has the file" \
	nsenter -t "$peer" -n test ! -e /proc/net/tw_stats
wait $holder
expect_eq holder_read_first_line "$(cut -d' ' -f1 /tmp/holder.first)" tw_total
expect_true holder_survived "holder wrote nothing" test -s /tmp/holder.after

# bad parameters at load time: refused with a clear message, nothing loaded
if insmod /lib/tw_stats.ko cache_ms=banana 2>/dev/null; then
	fail load_rejects_garbage_param "insmod accepted cache_ms=banana"
	rmmod tw_stats
else
	pass load_rejects_garbage_param
fi
expect_true load_error_is_clear "no clear message in dmesg" \
	sh -c "dmesg | grep -q \"tw_stats: cache_ms: 'banana' is not a number\""
if insmod /lib/tw_stats.ko cache_ms=70000 2>/dev/null; then
	fail load_rejects_out_of_range "insmod accepted cache_ms=70000"
	rmmod tw_stats
else
	pass load_rejects_out_of_range
fi
expect_true not_loaded_after_bad_params "module is loaded" test ! -e /sys/module/tw_stats

insmod /lib/tw_stats.ko cache_ms=0 && pass reload || fail reload "insmod failed"
expect_true file_back_in_peer "peer has no file after reload" \
	nsenter -t "$peer" -n test -r /proc/net/tw_stats
expect_eq own_tw_after_reload "$(tw tw_total)" 40
compare_all after_reload
kill_daemons $srv $peer
