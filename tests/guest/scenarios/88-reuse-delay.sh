# tcp_tw_reuse's age rule since 6.14: connect() may take over a TIME_WAIT
# socket once tcp_clock_ms() passes its entry time plus the namespace's
# net.ipv4.tcp_tw_reuse_delay (ms).  With a long delay, none of 300
# loopback TIME_WAIT is reusable at first and headroom is what connect()
# achieves then; past the delay all 300 are, and headroom is again what
# connect() achieves.  Kernels without the sysctl use the one-second rule,
# which the headroom and reuse scenarios test.
if [ ! -f /proc/sys/net/ipv4/tcp_tw_reuse_delay ]; then
	skip rule "no net.ipv4.tcp_tw_reuse_delay on this kernel (before 6.14): the headroom and reuse scenarios test its one-second rule"
	return 0
fi
# 30 s rather than a few: making and settling the sockets takes seconds on
# TCG, and the first check must come well before the delay ends
DELAY_MS=30000
sysctl -qw net.ipv4.ip_local_port_range="41000 41499"
avail=500
sysctl -qw net.ipv4.tcp_tw_reuse=2 net.ipv4.tcp_tw_reuse_delay=$DELAY_MS
uptime_s() { cut -d. -f1 /proc/uptime; }
srv=$($TWGEN server -a 127.0.0.1 -p 7100 -m wait)
expect_eq made_timewait "$($TWGEN client -a 127.0.0.1 -p 7100 -n 300 -m close)" "connected 300"
made=$(uptime_s)
settle
expect_eq ephemeral_available "$(tw ephemeral_available)" $avail
a_col() { dest_row 127.0.0.1:7100 | cut -d' ' -f"$1"; }
expect_eq young.tw "$(a_col 3)" 300
expect_eq young.reusable "$(a_col 6)" 0
expect_eq young.headroom "$(a_col 7)" $((avail - 300))
# every port is busy for the delay, not 1 s: available / 30
expect_eq conn_per_s "$(a_col 8)" $((avail * 1000 / DELAY_MS))
# the prediction, tested: exactly headroom more connect()s, none taking
# over a timewait socket
pred=$(a_col 7)
before=$(nstat_tcpext tcpext_twrecycled)
out=$($TWGEN client -a 127.0.0.1 -p 7100 -n max -m hold)
after=$(nstat_tcpext tcpext_twrecycled)
expect_eq young.connected "$(echo "$out" | sed -n 1p)" "connected $pred"
expect_eq young.stops "$(echo "$out" | sed -n 2p | cut -d' ' -f2)" EADDRNOTAVAIL
expect_eq young.took_over_none "$((after - before))" 0
expect_true young.before_delay "the first check ended $(( $(uptime_s) - made ))s after the sockets were made, past the ${DELAY_MS}ms delay" \
	test $(( $(uptime_s) - made )) -lt $((DELAY_MS / 1000))
# The 200 holders stay established: closed, they would become TIME_WAIT
# that turn reusable while the next connect() loop (slow on TCG) runs.
holders=$(echo "$out" | sed -n 3p)

# past the delay for the 300: each port is in use, 300 of them reusable
while [ $(( $(uptime_s) - made )) -le $((DELAY_MS / 1000 + 1)) ]; do sleep 1; done
expect_eq old.in_use "$(a_col 5)" $avail
expect_eq old.reusable "$(a_col 6)" 300
expect_eq old.headroom "$(a_col 7)" 300
pred=$(a_col 7)
before=$(nstat_tcpext tcpext_twrecycled)
out=$($TWGEN client -a 127.0.0.1 -p 7100 -n max -m hold)
after=$(nstat_tcpext tcpext_twrecycled)
expect_eq old.connected "$(echo "$out" | sed -n 1p)" "connected $pred"
expect_eq old.stops "$(echo "$out" | sed -n 2p | cut -d' ' -f2)" EADDRNOTAVAIL
expect_eq old.took_over_each "$((after - before))" 300
# twstat takes the delay from the sysctl as the module does: its
# prediction with reuse on is the module's rate, not the 1 s rule's 500/s
expect_eq twstat_conn_per_s "$(/bin/twstat --what-if net.ipv4.tcp_tw_reuse=1 |
	awk '$2 == "127.0.0.1:7100" { print $9 }')" "$(a_col 8)"
expect_eq twstat_conn_per_s_derived "$(a_col 8)" $((avail * 1000 / DELAY_MS))
kill_daemons $(echo "$out" | sed -n 3p) $holders $srv
