# Established connections and listeners: both ends of each connection are
# in this netns, so N connections are 2N established sockets.
N=40
srv=$($TWGEN server -a 127.0.0.1 -p 5400 -P 3 -m hold)
lst=$($TWGEN listen -a ::1 -p 5500 -n 5)
cli=$($TWGEN client -a 127.0.0.1 -p 5400 -P 3 -n $N -m hold)
settle
expect_eq state_established "$(tw state_established)" $((2 * N))
expect_eq state_listen "$(tw state_listen)" 8
expect_eq tw_total "$(tw tw_total)" 0
compare_all established
kill_daemons $cli
settle
# the holders are gone: both ends closed at once, nothing established
expect_eq after_close_established "$(tw state_established)" 0
compare_all after_close
kill_daemons $srv $lst
