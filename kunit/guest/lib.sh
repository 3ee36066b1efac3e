# Helpers for the guest scenarios: reading tw_stats, asking the oracles
# (ss, /proc/net/sockstat, /proc/slabinfo) and reporting results as
# "TWTEST PASS|FAIL <name>" lines that the host harness counts.

TWGEN=/bin/twgen
STATS=/proc/net/tw_stats
TW_PARAMS=/sys/module/tw_stats/parameters

# tw NAME: the value of NAME in this netns's /proc/net/tw_stats.
tw() {
	awk -v n="$1" '$1 == n { print $2; found = 1 } END { if (!found) print "missing" }' $STATS
}

# ssc ARGS...: how many sockets `ss -tan ARGS` lists (no header).
ssc() {
	ss -Htan "$@" | wc -l
}

# sockstat_tw: the tw count of /proc/net/sockstat in this netns.
sockstat_tw() {
	awk '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == "tw") print $(i + 1) }' /proc/net/sockstat
}

# slab_objsize CACHE: the object slot size /proc/slabinfo reports.
slab_objsize() {
	awk -v c="$1" '$1 == c { print $4 }' /proc/slabinfo
}

pass() { echo "TWTEST PASS $TEST_GROUP.$1"; }
fail() { echo "TWTEST FAIL $TEST_GROUP.$1: $2"; }

# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', expected '$3'"; fi
}

# expect_true NAME DESCRIPTION COMMAND...
expect_true() {
	local name=$1 what=$2
	shift 2
	if "$@"; then pass "$name"; else fail "$name" "$what"; fi
}

# settle: wait until the socket table stops changing (loopback FIN/ACK
# processing and timers finish within a few hundred ms in the guest).
settle() {
	local prev= cur i=0
	while [ $i -lt 50 ]; do
		cur=$(ss -Htan | awk '{ print $1 }' | sort | uniq -c | tr -d ' \n')
		[ "$cur" = "$prev" ] && return 0
		prev=$cur
		sleep 0.2
		i=$((i + 1))
	done
	echo "TWGUEST settle: table still moving after 10 s"
}

# ss_tw FAMILY: timewait sockets of FAMILY (inet|inet6) as ss sees them:
# substate TIME_WAIT, plus FIN_WAIT2 ones that carry the timewait timer.
ss_tw() {
	echo $(( $(ss -Htan -f "$1" state time-wait | wc -l) +
		$(ss -Htano -f "$1" state fin-wait-2 | grep -c 'timer:(timewait') ))
}

# compare_all PREFIX: every tw_stats number that an oracle also gives.
compare_all() {
	local p=$1
	expect_eq "$p.tw_total=sockstat" "$(tw tw_total)" "$(sockstat_tw)"
	expect_eq "$p.tw_time_wait=ss" "$(tw tw_time_wait)" "$(ssc state time-wait)"
	expect_eq "$p.tw_fin_wait2=ss" "$(tw tw_fin_wait2)" \
		"$(ss -Htano state fin-wait-2 | grep -c 'timer:(timewait')"
	expect_eq "$p.tw_ipv4=ss" "$(tw tw_ipv4)" "$(ss_tw inet)"
	expect_eq "$p.tw_ipv6=ss" "$(tw tw_ipv6)" "$(ss_tw inet6)"
	expect_eq "$p.state_established=ss" "$(tw state_established)" "$(ssc state established)"
	expect_eq "$p.state_syn_sent=ss" "$(tw state_syn_sent)" "$(ssc state syn-sent)"
	expect_eq "$p.state_syn_recv=ss" "$(tw state_syn_recv)" "$(ssc state syn-recv)"
	expect_eq "$p.state_fin_wait1=ss" "$(tw state_fin_wait1)" "$(ssc state fin-wait-1)"
	expect_eq "$p.state_fin_wait2=ss" "$(tw state_fin_wait2)" \
		"$(ss -Htano state fin-wait-2 | grep -vc 'timer:(timewait')"
	expect_eq "$p.state_close_wait=ss" "$(tw state_close_wait)" "$(ssc state close-wait)"
	expect_eq "$p.state_last_ack=ss" "$(tw state_last_ack)" "$(ssc state last-ack)"
	expect_eq "$p.state_closing=ss" "$(tw state_closing)" "$(ssc state closing)"
	expect_eq "$p.state_listen=ss" "$(tw state_listen)" "$(ssc state listening)"
}

# new_netns: start a process that holds a new network namespace (loopback
# up, tcp_tw_reuse off and tcp_rfc1337 on like every scenario's, see
# run-all.sh) and print its PID, for
# nsenter -t PID -n.  Its output goes nowhere, so $(new_netns) returns.
new_netns() {
	local me pid i=0
	me=$(readlink /proc/self/ns/net)
	unshare -n sleep 100000 < /dev/null > /dev/null 2>&1 &
	pid=$!
	while [ "$(readlink /proc/$pid/ns/net 2>/dev/null)" = "$me" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	nsenter -t $pid -n sh -c 'ip link set lo up; sysctl -qw net.ipv4.tcp_tw_reuse=0 net.ipv4.tcp_rfc1337=1'
	echo $pid
}

# kill_daemons PID...: stop twgen daemons started by a scenario.
kill_daemons() {
	[ $# -gt 0 ] && kill "$@" 2>/dev/null
	sleep 0.2
}
