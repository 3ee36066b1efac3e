# Network namespace teardown with the module loaded: its pernet exit runs
# for every namespace that goes, on the path of every container's exit,
# and must neither leave state behind nor make teardown wait.  200
# namespaces made and dropped (`unshare -n true`) one after the other;
# the kernel tears them down in batches on its own (cleanup_net()), and
# the module's exit removes each one's debugfs folder, so the folders of
# namespaces that did not exist before are the ones not torn down yet (an
# earlier scenario's namespace may still be going: not counted).  The
# guest log shows how long making them and tearing them all down took;
# the check is that every one's state went.
N=200
dbg=/sys/kernel/debug/tw_stats
now_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
ls $dbg > /tmp/teardown.before
# folders() counts folders of namespaces made here that are still there
folders() {
	ls $dbg > /tmp/teardown.now
	awk 'NR == FNR { old[$1]; next } /^[0-9]/ && !($1 in old)' \
		/tmp/teardown.before /tmp/teardown.now | wc -l
}

# three rounds: one is noisy under TCG on a shared host
for round in 1 2 3; do
	t0=$(now_cs)
	i=0
	while [ $i -lt $N ]; do
		unshare -n true
		i=$((i + 1))
	done
	t1=$(now_cs)
	i=0
	while [ "$(folders)" -gt 0 ] && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	t2=$(now_cs)
	expect_eq every_state_freed.$round "$(folders)" 0
	echo "TWGUEST netns-teardown: $N namespaces made in $(((t1 - t0) * 10)) ms, all torn down $(((t2 - t0) * 10)) ms after the first, $(((t2 - t1) * 10)) ms after the last"
done
