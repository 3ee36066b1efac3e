# make bench, inside the guest (tw.run=bench): fill the established hash
# with real TIME_WAIT sockets at 10k, 100k and 1M (and 100k ESTABLISHED
# beside 100k TIME_WAIT), time every way of counting them, and print
# "TWBENCH ..." lines that bench/bench-report.sh turns into BENCHMARKS.md.
# Only reports: nothing here passes or fails.

. /tests/lib.sh

# TIME_WAIT toward SERVER_PORT..+SERVER_PORTS-1 on $BENCH_NET.0.0.1, from
# a new $BENCH_NET.x source address per generator, so that 4-tuples never
# run out; listeners sit above the ephemeral range (KERNEL-NOTES: Making
# TIME_WAIT).  127 but in the count guest (TW_ONLY=insn, below).
BENCH_NET=127
SERVER_PORT=61000
SERVER_PORTS=50
HOLD_PORT=62000
CHURN_PORT=62100
GENERATORS=4
BENCH_TWGEN=/bin/twgen
src_round=0

insmod /lib/tw_stats.ko || { echo "TWBENCH error insmod tw_stats.ko failed"; exit 1; }
sysctl -qw net.ipv4.tcp_max_tw_buckets=4000000 \
	net.ipv4.ip_local_port_range="1024 60999" \
	net.ipv4.tcp_tw_reuse=0 net.ipv4.tcp_rfc1337=1 \
	net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096 \
	net.ipv4.tcp_fin_timeout=60
sysctl -qw fs.nr_open=1100000
ulimit -n 1000000

ino=$(readlink /proc/self/ns/net | tr -dc 0-9)
d=/sys/kernel/debug/tw_stats/$ino

echo "TWBENCH config cpus $(grep -c ^processor /proc/cpuinfo) mem_kb $(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo) kernel $(uname -r)"
echo "TWBENCH config ehash_buckets $(tw ehash_buckets) cache_ms_default $(cat $TW_PARAMS/cache_ms)"
echo "TWBENCH config cmdline $(cat /proc/cmdline)"

# value NAME FILE: the second field of the line NAME in a "name value" file
value() {
	awk -v n="$1" '$1 == n { print $2 }' "$2"
}

# fill_to N [TRY]: make TIME_WAIT sockets until sockstat counts at least N
# (up to three rounds).
# The client closes at once (-m orphan: no shutdown, no read), the server
# reads to EOF and closes: the client's side ends in TIME_WAIT, in the
# fewest system calls.
fill_to() {
	local want=$1 have need per i pids start
	have=$(sockstat_tw)
	need=$((want - have))
	[ $need -gt 0 ] || return 0
	per=$(( (need + GENERATORS - 1) / GENERATORS ))
	start=$(date +%s)
	pids=
	src_round=$((src_round + 1))
	i=1
	while [ $i -le $GENERATORS ]; do
		$BENCH_TWGEN client -a $BENCH_NET.0.0.1 -p $SERVER_PORT -P $SERVER_PORTS \
			-n $per -m orphan -s $BENCH_NET.1.$src_round.$i > /dev/null &
		pids="$pids $!"
		i=$((i + 1))
	done
	wait $pids
	wait_settled
	echo "TWBENCH fill to $want made $(( $(sockstat_tw) - have )) seconds $(( $(date +%s) - start ))"
	# a generator that failed (it says why on the console) left a gap
	if [ $(sockstat_tw) -lt $want ] && [ ${2:-0} -lt 2 ]; then
		fill_to $want $(( ${2:-0} + 1 ))
	fi
}

# wait_settled: until the timewait count stops moving (last FINs land)
wait_settled() {
	local prev=-1 cur i=0
	cur=$(sockstat_tw)
	while [ "$cur" != "$prev" ] && [ $i -lt 50 ]; do
		sleep 1
		prev=$cur
		cur=$(sockstat_tw)
		i=$((i + 1))
	done
}

# timed SCALE WHAT RUNS read|run ARG: one TWBENCH time line
timed() {
	local scale=$1 what=$2 runs=$3 how=$4 arg=$5 out
	out=$(/bin/twbench $how -n $runs "$arg") || out="error"
	echo "TWBENCH time $scale $what $out"
}

# measure SCALE RUNS SLOW_RUNS: everything timed at this many sockets
measure() {
	local s=$1 r=$2 rs=$3 m1 m2
	echo 0 > $d/cache_ms
	echo "TWBENCH count $s sockstat_tw $(sockstat_tw) ss_time_wait $(ssc state time-wait) ss_established $(ssc state established) tw_time_wait $(tw tw_time_wait) floor_time_wait $(value time_wait $d/walk_floor) slab_tw_objs $(awk '$1 == "tw_sock_TCP" { print $2 }' /proc/slabinfo)"
	# the walk's own clock, from inside the kernel.  tw_stats's walk_ns of
	# a namespace read from a shared gathering walk's records (16384
	# sockets or fewer) is the time to build the reading from them;
	# walk_phases's (read after it, of the same reading) counts the
	# gathering walk too, bind hash included: what the reading waited for
	echo "TWBENCH kernel $s floor_ns $(value ns $d/walk_floor) walk_ns $(tw walk_ns) walk_sockets $(tw walk_sockets) walk_buckets $(tw walk_buckets) reading_walk_ns $(value walk_ns $d/walk_phases)"
	timed $s floor $r read $d/walk_floor
	timed $s tw_stats $r read $STATS
	timed $s tw_ports $r read /proc/net/tw_ports
	timed $s tw_destinations $r read /proc/net/tw_destinations
	timed $s tw_netns $r read /proc/net/tw_netns
	# where one tw_stats walk's time goes (debugfs walk_phases): each
	# visitor timed for this reading only, since the clock reads cost
	# (the emulated HPET) is the profile's, not the reading's
	echo Y > /sys/kernel/debug/tw_stats/time_visitors
	cat $STATS > /dev/null
	echo N > /sys/kernel/debug/tw_stats/time_visitors
	echo "TWBENCH phases $s $(awk '{ printf "%s %s ", $1, $2 }' $d/walk_phases)floor_ns $(value ns $d/walk_floor)"
	profile $s $((r * 4))
	timed $s cat_tw_stats $r run "cat $STATS"
	timed $s process_start $r run "true"
	timed $s ss_s $r run "ss -s"
	timed $s ss_time_wait $rs run "ss -tan state time-wait | wc -l"
	timed $s proc_net_tcp $rs run "cat /proc/net/tcp /proc/net/tcp6 | wc -l"
	echo 1000 > $d/cache_ms
	cat $STATS > /dev/null
	timed $s tw_stats_cached $r read $STATS
	# our memory as we count it, then as the kernel sees it: what
	# unloading us gives back (slab + vmalloc, module code included)
	m1=$(meminfo_kb)
	echo "TWBENCH memory $s snapshot_bytes $(value snapshot_bytes $d/memory) walk_scratch_bytes $(value walk_scratch_bytes $d/memory) slab_vmalloc_kb $m1"
	rmmod tw_stats
	m2=$(meminfo_kb)
	echo "TWBENCH unload $s freed_kb $((m1 - m2))"
	[ ! -f /lib/tw_stats_before.ko ] || measure_before $s $r
	insmod /lib/tw_stats.ko
}

# measure_before SCALE RUNS: the same reads with the module built from
# the revision make bench was given as "before" (TW_BENCH_BEFORE), on the
# same sockets
measure_before() {
	local s=$1 r=$2
	insmod /lib/tw_stats_before.ko || { echo "TWBENCH error insmod tw_stats_before.ko"; return; }
	echo 0 > $d/cache_ms
	echo "TWBENCH kernel $s before_floor_ns $(value ns $d/walk_floor) before_walk_ns $(tw walk_ns)"
	timed $s before_floor $r read $d/walk_floor
	timed $s before_tw_stats $r read $STATS
	timed $s before_tw_ports $r read /proc/net/tw_ports
	timed $s before_tw_destinations $r read /proc/net/tw_destinations
	timed $s before_tw_netns $r read /proc/net/tw_netns
	rmmod tw_stats
}

# profile SCALE RUNS: where the time of a reading goes, by function and,
# inside our module's functions, by address (under TCG a sample lands at
# the start of the translated block after the work, so an address stands
# for its block, not its instruction): perf's cpu-clock samples of
# twbench reading tw_stats (cache_ms=0) and, in a child named twbench-b,
# the floor, RUNS times each, one after the other in turn: the speed of
# TCG on a shared host drifts (within one guest the floor's fastest read
# took 47 ms in one block and 63 ms in another, minutes later), and read
# in turn the drift falls on both alike, where a block of each moved
# their ratio by as much.  The bench kernel ticks at 250 Hz without
# high-resolution timers, so a sample stands for about 4 ms of one CPU:
# RUNS are enough readings for a few hundred samples.  Module offsets are
# resolved against the .ko on the host (bench/bench-report.sh); nothing
# here is a verdict.
profile() {
	local s=$1 runs=$2 what comm side samples
	command -v perf > /dev/null || return 0
	echo 0 > $d/cache_ms
	perf record -q -e cpu-clock -F 10000 -a -o /tmp/perf.data \
		/bin/twbench alternate -n $runs $STATS $d/walk_floor > /tmp/perf.time 2> /tmp/perf.err ||
		{ echo "TWBENCH profile $s error $(head -n 1 /tmp/perf.err)"; return 0; }
	for what in floor tw_stats; do
		comm=twbench side=a
		[ $what = tw_stats ] || comm=twbench-b side=b
		samples=$(perf script -i /tmp/perf.data --comm $comm -F ip 2> /dev/null | wc -l)
		echo "TWBENCH profile $s $what total samples $samples runs $runs time $(sed -n "s/^$side //p" /tmp/perf.time) walk_sockets $(tw walk_sockets)"
		# by function: "PCT% SAMPLES DSO SYM"
		perf report -i /tmp/perf.data --comm $comm --stdio -q -n \
			--sort dso,sym --percent-limit 0.5 2> /dev/null |
			awk -v p="TWBENCH profile $s $what" 'NF >= 4 {
				sym = $NF; dso = $3; sub(/%$/, "", $1)
				print p, "sym", sym, "dso", dso, "samples", $2, "pct", $1 }'
		# inside the module: the 40 busiest addresses, as SYM+OFFSET
		perf script -i /tmp/perf.data --comm $comm -F ip,sym,symoff,dso 2> /dev/null |
			awk '/\[tw_stats\]/ { n[$2]++ } END { for (k in n) print n[k], k }' |
			sort -rn | head -n 40 |
			awk -v p="TWBENCH profile $s $what" '{ print p, "ip", $2, "samples", $1 }'
	done
	rm -f /tmp/perf.data /tmp/perf.time /tmp/perf.err
}

meminfo_kb() {
	awk '$1 == "Slab:" || $1 == "VmallocUsed:" { n += $2 } END { print n }' /proc/meminfo
}

# The reader's cost to a connect/close churn: the connections (client and
# server) on CPU 0, a reader looping on a file on CPU 1.
churn_round=0
churn_once() {
	churn_round=$((churn_round + 1))
	/bin/twbench run -n ${CHURN_RUNS:-3} "taskset 1 $BENCH_TWGEN client -a 127.0.0.1 -p $CHURN_PORT -P $SERVER_PORTS -n $CHURN_CONNS -m close -s 127.2.$churn_round.1"
}
CHURN_CONNS=1000
# churn SCALE: CHURN_ROUNDS rounds, each running the churn beside three
# readers in turn: tw_stats at the default cache_ms, tw_stats at cache_ms
# 0, and the control, looping on /proc/net/sockstat (what any process
# reading a cheap /proc file in a loop costs the churn).  Every run with
# a reader sits between two runs alone, the second of which opens the
# next: under TCG on a shared host the churn alone drifts by more than
# the one point the target allows, and a drift over minutes then falls
# on both sides of each reader, and on every reader alike.
churn() {
	local s=$1 def r cache file reader before with after
	def=$(cat $TW_PARAMS/cache_ms)
	before=$(churn_once)
	for r in $(seq 1 ${CHURN_ROUNDS:-5}); do
		for cache in $def 0 control; do
			file=$STATS
			if [ $cache = control ]; then
				file=/proc/net/sockstat
				echo 0 > $d/cache_ms
			else
				echo $cache > $d/cache_ms
			fi
			taskset 2 /bin/twbench loop $file &
			reader=$!
			sleep 1
			with=$(churn_once)
			kill $reader
			wait $reader 2>/dev/null
			after=$(churn_once)
			echo "TWBENCH churn $s cache_ms $cache conns $CHURN_CONNS alone $before round $r"
			echo "TWBENCH churn $s cache_ms $cache conns $CHURN_CONNS reader $with round $r"
			echo "TWBENCH churn $s cache_ms $cache conns $CHURN_CONNS alone_after $after round $r"
			before=$after
		done
	done
	echo 0 > $d/cache_ms
}

# drop_storm RUN: the drop probe's cost on the packet path.  A PAWS storm
# from 1,000 source addresses (500 connections per CPU, one pawsgen pinned
# to each of two CPUs, into one netns) at full speed, first without
# tw_stats, then with it: on loopback every segment is received in its
# sender's softirq, so segments sent per second are drops per second, the
# probe included.  PAWSEstab's rise proves they were dropped, and with the
# module loaded the drop counter and tw_drops sum to the same.
STORM_SEGMENTS=200000
drop_storm() {
	local run=$1 mod pids paws0 paws1 cpu secs total
	for mod in 0 1; do
		[ -e /sys/module/tw_stats ] && rmmod tw_stats
		[ $mod = 1 ] && insmod /lib/tw_stats.ko
		paws0=$(nstat_tcpext tcpext_pawsestab)
		pids=
		for cpu in 0 1; do
			taskset -c $cpu /bin/pawsgen storm -c 127.5.$((run * 2 + cpu)).1 \
				-s 127.0.0.1 -p $((62200 + run * 2 + cpu)) \
				-n $((STORM_SEGMENTS / 2)) -k 500 > /tmp/storm.$cpu &
			pids="$pids $!"
		done
		wait $pids
		paws1=$(nstat_tcpext tcpext_pawsestab)
		secs=$(cat /tmp/storm.0 /tmp/storm.1 | awk '$4 > m { m = $4 } END { print m }')
		total=$(cat /tmp/storm.0 /tmp/storm.1 | awk '{ n += $2 } END { print n }')
		if [ $mod = 1 ]; then
			echo "TWBENCH drops run $run module 1 segments $total seconds $secs" \
				"pawsestab $((paws1 - paws0)) drop_counted $(tw drop_tcp_rfc7323_paws)" \
				"rows_and_others $(awk 'NR > 1 { n += $3 } END { print n }' /proc/net/tw_drops)" \
				"table_busy $(tw drops_table_busy)"
		else
			echo "TWBENCH drops run $run module 0 segments $total seconds $secs" \
				"pawsestab $((paws1 - paws0))"
		fi
	done
}

# TW_ONLY=drops (make bench TW_ONLY=drops): only the drop storm
if [ "${TW_ONLY:-}" = drops ]; then
	for run in 0 1 2 3 4; do
		drop_storm $run
	done
	echo "TWBENCH done"
	exit 0
fi
if [ -z "${TW_ONLY:-}" ]; then
	for run in 0 1 2; do
		drop_storm $run
	done
fi

# The count guest reads as a host with the defaults would: tcp_tw_reuse=2,
# and TIME_WAIT that is not loopback for it (10/8 on lo is local, but only
# 127/8 counts as loopback), so the walk decides reuse as it does for a
# host's remote peers.  The timed guests keep 127/8 and reuse 0.
if [ "${TW_ONLY:-}" = insn ]; then
	ip addr add 10.0.0.1/8 dev lo
	sysctl -qw net.ipv4.tcp_tw_reuse=2
	BENCH_NET=10
	echo "TWBENCH config insn_net $BENCH_NET.0.0.0/8 tcp_tw_reuse $(sysctl -n net.ipv4.tcp_tw_reuse)"
fi
srv=$($BENCH_TWGEN server -a $BENCH_NET.0.0.1 -p $SERVER_PORT -P $SERVER_PORTS -m wait)
churn_srv=$(taskset 1 $BENCH_TWGEN server -a 127.0.0.1 -p $CHURN_PORT -P $SERVER_PORTS -m wait)

# TW_ONLY=churn (make bench TW_ONLY=churn): only the reader's cost to the
# churn, at 100k TIME_WAIT and with more runs, for a quiet host
if [ "${TW_ONLY:-}" = churn ]; then
	fill_to 100000
	CHURN_ROUNDS=${CHURN_ROUNDS:-9}
	churn 100k
	kill $srv $churn_srv 2>/dev/null
	echo "TWBENCH done"
	exit 0
fi

# insn_counts SCALE ROUNDS: what one read of each file executes, counted
# by the twinsn plugin the host ran this guest under (bench/insn/twinsn.c,
# one vCPU): each file read once between twbench's markers, after a read
# of the floor, so that every measured read starts from the cache model
# the other one left.  The host pairs the k-th "TWBENCH insn_read" line
# with the plugin's k-th measurement (bench/insn/insn-lines.py), and
# resolves module addresses against the .ko from the base of its .text
# printed here.
insn_counts() {
	local s=$1 rounds=$2 round what file path
	echo 0 > $d/cache_ms
	echo "TWBENCH insn_text $s $(cat /sys/module/tw_stats/sections/.text)"
	for round in $(seq 1 $rounds); do
		for what in tw_stats tw_ports tw_destinations tw_netns; do
			for file in floor $what; do
				case $file in
				floor) path=$d/walk_floor ;;
				*) path=/proc/net/$file ;;
				esac
				echo "TWBENCH insn_read $s $file round $round $(/bin/twbench mark $path)"
			done
		done
	done
	echo "TWBENCH insn_count $s sockstat_tw $(sockstat_tw) floor_time_wait $(value time_wait $d/walk_floor) walk_sockets $(tw walk_sockets) walk_buckets $(tw walk_buckets)"
}

# TW_ONLY=insn (the instruction-count guest of make bench): only those
# counts, at 100k TIME_WAIT
if [ "${TW_ONLY:-}" = insn ]; then
	fill_to 100000
	insn_counts 100k ${INSN_ROUNDS:-3}
	kill $srv $churn_srv 2>/dev/null
	echo "TWBENCH done"
	exit 0
fi

# TW_ONLY=SCALE,... (make bench TW_ONLY=100k, or TW_BENCH_GUESTS): only
# those steps (10k 100k 100k+100k_est 1M; churn comes with 1M), the
# sockets still made up to each; empty: every step
want() {
	[ -z "${TW_ONLY:-}" ] && return 0
	case ",$TW_ONLY," in *",$1,"*) return 0 ;; esac
	return 1
}
# the steps after the last one asked for are not even filled
last=1M
if [ -n "${TW_ONLY:-}" ]; then
	for s in 10k 100k 100k+100k_est 1M; do
		want $s && last=$s
	done
fi

fill_to 10000
# the bench kernel's TIME_WAIT lasts 30 minutes: none of these ends soon
echo "TWBENCH config tw_total $(tw tw_total) tw_expires_le_60s $(tw tw_expires_le_60s)"
! want 10k || measure 10k 10 5

if [ $last = 10k ]; then
	kill $srv $churn_srv 2>/dev/null
	echo "TWBENCH done"
	exit 0
fi
fill_to 100000
! want 100k || measure 100k 5 3

if [ $last = 100k ]; then
	kill $srv $churn_srv 2>/dev/null
	echo "TWBENCH done"
	exit 0
fi

# 100k ESTABLISHED (50k connections, both ends here) beside the 100k.
# They stay to the end: closing 100k sockets at once stalled the TCG
# guest's CPU in softirq for over 20 s (an RCU stall report) and the next
# fill's connect()s timed out.
hold_srv=$($BENCH_TWGEN server -a 127.0.0.1 -p $HOLD_PORT -P 10 -m hold)
hold_cli=$($BENCH_TWGEN client -a 127.0.0.1 -p $HOLD_PORT -P 10 -n 50000 -m hold -s 127.3.0.1)
wait_settled
! want 100k+100k_est || measure 100k+100k_est 5 3

if [ $last != 1M ]; then
	kill $srv $churn_srv $hold_cli $hold_srv 2>/dev/null
	echo "TWBENCH done"
	exit 0
fi
fill_to 1000000
measure 1M 5 3
churn 1M

kill $srv $churn_srv $hold_cli $hold_srv 2>/dev/null
echo "TWBENCH done"
