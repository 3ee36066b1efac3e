# tcp_max_tw_buckets below the number of connections that close: the
# kernel destroys the sockets beyond it at once and counts each in
# TCPTimeWaitOverflow.
MAX=20
K=60
sysctl -qw net.ipv4.tcp_max_tw_buckets=$MAX
srv=$($ONE_CPU $TWGEN server -a 127.0.0.1 -p 5870 -m wait)
b_ours=$(tw tcpext_tcptimewaitoverflow)
b_nstat=$(nstat_tcpext tcpext_tcptimewaitoverflow)
b_tw=$(tw tcpext_tw)
expect_eq connected "$($ONE_CPU $TWGEN client -a 127.0.0.1 -p 5870 -n $K -m close)" "connected $K"
settle
expect_eq tw_max_buckets "$(tw tw_max_buckets)" $MAX
expect_eq tw_total_capped "$(tw tw_total)" $MAX
expect_eq ss_time_wait_capped "$(ssc state time-wait)" $MAX
expect_eq overflow_delta $(( $(tw tcpext_tcptimewaitoverflow) - b_ours )) $((K - MAX))
expect_eq nstat_delta $(( $(nstat_tcpext tcpext_tcptimewaitoverflow) - b_nstat )) $((K - MAX))
# TW counts timewait sockets when they are created (with a timer over
# 4 s), not when they expire: here the MAX that could be created
expect_eq tw_counts_creations $(( $(tw tcpext_tw) - b_tw )) $MAX
compare_tcpext overflow
kill_daemons $srv
