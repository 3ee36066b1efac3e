# Many namespaces reading at once cost the host one walk of the shared
# tables per cache interval, not one each (issue 15, point 4), and every
# namespace's numbers still equal ss inside it.
#
# 50 namespaces, each with its own count of established sockets, read
# their three table files in a tight loop for 10 s with cache_ms at 1000.  Read one namespace at a time, that is a walk per
# namespace per second, 500; gathered, about 10.  The bound allows the
# walk a namespace's first reading makes (its place is new) and a few
# that a reader building from its records at a walk's moment causes.
SW=/sys/kernel/debug/tw_stats/shared_walk
NS=50
SECONDS_READ=10
CACHE_MS=1000
if [ ! -r $SW ]; then
	fail shared_walk_file "no $SW: walks of the shared tables are not counted"
	return 0
fi
sw() { awk -v n="$1" '$1 == n { print $2 }' $SW; }

pids=""
daemons=""
i=0
while [ $i -lt $NS ]; do
	p=$(new_netns)
	pids="$pids $p"
	# namespace i: a listener and i % 3 held connections
	srv=$(nsenter -t "$p" -n $TWGEN server -a 127.0.0.1 -p 5900 -m wait)
	daemons="$daemons $srv"
	if [ $((i % 3)) -gt 0 ]; then
		daemons="$daemons $(nsenter -t "$p" -n $TWGEN client -a 127.0.0.1 -p 5900 -n $((i % 3)) -m hold)"
	fi
	i=$((i + 1))
done
for p in $pids; do
	nsenter -t "$p" -n sh -c '. /tests/lib.sh; settle'
done

echo $CACHE_MS > $TW_PARAMS/cache_ms
# every namespace reads once: each gets its place in the shared walks
for p in $pids; do
	nsenter -t "$p" -n cat $STATS > /dev/null
done
walks0=$(sw walks)
gathering0=$(sw gathering_walks)
alone0=$(sw alone_walks)
readings0=$(sw gathered_readings)

rm -f /tmp/shared_walk.stop
readers=""
for p in $pids; do
	nsenter -t "$p" -n sh -c 'while [ ! -e /tmp/shared_walk.stop ]; do
		cat /proc/net/tw_stats /proc/net/tw_ports /proc/net/tw_destinations > /dev/null
	done' &
	readers="$readers $!"
done
sleep $SECONDS_READ
touch /tmp/shared_walk.stop
wait $readers

walks=$(( $(sw walks) - walks0 ))
gathering=$(( $(sw gathering_walks) - gathering0 ))
readings=$(( $(sw gathered_readings) - readings0 ))
echo "TWGUEST measure: shared_walk: $walks walks of the shared tables ($gathering gathering) served $readings readings of $NS namespaces reading in a loop for ${SECONDS_READ}s, cache_ms $CACHE_MS"
max_walks=$((SECONDS_READ * 1000 / CACHE_MS + 5))
expect_true walks_bounded "$walks walks of the shared tables in ${SECONDS_READ}s by $NS namespaces, more than $max_walks" \
	test "$walks" -le "$max_walks"
expect_true walks_happened "only $gathering gathering walks in ${SECONDS_READ}s" \
	test "$gathering" -ge $((SECONDS_READ * 1000 / CACHE_MS / 2))
expect_eq no_namespace_walked_alone "$(( $(sw alone_walks) - alone0 ))" 0
# each walk served many namespaces' readings
expect_true walks_shared "$readings readings from $gathering walks" \
	test "$readings" -ge $((gathering * NS / 2))
expect_true places_held "$(sw namespaces) namespaces hold a place, fewer than $NS" \
	test "$(sw namespaces)" -ge $NS

# Every namespace's numbers, read through a gathering walk, are ss's, and
# its walk_sockets counts only its own sockets (issue 15, point 6).
# Timewait sockets are made now, in every fifth namespace, and compared
# at once: they last 60 s, and the namespaces take longer than that to
# set up in a TCG guest.  cache_ms 0: each reading walks for every place.
echo 0 > $TW_PARAMS/cache_ms
bad=0
first=""
i=0
for p in $pids; do
	made_tw=0
	if [ $((i % 5)) -eq 0 ]; then
		made_tw=$((i % 7 + 1))
		nsenter -t "$p" -n $TWGEN client -a 127.0.0.1 -p 5900 -n $made_tw -m close > /dev/null
		nsenter -t "$p" -n sh -c '. /tests/lib.sh; settle'
	fi
	# the last two: every row of tw_ports, and each port's bind_owners,
	# which the gathering walk leaves to the records of ports only
	# connect() took (the sockets on the port, as ss lists them: no
	# socket here is only bound)
	got=$(nsenter -t "$p" -n sh -c '. /tests/lib.sh
		echo "$(tw tw_total) $(tw tw_time_wait) $(tw state_established) $(tw state_listen) $(tw walk_sockets) $(our_ports | md5sum | cut -c1-32) $(awk "NR > 1 { print \$1, \$9 }" /proc/net/tw_ports | md5sum | cut -c1-32)"')
	want=$(nsenter -t "$p" -n sh -c '. /tests/lib.sh
		echo "$(sockstat_tw) $(ssc state time-wait) $(ssc state established) $(ssc state listening) $(ssc) $(ss_ports | md5sum | cut -c1-32) $(ss_port_sockets | md5sum | cut -c1-32)"')
	# walk_sockets: its own sockets, not the other 49 namespaces' too
	made="$made_tw $made_tw $((2 * (i % 3))) 1 $((made_tw + 2 * (i % 3) + 1))"
	if [ "$got" != "$want" ] || [ "$(echo "$got" | cut -d' ' -f1-5)" != "$made" ]; then
		bad=$((bad + 1))
		[ -n "$first" ] || first="namespace $i: tw_stats '$got', ss '$want', made '$made'"
	fi
	i=$((i + 1))
done
expect_true every_namespace_equals_ss "$bad of $NS namespaces differ; the first: $first" \
	test "$bad" -eq 0
expect_true gathered_while_comparing "no reading was gathered" \
	test "$(sw gathered_readings)" -gt $((readings0 + readings))
kill_daemons $daemons $pids
