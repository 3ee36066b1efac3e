# tcp_tw_reuse=2 (the default) lets connect() take over only loopback
# TIME_WAIT.  Toward an address of lo outside 127/8, with every
# ephemeral port held by a TIME_WAIT socket old enough for the age rule,
# we count none reusable and connect() finds no port; under mode 1 we
# count every one, and connect() takes each over.  The same in this
# namespace's row of tw_netns, read from the initial one: the walk of
# every namespace takes each socket by its own namespace's mode.
K=10
inum=$(readlink /proc/self/ns/net | tr -dc 0-9)
netns_headroom() {
	nsenter -t 1 -n awk -v i="$inum" '$1 == i { print $9 }' /proc/net/tw_netns
}
ip addr add 10.9.0.1/32 dev lo
sysctl -qw net.ipv4.ip_local_port_range="40000 40009" net.ipv4.tcp_tw_reuse=2
srv=$($ONE_CPU $TWGEN server -a 10.9.0.1 -p 5890 -m wait)
expect_eq round1 "$($ONE_CPU $TWGEN client -a 10.9.0.1 -p 5890 -n $K -m close)" "connected $K"
settle
# past a second old (tcp_tw_reuse_delay's default on 6.14 and later too)
sleep 2.5
expect_eq round1.every_port_in_time_wait "$(tw tw_time_wait)" $K
expect_eq mode2.tw "$(dest_row 10.9.0.1:5890 | cut -d' ' -f3)" $K
expect_eq mode2.reusable "$(dest_row 10.9.0.1:5890 | cut -d' ' -f6)" 0
expect_eq mode2.headroom "$(dest_row 10.9.0.1:5890 | cut -d' ' -f7)" 0
expect_eq mode2.tw_netns_min_headroom "$(netns_headroom)" 0
b_nstat=$(nstat_tcpext tcpext_twrecycled)
expect_eq mode2.no_port "$($ONE_CPU $TWGEN client -a 10.9.0.1 -p 5890 -n 1 -m close 2>&1 | grep -c EADDRNOTAVAIL)" 1
expect_eq mode2.no_recycle $(( $(nstat_tcpext tcpext_twrecycled) - b_nstat )) 0
sysctl -qw net.ipv4.tcp_tw_reuse=1
expect_eq mode1.reusable "$(dest_row 10.9.0.1:5890 | cut -d' ' -f6)" $K
expect_eq mode1.headroom "$(dest_row 10.9.0.1:5890 | cut -d' ' -f7)" $K
expect_eq mode1.tw_netns_min_headroom "$(netns_headroom)" $K
expect_eq round2 "$($ONE_CPU $TWGEN client -a 10.9.0.1 -p 5890 -n $K -m close)" "connected $K"
settle
expect_eq mode1.twrecycled_delta $(( $(nstat_tcpext tcpext_twrecycled) - b_nstat )) $K
kill_daemons $srv
