# twstat --advise's "one more source address" fix, tested against the
# kernel: 100 ephemeral ports, 95 TIME_WAIT from 127.0.0.1 toward one
# destination (headroom 5, under the advice's 10%).  The advice says the
# new address has its own N ports and the headroom becomes H; then
# connect()s from 127.0.0.2 with IP_BIND_ADDRESS_NO_PORT (twgen -s) and
# from 127.0.0.1 must succeed exactly N and H - N times before
# EADDRNOTAVAIL.  N is derived by hand too: every port of the range, the
# 4-tuples from the new address being all new.
TWSTAT=/bin/twstat
D=127.0.0.1:7650
sysctl -qw net.ipv4.ip_local_port_range="40200 40299"
sysctl -qw net.ipv4.ip_local_reserved_ports=""
srv=$($ONE_CPU $TWGEN server -a 127.0.0.1 -p 7650 -m wait)
expect_eq made_timewait "$($ONE_CPU $TWGEN client -a 127.0.0.1 -p 7650 -n 95 -m close)" "connected 95"
settle
expect_eq available "$(tw ephemeral_available)" 100
expect_eq headroom_now "$(dest_row $D | cut -d' ' -f7)" 5

line=$($TWSTAT --advise | grep -F 'one more source address')
echo "$line"
# "... toward D the new address has its own N ports, headroom becomes H (now 5) ..."
own=$(echo "$line" | sed -n 's/.* has its own \([0-9]*\) ports.*/\1/p')
becomes=$(echo "$line" | sed -n 's/.*headroom becomes \([0-9]*\) (now 5).*/\1/p')
expect_eq advice_own_ports "$own" 100
expect_eq advice_headroom "$becomes" 105

out=$($ONE_CPU $TWGEN client -a 127.0.0.1 -p 7650 -n max -m hold -s 127.0.0.2)
expect_eq new_address_connected "$(echo "$out" | sed -n 1p)" "connected ${own:-none}"
expect_eq new_address_stops "$(echo "$out" | sed -n 2p | cut -d' ' -f2)" EADDRNOTAVAIL
hold2=$(echo "$out" | sed -n 3p)
out=$($ONE_CPU $TWGEN client -a 127.0.0.1 -p 7650 -n max -m hold)
expect_eq old_address_connected "$(echo "$out" | sed -n 1p)" "connected $(( ${becomes:-0} - ${own:-0} ))"
expect_eq old_address_stops "$(echo "$out" | sed -n 2p | cut -d' ' -f2)" EADDRNOTAVAIL
kill_daemons $(echo "$out" | sed -n 3p) $hold2 $srv
