# Ephemeral-port headroom per destination, proved by exhausting it:
# 1000 ports, 10 reserved, 1 held by bind(); 600 TIME_WAIT toward A and
# 300 toward B leave A exactly 1000 - 10 - 1 - 600 = 389 more connect()s.
# Then tcp_tw_reuse=2 (loopback) makes A's timewait sockets reusable.
sysctl -qw net.ipv4.ip_local_port_range="40000 40999"
sysctl -qw net.ipv4.ip_local_reserved_ports="40100-40109"
avail=$((1000 - 10 - 1))
bnd=$($TWGEN bind -a 127.0.0.1 -p 40500)
srvA=$($TWGEN server -a 127.0.0.1 -p 7000 -m wait)
srvB=$($TWGEN server -a 127.0.0.1 -p 7001 -m wait)
expect_eq ephemeral_ports "$(tw ephemeral_ports)" 1000
expect_eq ephemeral_reserved "$(tw ephemeral_reserved)" 10
expect_eq ephemeral_bound "$(tw ephemeral_bound)" 1
expect_eq ephemeral_available "$(tw ephemeral_available)" $avail
expect_eq header "$(head -n 1 /proc/net/tw_destinations)" \
	"local remote tw other in_use reusable headroom conn_per_s"
$TWGEN client -a 127.0.0.1 -p 7000 -n 600 -m close > /dev/null
$TWGEN client -a 127.0.0.1 -p 7001 -n 300 -m close > /dev/null
settle
rate=$((avail / 60))
expect_eq row_A "$(dest_row 127.0.0.1:7000)" "127.0.0.1 127.0.0.1:7000 600 0 600 0 $((avail - 600)) $rate"
expect_eq row_B "$(dest_row 127.0.0.1:7001)" "127.0.0.1 127.0.0.1:7001 300 0 300 0 $((avail - 300)) $rate"
expect_eq worst_first "$(awk 'NR == 2 { print $2 }' /proc/net/tw_destinations)" 127.0.0.1:7000
expect_eq others_row "$(tail -n 1 /proc/net/tw_destinations)" "others - 0 0 0 0 - -"
expect_eq destinations "$(tw destinations)" 2
expect_eq destination_min_headroom "$(tw destination_min_headroom)" $((avail - 600))
# ss does not list the bind()-only socket on 40500: add it
expect_eq ephemeral_in_use=ss "$(tw ephemeral_in_use)" \
	"$(( $(ss -Htan | awk '{ p = $4; sub(/.*:/, "", p); if (p >= 40000 && p <= 40999) print p }' | sort -u | wc -l) + 1 ))"
# the prediction, tested: exactly headroom more connect()s toward A
pred=$(dest_row 127.0.0.1:7000 | cut -d' ' -f7)
out=$($TWGEN client -a 127.0.0.1 -p 7000 -n max -m hold)
expect_eq exhaust_A_connected "$(echo "$out" | sed -n 1p)" "connected $pred"
expect_eq exhaust_A_stops "$(echo "$out" | sed -n 2p | cut -d' ' -f2)" EADDRNOTAVAIL
holder=$(echo "$out" | sed -n 3p)
settle
expect_eq A_full "$(dest_row 127.0.0.1:7000 | cut -d' ' -f7)" 0
expect_eq B_unaffected "$(dest_row 127.0.0.1:7001 | cut -d' ' -f7)" $((avail - 300))
# closing the holders turns them into timewait sockets toward A, once
# the server has read each EOF and closed its end
kill_daemons $holder
a_tw() { dest_row 127.0.0.1:7000 | cut -d' ' -f3; }
wait_for $avail a_tw
settle
expect_eq A_all_timewait "$(dest_row 127.0.0.1:7000 | cut -d' ' -f3)" $avail

# tcp_tw_reuse=2: loopback timewait sockets a second old become reusable
sysctl -qw net.ipv4.tcp_tw_reuse=2
sleep 2.5
expect_eq reusable_A "$(dest_row 127.0.0.1:7000 | cut -d' ' -f6)" $avail
expect_eq headroom_A_with_reuse "$(dest_row 127.0.0.1:7000 | cut -d' ' -f7)" $avail
expect_eq rate_A_with_reuse "$(dest_row 127.0.0.1:7000 | cut -d' ' -f8)" $avail
before=$(nstat_tcpext tcpext_twrecycled)
pred=$(dest_row 127.0.0.1:7000 | cut -d' ' -f7)
out=$($TWGEN client -a 127.0.0.1 -p 7000 -n max -m hold)
expect_eq reuse_connected "$(echo "$out" | sed -n 1p)" "connected $pred"
expect_eq reuse_stops "$(echo "$out" | sed -n 2p | cut -d' ' -f2)" EADDRNOTAVAIL
after=$(nstat_tcpext tcpext_twrecycled)
expect_eq reuse_took_over_timewait "$((after - before))" $avail
kill_daemons $(echo "$out" | sed -n 3p) $srvA $srvB $bnd
