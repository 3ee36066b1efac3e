# Unload and reload tw_stats while the kernel keeps dropping packets for a
# reason it counts: rmmod must leave no probe behind (the drops go on
# after it; a probe left in freed module text would crash), a reload
# counts from zero, and the log stays clean.  Ends with the module loaded
# with cache_ms=0, as the scenarios after this one expect.
#
# The kernel's skb:kfree_skb event stays on meanwhile, so that the
# tracepoint's static key is never turned off under the traffic: see
# kfree_skb_event in lib.sh (the module's probe comes and goes all the
# same, and a probe left behind would still be called).
if kfree_skb_event on; then
	event_held=1
else
	event_held=
	skip kfree_skb_event_held "no skb:kfree_skb trace event here: its key toggles under the traffic"
fi
# about one drop per ms until stopped
$PAWSGEN estab -c 127.0.0.7 -s 127.0.0.1 -p 5890 -n 100000 -i 1 > /dev/null 2>&1 &
bg=$!
sleep 1
expect_true counting_before_unload "no drops counted" \
	test "$(tw drop_tcp_rfc7323_paws)" -gt 0
i=0
while [ $i -lt 3 ]; do
	expect_true dropping_at_rmmod_$i "pawsgen stopped early" kill -0 $bg
	rmmod tw_stats || fail rmmod_while_dropping_$i "rmmod failed"
	sleep 0.3
	insmod /lib/tw_stats.ko cache_ms=0 || fail reload_while_dropping_$i "insmod failed"
	sleep 0.3
	i=$((i + 1))
done
expect_true counting_again "no drops counted after reload" \
	test "$(tw drop_tcp_rfc7323_paws)" -gt 0
kill $bg
wait $bg
[ -n "$event_held" ] && kfree_skb_event off

# nothing is dropped now: a fresh load starts from zero
rmmod tw_stats && insmod /lib/tw_stats.ko cache_ms=0 && pass reload || fail reload "rmmod/insmod failed"
expect_eq zero_after_reload "$(tw drop_tcp_rfc7323_paws)" 0
expect_eq no_rows_after_reload "$(cat $DROPS | wc -l) $(tail -n 1 $DROPS)" "2 others - 0 -"
b_nstat=$(nstat_tcpext tcpext_pawsestab)
out=$($PAWSGEN estab -c 127.0.0.8 -s 127.0.0.1 -p 5891 -n 9)
settle
expect_eq counts_after_reload "$(tw drop_tcp_rfc7323_paws)" 9
expect_eq row_after_reload "$(drops_row 127.0.0.8 tcp_rfc7323_paws)" 9
expect_eq nstat_agrees $(( $(nstat_tcpext tcpext_pawsestab) - b_nstat )) 9
expect_eq cache_ms_restored "$(cat $TW_PARAMS/cache_ms)" 0
