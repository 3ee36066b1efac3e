# tcp_tw_reuse: once every ephemeral port holds a TIME_WAIT socket toward
# the server, each new connect() takes one over (timestamps on, last one
# from an earlier second), and the kernel counts it in TWRecycled.
K=10
sysctl -qw net.ipv4.ip_local_port_range="40000 40009"
srv=$($ONE_CPU $TWGEN server -a 127.0.0.1 -p 5880 -m wait)
expect_eq round1 "$($ONE_CPU $TWGEN client -a 127.0.0.1 -p 5880 -n $K -m close)" "connected $K"
settle
expect_eq round1.every_port_in_time_wait "$(tw tw_time_wait)" $K
b_ours=$(tw tcpext_twrecycled)
b_nstat=$(nstat_tcpext tcpext_twrecycled)
# without reuse there is no port left
expect_eq no_reuse_no_port "$($ONE_CPU $TWGEN client -a 127.0.0.1 -p 5880 -n 1 -m close 2>&1 | grep -c EADDRNOTAVAIL)" 1
expect_eq no_reuse_no_recycle $(( $(tw tcpext_twrecycled) - b_ours )) 0
sysctl -qw net.ipv4.tcp_tw_reuse=1
sleep 2
expect_eq round2 "$($ONE_CPU $TWGEN client -a 127.0.0.1 -p 5880 -n $K -m close)" "connected $K"
settle
expect_eq twrecycled_delta $(( $(tw tcpext_twrecycled) - b_ours )) $K
expect_eq nstat_delta $(( $(nstat_tcpext tcpext_twrecycled) - b_nstat )) $K
expect_eq round2.each_took_one_over "$(tw tw_time_wait)" $K
compare_tcpext reuse
kill_daemons $srv
