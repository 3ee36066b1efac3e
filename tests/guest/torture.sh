# The torture run (tw.run=torture, tests/torture.sh): for TW_SECONDS
# everything at once - connection churn in three namespaces, namespaces
# born and destroyed with their own traffic and readers, readers of every
# file in every way, writers of garbage into every tunable, the module
# unloaded and reloaded, and for the middle part allocation failures
# injected into the readers and the module loads.  Then, quiet, every
# number against the oracles, the module unloaded, kmemleak asked.
# The kernel log is judged on the host (tests/parse-guest-log.sh).

TEST_GROUP=torture
. /tests/lib.sh

. /tests/torture_lib.sh

# phase PHASE: when each part began (guest uptime), for a slow run's reader
phase() { echo "TWGUEST phase $1 at $(cut -d' ' -f1 /proc/uptime) s"; }

# --- kmemleak: no automatic scans (the final one is ours), and the time
# of the baseline: objects older than that were allocated before the
# module first loaded and are not ours to report.  (A scan now would make
# a baseline too, but a scan of all memory takes 100 s here.)
if [ -w $KMEMLEAK ]; then
	echo scan=off > $KMEMLEAK
	baseline_uptime=$(cut -d' ' -f1 /proc/uptime)
	pass kmemleak_baseline
else
	fail kmemleak_baseline "no $KMEMLEAK: not the torture kernel"
fi

sysctl -qw net.ipv4.tcp_tw_reuse=0 net.ipv4.tcp_rfc1337=1
if insmod $MOD; then pass load; else fail load "insmod failed"; fi

# ===== run everything at once (the fault window counts from here)
phase run
date +%s > $T/start
start=$(cat $T/start)
pids=
if [ "$FAULTS" = 1 ]; then
	fault_setup
	fault_clock & pids="$pids $!"
fi
S1=$(new_netns)
S2=$(new_netns)
churn 5000 & pids="$pids $!"
nsenter -t $S1 -n sh -c ". /tests/lib.sh; . /tests/torture_lib.sh; churn 5100" & pids="$pids $!"
nsenter -t $S2 -n sh -c ". /tests/lib.sh; . /tests/torture_lib.sh; churn 5200" & pids="$pids $!"
netns_loop & pids="$pids $!"
reader whole proc -b 65536 & pids="$pids $!"
reader tiny proc -b 1 & pids="$pids $!"
reader seek all -b 0 -l & pids="$pids $!"
burst_reader & pids="$pids $!"
nsenter -t $S1 -n sh -c ". /tests/lib.sh; . /tests/torture_lib.sh; reader s1 proc -b 0 -l" & pids="$pids $!"
nsenter -t $S2 -n sh -c ". /tests/lib.sh; . /tests/torture_lib.sh; reader s2 all -b 3" & pids="$pids $!"
fault_reader & pids="$pids $!"
writer & pids="$pids $!"
loader & pids="$pids $!"
loader_stacks & pids="$pids $!"
echo "TWGUEST torture running for ${SECS}s: churn in 3 namespaces, namespace churn, 10 readers, writer, load/unload, faults=$FAULTS"

sleep $SECS
touch $STOP
phase stop
# the loops end after their current step; a stuck one is a finding
for p in $pids; do
	i=0
	while kill -0 $p 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	kill -0 $p 2>/dev/null && fail loops_stop "loop $p still running 120 s after stop"
done
wait
run_secs=$(( $(date +%s) - start ))
for d in failslab fail_page_alloc; do
	[ -d $DBG/$d ] && echo 0 > $DBG/$d/probability
done

phase quiet
# ===== quiet: the module loaded afresh (a load under faults may lack a
# debugfs folder), live numbers, the churn's sockets gone
[ -e /sys/module/tw_stats ] && rmmod tw_stats
if insmod $MOD; then pass final_load; else fail final_load "insmod failed"; fi
echo 0 > $TW_PARAMS/cache_ms
echo 64 > $TW_PARAMS/top_n
for f in $DBG/tw_stats/*/cache_ms $DBG/tw_stats/*/top_n; do
	echo default > $f
done
# the writers' values took and their garbage did not
if echo banana > $TW_PARAMS/cache_ms 2>/dev/null; then
	fail param_refuses_garbage "cache_ms took banana"
else
	pass param_refuses_garbage
fi
expect_eq param_keeps_value "$(cat $TW_PARAMS/cache_ms)" 0

# TIME_WAIT lasts 60 s: wait for the churn's to end, then make a known
# set in every surviving namespace and compare it with the oracles
check_ns init 5400
nsenter -t $S1 -n sh -c ". /tests/lib.sh; . /tests/torture_lib.sh; check_ns s1 5500"
nsenter -t $S2 -n sh -c ". /tests/lib.sh; . /tests/torture_lib.sh; check_ns s2 5600"
TEST_GROUP=torture

# every namespace destroyed is gone from the module (its debugfs folder
# goes with its state); only the initial one is left
kill $S1 $S2
wait 2>/dev/null
folders() { ls -d $DBG/tw_stats/*/ | wc -l; }
wait_for 1 folders
expect_eq netns_all_freed "$(folders)" 1

# ===== the readers' verdict
cat $T/reads.* 2>/dev/null | awk '
	{ for (i = 2; i <= NF; i++) { split($i, kv, "="); n[kv[1]] += kv[2] } }
	END { printf "%d %d %d %d %d %d\n", n["ok"], n["bad"], n["gone"], n["nomem"], n["intr"], n["other"] }' > $T/reads.sum
read -r r_ok r_bad r_gone r_nomem r_intr r_other < $T/reads.sum
expect_eq reads_never_bad "$r_bad" 0
expect_eq reads_no_unexpected_error "$r_other" 0
expect_true reads_happened "no read succeeded" test "$r_ok" -gt 0
# what the readers said besides their counts (twcheck -F: exec failures)
sort $T/reader.err 2>/dev/null | uniq -c | sort -rn | head -n 5 | sed 's/^/TWGUEST reader stderr: /'
if [ "$r_bad" != 0 ] || [ "$r_other" != 0 ]; then
	head -n 40 $T/reader.err
	for f in /tmp/twcheck.bad.*; do
		[ -f "$f" ] && { echo "--- $f"; head -c 2000 "$f"; echo; }
	done
fi

# what it did, before the slow end (a kmemleak scan of all memory)
fs=0
fp=0
if [ "$FAULTS" = 1 ]; then
	fs=$(injected failslab)
	fp=$(injected fail_page_alloc)
	expect_true faults_injected "fault injection never hit" test $((fs + fp)) -gt 0
	expect_true faults_hit_module_load "no load under fault injection failed" \
		test "$(total loads_failed_injected)" -gt 0
fi
sort $T/writer.err 2>/dev/null | uniq -c | sort -rn | head -n 5 |
	sed 's/^/TWGUEST writer stderr: /'
# the loader's steps, with their times: where the unload/reload cycles went
tail -n 20 $T/loader.log | sed 's/^/TWGUEST loader: /'
tail -n 60 $T/loader.stacks 2>/dev/null | sed 's/^/TWGUEST loader stack: /'
echo "TWGUEST torture-ops seconds=$run_secs connections=$(total connections)" \
	"connect_errors=$(total connect_errors) listeners=$(total listeners)" \
	"netns_created=$(total netns_created) netns_destroyed=$(total netns_destroyed)" \
	"reads_ok=$r_ok reads_bad=$r_bad reads_gone=$r_gone reads_nomem=$r_nomem" \
	"reads_eintr=$r_intr reads_other=$r_other" \
	"writes_ok=$(total writes_ok) writes_refused=$(total writes_refused)" \
	"writes_gone=$(total writes_gone)" \
	"loads=$(total loads) unloads=$(total unloads) unload_busy=$(total unload_busy)" \
	"loads_refused_bad_param=$(total loads_refused_bad_param)" \
	"loads_failed_injected=$(total loads_failed_injected) loads_failed=$(total loads_failed)" \
	"faults_failslab=$fs faults_page_alloc=$fp"

# ===== the final unload, and kmemleak
phase kmemleak
if rmmod tw_stats; then pass final_unload; else fail final_unload "rmmod failed"; fi
expect_true no_file_after_unload "/proc/net/tw_stats exists" test ! -e /proc/net/tw_stats
expect_true no_debugfs_after_unload "debugfs folder left" test ! -e $DBG/tw_stats
if [ -w $KMEMLEAK ]; then
	# an object must be 5 s old to be reported; the kernel's own count
	# of what this scan finds includes boot-time objects: judged here
	sleep 6
	echo "tw_stats torture: kmemleak scan begin" > /dev/kmsg
	echo scan > $KMEMLEAK
	echo "tw_stats torture: kmemleak scan end" > /dev/kmsg
	# the reports of objects allocated after the baseline (and never
	# the boot's own, by pid 0)
	# a report's "(age 12.345s)" is its object's age at the scan
	max_age=$(awk -v b=$baseline_uptime '{ printf "%d\n", $1 - b }' /proc/uptime)
	echo "TWGUEST kmemleak: objects younger than ${max_age}s are the torture's"
	awk -v max_age=$max_age '
		/^unreferenced object/ { keep = 0; head = $0; next }
		head != "" && /^  comm / {
			age = $0
			sub(/.*\(age /, "", age)
			keep = age + 0 < max_age + 0 && $0 !~ /, pid 0,/
			if (keep) { print head; n++ }
			head = ""
		}
		keep
		END { print n + 0 > "/tmp/torture/leaks.new" }' $KMEMLEAK > $T/leaks.txt
	leaks=$(cat $T/leaks.new)
	expect_eq kmemleak_nothing_new "$leaks" 0
	[ "$leaks" = 0 ] || head -n 200 $T/leaks.txt
	echo "TWGUEST kmemleak: $leaks new, $(grep -c '^unreferenced object' $KMEMLEAK) reported in all"
fi

expect_eq loads_never_failed_without_faults "$(total loads_failed)" 0
expect_true load_unload_cycled "no unload happened" test "$(total unloads)" -gt 0
expect_true netns_cycled "no namespace was destroyed" test "$(total netns_destroyed)" -gt 0
tail -n 12 $T/netns.trace
phase end
pass completed
