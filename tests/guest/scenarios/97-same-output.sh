# The same output as the reference build: read every file of one still
# namespace with the module under test, then with tw_stats_ref.ko (the
# module built from $TW_REF_COMMIT, tests/lib.sh), on the same sockets, and
# compare them byte for byte.  Only the values that measure time may
# differ (walk durations, ages); they are blanked in both before the diff.
# A layout change must pass this unchanged; a change that means to change
# an output moves the reference commit (tests/lib.sh) in a commit after it.
REF=/lib/tw_stats_ref.ko
if [ ! -f $REF ]; then
	skip reference "no reference module in this guest (built by tests/check.sh from a git checkout)"
	return 0
fi

# A namespace of its own with a private established hash, so that its
# walk sees only its sockets: the other scenarios' TIME_WAIT expiring in
# the shared table must not move walk_sockets between the two reads.
sysctl -qw net.ipv4.tcp_child_ehash_entries=256
ns=$(new_netns)
sysctl -qw net.ipv4.tcp_child_ehash_entries=0
in_ns() { nsenter -t "$ns" -n "$@"; }
# tw_netns exists in the initial namespace only
tw_netns() { nsenter -t 1 -n cat /proc/net/tw_netns; }
ns_ino=$(readlink /proc/$ns/ns/net | tr -dc 0-9)

# Every kind of row: listeners, established, CLOSE_WAIT, client- and
# server-side TIME_WAIT over IPv4 and IPv6, an explicit bind.
hold=$(in_ns $TWGEN server -a 127.0.0.1 -p 5970 -m hold)
wait4=$(in_ns $TWGEN server -a 127.0.0.1 -p 5971 -P 3 -m wait)
wait6=$(in_ns $TWGEN server -a ::1 -p 5971 -P 3 -m wait)
close4=$(in_ns $TWGEN server -a 127.0.0.1 -p 5975 -m close)
bound=$(in_ns $TWGEN bind -a 127.0.0.1 -p 5979)
est=$(in_ns $TWGEN client -a 127.0.0.1 -p 5970 -n 7 -m hold)
expect_eq tw4_connected "$(in_ns $TWGEN client -a 127.0.0.1 -p 5971 -P 3 -n 40 -m close)" "connected 40"
expect_eq tw6_connected "$(in_ns $TWGEN client -a ::1 -p 5971 -P 3 -n 25 -m close)" "connected 25"
expect_eq server_tw_connected "$(in_ns $TWGEN client -a 127.0.0.1 -p 5975 -n 15 -m wait)" "connected 15"
in_ns sh -c '. /tests/lib.sh; settle'
# (tw_netns lists a namespace once it has a socket) the last column,
# private_ehash, says the walk saw this namespace's own table only
expect_eq private_ehash "$(tw_netns | awk -v ino="$ns_ino" '$1 == ino { print $NF }')" 1

netns_dir=/sys/kernel/debug/tw_stats/$ns_ino
# dump DIR: every file this namespace has, and its row of tw_netns
dump() {
	mkdir -p "$1"
	for f in tw_stats tw_ports tw_destinations tw_drops tw_cgroups; do
		in_ns cat /proc/net/$f > "$1/$f" 2>&1
	done
	for f in chain_lengths walk_cost walk_history walk_floor memory cache_ms top_n; do
		cat $netns_dir/$f > "$1/debugfs_$f" 2>&1
	done
	# other namespaces' rows move as their TIME_WAIT expires: only ours
	tw_netns | awk -v ino="$ns_ino" 'NR == 1 || $1 == ino' > "$1/tw_netns" 2>&1
}

# blank_times DIR: the values that measure time, by name or by column
blank_times() {
	sed -i -E 's/^(walk_ns|cache_age_ms) .*/\1 -/' "$1/tw_stats"
	sed -i -E 's/^(age_ms|ns) .*/\1 -/' "$1/debugfs_walk_cost" "$1/debugfs_walk_floor"
	# walk_history: age_ms is the first column, ns the sixth
	awk 'NR == 1 { print; next } { $1 = "-"; $6 = "-"; print }' "$1/debugfs_walk_history" \
		> "$1/h" && mv "$1/h" "$1/debugfs_walk_history"
	# tw_drops: last_seconds_ago, the fourth column
	awk 'NR == 1 { print; next } { $4 = "-"; print }' "$1/tw_drops" > "$1/d" && mv "$1/d" "$1/tw_drops"
	# tw_cgroups: close_wait_idle_max_s, the tenth
	awk 'NR == 1 { print; next } { $10 = "-"; print }' "$1/tw_cgroups" > "$1/c" &&
		mv "$1/c" "$1/tw_cgroups"
}

# blank_changed DIR: the values this tree means to give differently from
# the reference (TW_REF_COMMIT), each with the commit that changed it, so
# that everything else is still compared with the older module:
# - walk_scratch_bytes of debugfs memory: issue 18's dense destinations
#   table, 4,096 index entries of 2 bytes and 3,072 slots of 56 where
#   there were 4,096 slots of 60: 65,536 bytes less (the sum of what
#   tw_snapshot_fill() allocates; make bench's memory table shows it)
# - snapshot_bytes and snapshots_live_bytes of debugfs memory: struct
#   tw_snapshot holds the CPU time its reading cost (8 bytes more,
#   7960356), which decides how long the cache serves it
# - walk_history's last column, cpu_ns (05bfb58): that CPU time, a
#   column the reference does not have; cut, with its name, so that the
#   six before it are still compared
blank_changed() {
	sed -i -E 's/^(walk_scratch_bytes|snapshot_bytes|snapshots_live_bytes) .*/\1 -/' \
		"$1/debugfs_memory"
	awk '{ if (NF > 6) NF = 6; print }' "$1/debugfs_walk_history" > "$1/h" &&
		mv "$1/h" "$1/debugfs_walk_history"
}

# read_with MODULE DIR: load MODULE, read live (cache 0), unload
read_with() {
	insmod "$1" || { fail "load_$(basename "$1" .ko)" "insmod $1 failed"; return 1; }
	echo 0 > $TW_PARAMS/cache_ms
	dump "$2"
	blank_times "$2"
	blank_changed "$2"
	rmmod tw_stats
}

rm -rf /tmp/same && mkdir -p /tmp/same
rmmod tw_stats || fail unload_under_test "rmmod tw_stats failed"
read_with /lib/tw_stats.ko /tmp/same/now &&
	read_with $REF /tmp/same/ref &&
	read_with /lib/tw_stats.ko /tmp/same/again
# the module must be back for the scenarios after this one
insmod /lib/tw_stats.ko && echo 0 > $TW_PARAMS/cache_ms

# the reading is stable when the module under test read the same twice
for f in $(ls /tmp/same/now); do
	if diff /tmp/same/now/$f /tmp/same/again/$f > /dev/null; then
		if diff -u /tmp/same/ref/$f /tmp/same/now/$f > /tmp/same/$f.diff; then
			pass "identical.$f"
		else
			fail "identical.$f" "differs from the reference: $(head -c 400 /tmp/same/$f.diff | tr '\n' '|')"
		fi
	else
		fail "stable.$f" "two reads by the module under test differ: $(diff /tmp/same/now/$f /tmp/same/again/$f | head -c 300 | tr '\n' '|')"
	fi
done
expect_true read_something "tw_stats of the namespace is empty" test -s /tmp/same/now/tw_stats
expect_eq saw_created_tw "$(awk '$1 == "tw_total" { print $2 }' /tmp/same/now/tw_stats)" $((40 + 25 + 15))
kill_daemons $hold $wait4 $wait6 $close4 $bound $est
kill "$ns"
