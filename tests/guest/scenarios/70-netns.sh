# Two namespaces side by side: each file shows only its own namespace,
# before and after the other one changes.
peer=$(new_netns)
inpeer() { nsenter -t "$peer" -n "$@"; }
inpeer sysctl -qw net.ipv4.tcp_max_tw_buckets=777
twpeer() { inpeer awk -v n="$1" '$1 == n { print $2 }' /proc/net/tw_stats; }

srv=$($TWGEN server -a 127.0.0.1 -p 5700 -m wait)
$TWGEN client -a 127.0.0.1 -p 5700 -n 30 -m close > /dev/null
psrv=$(inpeer $TWGEN server -a 127.0.0.1 -p 5700 -m wait)
inpeer $TWGEN client -a 127.0.0.1 -p 5700 -n 100 -m close > /dev/null
settle
inpeer sh -c '. /tests/lib.sh; settle'
expect_eq own_tw "$(tw tw_total)" 30
expect_eq peer_tw "$(twpeer tw_total)" 100
expect_eq peer_tw=peer_ss "$(twpeer tw_time_wait)" "$(inpeer ss -Htan state time-wait | wc -l)"
expect_eq peer_max_buckets "$(twpeer tw_max_buckets)" 777
expect_true own_max_buckets_differs "own tw_max_buckets should not be the peer's" \
	test "$(tw tw_max_buckets)" != 777
expect_eq peer_listen "$(twpeer state_listen)" 1

# the peer changes; we do not
inpeer $TWGEN client -a 127.0.0.1 -p 5700 -n 50 -m close > /dev/null
pcli=$(inpeer $TWGEN client -a 127.0.0.1 -p 5700 -n 7 -m hold)
inpeer sh -c '. /tests/lib.sh; settle'
expect_eq own_tw_after_peer_change "$(tw tw_total)" 30
expect_eq own_established_after_peer_change "$(tw state_established)" 0
expect_eq peer_tw_after_change "$(twpeer tw_total)" 150
expect_eq peer_established "$(twpeer state_established)" 14
inpeer sh -c 'TEST_GROUP=netns; . /tests/lib.sh; compare_all peer'

# we change; the peer does not
$TWGEN client -a 127.0.0.1 -p 5700 -n 20 -m close > /dev/null
settle
expect_eq own_tw_after_change "$(tw tw_total)" 50
expect_eq peer_tw_after_own_change "$(twpeer tw_total)" 150
compare_all own

kill_daemons $srv $psrv $pcli $peer
