# Helpers for the guest scenarios: reading tw_stats, asking the oracles
# (ss, /proc/net/sockstat, /proc/slabinfo) and reporting results as
# "TWTEST PASS <name>", "TWTEST FAIL <name>: <reason>" and
# "TWTEST SKIP <name>: <reason>" lines, which the host
# (tests/parse-guest-log.sh) turns into the result lines of tests/lib.sh.

# Traffic runs on CPU 0 only.  Loopback queues a segment on the sending
# CPU's backlog; when a sender hops between vCPUs that TCG (on a busy
# host) runs unevenly, a flow's segments get reordered, PAWS rejects some
# and a few connections are reset - a few timewait sockets fewer than the
# scenario made.  Readers of our files still run on any CPU.
TWGEN="taskset 1 /bin/twgen"
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
fail() { echo "TWTEST FAIL $TEST_GROUP.$1: ${2:-no reason given}"; }
skip() { echo "TWTEST SKIP $TEST_GROUP.$1: ${2:-no reason given}"; }

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

# ss_census: how many sockets ss lists in each state, in this netns.
ss_census() {
	ss -Htan | awk '{ print $1 }' | sort | uniq -c | tr -d ' \n'
}

# settle [CENSUS]: wait until the socket table stops changing: the same
# census (a command; ss_census by default) three samples in a row
# (loopback FIN/ACK processing finishes in well under a second, but a
# busy host can stall a TCG vCPU for longer).
settle() {
	local census=${1:-ss_census} prev= cur i=0 same=0
	while [ $i -lt 100 ]; do
		cur=$($census)
		if [ "$cur" = "$prev" ]; then
			same=$((same + 1))
			[ $same -ge 2 ] && return 0
		else
			same=0
		fi
		prev=$cur
		sleep 0.2
		i=$((i + 1))
	done
	echo "TWGUEST settle: table still moving after 20 s"
}

# wait_for EXPECTED COMMAND...: poll (up to 30 s) until COMMAND prints
# EXPECTED - for a state the scenario knows the kernel will reach.
wait_for() {
	local want=$1 i=0
	shift
	while [ "$("$@")" != "$want" ] && [ $i -lt 150 ]; do
		sleep 0.2
		i=$((i + 1))
	done
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

# ss_ports: per local port, the counts `ss -tan` gives, as tw_ports's first
# seven columns: port tw fin_wait2 established close_wait other listen.
ss_ports() {
	ss -Htan | awk '{
		port = $4; sub(/.*:/, "", port)
		if ($1 == "TIME-WAIT") c = 1
		else if ($1 == "FIN-WAIT-2") c = 2
		else if ($1 == "ESTAB") c = 3
		else if ($1 == "CLOSE-WAIT") c = 4
		else if ($1 == "LISTEN") c = 6
		else c = 5
		n[port, c]++; seen[port] = 1
	} END {
		for (p in seen) {
			line = p
			for (c = 1; c <= 6; c++) line = line " " (n[p, c] + 0)
			print line
		}
	}' | sort -n
}

# ss_port_sockets: per local port, "port count" of every socket ss lists
# on it (the owners of its bind bucket, where no socket is only bound),
# sorted by port.
ss_port_sockets() {
	ss -Htan | awk '{ p = $4; sub(/.*:/, "", p); n[p]++ }
		END { for (p in n) print p, n[p] }' | sort -n
}

# our_ports: the same columns from /proc/net/tw_ports, leaving out ports
# held only by a bound socket (ss does not list those).
our_ports() {
	awk 'NR > 1 && ($2 + $3 + $4 + $5 + $6 + $7) > 0 { print $1, $2, $3, $4, $5, $6, $7 }' \
		/proc/net/tw_ports
}

# port_row PORT: the tw_ports row of PORT.
port_row() {
	awk -v p="$1" 'NR > 1 && $1 == p' /proc/net/tw_ports
}

# dest_row REMOTE: the tw_destinations row toward REMOTE (addr:port).
dest_row() {
	awk -v r="$1" 'NR > 1 && $2 == r' /proc/net/tw_destinations
}

# kill_daemons PID...: stop twgen daemons started by a scenario.
kill_daemons() {
	[ $# -gt 0 ] && kill "$@" 2>/dev/null
	sleep 0.2
}

# --- drops: the TcpExt counters, the drop counters and /proc/net/tw_drops.
# Loopback segments of one connection sent from two CPUs overtake each
# other when the host deschedules a vCPU for over a millisecond, and PAWS
# then rejects the late one for real (PAWSEstab moves, and the RST that
# follows can end a TIME_WAIT).  Traffic whose PAWS and TIME_WAIT counts
# must be exact runs on one CPU.
ONE_CPU="taskset -c 0"
PAWSGEN="$ONE_CPU /bin/pawsgen"
DROPS=/proc/net/tw_drops

# nstat_tcpext NAME: nstat's value of the TcpExt counter that tw_stats
# calls NAME (tcpext_<name in lower case>), or "missing".
nstat_tcpext() {
	nstat -asz 2>/dev/null | awk -v n="$1" '
		$1 ~ /^TcpExt/ && "tcpext_" tolower(substr($1, 7)) == n { print $2; f = 1 }
		END { if (!f) print "missing" }'
}

# drops_row REMOTE REASON: the count of that row of tw_drops, 0 if none.
drops_row() {
	awk -v a="$1" -v r="$2" 'NR > 1 && $1 == a && $2 == r { c = $3 }
		END { print c + 0 }' $DROPS
}

# drops_others: the count of the 'others' row of tw_drops.
drops_others() {
	awk '$1 == "others" { print $3 }' $DROPS
}

# compare_tcpext PREFIX: one reading of tw_stats and one of nstat, taken
# back to back in an idle netns: every tcpext_* line equals nstat's value,
# and a TIME_WAIT/PAWS counter is shown exactly when the kernel has it.
compare_tcpext() {
	local p=$1 ours=/tmp/tcpext.ours.$$ theirs=/tmp/tcpext.nstat.$$ name
	awk '$1 ~ /^tcpext_/ { print $1, $2 }' $STATS > $ours
	nstat -asz | awk '$1 ~ /^TcpExt/ { print "tcpext_" tolower(substr($1, 7)), $2 }' > $theirs
	while read -r name value; do
		expect_eq "$p.$name=nstat" "$value" \
			"$(awk -v n="$name" '$1 == n { print $2; f = 1 } END { if (!f) print "missing" }' $theirs)"
	done < $ours
	for name in tw twrecycled twkilled pawsactive pawsestab tcptimewaitoverflow \
		    tcpackskippedpaws tcpackskippedtimewait pawsoldack tsecrrejected pawstimewait; do
		expect_eq "$p.tcpext_$name.present_as_in_nstat" \
			"$(grep -c "^tcpext_$name " $ours)" "$(grep -c "^tcpext_$name " $theirs)"
	done
	rm -f $ours $theirs
}

# init_tw NAME: a tw_stats value as the initial netns sees it.
init_tw() {
	nsenter -t 1 -n awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print "missing" }' $STATS
}

# kfree_skb_event on|off: enable or disable the kernel's own skb:kfree_skb
# trace event, which keeps the kfree_skb tracepoint's static key on while
# tw_stats registers and unregisters its probe.  The probe's own removal
# (an RCU update of the tracepoint's function array) is what the unload
# scenarios test; turning the key off patches the jump in kfree_skb's
# callers with int3, and under QEMU's multi-threaded TCG another vCPU
# running that code at the moment may take the int3 after the patch is
# done and the kernel stops expecting it ("Oops: int3" in
# sk_skb_reason_drop, once in CI on 6.12): an emulator artefact in the
# kernel's code patching, not in the module.  Prints nothing; fails
# where the kernel has no trace events.
kfree_skb_event() {
	local ev=events/skb/kfree_skb/enable d
	[ -e /sys/kernel/tracing/$ev ] ||
		mount -t tracefs nodev /sys/kernel/tracing 2> /dev/null
	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		if [ -w $d/$ev ]; then
			case $1 in on) echo 1 ;; *) echo 0 ;; esac > $d/$ev
			return
		fi
	done
	return 1
}
