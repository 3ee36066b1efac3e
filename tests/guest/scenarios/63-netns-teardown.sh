# Network namespace teardown with the module loaded: its pernet exit runs
# for every namespace that goes, on the path of every container's exit,
# and must neither leave state behind nor make teardown wait.  200
# namespaces made and dropped (`unshare -n true`) one after the other;
# the kernel tears them down in batches on its own (cleanup_net()), and
# the module's exit removes each one's debugfs folder, so the folders
# count the namespaces not torn down yet.  The guest log shows how long
# making them and tearing them all down took (make check's numbers for
# the README), the checks that every one's state went.
N=200
dbg=/sys/kernel/debug/tw_stats
now_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
folders() { ls $dbg | grep -c '^[0-9]'; }

base=$(folders)
t0=$(now_cs)
i=0
while [ $i -lt $N ]; do
	unshare -n true
	i=$((i + 1))
done
t1=$(now_cs)
i=0
while [ "$(folders)" -gt "$base" ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
t2=$(now_cs)
expect_eq every_state_freed "$(folders)" "$base"
echo "TWGUEST netns-teardown: $N namespaces made in $(((t1 - t0) * 10)) ms, all torn down $(((t2 - t0) * 10)) ms after the first"
