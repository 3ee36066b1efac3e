# Run inside the guest by init: load the modules (KUnit runs on load of
# tw_stats_test.ko), then every scenario, each in a network namespace of
# its own so that sockets of one scenario never disturb another's counts.

TEST_GROUP=module
. /tests/lib.sh

if insmod /lib/tw_stats.ko; then pass load; else fail load "insmod tw_stats.ko failed"; fi
expect_true proc_file_exists "/proc/net/tw_stats missing after load" test -r $STATS
expect_eq proc_file_mode "$(stat -c %a $STATS)" 444
# live numbers for the comparisons; the cache has a scenario of its own
echo 0 > $TW_PARAMS/cache_ms

# KUnit prints to the kernel log; copy what the suites printed to the
# console now, so the results survive even if a later scenario hangs.
if [ -f /lib/tw_stats_test.ko ]; then
	seen=$(dmesg | wc -l)
	insmod /lib/tw_stats_test.ko || fail kunit_load "insmod tw_stats_test.ko failed"
	rmmod tw_stats_test
	echo "TWGUEST kunit-begin"
	dmesg | tail -n +$((seen + 1))
	echo "TWGUEST kunit-end"
else
	echo "TWGUEST kunit-skip no tw_stats_test.ko: this kernel has no CONFIG_KUNIT (stock kernel)"
fi

for s in /tests/scenarios/*.sh; do
	name=$(basename "$s" .sh)
	name=${name#*-}
	case ",${TW_ONLY:-$name}," in *",$name,"*) ;; *) continue ;; esac
	case ",${TW_SKIP:-}," in
	*",$name,"*)
		echo "TWTEST SKIP $name: left out on this kernel (tw.skip, tests/check-kernel.sh)"
		continue
		;;
	esac
	echo "TWGUEST scenario $name"
	began=$(date +%s)
	# tcp_rfc1337=1: an RST must not end a TIME_WAIT early.  In a slow
	# TCG guest, delayed or reordered loopback segments make a TIME_WAIT
	# answer with an ACK that the peer, already closed, resets; with the
	# default 0 that RST kills it and a scenario counts 499 of 500.
	timeout ${TW_SCENARIO_TIMEOUT:-180} unshare -n sh -c "ip link set lo up
		sysctl -qw net.ipv4.tcp_tw_reuse=0 net.ipv4.tcp_rfc1337=1
		TEST_GROUP=$name
		. /tests/lib.sh
		. $s
		pass completed"
	[ $? -ne 124 ] || echo "TWTEST FAIL $name.timed_out: after ${TW_SCENARIO_TIMEOUT:-180}s"
	echo "TWGUEST time $name $(($(date +%s) - began))s"
done
