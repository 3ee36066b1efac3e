# The torture run's pieces (kunit/guest/torture.sh), in a file of their
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
# add KIND [N]: count N operations of KIND (summed at the end)
add() { echo "${2:-1}" >> $T/n.$1; }
total() { cat $T/n.$1 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
# a random pick among the arguments
pick() { shift $((RANDOM % $#)); echo "$1"; }
in_fault_window() {
	local now=$(( $(date +%s) - $(cat $T/start) ))
	[ "$FAULTS" = 1 ] && [ $now -ge $((SECS * 3 / 10)) ] && [ $now -lt $((SECS * 7 / 10)) ]
}

# Every file tw_stats publishes, as this netns sees it; debugfs holds
# every namespace's folder, so readers there meet dying namespaces too.
# An open debugfs file pins the module (rmmod says busy), an open /proc
# file does not (unload ends it): "our_files proc" leaves debugfs out, so
# that most readers let the module go.
our_files() {
	ls /proc/net/tw_* /sys/module/tw_stats/parameters/* 2>/dev/null
	[ "${1:-}" = proc ] ||
		ls $DBG/tw_stats/all_netns_walk $DBG/tw_stats/*/* 2>/dev/null
}

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

# --- readers: twcheck in one of its ways on every file (WHICH: all, or
# proc for all but debugfs), until stopped.
reader() {
	local name=$1 which=$2 files
	shift 2
	while running; do
		files=$(our_files $which)
		if [ -z "$files" ]; then
			# unloaded: nothing to read just now
			usleep 100000
			continue
		fi
		twcheck "$@" $files >> $T/reads.$name 2>> $T/reader.err
	done
}

# many openers at once on the same files
burst_reader() {
	local i
	while running; do
		for i in 1 2 3 4 5 6; do
			twcheck -b $(pick 1 7 4096) /proc/net/tw_stats /proc/net/tw_ports \
				/proc/net/tw_destinations >> $T/reads.burst 2>> $T/reader.err &
		done
		wait
	done
}

# readers whose allocations fail on purpose, in the fault window
fault_reader() {
	while running; do
		if in_fault_window && [ -e /proc/net/tw_stats ]; then
			twcheck -F -b $(pick 0 1 65536) $(pick -l -n1) $(our_files) \
				>> $T/reads.fault 2>> $T/reader.err
		else
			sleep 1
		fi
	done
}

# --- writers: garbage, boundaries and valid values into every writable
# tunable, found by globbing so that new ones are covered too.
writer() {
	local f v long
	long=$(head -c 5000 /dev/zero | tr '\0' 7)
	while running; do
		for f in $(find $DBG/tw_stats -type f -perm -200 2>/dev/null) \
			 /sys/module/tw_stats/parameters/*; do
			[ -e "$f" ] || continue
			v=$(pick 0 1 2 7 64 1000 1024 1025 60000 60001 65535 4294967295 \
				4294967296 99999999999999999999 -1 banana "" default \
				" 7" "7 " 0x10 1e3 +5 "$long" "$(head -c 32 /dev/urandom)")
			if { printf '%s' "$v" > "$f"; } 2>/dev/null; then
				add writes_ok
			else
				add writes_refused
			fi
		done
	done
}

# --- load and unload, with good and bad parameters, and with faults
# injected into the load in the fault window.
loader() {
	local params i
	while running; do
		sleep 0.$((RANDOM % 9 + 1))
		# refused while a debugfs file is open (it pins the module):
		# try again soon, readers come and go
		i=0
		until rmmod tw_stats 2>/dev/null; do
			add unload_busy
			i=$((i + 1))
			[ $i -lt 100 ] && running || break
			usleep $((RANDOM % 50000))
		done
		[ -e /sys/module/tw_stats ] && continue
		add unloads
		[ -e /proc/net/tw_stats ] && fail unload_removes_files "/proc/net/tw_stats after rmmod"
		sleep 0.$((RANDOM % 5 + 1))
		if [ $((RANDOM % 5)) = 0 ]; then
			params=$(pick cache_ms=banana cache_ms=60001 top_n=0 top_n=-1 drops_top_n=x)
			if insmod $MOD $params 2>/dev/null; then
				fail load_refuses_bad_params "insmod $params loaded"
			else
				add loads_refused_bad_param
			fi
		fi
		params="cache_ms=$(pick 0 1 500 60000) top_n=$(pick 1 64 1024)"
		if in_fault_window; then
			if twcheck -F -L $MOD "$params" > /dev/null 2>&1; then
				add loads
				continue
			fi
			add loads_failed_injected
			[ -e /sys/module/tw_stats ] &&
				fail failed_load_leaves_nothing "a failed load left the module loaded"
		fi
		# the real load must work; a failing one is retried, then reported
		until insmod $MOD $params 2>> $T/insmod.err; do
			add loads_failed
			sleep 1
			running || break
		done
		[ -e /sys/module/tw_stats ] && add loads
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
# compare it with the oracles.
quiet() {
	local i=0
	while [ $i -lt 100 ]; do
		[ "$(sockstat_tw)" = 0 ] && [ "$(ssc state fin-wait-2)" = 0 ] && return 0
		sleep 1
		i=$((i + 1))
	done
	return 1
}
final_set() {
	local b=$1 a s1 s2 h c
	for a in 127.0.0.1 ::1; do
		s1=$($TWGEN server -a $a -p $b -P 3 -m wait)
		s2=$($TWGEN server -a $a -p $((b + 10)) -m close)
		$TWGEN client -a $a -p $b -P 3 -n 30 -m close > /dev/null
		$TWGEN client -a $a -p $((b + 10)) -n 12 -m wait > /dev/null
		kill_daemons $s1 $s2
	done
	h=$($TWGEN server -a 127.0.0.1 -p $((b + 20)) -m hold)
	$TWGEN client -a 127.0.0.1 -p $((b + 20)) -n 4 -m orphan > /dev/null
	c=$($TWGEN client -a 127.0.0.1 -p $((b + 20)) -n 3 -m hold)
	$TWGEN listen -a ::1 -p $((b + 30)) -n 2 > $T/final.listen.$b
	echo "$h $c $(cat $T/final.listen.$b)" > $T/final.daemons.$b
	settle
}
check_ns() {	# NAME BASEPORT
	TEST_GROUP=torture.$1
	expect_true quiet "churn sockets still there after 100 s" quiet
	expect_eq tw_total_quiet=sockstat "$(tw tw_total)" "$(sockstat_tw)"
	final_set $2
	compare_all final
	# the raw numbers behind those comparisons, for a failure's reader
	echo "TWGUEST $1 ours: $(grep -E '^(tw_|state_)' $STATS | grep -v ' 0$' | tr '\n' ' ')"
	echo "TWGUEST $1 ss: time-wait $(ssc state time-wait) v4 $(ssc -f inet state time-wait)" \
		"v6 $(ssc -f inet6 state time-wait) tw-fin-wait-2 $(ss -Htano state fin-wait-2 | grep -c 'timer:(timewait')" \
		"sockstat $(sockstat_tw) errors: $(ss -Htan -f inet6 state time-wait 2>&1 > /dev/null | head -n 1)"
	compare_tcpext final
	expect_eq ports=ss "$(our_ports | tr '\n' ';')" "$(ss_ports | tr '\n' ';')"
	expect_true twstat_reads "twstat --json failed" sh -c 'twstat --json > /dev/null'
	kill_daemons $(cat $T/final.daemons.$2)
}
