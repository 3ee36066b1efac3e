# twstat --all-netns from the initial netns: a namespace made by
# "ip netns add" is shown by its name, one held by a process by that
# process's PID, command and cgroup; every row's numbers are the module's
# tw_netns rows (read in the same run and saved), and those of the named
# namespace equal ss run inside it; its Prometheus file has the initial
# netns's own families too.  From a child netns, and for a user
# other than root, it refuses in one line.
TWSTAT=/bin/twstat
NAME=tws_blue
inum() { readlink "$1" | tr -dc 0-9; }
ns_ss() { nsenter --net="$1" ss -Htan state "$2" | wc -l; }

# --- a named namespace with 5 TIME_WAIT ---
mkdir -p /run
ip-full netns add $NAME
expect_eq ip_netns_add $? 0
blue=/run/netns/$NAME
nsenter --net=$blue sh -c 'ip link set lo up; sysctl -qw net.ipv4.tcp_tw_reuse=0'
srvA=$(nsenter --net=$blue $TWGEN server -a 127.0.0.1 -p 7610 -m wait)
expect_eq blue.connected "$(nsenter --net=$blue $TWGEN client -a 127.0.0.1 -p 7610 -n 5 -m close)" \
	"connected 5"
blue_ino=$(stat -L -c %i $blue)
expect_eq blue.inode=readlink "$blue_ino" "$(nsenter --net=$blue readlink /proc/self/ns/net | tr -dc 0-9)"

# --- a namespace held by a process in its own cgroup, 3 connections open ---
cgroot=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$cgroot" ]; then
	mkdir -p /sys/fs/cgroup
	mount -t cgroup2 none /sys/fs/cgroup
	cgroot=/sys/fs/cgroup
fi
mkdir -p $cgroot/twtest_allns
held=$(new_netns)
echo "$held" > $cgroot/twtest_allns/cgroup.procs
held_cg=$(sed -n 's/^0:://p' /proc/$held/cgroup)
expect_true held.cgroup_moved "cgroup is '$held_cg'" test "${held_cg##*/}" = twtest_allns
held_ino=$(inum /proc/$held/ns/net)
srvB=$(nsenter -t $held -n $TWGEN server -a 127.0.0.1 -p 7620 -m hold)
cliB=$(nsenter -t $held -n $TWGEN client -a 127.0.0.1 -p 7620 -n 3 -m hold)
settle

# --- the table, saved, from the initial netns ---
rm -rf /tmp/an
nsenter -t 1 -n $TWSTAT --all-netns --top 1000 --save /tmp/an > /tmp/an.summary 2> /tmp/an.err
expect_eq summary_exit "$? $(cat /tmp/an.err)" "0 "
# row INODE: its line in the summary / in the module's file
srow() { awk -v i="$1" '$1 == i' /tmp/an.summary; }
mrow() { awk -v i="$1" '$1 == i' /tmp/an/tw_netns; }
# (its twgen server lives there too: the name wins, the PID is shown as well)
expect_eq blue.name "$(srow "$blue_ino" | awk '{ print $11 }')" "$NAME"
expect_eq held.pid_comm_cgroup "$(srow "$held_ino" | awk '{ print $11, $12, $13, $14 }')" \
	"- $held sleep $held_cg"
# every row: the numbers are the module's, in its order
mismatch=$(tail -n +2 /tmp/an/tw_netns | while read -r line; do
	set -- $line
	got=$(awk -v i="$1" '$1 == i { print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' /tmp/an.summary)
	[ "$got" = "$line" ] || echo "[$line] != [$got]"
done)
expect_eq rows_equal_module "$mismatch" ""
expect_eq row_count "$(($(wc -l < /tmp/an.summary) - 2))" "$(($(wc -l < /tmp/an/tw_netns) - 1))"
# and the module's rows are what ss sees inside
expect_eq blue.tw=ss "$(mrow "$blue_ino" | cut -d' ' -f2)" "$(ns_ss $blue time-wait)"
expect_eq blue.tw "$(mrow "$blue_ino" | cut -d' ' -f2)" 5
expect_eq held.established=ss "$(mrow "$held_ino" | cut -d' ' -f4)" \
	"$(ns_ss /proc/$held/ns/net established)"
expect_eq held.established "$(mrow "$held_ino" | cut -d' ' -f4)" 6
expect_true names_saved "no netns_names line for $NAME" \
	grep -q "^$blue_ino	$NAME	" /tmp/an/netns_names
# the saved copy gives the same table back
$TWSTAT --from /tmp/an --all-netns --top 1000 > /tmp/an.again
tail -n +2 /tmp/an.summary > /tmp/an.summary.rows
# (all but the title line, which names the source)
expect_eq from_reproduces "$(tail -n +2 /tmp/an.again | cmp - /tmp/an.summary.rows 2>&1)" ""

# --- JSON and Prometheus carry the names ---
nsenter -t 1 -n $TWSTAT --all-netns --json > /tmp/an.json
expect_true json.blue "no row named $NAME" \
	grep -q "{\"netns\": $blue_ino, .*\"name\": \"$NAME\", \"pid\": " /tmp/an.json
expect_true json.held "no row with pid $held" \
	grep -q "{\"netns\": $held_ino, .*\"name\": null, \"pid\": $held, \"comm\": \"sleep\", \"cgroup\": \"$held_cg\"}" /tmp/an.json
nsenter -t 1 -n $TWSTAT --all-netns --prometheus --save /tmp/anp > /tmp/an.prom
series="tw_stats_netns_sockets{netns=\"$held_ino\",state=\"established\",cgroup=\"$held_cg\"} $(mrow "$held_ino" | cut -d' ' -f4)"
expect_true prom.held_cgroup "no '$series'" grep -qxF "$series" /tmp/an.prom
expect_true prom.blue_name "no time_wait series named $NAME" \
	grep -q "^tw_stats_netns_sockets{netns=\"$blue_ino\",state=\"time_wait\",name=\"$NAME\"[,}]" /tmp/an.prom
# one file for everything: the initial netns's own families come first
init_ino=$(readlink /proc/1/ns/net | tr -dc 0-9)
expect_eq prom.up_first "$(grep -v '^#' /tmp/an.prom | head -n 1)" "tw_stats_up{netns=\"$init_ino\"} 1"
expect_true prom.own_families "no tw_stats_timewait_sockets of netns $init_ino" \
	grep -q "^tw_stats_timewait_sockets{netns=\"$init_ino\",substate=\"time_wait\"} $(awk '$1 == "tw_time_wait" { print $2 }' /tmp/anp/tw_stats)\$" /tmp/an.prom
if [ -x /usr/bin/promtool ]; then
	expect_true prom.promtool "promtool: $(promtool check metrics < /tmp/an.prom 2>&1 | head -n 2)" \
		sh -c 'promtool check metrics < /tmp/an.prom'
fi

# --- refusals, one line each ---
out=$($TWSTAT --all-netns 2>&1)
expect_eq child.exit $? 1
case $out in
*"not the initial one"*"nsenter -t 1 -n"*) pass child.says_why ;;
*) fail child.says_why "got '$out'" ;;
esac
grep -q '^nobody:' /etc/passwd 2>/dev/null ||
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> /etc/passwd
out=$(nsenter -t 1 -n su -s /bin/sh nobody -c "$TWSTAT --all-netns" 2>&1)
expect_eq nonroot.exit $? 1
case $out in
*"permission denied"*"run as root"*) pass nonroot.says_why ;;
*) fail nonroot.says_why "got '$out'" ;;
esac

kill_daemons $srvA $srvB $cliB
kill "$held" 2>/dev/null
wait "$held" 2>/dev/null
rmdir $cgroot/twtest_allns 2>/dev/null
ip-full netns del $NAME
