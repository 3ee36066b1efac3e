# twstat against the live module: its JSON holds exactly the files it
# read, and those hold the sockets made here; its Prometheus file passes
# promtool and a real node_exporter serves it; the one documented
# textfile (--all-netns, from the initial netns) is served whole, with no
# series refused as a duplicate, where the old two-file recipe is not;
# --netns reads another namespace; --advise speaks on the scenarios that
# call for it and stays silent otherwise; an unloaded module is one line
# and exit status 2, and turns the textfile into tw_stats_up 0.
TWSTAT=/bin/twstat
N=40
ino=$(readlink /proc/self/ns/net | tr -dc 0-9)
srv=$($TWGEN server -a 127.0.0.1 -p 5950 -m wait)
expect_eq connected "$($TWGEN client -a 127.0.0.1 -p 5950 -n $N -m close)" "connected $N"
settle
# saved NAME DIR: the value of NAME in the tw_stats twstat read and saved
saved() { awk -v n="$1" '$1 == n { print $2 }' "$2/tw_stats"; }
# every check compares twstat with what it read and with ss at that moment
expect_eq ss_sees_created "$(ssc state time-wait '( dport = :5950 )')" $N

# --- JSON: the numbers of the files it read (saved with --save) ---
rm -rf /tmp/tws
$TWSTAT --json --save /tmp/tws > /tmp/tw.json
expect_eq json_exit $? 0
expect_eq saved_tw_time_wait=ss "$(saved tw_time_wait /tmp/tws)" \
	"$(ssc state time-wait '( dport = :5950 )')"
expect_eq saved_tw_total=sockstat "$(saved tw_total /tmp/tws)" "$(sockstat_tw)"
json_mismatch() {
	while read -r name value; do
		# "-" (nat_min_headroom without a known range) is JSON's null
		[ "$value" = - ] && value=null
		grep -qx "    \"$name\": $value,\{0,1\}" /tmp/tw.json || echo "$name=$value"
	done < /tmp/tws/tw_stats
}
expect_eq json_equals_saved_tw_stats "$(json_mismatch)" ""
expect_eq json_has_every_name \
	"$(sed -n '/^  "tw_stats": {/,/^  }/p' /tmp/tw.json | grep -c '^    "')" \
	"$(wc -l < /tmp/tws/tw_stats)"
expect_true json_netns "no \"netns\": $ino" grep -qx "  \"netns\": $ino," /tmp/tw.json
if [ -f /tmp/tws/tw_ports ]; then
	expect_eq json_port_rows "$(grep -c '^    {"port": ' /tmp/tw.json)" \
		"$(($(wc -l < /tmp/tws/tw_ports) - 1))"
	expect_true json_listener_port "no row for port 5950" \
		grep -q '^    {"port": 5950, ' /tmp/tw.json
fi

# --- the summary a person reads ---
rm -rf /tmp/tws2
$TWSTAT --save /tmp/tws2 > /tmp/tw.summary
expect_eq summary_exit $? 0
t=$(saved tw_time_wait /tmp/tws2)
expect_true summary_total "$(grep '^TIME_WAIT ' /tmp/tw.summary), saved $t" \
	grep -q "^TIME_WAIT  $t sockets: $t time_wait, 0 fin_wait2; $t ipv4, 0 ipv6" /tmp/tw.summary
expect_true summary_state_table "no exact TIME_WAIT row" \
	grep -Eq "^  TIME_WAIT +$t\$" /tmp/tw.summary
expect_true summary_within_created "$t timewait sockets, $N made" test "$t" -le $N -a "$t" -gt 0

# --- Prometheus file, written atomically, linted by promtool ---
mkdir -p /tmp/prom
rm -rf /tmp/tws3
$TWSTAT --prometheus --output /tmp/prom/tw_stats.prom --save /tmp/tws3
expect_eq prom_exit $? 0
series="tw_stats_timewait_sockets{netns=\"$ino\",substate=\"time_wait\"} $(saved tw_time_wait /tmp/tws3)"
expect_true prom_series "no '$series'" grep -qx "$series" /tmp/prom/tw_stats.prom
expect_eq prom_up_first "$(grep -v '^#' /tmp/prom/tw_stats.prom | head -n 1)" "tw_stats_up{netns=\"$ino\"} 1"
expect_eq prom_no_temp_left "$(ls /tmp/prom)" tw_stats.prom
if [ -x /usr/bin/promtool ]; then
	lint=$(promtool check metrics < /tmp/prom/tw_stats.prom 2>&1)
	expect_eq promtool_check_metrics "$?:$lint" "0:"
fi

# --- --netns: another namespace's numbers, not ours ---
peer=$(new_netns)
inpeer() { nsenter -t "$peer" -n "$@"; }
psrv=$(inpeer $TWGEN server -a 127.0.0.1 -p 5950 -m wait)
inpeer $TWGEN client -a 127.0.0.1 -p 5950 -n 7 -m close > /dev/null
inpeer sh -c '. /tests/lib.sh; settle'
peer_ino=$(readlink /proc/$peer/ns/net | tr -dc 0-9)
$TWSTAT --netns "$peer" --json > /tmp/peer.json
expect_eq netns_exit $? 0
peer_tw=$(inpeer ss -Htan state time-wait | wc -l)
expect_true netns_peer_total "peer JSON: $(grep '"tw_total"' /tmp/peer.json), ss: $peer_tw" \
	grep -qx "    \"tw_total\": $peer_tw," /tmp/peer.json
expect_true netns_peer_made_here "peer ss $peer_tw, 7 made" test "$peer_tw" -le 7 -a "$peer_tw" -ge 4
expect_true netns_peer_inode "peer JSON has no netns $peer_ino" grep -qx "  \"netns\": $peer_ino," /tmp/peer.json
expect_eq netns_own_unchanged "$(tw tw_time_wait)" "$(ssc state time-wait)"
$TWSTAT --netns "/proc/$peer/ns/net" --json > /tmp/peer2.json
expect_true netns_by_path "no netns $peer_ino via /proc/$peer/ns/net" \
	grep -qx "  \"netns\": $peer_ino," /tmp/peer2.json

# --- --advise: silent here, then each scenario that calls for advice ---
expect_eq advise_healthy "$($TWSTAT --advise --interval 1)" ""

# an application that never closes: CLOSE_WAIT grows during the interval
cw=$(new_netns)
cwsrv=$(nsenter -t "$cw" -n $TWGEN server -a 127.0.0.1 -p 5960 -m hold)
$TWSTAT --netns "$cw" --advise --interval 4 > /tmp/adv.cw 2>&1 &
adv=$!
sleep 1.5
nsenter -t "$cw" -n $TWGEN client -a 127.0.0.1 -p 5960 -n 20 -m orphan > /dev/null
wait $adv
expect_eq advise_close_wait_tags "$(grep -o '^\[[a-z_]*\]' /tmp/adv.cw | sort -u | tr '\n' ' ')" "[close_wait] "
expect_true advise_close_wait_reason "$(head -c 200 /tmp/adv.cw)" \
	grep -q '^\[close_wait\] CLOSE_WAIT grew from 0 to 20 in ' /tmp/adv.cw

# a sysctl file still setting tcp_tw_recycle (removed in Linux 4.12)
mkdir -p /etc/sysctl.d
printf '# old tuning\nnet.ipv4.tcp_tw_recycle = 1\n' > /etc/sysctl.d/99-twstat-test.conf
$TWSTAT --advise --interval 0 > /tmp/adv.rc 2>&1
rm -f /etc/sysctl.d/99-twstat-test.conf
expect_eq advise_tw_recycle_tags "$(grep -o '^\[[a-z_]*\]' /tmp/adv.rc | sort -u | tr '\n' ' ')" "[tw_recycle] "
expect_true advise_tw_recycle_where "$(head -c 200 /tmp/adv.rc)" \
	grep -q '^\[tw_recycle\] /etc/sysctl.d/99-twstat-test.conf:2 sets net.ipv4.tcp_tw_recycle = 1' /tmp/adv.rc

# tcp_fin_timeout changed, TIME_WAIT table full (tcp_max_tw_buckets 10)
of=$(new_netns)
nsenter -t "$of" -n sh -c "sysctl -qw net.ipv4.tcp_fin_timeout=30; sysctl -qw net.ipv4.tcp_max_tw_buckets=10"
ofsrv=$(nsenter -t "$of" -n $TWGEN server -a 127.0.0.1 -p 5970 -m wait)
$TWSTAT --netns "$of" --advise --interval 3 > /tmp/adv.of 2>&1 &
adv=$!
sleep 1
nsenter -t "$of" -n $TWGEN client -a 127.0.0.1 -p 5970 -n 30 -m close > /dev/null
wait $adv
expect_eq advise_overflow_fin_timeout_tags \
	"$(grep -o '^\[[a-z_]*\]' /tmp/adv.of | sort -u | tr '\n' ' ')" "[fin_timeout] [overflow] "
expect_true advise_fin_timeout_reason "$(head -c 300 /tmp/adv.of)" \
	grep -q 'tcp_fin_timeout is 30 (default 60)' /tmp/adv.of
expect_true advise_overflow_reason "$(head -c 300 /tmp/adv.of)" \
	grep -Eq '^\[overflow\] (TCPTimeWaitOverflow rose by [0-9]+|10 timewait sockets are 100.0% of net.ipv4.tcp_max_tw_buckets 10)' /tmp/adv.of

# a destination out of ports: 100 ephemeral ports, 95 in TIME_WAIT
if [ -r /proc/net/tw_destinations ]; then
	hr=$(new_netns)
	nsenter -t "$hr" -n sh -c "echo 40000 40099 > /proc/sys/net/ipv4/ip_local_port_range"
	hrsrv=$(nsenter -t "$hr" -n $TWGEN server -a 127.0.0.1 -p 5980 -m wait)
	nsenter -t "$hr" -n $TWGEN client -a 127.0.0.1 -p 5980 -n 95 -m close > /dev/null
	$TWSTAT --netns "$hr" --advise --interval 0 > /tmp/adv.hr 2>&1
	expect_eq advise_headroom_tags "$(grep -o '^\[[a-z_]*\]' /tmp/adv.hr | sort -u | tr '\n' ' ')" "[headroom] "
	expect_true advise_headroom_reason "$(head -c 300 /tmp/adv.hr)" \
		grep -q '127.0.0.1 -> 127.0.0.1:5980: [0-9]* of 100 ephemeral ports left' /tmp/adv.hr
	kill_daemons $hrsrv $hr
fi
kill_daemons $cwsrv $cw $ofsrv $of $psrv $peer

# --- a real node_exporter serves the files (its scrape makes sockets: last) ---
# ne_scrape DIR LOG: a node_exporter serving the textfiles of DIR, logging
# to LOG, scraped twice into /tmp/metrics (it logs a refused series on
# every scrape, and starts up in between), then stopped
ne_scrape() {
	prometheus-node-exporter --collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$1" \
		--web.listen-address=127.0.0.1:9100 > "$2" 2>&1 &
	ne=$!
	i=0
	while ! wget -qO /tmp/metrics http://127.0.0.1:9100/metrics 2> /dev/null &&
		[ $i -lt 100 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	wget -qO /tmp/metrics http://127.0.0.1:9100/metrics
	kill $ne
	wait $ne 2> /dev/null
}
# ne_errors LOG: node_exporter's errors and warnings, but that it runs as root
ne_errors() { grep -E 'level=(error|warn)' "$1" | grep -v 'running as root' | cut -c 1-300; }
# unserved DIR: each "# TYPE" family of DIR's textfiles that /tmp/metrics
# does not serve with as many samples as they hold ("family:in files/served";
# node_exporter drops a series it has seen, so a duplicate shows here too)
unserved() {
	cat "$1"/*.prom > /tmp/ne.all
	for fam in $(awk '$1 == "#" && $2 == "TYPE" { print $3 }' /tmp/ne.all | sort -u); do
		want=$(grep -c "^$fam[{ ]" /tmp/ne.all)
		got=$(grep -c "^$fam[{ ]" /tmp/metrics)
		[ "$want" = "$got" ] || echo "$fam:$want/$got"
	done
}
if [ -x /usr/bin/prometheus-node-exporter ]; then
	ne_scrape /tmp/prom /tmp/ne.log
	expect_true node_exporter_serves_series "$(tail -n 3 /tmp/ne.log)" grep -qx "$series" /tmp/metrics
	expect_true node_exporter_no_scrape_error "textfile scrape error" \
		grep -qx 'node_textfile_scrape_error 0' /tmp/metrics

	# the one documented invocation, where tw_netns is: everything in one file
	rm -rf /tmp/ne.d /tmp/ne.old
	mkdir -p /tmp/ne.d /tmp/ne.old
	nsenter -t 1 -n $TWSTAT --all-netns --prometheus --output /tmp/ne.d/tw_stats.prom 2> /tmp/ne.err
	expect_eq one_file_exit "$? $(cat /tmp/ne.err)" "0 "
	fams=$(grep -c '^# TYPE ' /tmp/ne.d/tw_stats.prom)
	expect_true one_file_has_everything "$fams families" sh -c \
		"[ $fams -ge 30 ] && grep -q '^tw_stats_up{' /tmp/ne.d/tw_stats.prom &&
		 grep -q '^tw_stats_netns_sockets{' /tmp/ne.d/tw_stats.prom &&
		 grep -q '^tw_stats_walk_cost_duration_seconds{' /tmp/ne.d/tw_stats.prom"
	ne_scrape /tmp/ne.d /tmp/ne.one.log
	expect_eq one_file_no_collection_error "$(ne_errors /tmp/ne.one.log)" ""
	expect_eq one_file_every_family_served "$(unserved /tmp/ne.d)" ""
	expect_true one_file_no_scrape_error "textfile scrape error" \
		grep -qx 'node_textfile_scrape_error 0' /tmp/metrics
	# the plain invocation, with tw_netns readable, leaves its families alone
	nsenter -t 1 -n $TWSTAT --prometheus > /tmp/ne.plain
	expect_true plain_no_netns_families "$(grep -c '^tw_stats_netns_' /tmp/ne.plain) tw_stats_netns_ series" \
		sh -c "! grep -q '^tw_stats_netns_' /tmp/ne.plain && nsenter -t 1 -n test -r /proc/net/tw_netns"

	# the check sees what it is for: the old recipe's two files (both
	# invocations) in one directory carry series twice
	cp /tmp/ne.d/tw_stats.prom /tmp/ne.old/tw_netns.prom
	cp /tmp/ne.plain /tmp/ne.old/tw_stats.prom
	ne_scrape /tmp/ne.old /tmp/ne.old.log
	expect_true two_files_refused "$(ne_errors /tmp/ne.old.log | head -c 300)" \
		grep -q 'was collected before with the same name and label values' /tmp/ne.old.log
	expect_true two_files_not_served_whole "every family served" \
		test -n "$(unserved /tmp/ne.old)"
fi
kill_daemons $srv

# --- module not loaded: one line naming the command, exit status 2 ---
if rmmod tw_stats; then
	$TWSTAT > /tmp/nl.out 2> /tmp/nl.err
	expect_eq not_loaded_exit $? 2
	expect_eq not_loaded_one_line "$(wc -l < /tmp/nl.err)" 1
	expect_true not_loaded_hint "$(cat /tmp/nl.err)" grep -q "'modprobe tw_stats' or 'insmod tw_stats.ko'" /tmp/nl.err
	# the textfile of the run above becomes tw_stats_up 0 alone: nothing stale
	nsenter -t 1 -n $TWSTAT --all-netns --prometheus --output /tmp/prom/tw_stats.prom 2> /tmp/nl.err
	expect_eq not_loaded_prom_exit $? 2
	expect_eq not_loaded_prom_one_line "$(wc -l < /tmp/nl.err)" 1
	init_ino=$(readlink /proc/1/ns/net | tr -dc 0-9)
	expect_eq not_loaded_prom_up0 "$(grep -v '^#' /tmp/prom/tw_stats.prom)" "tw_stats_up{netns=\"$init_ino\"} 0"
	expect_eq not_loaded_prom_no_temp_left "$(ls /tmp/prom)" tw_stats.prom
	if [ -x /usr/bin/promtool ]; then
		lint=$(promtool check metrics < /tmp/prom/tw_stats.prom 2>&1)
		expect_eq not_loaded_prom_promtool "$?:$lint" "0:"
	fi
	insmod /lib/tw_stats.ko cache_ms=0 || fail reload "insmod failed"
else
	fail rmmod "rmmod tw_stats failed"
fi
