# Server-side TIME_WAIT: the server closes first, so the timewait sockets
# sit on the listening port (the web server / load balancer case).
N=200
srv=$($TWGEN server -a 127.0.0.1 -p 5200 -m close)
expect_eq connected "$($TWGEN client -a 127.0.0.1 -p 5200 -n $N -m wait)" "connected $N"
settle
expect_eq ss_sees_created "$(ssc state time-wait sport = :5200)" $N
expect_eq tw_time_wait "$(tw tw_time_wait)" $N
expect_eq tw_ipv4 "$(tw tw_ipv4)" $N
compare_all server_tw
srv6=$($TWGEN server -a ::1 -p 5200 -m close)
expect_eq v6_connected "$($TWGEN client -a ::1 -p 5200 -n $N -m wait)" "connected $N"
settle
expect_eq v6_ss_sees_created "$(ssc -f inet6 state time-wait sport = :5200)" $N
expect_eq v6_tw_ipv6 "$(tw tw_ipv6)" $N
compare_all server_tw_v6
kill_daemons $srv $srv6
