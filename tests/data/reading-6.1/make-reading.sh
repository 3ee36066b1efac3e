# Guest script that made tests/data/reading-6.1/a and b (not a scenario of the
# harness: it prints two saved readings to the console).  To make them
# again, copy it to tests/guest/scenarios/99-reading.sh, run
#   TW_ONLY=reading tests/check-kernel.sh kunit-6.1
# and unpack the block between "TWGUEST reading-begin" and
# "TWGUEST reading-end" of $TW_OUT/kunit-6.1/guest.log
# (tr -d '\r' | base64 -d | tar -xz), then delete the copy.
#
# What an on-call engineer meets, in the initial netns (where
# twstat --all-netns runs): one destination short of ports, TIME_WAIT at
# tcp_max_tw_buckets (so TCPTimeWaitOverflow rises), CLOSE_WAIT growing,
# PAWS drops from one sender; and two more namespaces, one named by
# ip netns, one held by a process in a cgroup.  Reading a is taken, then
# more of each, then reading b, a few seconds later.
T1="nsenter -t 1 -n"
$T1 sh -c 'echo 40000 40999 > /proc/sys/net/ipv4/ip_local_port_range
	sysctl -qw net.ipv4.tcp_max_tw_buckets=700 net.ipv4.tcp_rfc1337=1 net.ipv4.tcp_tw_reuse=0'
echo 1000 > $TW_PARAMS/cache_ms

# the destinations: 400 + 150 TIME_WAIT toward two ports
s1=$($T1 $TWGEN server -a 127.0.0.1 -p 5950 -m wait)
s2=$($T1 $TWGEN server -a 127.0.0.1 -p 5951 -m wait)
$T1 $TWGEN client -a 127.0.0.1 -p 5950 -n 400 -m close
$T1 $TWGEN client -a 127.0.0.1 -p 5951 -n 150 -m close
# an application that never closes: 20 CLOSE_WAIT; 8 open connections
s3=$($T1 $TWGEN server -a 127.0.0.1 -p 5960 -m hold)
$T1 $TWGEN client -a 127.0.0.1 -p 5960 -n 20 -m orphan
s4=$($T1 $TWGEN server -a 127.0.0.1 -p 5970 -m hold)
c4=$($T1 $TWGEN client -a 127.0.0.1 -p 5970 -n 8 -m hold)
# PAWS: stale timestamps from 127.0.0.7 into a live connection
$T1 $PAWSGEN estab -c 127.0.0.7 -s 127.0.0.1 -p 5980 -n 25

# a namespace named by ip netns, 30 TIME_WAIT
ip-full netns add tws_blue
blue=/run/netns/tws_blue
nsenter --net=$blue sh -c 'ip link set lo up; sysctl -qw net.ipv4.tcp_tw_reuse=0 net.ipv4.tcp_rfc1337=1'
sb=$(nsenter --net=$blue $TWGEN server -a 127.0.0.1 -p 7610 -m wait)
nsenter --net=$blue $TWGEN client -a 127.0.0.1 -p 7610 -n 30 -m close
# one held by a process in a cgroup of its own, 12 TIME_WAIT, 3 open
cgroot=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$cgroot" ]; then
	mkdir -p /sys/fs/cgroup
	mount -t cgroup2 none /sys/fs/cgroup
	cgroot=/sys/fs/cgroup
fi
mkdir -p $cgroot/app.slice/web.service
held=$(new_netns)
echo "$held" > $cgroot/app.slice/web.service/cgroup.procs
sh1=$(nsenter -t $held -n $TWGEN server -a 127.0.0.1 -p 7620 -m wait)
nsenter -t $held -n $TWGEN client -a 127.0.0.1 -p 7620 -n 12 -m close
sh2=$(nsenter -t $held -n $TWGEN server -a 127.0.0.1 -p 7621 -m hold)
ch2=$(nsenter -t $held -n $TWGEN client -a 127.0.0.1 -p 7621 -n 3 -m hold)
$T1 sh -c '. /tests/lib.sh; settle'

rm -rf /tmp/reading
mkdir -p /tmp/reading
# a reader a moment earlier: the cached numbers have an age
cat /proc/1/net/tw_stats > /dev/null
sleep 0.3
$T1 /bin/twstat --all-netns --save /tmp/reading/a > /dev/null
expect_eq reading_a $? 0

# a few seconds on: 150 more toward the first port (past
# tcp_max_tw_buckets: overflow), 10 more CLOSE_WAIT, 15 more PAWS drops
sleep 2
$T1 $TWGEN client -a 127.0.0.1 -p 5950 -n 150 -m close
$T1 $TWGEN client -a 127.0.0.1 -p 5960 -n 10 -m orphan
$T1 $PAWSGEN estab -c 127.0.0.7 -s 127.0.0.1 -p 5981 -n 15
nsenter --net=$blue $TWGEN client -a 127.0.0.1 -p 7610 -n 10 -m close
$T1 sh -c '. /tests/lib.sh; settle'
cat /proc/1/net/tw_stats > /dev/null
sleep 0.3
$T1 /bin/twstat --all-netns --save /tmp/reading/b > /dev/null
expect_eq reading_b $? 0
$T1 /bin/twstat --all-netns --from /tmp/reading/b
$T1 /bin/twstat --from /tmp/reading/b

echo "TWGUEST reading-begin"
tar -C /tmp/reading -cf - a b | gzip -9 | base64
echo "TWGUEST reading-end"

kill_daemons $s1 $s2 $s3 $s4 $c4 $sb $sh1 $sh2 $ch2
kill "$held" 2> /dev/null
ip-full netns del tws_blue
