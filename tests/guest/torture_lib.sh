# The torture run's pieces (tests/guest/torture.sh), in a file of their
# own so that shells entered into other namespaces can source them too.

SECS=${TW_SECONDS:-300}
FAULTS=${TW_FAULTS:-1}
T=/tmp/torture
STOP=$T/stop
MOD=/lib/tw_stats.ko
DBG=/sys/kernel/debug
KMEMLEAK=$DBG/kmemleak
# many fault injections at most; what is left of it says how many hit
FAULT_TIMES=1000000
mkdir -p $T

running() { [ ! -e $STOP ]; }
# the loader is about to unload: debugfs stays shut until it has (an open
# debugfs file pins the module, and rmmod would only ever say busy)
UNLOADING=$T/unloading
debugfs_open() { [ ! -e $UNLOADING ]; }
# add KIND [N]: count N operations of KIND (summed at the end)
add() { echo "${2:-1}" >> $T/n.$1; }
total() { cat $T/n.$1 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
# a random pick among the arguments
pick() { shift $((RANDOM % $#)); echo "$1"; }

# --- churn NAME BASEPORT: in this netns, connections over IPv4 and IPv6
# ending in TIME_WAIT on the client side and on the server side, orphans
# in FIN_WAIT2 against a server that never reads (CLOSE_WAIT there), and
# listeners that come and go.  Ports below ip_local_port_range.
churn() {
	local b=$1 i=0 a srv hold= lst= p
	srv=
	for a in 127.0.0.1 ::1; do
		srv="$srv $($TWGEN server -a $a -p $b -P 4 -m wait)"
		srv="$srv $($TWGEN server -a $a -p $((b + 10)) -P 2 -m close)"
	done
	while running; do
		a=$(pick 127.0.0.1 ::1)
		$TWGEN client -a $a -p $b -P 4 -n 20 -m close > /dev/null 2>&1 &&
			add connections 20 || add connect_errors
		$TWGEN client -a $a -p $((b + 10)) -P 2 -n 10 -m wait > /dev/null 2>&1 &&
			add connections 10 || add connect_errors
		if [ $((i % 4)) = 0 ]; then
			kill_daemons $hold $lst
			hold=$($TWGEN server -a $a -p $((b + 20)) -m hold)
			$TWGEN client -a $a -p $((b + 20)) -n 5 -m orphan > /dev/null 2>&1 &&
				add connections 5 || add connect_errors
			p=$((b + 30 + RANDOM % 10))
			lst=$($TWGEN listen -a $(pick 127.0.0.1 ::1) -p $p -n 3 2>/dev/null) &&
				add listeners 3
		fi
		i=$((i + 1))
	done
	kill_daemons $srv $hold $lst
}

# --- readers, writer and loader: each one long-lived process (twcheck,
# twpoke) for the whole run, steered by files: $STOP ends them, while
# $UNLOADING exists they leave debugfs alone, while $FAULTS_ON exists
# (the middle 60% of the run, fault_clock) the fault reader and the
# loader meet injected allocation failures.  Their counts come at the end.
FAULTS_ON=$T/faults_on
# low COMMAND...: run it at nice 5 - ten readers and the writer never
# stop asking, and this leaves the churn, the namespaces and the loader
# their share of two vCPUs (busybox has renice, not nice)
low() {
	"$@" &
	renice -n 5 -p $! > /dev/null 2>&1
	wait $!
}
# Every file tw_stats publishes, as globs the helpers expand each round;
# debugfs holds every namespace's folder, so readers there meet dying
# namespaces too.  An open debugfs file pins the module (the unload is
# refused), an open /proc file does not (the unload ends its reads).
PROC_FILES="/proc/net/tw_* /sys/module/tw_stats/parameters/*"
DEBUGFS_FILES="$DBG/tw_stats/all_netns_walk $DBG/tw_stats/*/*"

# reader NAME WHICH TWCHECK-OPTIONS...: twcheck in one of its ways on
# every file (WHICH: all, or proc for all but debugfs)
reader() {
	local name=$1 which=$2 files=$PROC_FILES
	shift 2
	[ $which = all ] && files="$files $DEBUGFS_FILES"
	# the patterns go to twcheck unexpanded: it expands them each round
	set -f
	low twcheck -t $STOP -s $UNLOADING -p 50 "$@" $files >> $T/reads.$name 2>> $T/reader.err
	set +f
}

# many openers at once on the same files, in all the ways
burst_reader() {
	local b
	for b in 1 7 4096 0; do
		low twcheck -t $STOP -p 20 -b $b /proc/net/tw_stats /proc/net/tw_ports \
			/proc/net/tw_destinations >> $T/reads.burst 2>> $T/reader.err &
	done
	wait
}

# readers whose allocations fail on purpose, in the fault window; the
# init netns's cache is turned off each round (the writer turns it back
# on at times), so that their reads walk and allocate
fault_reader() {
	local ino=$(readlink /proc/self/ns/net | tr -dc 0-9)
	set -f
	low twcheck -t $STOP -s $UNLOADING -f $FAULTS_ON -F -z $DBG/tw_stats/$ino/cache_ms \
		-p 100 -b $(pick 0 1 65536) $(pick -l "") $PROC_FILES $DEBUGFS_FILES \
		>> $T/reads.fault 2>> $T/reader.err
	set +f
}

# fault_clock: $FAULTS_ON for the middle 60% of the run (at least 36 s
# of a 60 s run: time for two or three loads under faults)
fault_clock() {
	local start=$(cat $T/start)
	while running && [ $(date +%s) -lt $((start + SECS * 2 / 10)) ]; do
		sleep 1
	done
	running && touch $FAULTS_ON
	while running && [ $(date +%s) -lt $((start + SECS * 8 / 10)) ]; do
		sleep 1
	done
	rm -f $FAULTS_ON
}

# counts LINE...: add twcheck's or twpoke's "name=N" counts
counts() {
	local kv
	for kv in "$@"; do
		case $kv in *=*) add ${kv%%=*} ${kv#*=} ;; esac
	done
}

# --- writers: garbage, boundaries and valid values into every tunable,
# and into every other file too (refused), found by globbing so that new
# ones are covered.
writer() {
	set -f
	counts $(low twpoke write -t $STOP -s $UNLOADING -p 100 $DEBUGFS_FILES \
		/sys/module/tw_stats/parameters/* 2>> $T/writer.err)
	set +f
}

# --- load and unload (twpoke load): with readers holding files, with
# good and bad parameters, and with faults injected into the load while
# $FAULTS_ON exists.  Its FAIL lines are this run's.
loader() {
	twpoke load -t $STOP -s $UNLOADING -f $FAULTS_ON $MOD > $T/loader.out 2> $T/loader.log &
	echo $! > $T/loader.pid
	wait $!
	sed -n "s/^FAIL /TWTEST FAIL $TEST_GROUP./p" $T/loader.out
	counts $(sed -n 's/^twpoke //p' $T/loader.out)
}

# loader_stacks: where in the kernel the loader is, every 10 s, when it is
# in a module syscall (an unload or a load that takes long says why here)
loader_stacks() {
	local pid up rest
	while running; do
		sleep 10
		pid=$(cat $T/loader.pid 2>/dev/null) || continue
		read -r up rest < /proc/uptime
		{ echo "at $up"; cat /proc/$pid/stack; } > $T/stack.now 2>/dev/null
		grep -qE 'delete_module|finit_module' $T/stack.now && cat $T/stack.now >> $T/loader.stacks
	done
}

# --- namespaces: born with their own traffic and readers, some with a
# private established hash, destroyed while readers hold their files.
netns_loop() {
	local pid ino d i=0 holder
	while running; do
		# every third namespace gets a private ehash
		sysctl -qw net.ipv4.tcp_child_ehash_entries=$(pick 0 0 1024)
		echo "$(date +%s) new" >> $T/netns.trace
		pid=$(new_netns)
		add netns_created
		echo "$(date +%s) created" >> $T/netns.trace
		ino=$(readlink /proc/$pid/ns/net | tr -dc 0-9)
		nsenter -t $pid -n sh -c '
			. /tests/lib.sh
			for a in 127.0.0.1 ::1; do
				s=$($TWGEN server -a $a -p 5300 -P 2 -m wait)
				$TWGEN client -a $a -p 5300 -P 2 -n 10 -m close > /dev/null 2>&1 &&
					echo 10 >> '$T'/n.connections
				kill_daemons $s
			done' 2>/dev/null
		echo "$(date +%s) traffic done" >> $T/netns.trace
		nsenter -t $pid -n twcheck -b $(pick 1 65536) /proc/net/tw_stats \
			/proc/net/tw_ports /proc/net/tw_destinations /proc/net/tw_drops \
			>> $T/reads.netns 2>> $T/reader.err
		# a reader in debugfs holds its files across the namespace's end
		d=$DBG/tw_stats/$ino
		(
			debugfs_open || exit
			exec 3< $d/walk_cost 4< $d/chain_lengths 5< $d/top_n
			head -c 3 <&4
			sleep 1
			cat <&3; cat <&4; cat <&5
		) > /dev/null 2>&1 &
		holder=$!
		# and one in /proc keeps the namespace itself until it closes
		nsenter -t $pid -n sh -c 'exec 3< /proc/net/tw_ports
			head -c 10 <&3 > /dev/null; sleep 1; cat <&3 > /dev/null' 2>/dev/null &
		sleep 0.5
		kill $pid
		wait $pid 2>/dev/null
		add netns_destroyed
		echo "$(date +%s) killed" >> $T/netns.trace
		wait $holder
		echo "$(date +%s) holder done" >> $T/netns.trace
		i=$((i + 1))
	done
	sysctl -qw net.ipv4.tcp_child_ehash_entries=0
}

# --- fault injection: failslab and fail_page_alloc for the tasks that
# ask (make-it-fail), quiet (verbose 0: no stack dumps in the log).
fault_setup() {
	local d
	for d in failslab fail_page_alloc; do
		[ -d $DBG/$d ] || { fail fault_injection "no $DBG/$d"; return; }
		echo 0 > $DBG/$d/verbose
		echo Y > $DBG/$d/task-filter
		echo N > $DBG/$d/ignore-gfp-wait
		echo 1 > $DBG/$d/interval
		echo $FAULT_TIMES > $DBG/$d/times
		echo 10 > $DBG/$d/probability
	done
	echo N > $DBG/fail_page_alloc/ignore-gfp-highmem
	echo 0 > $DBG/fail_page_alloc/min-order
}

injected() {
	echo $((FAULT_TIMES - $(cat $DBG/$1/times)))
}

# --- the quiet end, in each surviving namespace: TIME_WAIT lasts 60 s,
# so wait for the churn's to end, then make a known set of every kind and
# compare it with the oracles from one still snapshot.
#
# Only busybox here until the snapshot: on the KASAN kernel under TCG a
# busybox applet starts in about 0.15 s, ss or nstat in about 2 s.

# census: this netns's socket table as /proc/net/sockstat{,6} (inuse, tw;
# not orphans or alloc, which count every netns) and /proc/net/tcp{,6}
# (sockets per state) tell it.  Still while it does not change.
census() {
	cat /proc/net/sockstat /proc/net/sockstat6 /proc/net/tcp /proc/net/tcp6 | awk '
		$1 == "TCP:" { print "tcp", $3, $7; next }
		$1 == "TCP6:" { print "tcp6", $3; next }
		$1 ~ /^[0-9]+:$/ { st[$4]++ }
		END { for (s in st) print "st" s, st[s] }' | sort | tr '\n' ' '
}

quiet() {
	local i=0
	while [ $i -lt 150 ]; do
		[ "$(sockstat_tw)" = 0 ] &&
			[ "$(awk '$1 ~ /^[0-9]+:$/ && $4 == "05"' /proc/net/tcp /proc/net/tcp6)" = "" ] &&
			return 0
		sleep 1
		i=$((i + 1))
	done
	return 1
}

# final_set BASEPORT: per family, FINAL_CLIENT_TW connections that end in
# TIME_WAIT on the client and FINAL_SERVER_TW on the server; FIN_WAIT2
# orphans with CLOSE_WAIT peers, ESTABLISHED pairs and listeners.
FINAL_CLIENT_TW=30
FINAL_SERVER_TW=12
final_set() {
	local b=$1 a s1 s2 h c
	for a in 127.0.0.1 ::1; do
		s1=$($TWGEN server -a $a -p $b -P 3 -m wait)
		s2=$($TWGEN server -a $a -p $((b + 10)) -m close)
		$TWGEN client -a $a -p $b -P 3 -n $FINAL_CLIENT_TW -m close > /dev/null
		$TWGEN client -a $a -p $((b + 10)) -n $FINAL_SERVER_TW -m wait > /dev/null
		kill_daemons $s1 $s2
	done
	h=$($TWGEN server -a 127.0.0.1 -p $((b + 20)) -m hold)
	$TWGEN client -a 127.0.0.1 -p $((b + 20)) -n 4 -m orphan > /dev/null
	c=$($TWGEN client -a 127.0.0.1 -p $((b + 20)) -n 3 -m hold)
	$TWGEN listen -a ::1 -p $((b + 30)) -n 2 > $T/final.listen.$b
	echo "$h $c $(cat $T/final.listen.$b)" > $T/final.daemons.$b
}

# snapshot DIR: tw_stats and every oracle, read while the census stayed
# the same from before the first read to after the last; a snapshot that
# a socket's change crossed is thrown away and taken again.
snapshot() {
	local d=$1 i=0 before after
	mkdir -p $d
	while [ $i -lt 5 ]; do
		settle census
		before=$(census)
		cat $STATS > $d/stats
		cat /proc/net/tw_ports > $d/ports
		cat /proc/net/sockstat > $d/sockstat
		ss -Htano > $d/ss
		nstat -asz > $d/nstat
		after=$(census)
		[ "$before" = "$after" ] && return 0
		echo "TWGUEST snapshot $d voided: the table moved from '$before' to '$after'"
		i=$((i + 1))
	done
	return 1
}

check_ns() {	# NAME BASEPORT
	local d=$T/final.$1 made
	TEST_GROUP=torture.$1
	expect_true quiet "churn sockets still there after 150 s" quiet
	expect_eq tw_total_quiet=sockstat "$(tw tw_total)" "$(sockstat_tw)"
	final_set $2
	if snapshot $d; then
		pass final.snapshot_still
		awk -v p=$TEST_GROUP.final -f /tests/torture_compare.awk src=stats $d/stats \
			src=sockstat $d/sockstat src=ss $d/ss src=nstat $d/nstat src=ports $d/ports
		# what was compared is the set just made, not a table emptied by
		# expiry: all of it, but for the few loopback connections a TCG
		# guest resets (lib.sh: TWGEN) - the oracles above are exact
		made=$((2 * (FINAL_CLIENT_TW + FINAL_SERVER_TW)))
		expect_true final.set_present "$made timewait sockets made, fewer than 90% left" \
			test "$(awk '$1 == "tw_total" { print $2 }' $d/stats)" -ge $((made * 9 / 10))
	else
		fail final.snapshot_still "the socket table never stood still for a snapshot"
	fi
	expect_true twstat_reads "twstat --json failed" sh -c 'twstat --json > /dev/null'
	kill_daemons $(cat $T/final.daemons.$2)
}
