# A namespace whose private established hash has one bucket
# (tcp_child_ehash_entries=1 in the namespace that creates it), so every
# socket of it sits in one chain: the walk must read that chain in pieces,
# pausing out of its RCU read section between them and going on where it
# stopped, and still count exactly what ss counts.
#
# How many sockets: with one bucket every packet's socket lookup and every
# connect()'s port search walks the whole chain, so making S sockets costs
# about S^2 socket visits, in softirq.  Measured in the 2-vCPU TCG guest
# (6.1 test kernel, lockdep on; the guest log's "sockets, the last"
# lines): 4,000 sockets (2,000 held connections) took 6 s, the next
# 4,000 14 s, then 16 s and 27 s: 16,000 in 63 s, each step of 4,000
# about 6.5 s longer than the one before.  That puts 24,000 at about
# 140 s, 50,000 at about 9 minutes and the issue's 100,000 at about 35.
# 10,000 held connections, 20,000 sockets plus the TIME_WAIT ones, take
# about 100 s and leave room for the checks under the 180 s scenario
# timeout; a walk reads them in 79 pieces where 2 would prove the point.
# TW_LONG_CHAIN_CONNS overrides the count (with a larger
# TW_SCENARIO_TIMEOUT).
CONNS=${TW_LONG_CHAIN_CONNS:-10000}
TW=300
# 256 sockets a piece (TW_WALK_PIECE), 1024 buckets and sockets between
# pauses (TW_WALK_BATCH): what one RCU read section may hold, at most
SECTION_MAX=$((1024 + 256))

sysctl -qw net.ipv4.tcp_child_ehash_entries=1
P=$(new_netns)
sysctl -qw net.ipv4.tcp_child_ehash_entries=0
inp() { nsenter -t "$P" -n "$@"; }
# a one-bucket table's netns allows ehash/2 = 0 timewait sockets
inp sysctl -qw net.ipv4.tcp_max_tw_buckets=100000
ulimit -n $((CONNS + 1000))
log_from=$(dmesg | wc -l)

pino=$(readlink /proc/$P/ns/net | tr -dc 0-9)
dbg=/sys/kernel/debug/tw_stats/$pino
ptw() { inp awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print "missing" }' /proc/net/tw_stats; }
pcost() { awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print "missing" }' $dbg/walk_cost; }
expect_eq one_bucket "$(ptw ehash_buckets)" 1

# in steps of 2,000 connections, each step's time in the guest log
t0=$(date +%s)
srv=$(inp $TWGEN server -a 127.0.0.1 -p 7100 -P 8 -m hold)
cli=
made=0
while [ $made -lt $CONNS ]; do
	n=$((CONNS - made > 2000 ? 2000 : CONNS - made))
	ts=$(date +%s)
	cli="$cli $(inp $TWGEN client -a 127.0.0.1 -p 7100 -P 8 -n $n -m hold)"
	made=$((made + n))
	echo "TWGUEST long-chain: $((2 * made)) sockets, the last $((2 * n)) in $(($(date +%s) - ts)) s"
done
echo "TWGUEST long-chain: $((2 * CONNS)) sockets created in $(($(date +%s) - t0)) s"
tws=$(inp $TWGEN server -a 127.0.0.1 -p 7200 -m wait)
inp $TWGEN client -a 127.0.0.1 -p 7200 -n $TW -m close > /dev/null
inp sh -c '. /tests/lib.sh; settle'

# One reading for every number below: taken now (cache_ms 0 walks every
# time), then kept for 60 s, so tw_stats, tw_ports and walk_cost come
# from the same walk.  Raising cache_ms alone would serve the reading of
# one_bucket above, taken before any socket existed, whenever making
# them took less than 60 s (27 s on a faster host).
echo 0 > $dbg/cache_ms
inp cat /proc/net/tw_stats > /dev/null
echo 60000 > $dbg/cache_ms
inp sh -c 'TEST_GROUP=long-chain; . /tests/lib.sh; compare_all chain
	expect_eq chain.tw_ports=ss "$(our_ports | tr "\n" ";")" "$(ss_ports | tr "\n" ";")"'
expect_eq established "$(ptw state_established)" $((2 * CONNS))
expect_eq time_wait "$(ptw tw_time_wait)" $TW

# the chain was read in pieces, resumed every time, never given up
sockets=$(ptw walk_sockets)
expect_true walk_read_every_socket "walk_sockets $sockets < $((2 * CONNS + TW))" \
	test "$sockets" -ge $((2 * CONNS + TW))
expect_eq walk_long_chains "$(ptw walk_long_chains)" 1
expect_true walk_resumed_in_pieces "walk_resumes $(ptw walk_resumes), want >= $((sockets / 256 - 1))" \
	test "$(ptw walk_resumes)" -ge $((sockets / 256 - 1))
expect_eq walk_resume_lost "$(ptw walk_resume_lost)" 0
expect_eq walk_restarts "$(ptw walk_restarts)" 0
section=$(pcost max_section_sockets)
expect_true rcu_section_bounded "max_section_sockets $section, want <= $SECTION_MAX" \
	test "$section" -le $SECTION_MAX
echo "TWGUEST long-chain: walk_ns $(ptw walk_ns) resumes $(ptw walk_resumes) max_section_sockets $section"
echo default > $dbg/cache_ms

# readings while the chain changes: connections closing and timewait
# sockets arriving while readers loop; nothing may stall or be lost
inp $TWGEN client -a 127.0.0.1 -p 7200 -n 500 -m close > /dev/null &
churn=$!
lost=0
for i in 1 2 3 4 5; do
	inp cat /proc/net/tw_ports > /dev/null
	lost=$((lost + $(ptw walk_resume_lost)))
done
wait $churn
expect_eq walk_under_churn_not_lost $lost 0

# the kernel's own watchdogs: no RCU stall (TREE_RCU always watches), no
# soft lockup where the kernel has the detector (the torture kernel; the
# KUnit kernel's config leaves it out to stay one build)
expect_eq no_rcu_stall "$(dmesg | tail -n +$((log_from + 1)) |
	grep -Eci 'rcu.*stall|hung task')" 0
if [ -e /proc/sys/kernel/soft_watchdog ]; then
	expect_eq no_soft_lockup "$(dmesg | tail -n +$((log_from + 1)) |
		grep -Eci 'soft lockup')" 0
else
	skip no_soft_lockup "this kernel has no CONFIG_SOFTLOCKUP_DETECTOR"
fi

kill_daemons $srv $cli $tws
kill $P 2>/dev/null
