# Client-side TIME_WAIT over IPv4 and IPv6: the client closes first.
N4=300
N6=200
srv4=$($TWGEN server -a 127.0.0.1 -p 5100 -P 4 -m wait)
srv6=$($TWGEN server -a ::1 -p 5100 -P 4 -m wait)
expect_eq v4_connected "$($TWGEN client -a 127.0.0.1 -p 5100 -P 4 -n $N4 -m close)" "connected $N4"
expect_eq v6_connected "$($TWGEN client -a ::1 -p 5100 -P 4 -n $N6 -m close)" "connected $N6"
settle
# what this scenario created, seen by ss: the client ends of our connections
expect_eq ss_sees_created "$(ssc state time-wait '( dport >= :5100 and dport <= :5103 )')" $((N4 + N6))
expect_eq tw_time_wait "$(tw tw_time_wait)" $((N4 + N6))
expect_eq tw_ipv4 "$(tw tw_ipv4)" $N4
expect_eq tw_ipv6 "$(tw tw_ipv6)" $N6
expect_eq tw_fin_wait2 "$(tw tw_fin_wait2)" 0
expect_eq state_listen "$(tw state_listen)" 8
compare_all tw
kill_daemons $srv4 $srv6
