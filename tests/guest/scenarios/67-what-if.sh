# twstat --what-if predicts, the kernel decides: 100 ephemeral ports;
# toward A 60 TIME_WAIT and 10 held connections, toward B 30 TIME_WAIT.
# By the module's rule (headroom = available - shareable + reusable):
# - ip_local_port_range 40000 40149 (reuse off): B gets 150 - 30 = 120;
# - tcp_tw_reuse=1: A gets 100 - 70 + 60 = 90 (each TIME_WAIT, a second
#   old with a timestamp, is taken over).
# Each prediction is read from twstat, checked against the hand-derived
# number, then the sysctl is applied for real and exactly that many
# connect()s succeed before one fails with EADDRNOTAVAIL.
TWSTAT=/bin/twstat
A=127.0.0.1:7600
B=127.0.0.1:7601
sysctl -qw net.ipv4.ip_local_port_range="40000 40099"
sysctl -qw net.ipv4.ip_local_reserved_ports=""
srvA=$($ONE_CPU $TWGEN server -a 127.0.0.1 -p 7600 -m wait)
srvB=$($ONE_CPU $TWGEN server -a 127.0.0.1 -p 7601 -m wait)
expect_eq A_timewait "$($ONE_CPU $TWGEN client -a 127.0.0.1 -p 7600 -n 60 -m close)" "connected 60"
holdA=$($TWGEN client -a 127.0.0.1 -p 7600 -n 10 -m hold)
expect_eq B_timewait "$($ONE_CPU $TWGEN client -a 127.0.0.1 -p 7601 -n 30 -m close)" "connected 30"
settle
# tcp_tw_reuse (before 6.14) takes a timewait socket whose last timestamp
# is from an earlier second
sleep 1.5
expect_eq available "$(tw ephemeral_available)" 100
expect_eq A_now "$(dest_row $A | cut -d' ' -f3,5-7)" "60 70 0 30"
expect_eq B_now "$(dest_row $B | cut -d' ' -f3,5-7)" "30 30 0 70"

# whatif DEST SYSCTL=VALUE...: predicted headroom and how sure, for DEST
whatif() {
	local d=$1
	shift
	$TWSTAT --what-if "$@" | awk -v r="$d" '$2 == r { print $7, $10 }'
}
wide=$(whatif $B net.ipv4.ip_local_port_range="40000 40149")
reuse=$(whatif $A net.ipv4.tcp_tw_reuse=1)
# the range form with a comma is the same setting
expect_eq range_comma_form "$(whatif $B net.ipv4.ip_local_port_range=40000,40149)" "$wide"
expect_eq predicted_wide_B "$wide" "120 at_most"
expect_eq predicted_reuse_A "$reuse" "90 at_most"
expect_eq predicted_reuse_B "$(whatif $B net.ipv4.tcp_tw_reuse=1)" "100 at_most"
expect_eq bad_sysctl_exit64 "$($TWSTAT --what-if net.ipv4.tcp_fin_timeout=30 > /dev/null 2>&1; echo $?)" 64

# the wider range, for real (reuse still off): B's prediction
sysctl -qw net.ipv4.ip_local_port_range="40000 40149"
out=$($TWGEN client -a 127.0.0.1 -p 7601 -n max -m hold)
expect_eq wide_B_connected "$(echo "$out" | sed -n 1p)" "connected ${wide% *}"
expect_eq wide_B_stops "$(echo "$out" | sed -n 2p | cut -d' ' -f2)" EADDRNOTAVAIL
holdB=$(echo "$out" | sed -n 3p)

# back to 100 ports (A's sockets all sit in them), then reuse for real
sysctl -qw net.ipv4.ip_local_port_range="40000 40099"
settle
expect_eq A_still "$(dest_row $A | cut -d' ' -f3,5-7)" "60 70 0 30"
sysctl -qw net.ipv4.tcp_tw_reuse=1
before=$(nstat_tcpext tcpext_twrecycled)
out=$($ONE_CPU $TWGEN client -a 127.0.0.1 -p 7600 -n max -m hold)
expect_eq reuse_A_connected "$(echo "$out" | sed -n 1p)" "connected ${reuse% *}"
expect_eq reuse_A_stops "$(echo "$out" | sed -n 2p | cut -d' ' -f2)" EADDRNOTAVAIL
expect_eq reuse_A_took_over_timewait "$(( $(nstat_tcpext tcpext_twrecycled) - before ))" 60
kill_daemons $(echo "$out" | sed -n 3p) $holdB $holdA $srvA $srvB
sysctl -qw net.ipv4.tcp_tw_reuse=0
