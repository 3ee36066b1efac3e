# /proc/net/tw_netns: one reading from the initial netns attributes every
# namespace's sockets.  Three namespaces with known traffic (TIME_WAIT;
# CLOSE_WAIT with orphaned FIN_WAIT2; established, in a namespace with a
# private established hash), this scenario's own and the initial one:
# every row must equal ss run inside that namespace.
ALL=/proc/net/tw_netns
HEADER="netns tw fin_wait2 established close_wait other listen ephemeral_in_use min_headroom private_ehash"
in_ns() { local pid=$1; shift; nsenter -t "$pid" -n "$@"; }
inum() { readlink "/proc/$1/ns/net" | tr -dc 0-9; }
me=$$

# read_all FILE: a reading of every namespace, from the initial one
read_all() { in_ns 1 cat $ALL > "$1"; }

# row FILE INUM: the row of namespace INUM in a saved reading
row() { awk -v i="$2" '$1 == i' "$1"; }

# ss_row PID: tw fin_wait2 established close_wait other listen, as ss run
# in PID's netns counts them (both kinds of FIN_WAIT2, as ss lists them)
ss_row() {
	in_ns "$1" ss -Htan | awk '{
		if ($1 == "TIME-WAIT") c[1]++
		else if ($1 == "FIN-WAIT-2") c[2]++
		else if ($1 == "ESTAB") c[3]++
		else if ($1 == "CLOSE-WAIT") c[4]++
		else if ($1 == "LISTEN") c[6]++
		else c[5]++
	} END { print c[1] + 0, c[2] + 0, c[3] + 0, c[4] + 0, c[5] + 0, c[6] + 0 }'
}

# ss_in_use PID: distinct local ports of its ephemeral range that ss lists
ss_in_use() {
	set -- "$1" $(in_ns "$1" sysctl -n net.ipv4.ip_local_port_range)
	in_ns "$1" ss -Htan | awk -v lo="$2" -v hi="$3" '{ p = $4; sub(/.*:/, "", p)
		if (p >= lo && p <= hi) print p }' | sort -u | wc -l
}

# own_tw PID NAME: NAME from the netns's own /proc/net/tw_stats
own_tw() { in_ns "$1" awk -v n="$2" '$1 == n { print $2 }' /proc/net/tw_stats; }

ns_settle() { in_ns "$1" sh -c '. /tests/lib.sh; settle'; }

# check_ns NAME PID HEADROOM PRIVATE: NAME's row in $snap against ss run
# inside it, its own tw_stats (the same headroom definition) and what the
# test made (HEADROOM empty: nothing known)
check_ns() {
	local name=$1 pid=$2 room=$3 private=$4 r
	r=$(row $snap "$(inum "$pid")")
	expect_true "$name.has_row" "no row for netns $(inum "$pid")" test -n "$r"
	expect_eq "$name.states=ss" "$(echo "$r" | cut -d' ' -f2-7)" "$(ss_row "$pid")"
	expect_eq "$name.ephemeral_in_use=ss" "$(echo "$r" | cut -d' ' -f8)" "$(ss_in_use "$pid")"
	expect_eq "$name.min_headroom=tw_stats" "$(echo "$r" | cut -d' ' -f9)" \
		"$(own_tw "$pid" destination_min_headroom)"
	[ -z "$room" ] || expect_eq "$name.min_headroom" "$(echo "$r" | cut -d' ' -f9)" "$room"
	expect_eq "$name.private_ehash" "$(echo "$r" | cut -d' ' -f10)" "$private"
}

# --- where the file exists and who may read it
expect_true absent_in_child_netns "$ALL exists outside the initial netns" test ! -e $ALL
expect_eq mode "$(in_ns 1 stat -c '%a %u' $ALL)" "400 0"
expect_eq header "$(in_ns 1 head -n 1 $ALL)" "$HEADER"
grep -q '^nobody:' /etc/passwd 2>/dev/null ||
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> /etc/passwd
# su works (nobody reads the 0444 file) and is refused this one
expect_eq unprivileged_reads_tw_stats \
	"$(in_ns 1 su -s /bin/sh nobody -c 'head -c 8 /proc/net/tw_stats')" "tw_total"
err=$(in_ns 1 su -s /bin/sh nobody -c "cat $ALL" 2>&1 >/dev/null)
case $err in
*"$ALL"*"Permission denied"*) pass unprivileged_eacces ;;
*) fail unprivileged_eacces "got '$err'" ;;
esac
# uid 0 without CAP_NET_ADMIN (a container's root, say) passes the mode
# but not the capability check at open; with it, root reads
err=$(in_ns 1 setpriv-full --bounding-set -net_admin cat $ALL 2>&1 >/dev/null)
case $err in
*"$ALL"*"Operation not permitted"*) pass root_without_net_admin_eperm ;;
*) fail root_without_net_admin_eperm "got '$err'" ;;
esac
expect_eq root_with_net_admin_reads \
	"$(in_ns 1 setpriv-full --bounding-set -sys_admin head -n 1 $ALL)" "$HEADER"

# --- the traffic
# the initial netns: a listener and 3 connections held open
srv1=$(in_ns 1 $TWGEN server -a 127.0.0.1 -p 7400 -m hold)
cli1=$(in_ns 1 $TWGEN client -a 127.0.0.1 -p 7400 -n 3 -m hold)
# this scenario's netns: 6 TIME_WAIT toward one port
srvS=$($TWGEN server -a 127.0.0.1 -p 7000 -m wait)
$TWGEN client -a 127.0.0.1 -p 7000 -n 6 -m close > /dev/null
# A: 40 + 10 TIME_WAIT toward two ports, in a 1000-port range
A=$(new_netns)
in_ns $A sysctl -qw net.ipv4.ip_local_port_range="40000 40999"
srvA=$(in_ns $A $TWGEN server -a 127.0.0.1 -p 7000 -P 2 -m wait)
in_ns $A $TWGEN client -a 127.0.0.1 -p 7000 -n 40 -m close > /dev/null
in_ns $A $TWGEN client -a 127.0.0.1 -p 7001 -n 10 -m close > /dev/null
# B: 25 CLOSE_WAIT on the server side, 25 orphaned FIN_WAIT2 on the client's
B=$(new_netns)
srvB=$(in_ns $B $TWGEN server -a 127.0.0.1 -p 7000 -m hold)
in_ns $B $TWGEN client -a 127.0.0.1 -p 7000 -n 25 -m orphan > /dev/null
# C: a private established hash (set in the creating netns), 30
# connections held open: 60 established
sysctl -qw net.ipv4.tcp_child_ehash_entries=1024
C=$(new_netns)
sysctl -qw net.ipv4.tcp_child_ehash_entries=0
srvC=$(in_ns $C $TWGEN server -a 127.0.0.1 -p 7000 -m hold)
cliC=$(in_ns $C $TWGEN client -a 127.0.0.1 -p 7000 -n 30 -m hold)
settle
for p in 1 $A $B $C; do ns_settle $p; done
expect_eq C_private_table "$(own_tw $C ehash_buckets)" 1024

snap=/tmp/allns.1
read_all $snap
# known values: A's worst destination holds 40 of 1000 ports
check_ns A $A 960 0
check_ns B $B "" 0
check_ns C $C "" 1
check_ns own $me "" 0
check_ns initial 1 "" 0
expect_eq A.counts "$(row $snap "$(inum $A)" | cut -d' ' -f2-7)" "50 0 0 0 0 2"
expect_eq B.close_wait "$(row $snap "$(inum $B)" | cut -d' ' -f5)" 25
expect_eq B.fin_wait2 "$(row $snap "$(inum $B)" | cut -d' ' -f3)" 25
expect_eq C.established "$(row $snap "$(inum $C)" | cut -d' ' -f4)" 60
expect_eq own.tw "$(row $snap "$(inum $me)" | cut -d' ' -f2)" 6
expect_true initial.established "initial netns row: $(row $snap "$(inum 1)")" \
	test "$(row $snap "$(inum 1)" | cut -d' ' -f4)" -ge 6
expect_eq header_first "$(head -n 1 $snap)" "$HEADER"
expect_true others_last "last line: $(tail -n 1 $snap)" \
	sh -c "tail -n 1 $snap | grep -Eq '^others( [0-9]+){7} - -$'"
# worst first: min_headroom ascending, then tw descending
expect_true worst_first "rows out of order: $(cat $snap)" sh -c "
	sed '1d;\$d' $snap | awk 'NR > 1 && (\$9 < h || (\$9 == h && \$2 > t)) { bad = 1 }
		{ h = \$9; t = \$2 } END { exit bad }'"
expect_eq one_row_per_netns "$(sed '1d;$d' $snap | awk '{ print $1 }' | sort | uniq -d)" ""

# --- top_n: the same tunable as tw_destinations; the rest in others
topn=/sys/kernel/debug/tw_stats/$(inum 1)/top_n
echo 2 > $topn
read_all /tmp/allns.2
echo default > $topn
expect_eq top_n_rows "$(sed '1d;$d' /tmp/allns.2 | wc -l)" 2
rows=$(sed '1d;$d' $snap | wc -l)
if [ "$rows" -gt 2 ]; then
	# with the traffic unchanged, others sums the rows past the second
	expect_eq others_sums "$(tail -n 1 /tmp/allns.2 | cut -d' ' -f2-8)" \
		"$(sed '1d;$d' $snap | tail -n +3 | awk '{ for (i = 2; i <= 8; i++) s[i] += $i }
			END { print s[2] + 0, s[3] + 0, s[4] + 0, s[5] + 0, s[6] + 0, s[7] + 0, s[8] + 0 }')"
else
	fail others_sums "only $rows rows: $(cat $snap)"
fi

# --- a namespace created while a reading is held open is absent from it
mkfifo /tmp/allns.opened /tmp/allns.go
in_ns 1 sh -c "exec 3< $ALL; echo > /tmp/allns.opened; read x < /tmp/allns.go; cat <&3" \
	> /tmp/allns.held &
reader=$!
read x < /tmp/allns.opened
D=$(new_netns)
lstD=$(in_ns $D $TWGEN listen -a 127.0.0.1 -p 7100 -n 3)
echo > /tmp/allns.go
wait $reader
expect_eq created_after_open_absent "$(row /tmp/allns.held "$(inum $D)")" ""
read_all /tmp/allns.3
expect_eq created_then_counted "$(row /tmp/allns.3 "$(inum $D)" | cut -d' ' -f2-7)" "0 0 0 0 0 3"

# --- a destroyed namespace disappears (and its reference was not kept)
ia=$(inum $A)
kill_daemons $srvA $A
i=0
while [ $i -lt 50 ]; do
	read_all /tmp/allns.4
	[ -z "$(row /tmp/allns.4 $ia)" ] && break
	sleep 0.2
	i=$((i + 1))
done
expect_eq destroyed_disappears "$(row /tmp/allns.4 $ia)" ""
expect_true others_still_there "B lost its row" test -n "$(row /tmp/allns.4 "$(inum $B)")"

# --- namespaces come and go (with timewait sockets to purge) while the
# file is read: every read succeeds, and the kernel log stays clean
churn() {
	local j=0
	while [ $j -lt 15 ]; do
		unshare -n sh -c "ip link set lo up
			l=\$($TWGEN listen -a 127.0.0.1 -p 7200 -n 2)
			s=\$($TWGEN server -a 127.0.0.1 -p 7300 -m wait)
			$TWGEN client -a 127.0.0.1 -p 7300 -n 5 -m close
			kill \$l \$s" > /dev/null 2>&1
		j=$((j + 1))
	done
}
churn &
churner=$!
bad=0
j=0
while [ $j -lt 15 ]; do
	in_ns 1 cat $ALL > /tmp/allns.5 || bad=$((bad + 1))
	tail -n 1 /tmp/allns.5 | grep -q '^others ' || bad=$((bad + 1))
	j=$((j + 1))
done
wait $churner
expect_eq reads_during_churn "$bad" 0

# --- the cost: one walk of the shared tables for every namespace (plus
# C's private table), against one namespace's walk of the same tables
# (which skips the other namespaces' sockets); the fastest of 5 of each
$TWGEN client -a 127.0.0.1 -p 7000 -n 2000 -m close > /dev/null
settle
WALKS=/sys/kernel/debug/tw_stats/all_netns_walk
col() { awk -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i } NR == 2 { print $n }' $WALKS; }
all_min= one_min=
for k in 1 2 3 4 5; do
	in_ns 1 cat $ALL > /dev/null
	a=$(col walk_ns)
	o=$(tw walk_ns)
	[ -z "$all_min" ] || [ "$a" -lt "$all_min" ] && all_min=$a
	[ -z "$one_min" ] || [ "$o" -lt "$one_min" ] && one_min=$o
done
echo "TWGUEST measure: $(tr '\n' ' ' < $WALKS)"
echo "TWGUEST measure: fastest of 5: all namespaces walk_ns $all_min, one namespace walk_ns $one_min ($(tw walk_sockets) sockets, $(tw walk_buckets) buckets)"
# whole reads, everything included: 10 of each file from the initial netns
reads10() { in_ns 1 time -p sh -c "for i in 1 2 3 4 5 6 7 8 9 10; do cat $1; done > /dev/null" 2>&1 | awk '$1 == "real" { print $2 }'; }
echo "TWGUEST measure: 10 reads: tw_netns $(reads10 $ALL) s, tw_stats (initial netns) $(reads10 /proc/net/tw_stats) s"
expect_eq walks_each_table_once "$(col buckets)" "$(( $(tw walk_buckets) + 1024 ))"
expect_eq private_walks "$(col private_walks)" 1

kill_daemons $srvS $srvB $srvC $cliC $lstD $B $C $D $cli1 $srv1
rm -f /tmp/allns.*
