# The memory numbers: the per-object slot equals /proc/slabinfo's objsize
# for both timewait caches, and tw_memory_bytes = count x slot.
srv4=$($TWGEN server -a 127.0.0.1 -p 5600 -m wait)
srv6=$($TWGEN server -a ::1 -p 5600 -m wait)
$TWGEN client -a 127.0.0.1 -p 5600 -n 120 -m close > /dev/null
$TWGEN client -a ::1 -p 5600 -n 80 -m close > /dev/null
settle
obj4=$(slab_objsize tw_sock_TCP)
obj6=$(slab_objsize tw_sock_TCPv6)
expect_true slabinfo_has_caches "tw_sock_TCP/tw_sock_TCPv6 missing in /proc/slabinfo" \
	test -n "$obj4" -a -n "$obj6"
expect_eq tw_object_bytes=slabinfo "$(tw tw_object_bytes)" "$obj4"
expect_eq tw_object_bytes_ipv6=slabinfo "$(tw tw_object_bytes_ipv6)" "$obj6"
expect_eq tw_memory_bytes "$(tw tw_memory_bytes)" $((120 * obj4 + 80 * obj6))
# the slab holds at least the objects we count (it is shared by all netns)
expect_true slab_holds_our_sockets "slab active objects below tw_ipv4" \
	test "$(awk '$1 == "tw_sock_TCP" { print $2 }' /proc/slabinfo)" -ge "$(tw tw_ipv4)"
kill_daemons $srv4 $srv6
