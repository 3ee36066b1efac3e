# What an unprivileged reader can make the kernel hold by keeping table
# files open: each open takes (or shares) a snapshot and holds it until
# close.  At most snapshots_live_max snapshots are alive per namespace,
# so 5,000 opens over 20 cache intervals grow kernel memory (Slab +
# VmallocUsed) by at most that many of the largest snapshot, plus what
# the 5,000 open files cost the kernel anyway (measured on a non-tw_stats
# /proc file); closing them returns it.  Everything a reader causes is
# charged to its memory cgroup: under a small memory.max the opens fail
# with ENOMEM, nobody is OOM-killed, and a reader outside goes on.
inum=$(readlink /proc/self/ns/net | tr -dc 0-9)
DBG=/sys/kernel/debug/tw_stats/$inum
NOPEN=5000
ROUNDS=20
CACHE_MS=200
LISTENERS=16384
# snapshots alive per namespace at most, as docs/safety.md states
LIVE_MAX=4
# what Slab + VmallocUsed may drift by meanwhile, for reasons of its own
# (empty slabs SLUB keeps, short-lived allocations of the shell's tools)
MARGIN=$((1024 * 1024))
HOLD=/bin/twhold
# uid and gid nobody, no capabilities, none to gain
UNPRIV="setpriv-full --reuid 65534 --regid 65534 --clear-groups --inh-caps=-all --bounding-set=-all"

mem() { awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print "missing" }' $DBG/memory; }
# kernel memory in bytes: slab (kmalloc'ed snapshots) and vmalloc (kvmalloc'ed)
kmem() { awk '$1 == "Slab:" || $1 == "VmallocUsed:" { s += $2 } END { print s * 1024 }' /proc/meminfo; }
# pow2 N: N rounded up to a power of two (what kmalloc takes for N bytes
# past a page; vmalloc takes no more)
pow2() { local p=1; while [ $p -lt "$1" ]; do p=$((p * 2)); done; echo $p; }
kb() { echo "$(( $1 / 1024 )) KiB"; }

# hold_start NAME FILE N ROUNDS MS [PREFIX...]: run twhold as PREFIX
# (unprivileged by default) on FILE; wait until its opens are done.
# hold_stop NAME: close them; twhold's lines are in /tmp/rm.NAME.out.
hold_start() {
	local name=$1 file=$2 n=$3 rounds=$4 ms=$5 i=0 pid
	shift 5
	[ $# -gt 0 ] || set -- $UNPRIV
	rm -f /tmp/rm.$name.ctl /tmp/rm.$name.out
	mkfifo /tmp/rm.$name.ctl
	"$@" $HOLD -f "$file" -n "$n" -r "$rounds" -i "$ms" \
		< /tmp/rm.$name.ctl > /tmp/rm.$name.out 2>&1 &
	pid=$!
	eval "holder_$name=$pid"
	exec 8> /tmp/rm.$name.ctl
	while ! grep -q '^opened' /tmp/rm.$name.out && kill -0 $pid 2>/dev/null &&
		[ $i -lt 600 ]; do
		sleep 0.2
		i=$((i + 1))
	done
}
hold_stop() {
	exec 8>&-
	eval "wait \$holder_$1"
	# close() frees files after an RCU grace period: let it pass
	sleep 1
}
opened() { sed -n 's/^\(opened .*\)$/\1/p' /tmp/rm.$1.out; }

# --- one large snapshot: 16384 listeners, one port each
ulimit -n $((LISTENERS + 64))
lst=$($TWGEN listen -a 127.0.0.1 -p 20000 -n $LISTENERS)
echo $CACHE_MS > $DBG/cache_ms
ports=$(($(wc -l < /proc/net/tw_ports) - 1))
dests=$(($(wc -l < /proc/net/tw_destinations) - 2))
expect_eq ports_in_use "$ports" $LISTENERS
snap=$(mem snapshot_bytes)
live_max=$LIVE_MAX
# the largest snapshot as the allocator sizes it: struct tw_snapshot in a
# 1 KiB slab, its port and destination rows (32 and 64 bytes) kvmalloc'ed,
# and 8 KiB for vmalloc's page array and area, should it vmalloc them
snap_max=$(( 1024 + $(pow2 $((ports * 32))) + $(pow2 $((dests * 64 + 1))) + 8192 ))
bound=$((live_max * snap_max))
echo "TWGUEST measure: one snapshot: $ports ports, $dests destination rows, snapshot_bytes $snap ($(kb $snap)), allocated at most $(kb $snap_max); live at most $live_max: bound $(kb $bound)"
expect_true snapshot_large "snapshot_bytes $snap for $ports ports" \
	test "$snap" -ge $((ports * 32))
expect_eq snapshots_live_max "$(mem snapshots_live_max)" $LIVE_MAX

# --- what 5,000 open files cost the kernel whatever they are: sockstat
# is a seq_file in /proc/net as ours are, and takes nothing at open
sleep 1
k0=$(kmem)
hold_start files /proc/net/sockstat $NOPEN 1 0
k1=$(kmem)
expect_eq files_opened "$(opened files)" "opened $NOPEN enomem 0 other 0"
hold_stop files
slack=$((k1 - k0))
echo "TWGUEST measure: $NOPEN open /proc/net/sockstat files: Slab + VmallocUsed +$(kb $slack) ($((slack / NOPEN)) bytes each)"

# --- 5,000 table files, opened by nobody over 20 cache intervals, kept open
cat /proc/net/tw_ports > /dev/null
sleep 1
k0=$(kmem)
walks0=$(awk '$1 == "walks" { print $2 }' $DBG/walk_cost)
hold_start ports /proc/net/tw_ports $NOPEN $ROUNDS $((CACHE_MS + 50))
k2=$(kmem)
live=$(mem snapshots_live)
live_bytes=$(mem snapshots_live_bytes)
walks=$(( $(awk '$1 == "walks" { print $2 }' $DBG/walk_cost) - walks0 ))
grow=$((k2 - k0))
echo "TWGUEST measure: $NOPEN open tw_ports over $ROUNDS intervals: Slab + VmallocUsed +$(kb $grow); snapshots_live $live ($(kb $live_bytes)), walks $walks; bound $(kb $bound) + files $(kb $slack) + margin $(kb $MARGIN)"
expect_eq unprivileged_opens "$(opened ports)" "opened $NOPEN enomem 0 other 0"
expect_true snapshots_live_bounded "snapshots_live $live > $live_max" \
	test "$live" -le "$live_max"
expect_true opens_spanned_intervals "only $walks walks for $ROUNDS intervals" \
	test "$walks" -ge "$live_max"
expect_true kernel_memory_bounded \
	"Slab + VmallocUsed grew $grow > bound $bound + files $slack + margin $MARGIN" \
	test $grow -le $((bound + slack + MARGIN))
# the bound reached, a reader is served the newest snapshot however old,
# and sees its age; no new walk is taken
sleep 1
age=$(tw cache_age_ms)
expect_true stale_reading_shows_age "cache_age_ms $age, cache_ms $CACHE_MS" \
	test "$age" -ge 1000
expect_eq no_walk_at_bound "$(( $(awk '$1 == "walks" { print $2 }' $DBG/walk_cost) - walks0 ))" "$walks"
hold_stop ports
expect_eq all_closed "$(tail -n 1 /tmp/rm.ports.out)" "closed $NOPEN"
k3=$(kmem)
echo "TWGUEST measure: after close: Slab + VmallocUsed $((k3 - k0)) bytes from before the opens"
expect_true closing_returns_memory "Slab + VmallocUsed still +$((k3 - k0)) after close" \
	test $((k3 - k0)) -le $MARGIN
expect_eq one_snapshot_left "$(mem snapshots_live)" 1
# and the next reader gets a fresh reading again
sleep 0.3
expect_true fresh_after_close "cache_age_ms $(tw cache_age_ms)" \
	test "$(tw cache_age_ms)" -lt $CACHE_MS

# --- a memory cgroup: what the reader's opens cost is charged to it
CG=/sys/fs/cgroup
mkdir -p $CG
grep -q "^[^ ]* $CG cgroup2 " /proc/mounts || mount -t cgroup2 none $CG
echo +memory > $CG/cgroup.subtree_control
R=$CG/tw_reader_$inum
R2=$CG/tw_reader_small_$inum
mkdir $R $R2
# in cgroup $CGDIR first, then nobody: twhold and all it allocates is charged
in_cg() { sh -c "echo \$\$ > $CGDIR/cgroup.procs && exec $UNPRIV \"\$@\"" in_cg "$@"; }

# a generous limit: the snapshots the reader takes are charged to it
echo 64M > $R/memory.max
CGDIR=$R
sleep 0.3
hold_start cg /proc/net/tw_ports 1000 4 $((CACHE_MS + 50)) in_cg
charged=$(cat $R/memory.current)
live_bytes=$(mem snapshots_live_bytes)
echo "TWGUEST measure: memory.current of a reader holding 1000 tw_ports files: $(kb $charged); snapshots_live $(mem snapshots_live) ($(kb $live_bytes))"
expect_eq cg_opens "$(opened cg)" "opened 1000 enomem 0 other 0"
expect_true snapshots_charged_to_reader "memory.current $charged < live snapshots $live_bytes" \
	test "$charged" -ge "$live_bytes"
hold_stop cg

# a small one, less than a walk's scratch table: the reading cannot be
# taken, the opens fail with ENOMEM, and nobody is OOM-killed
echo 2M > $R2/memory.max
CGDIR=$R2
sleep 0.3
k0=$(kmem)
hold_start cgsmall /proc/net/tw_ports 500 2 $((CACHE_MS + 50)) in_cg
echo "TWGUEST measure: under memory.max 2M: $(opened cgsmall); memory.events: $(tr '\n' ' ' < $R2/memory.events)"
expect_eq cg_small_enomem "$(opened cgsmall)" "opened 0 enomem 500 other 0"
expect_eq cg_small_no_oom_kill "$(awk '$1 == "oom_kill" { print $2 }' $R2/memory.events)" 0
expect_true cg_small_limit_hit "memory.events: $(cat $R2/memory.events)" \
	test "$(awk '$1 == "max" { print $2 }' $R2/memory.events)" -gt 0
# meanwhile the host reads on, fresh, and kept nothing of it
sleep 0.3
expect_true host_reads_fresh "cache_age_ms $(tw cache_age_ms)" \
	test "$(tw cache_age_ms)" -lt $CACHE_MS
expect_eq host_reads_ports "$(($(wc -l < /proc/net/tw_ports) - 1))" $LISTENERS
k1=$(kmem)
echo "TWGUEST measure: the host after it: Slab + VmallocUsed $((k1 - k0)) bytes"
expect_true host_unaffected "Slab + VmallocUsed +$((k1 - k0))" test $((k1 - k0)) -le $MARGIN
hold_stop cgsmall

echo default > $DBG/cache_ms
kill_daemons $lst
rmdir $R $R2
rm -f /tmp/rm.*
