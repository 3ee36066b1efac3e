# Orphaned FIN_WAIT2 with the peer left in CLOSE_WAIT: the client closes,
# the server never does.  Most orphans become timewait sockets of
# substate FIN_WAIT2; one whose ACK raced close() stays a full socket.
N=60
srv=$($TWGEN server -a 127.0.0.1 -p 5300 -m hold)
expect_eq connected "$($TWGEN client -a 127.0.0.1 -p 5300 -n $N -m orphan)" "connected $N"
settle
expect_eq state_close_wait "$(tw state_close_wait)" $N
expect_eq orphans_accounted "$(( $(tw tw_fin_wait2) + $(tw state_fin_wait2) ))" $N
expect_true some_became_timewait "tw_fin_wait2 is 0" test "$(tw tw_fin_wait2)" -gt 0
expect_eq tw_time_wait "$(tw tw_time_wait)" 0
compare_all fin_wait2
kill_daemons $srv
