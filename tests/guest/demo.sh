# The demo guest: load tw_stats, make some real TIME_WAIT (and friends) on
# loopback, and print /proc/net/tw_stats next to what ss and sockstat say.
insmod /lib/tw_stats.ko
sysctl -qw net.ipv4.tcp_tw_reuse=0
# on one CPU, as in the tests: two TCG vCPUs can reorder loopback segments
twgen() { taskset 1 /bin/twgen "$@"; }
echo "TWDEMO begin"
echo "# making traffic: 500 client-side TIME_WAIT (v4), 200 (v6), 100 server-side,"
echo "# 30 orphaned FIN_WAIT2 + CLOSE_WAIT, 20 established connections"
s1=$(twgen server -a 127.0.0.1 -p 8080 -P 4 -m wait)
s2=$(twgen server -a ::1 -p 8080 -m wait)
s3=$(twgen server -a 127.0.0.1 -p 9090 -m close)
s4=$(twgen server -a 127.0.0.1 -p 7070 -m hold)
twgen client -a 127.0.0.1 -p 8080 -P 4 -n 500 -m close > /dev/null
twgen client -a ::1 -p 8080 -n 200 -m close > /dev/null
twgen client -a 127.0.0.1 -p 9090 -n 100 -m wait > /dev/null
twgen client -a 127.0.0.1 -p 7070 -n 30 -m orphan > /dev/null
c=$(twgen client -a 127.0.0.1 -p 7070 -n 20 -m hold)
sleep 1
echo
echo "\$ cat /proc/net/tw_stats"
cat /proc/net/tw_stats
echo
echo "# the same, as the usual tools see it:"
echo "\$ ss -tan state time-wait | wc -l    -> $(ss -Htan state time-wait | wc -l)"
echo "\$ grep TCP: /proc/net/sockstat     -> $(grep TCP: /proc/net/sockstat)"
echo "TWDEMO end"
kill $s1 $s2 $s3 $s4 $c 2>/dev/null
