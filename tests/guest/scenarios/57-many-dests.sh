# More destinations than the table holds: memory stays bounded (at most
# 3072 tracked), the rest is summed into "others", and no socket is lost.
# 52 loopback addresses x 64 ports = 3328 destinations, one socket each.
# Totals are compared with ss: with this many connections a TCG guest
# now and then resets one (seen: 3327 of 3328, ss agreeing with us).
P=64
A=52
N=$((P * A))
srv=$($TWGEN server -a 0.0.0.0 -p 20000 -P $P -m wait)
made=0
for i in $(seq 1 $A); do
	out=$($TWGEN client -a 127.0.1.$i -p 20000 -P $P -n $P -m close)
	[ "$out" = "connected $P" ] && made=$((made + P))
done
expect_eq connected $made $N
settle
total=$(ssc state time-wait)
expect_true ss_sees_created "ss sees $total of $N" test $total -le $N -a $total -ge $((N - N / 100))
expect_eq tw_total=ss "$(tw tw_total)" $total
# one socket per destination: more destinations than the table holds
expect_eq destinations_bounded "$(tw destinations)" 3072
expect_eq untracked "$(tw destinations_untracked_sockets)" $((total - 3072))
expect_eq rows_top_n "$(awk 'NR > 1 && $1 != "others"' /proc/net/tw_destinations | wc -l)" 64
expect_eq sums_cover_every_socket \
	"$(awk 'NR > 1 { tw += $3; used += $5 } END { print tw, used }' /proc/net/tw_destinations)" "$total $total"
expect_eq others_row "$(tail -n 1 /proc/net/tw_destinations)" \
	"others - $((total - 64)) 0 $((total - 64)) 0 - -"
kill_daemons $srv
