# PAWS for real: pawsgen sends segments with a stale timestamp into a live
# connection and into a TIME_WAIT socket.  The PAWS counter, the drop
# counter and the tw_drops row of the sender move by exactly what was
# sent, and tw_stats's TcpExt counters equal nstat's.
N4=25
N6=7
NT=15
expect_eq drops_file_mode "$(stat -c %a $DROPS)" 444
expect_eq drops_header "$(head -n 1 $DROPS)" "remote reason count last_seconds_ago"
expect_eq drops_empty "$(cat $DROPS | wc -l) $(tail -n 1 $DROPS)" "2 others - 0 -"
expect_eq drop_counter_starts_at_zero "$(tw drop_tcp_rfc7323_paws)" 0
expect_eq not_specified_not_counted "$(tw drop_not_specified)" missing
expect_eq unattributed_only_in_init_netns "$(tw drop_unattributed)" missing
compare_tcpext before
unattributed=$(init_tw drop_unattributed)

# into a live connection, IPv4 then IPv6: PAWSEstab, TCP_RFC7323_PAWS
b_ours=$(tw tcpext_pawsestab)
b_nstat=$(nstat_tcpext tcpext_pawsestab)
rm -rf /tmp/paws.before /tmp/paws.after
/bin/twstat --save /tmp/paws.before > /dev/null 2>&1
out=$($PAWSGEN estab -c 127.0.0.7 -s 127.0.0.1 -p 5860 -n $N4)
expect_eq estab_v4_sent "$(echo $out | cut -d' ' -f1-2)" "sent $N4"
out=$($PAWSGEN estab -c ::1 -s ::1 -p 5861 -n $N6)
expect_eq estab_v6_sent "$(echo $out | cut -d' ' -f1-2)" "sent $N6"
settle
expect_eq estab.pawsestab_delta $(( $(tw tcpext_pawsestab) - b_ours )) $((N4 + N6))
expect_eq estab.nstat_delta $(( $(nstat_tcpext tcpext_pawsestab) - b_nstat )) $((N4 + N6))
expect_eq estab.drop_tcp_rfc7323_paws "$(tw drop_tcp_rfc7323_paws)" $((N4 + N6))
expect_eq estab.drops_row_v4 "$(drops_row 127.0.0.7 tcp_rfc7323_paws)" $N4
expect_eq estab.drops_row_v6 "$(drops_row ::1 tcp_rfc7323_paws)" $N6
expect_eq estab.drops_rows "$(tail -n +2 $DROPS | grep -vc '^others ')" 2
expect_eq estab.drops_others "$(drops_others)" 0
expect_true estab.drops_last_seen_recent "row older than 5 s" \
	awk '$1 == "127.0.0.7" && $4 <= 5 { f = 1 } END { exit !f }' $DROPS
compare_tcpext estab
# twstat --advise, given the readings before and after, names the rise
# and the sender (the NATed-client symptom)
/bin/twstat --save /tmp/paws.after > /dev/null 2>&1
/bin/twstat --advise --from /tmp/paws.before --from /tmp/paws.after > /tmp/paws.adv 2>&1
expect_true twstat_advises_paws "$(head -n 3 /tmp/paws.adv)" grep -q '^\[paws\]' /tmp/paws.adv
expect_true twstat_paws_names_sender "$(head -n 3 /tmp/paws.adv)" grep -q '127\.0\.0\.7' /tmp/paws.adv

# drops_top_n rows, the rest summed into 'others'; bad values refused
p=$TW_PARAMS/drops_top_n
expect_eq top_n_default "$(cat $p)" 64
for bad in 0 129 abc -1 ""; do
	name=top_n_rejects_$(printf '%s' "${bad:-empty}" | tr -c 'a-z0-9' '_')
	if echo "$bad" > $p 2>/dev/null; then
		fail "$name" "write of '$bad' succeeded"
	else
		pass "$name"
	fi
done
expect_eq top_n_unchanged "$(cat $p)" 64
echo 1 > $p
expect_eq top_n_1 "$(tail -n +2 $DROPS | cut -d' ' -f1-3 | tr '\n' ' ')" \
	"127.0.0.7 tcp_rfc7323_paws $N4 others - $N6 "
echo 64 > $p

# into a TIME_WAIT socket.  RFC 1337 keeps it alive through the RST that
# answers its ACK (nothing listens at the other end any more).
sysctl -qw net.ipv4.tcp_rfc1337=1
b_estab=$(tw tcpext_pawsestab)
b_drop=$(tw drop_tcp_rfc7323_paws)
if [ "$(tw tcpext_pawstimewait)" != missing ]; then
	# 6.16+: counted apart, and dropped with a reason of its own
	counter=tcpext_pawstimewait
	reason=tcp_rfc7323_tw_paws
else
	# up to 6.15: counted in PAWSEstab; the drop has no reason
	# (NOT_SPECIFIED), so it is not a drop_* or tw_drops count
	counter=tcpext_pawsestab
	reason=
fi
b_ours=$(tw $counter)
b_nstat=$(nstat_tcpext $counter)
out=$($PAWSGEN tw -c 127.0.0.1 -s 127.0.0.9 -p 5862 -n $NT)
expect_eq tw_sent "$(echo $out | cut -d' ' -f1-3)" "sent $NT 127.0.0.9:5862"
cport=$(echo $out | cut -d' ' -f4 | cut -d: -f2)
settle
expect_eq tw.still_time_wait "$(ssc state time-wait "( sport = :$cport )")" 1
expect_eq tw.${counter}_delta $(( $(tw $counter) - b_ours )) $NT
expect_eq tw.nstat_delta $(( $(nstat_tcpext $counter) - b_nstat )) $NT
if [ -n "$reason" ]; then
	expect_eq tw.drop_$reason "$(tw drop_$reason)" $NT
	expect_eq tw.drops_row "$(drops_row 127.0.0.9 $reason)" $NT
else
	expect_eq tw.pawsestab_is_the_counter $(( $(tw tcpext_pawsestab) - b_estab )) $NT
	expect_eq tw.no_drop_count $(( $(tw drop_tcp_rfc7323_paws) - b_drop )) 0
	expect_eq tw.no_drops_row "$(grep -c '^127\.0\.0\.9 ' $DROPS)" 0
fi
expect_eq tw.drops_others "$(drops_others)" 0
compare_tcpext tw
# every drop above was attributed to this netns
expect_eq none_unattributed "$(init_tw drop_unattributed)" "$unattributed"
# one sender at a time never finds the remote table busy: every drop
# above got its row (the rows' exact counts above say so too)
expect_eq drops_table_busy "$(tw drops_table_busy)" 0
# for the log: what a reader of this netns saw
grep -E '^(tcpext|drop)_' $STATS | sed 's/^/TWGUEST tw_stats: /'
sed 's/^/TWGUEST tw_drops: /' $DROPS
