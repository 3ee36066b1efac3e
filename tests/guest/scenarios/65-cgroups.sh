# /proc/net/tw_cgroups: who holds the namespace's full sockets, per
# (cgroup v2, uid).  Three cgroups under two uids: a server that leaks
# CLOSE_WAIT (it never closes after its clients' FIN), one that holds
# ESTABLISHED connections (both ends), and a server that closes first
# (server-side TIME_WAIT on its port); then more pairs than top_n.
# Every row must equal what `ss -tanpe` lists, each socket's process
# mapped to its cgroup through /proc/PID/cgroup and to the cgroup's id by
# the inode number of its directory; close_wait_idle_max_s must grow
# between two readings and match ss's lastack.  On a kernel without
# socket cgroup data (ss then shows no cgroup:, as the KUnit kernels'
# config has it) every cgroup must be 0.
CG=/proc/net/tw_cgroups
HEADER="cgroup uid established close_wait syn_sent other listen tw_server ephemeral_in_use close_wait_idle_max_s"
expect_eq header "$(head -n 1 $CG)" "$HEADER"
expect_eq mode "$(stat -c %a $CG)" 444
expect_eq empty_netns "$(tail -n +2 $CG)" "others - 0 0 0 0 0 0 0 -"

cgroot=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$cgroot" ]; then
	mkdir -p /sys/fs/cgroup
	mount -t cgroup2 none /sys/fs/cgroup
	cgroot=/sys/fs/cgroup
fi
base=$cgroot/twtest_cgroups
mkdir -p $base/leak $base/hold $base/srv
set -- $(sysctl -n net.ipv4.ip_local_port_range)
lo=$1 hi=$2

# in_cg DIR UID COMMAND...: COMMAND in cgroup DIR as UID (and its gid)
in_cg() {
	local dir=$1 id=$2
	shift 2
	sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$dir" \
		setpriv-full --reuid "$id" --regid "$id" --clear-groups "$@"
}

# --- the three applications ---
leak=$(in_cg $base/leak 1000 $TWGEN server -a 127.0.0.1 -p 6510 -m hold)
# its clients send FIN 3 s after connecting, and keep their sockets
# (FIN_WAIT2, not orphans): the leak's sockets last received data (none:
# the handshake) 3 s before their last ACK (the FIN)
leakcli=$(in_cg $base/hold 0 $TWGEN client -a 127.0.0.1 -p 6510 -n 4 -m half -w 3)
hold=$(in_cg $base/hold 0 $TWGEN server -a 127.0.0.1 -p 6520 -m hold)
holdcli=$(in_cg $base/hold 0 $TWGEN client -a 127.0.0.1 -p 6520 -n 6 -m hold)
srv=$(in_cg $base/srv 1000 $TWGEN server -a 127.0.0.1 -p 6530 -m close)
expect_eq srv.connected "$($TWGEN client -a 127.0.0.1 -p 6530 -n 5 -m wait)" "connected 5"
# the leak's clients shut down only 3 s after connecting, one after the
# other: settle alone can return in that pause, and a reading then caught
# them half done (a .ci/run saw 1 established and 3 close_wait)
wait_for 4 ssc state close-wait sport = :6510
settle
expect_eq srv.cgroup "$(sed -n 's/^0:://p' /proc/$srv/cgroup)" "${base#"$cgroot"}/srv"

# Whether the kernel keeps a cgroup per socket: ss shows one exactly
# when inet_diag has it (CONFIG_SOCK_CGROUP_DATA), as our walk does.
if ss -Htane --cgroup | grep -q 'cgroup:'; then nocg=0; else nocg=1; fi
echo "TWGUEST cgroups: socket cgroup data: $((1 - nocg))"
cgid() { if [ $nocg = 1 ]; then echo 0; else stat -c %i "$1"; fi; }
leak_id=$(cgid $base/leak)
hold_id=$(cgid $base/hold)
srv_id=$(cgid $base/srv)

# ss_rows: the table from ss -tanpe: per (cgroup, uid) the columns up to
# ephemeral_in_use, sorted; a socket of no process (an orphan) is an
# error line, since its cgroup cannot be told from ss -p
ss_rows() {
	ss -Htanpe > /tmp/cg.ss
	grep -o 'pid=[0-9]*' /tmp/cg.ss | cut -d= -f2 | sort -u | while read -r pid; do
		path=$(sed -n 's/^0:://p' /proc/$pid/cgroup)
		echo "$pid $(cgid "$cgroot$path")"
	done > /tmp/cg.pids
	awk -v lo=$lo -v hi=$hi 'FILENAME == ARGV[1] { cg[$1] = $2; next }
	{
		port = $4; sub(/.*:/, "", port)
		if ($1 == "TIME-WAIT") { tw[port]++; next }
		if (!match($0, /pid=[0-9]+/)) { print "no process: " $0; next }
		pid = substr($0, RSTART + 4, RLENGTH - 4)
		uid = 0
		if (match($0, /uid:[0-9]+/)) uid = substr($0, RSTART + 4, RLENGTH - 4)
		k = cg[pid] " " uid; keys[k] = 1
		if ($1 == "ESTAB") est[k]++
		else if ($1 == "CLOSE-WAIT") cw[k]++
		else if ($1 == "SYN-SENT") syn[k]++
		else if ($1 == "LISTEN") { li[k]++; lport[k " " port] = 1 }
		else oth[k]++
		if (port + 0 >= lo && port + 0 <= hi) eph[k]++
	} END {
		for (x in lport) { split(x, a, " "); tws[a[1] " " a[2]] += tw[a[3]] }
		for (k in keys)
			print k, est[k] + 0, cw[k] + 0, syn[k] + 0, oth[k] + 0, li[k] + 0,
				tws[k] + 0, eph[k] + 0
	}' /tmp/cg.pids /tmp/cg.ss | sort
}
# our_rows [FILE]: the module's rows without close_wait_idle_max_s, sorted
our_rows() {
	awk 'NR > 1 && $1 != "others" { print $1, $2, $3, $4, $5, $6, $7, $8, $9 }' \
		"${1:-$CG}" | sort
}
# cg_row ID UID [FILE]: the module's row of that pair
cg_row() { awk -v c="$1" -v u="$2" 'NR > 1 && $1 == c && $2 == u' "${3:-$CG}"; }

# --- one reading, against one ss dump ---
cat $CG > /tmp/cg.1
sed 's/^/TWGUEST cgroups: /' /tmp/cg.1
expect_eq table=ss "$(our_rows /tmp/cg.1 | tr '\n' ';')" "$(ss_rows | tr '\n' ';')"
expect_eq others_empty "$(tail -n 1 /tmp/cg.1)" "others - 0 0 0 0 0 0 0 -"
# worst first: most close_wait, then most established, then by key
expect_eq rows_worst_first \
	"$(awk 'NR > 1 && $1 != "others" { print $4, $3, $1, $2 }' /tmp/cg.1 |
		sort -k1,1nr -k2,2nr -k3,3n -k4,4n -c && echo yes)" yes
# and what the scenario made, known without ss (the srv clients are
# gone; the leak's clients are FIN_WAIT2 "other" in hold's row)
if [ $nocg = 0 ]; then
	expect_eq leak.row "$(cg_row $leak_id 1000 /tmp/cg.1 | cut -d' ' -f1-9)" \
		"$leak_id 1000 0 4 0 0 1 0 0"
	expect_eq hold.row "$(cg_row $hold_id 0 /tmp/cg.1 | cut -d' ' -f1-9)" \
		"$hold_id 0 12 0 0 4 1 0 10"
	expect_eq srv.row "$(cg_row $srv_id 1000 /tmp/cg.1)" "$srv_id 1000 0 0 0 0 1 5 0 -"
	expect_eq leak_first "$(sed -n 2p /tmp/cg.1 | cut -d' ' -f1-2)" "$leak_id 1000"
	expect_true cgroup_ids_differ "$leak_id $hold_id $srv_id" \
		test "$leak_id" != "$hold_id" -a "$hold_id" != "$srv_id" -a "$leak_id" != 0
else
	# leak and srv share uid 1000: one pair when there is no cgroup
	expect_eq nocg.uid1000_row "$(cg_row 0 1000 /tmp/cg.1 | cut -d' ' -f1-9)" \
		"0 1000 0 4 0 0 2 5 0"
	expect_eq nocg.all_zero "$(awk 'NR > 1 && $1 != "others" && $1 != 0' /tmp/cg.1)" ""
fi
expect_eq tw_server=ss "$(cg_row $srv_id 1000 /tmp/cg.1 | cut -d' ' -f8)" \
	"$(ssc state time-wait sport = :6530)"

# --- twstat names the owners: the cgroup paths made above, the users ---
# (the guest's /etc/passwd may lack uid 1000: give it a name to find)
grep -q '^[^:]*:[^:]*:1000:' /etc/passwd 2> /dev/null ||
	echo 'twleak:x:1000:1000:tw_stats test:/:/bin/sh' >> /etc/passwd
grep -q '^[^:]*:[^:]*:0:' /etc/passwd || echo 'root:x:0:0:root:/:/bin/sh' >> /etc/passwd
u1000=$(awk -F: '$3 == 1000 { print $1; exit }' /etc/passwd)
u0=$(awk -F: '$3 == 0 { print $1; exit }' /etc/passwd)
/bin/twstat --by-cgroup > /tmp/cg.by 2>&1
/bin/twstat --json > /tmp/cg.json 2>&1
sed 's/^/TWGUEST cgroups: by-cgroup: /' /tmp/cg.by
rel=${base#"$cgroot"}
# by_row PATH USER: --by-cgroup's row of that owner, its counts up to listen
# (USER, the counts, ..., CGROUP last)
by_row() { awk -v c="$1" -v u="$2" '$NF == c && $1 == u { print $2, $3, $5, $6, $7 }' /tmp/cg.by; }
if [ $nocg = 0 ]; then
	expect_eq twstat.leak_named "$(by_row "$rel/leak" "$u1000")" "0 4 0 0 1"
	expect_eq twstat.hold_named "$(by_row "$rel/hold" "$u0")" "12 0 0 4 1"
	expect_eq twstat.srv_named "$(by_row "$rel/srv" "$u1000")" "0 0 0 0 1"
	expect_true twstat.json_leak "path $rel/leak, user $u1000" grep -q \
		"\"cgroup\": $leak_id, \"uid\": 1000, .*\"path\": \"$rel/leak\", .*\"user\": \"$u1000\"" /tmp/cg.json
	expect_true twstat.json_srv "path $rel/srv" grep -q \
		"\"cgroup\": $srv_id, \"uid\": 1000, .*\"path\": \"$rel/srv\", .*\"user\": \"$u1000\"" /tmp/cg.json
else
	# no cgroup per socket: "-", and the users by name all the same
	expect_eq twstat.nocg_uid1000 "$(by_row - "$u1000")" "0 4 0 0 2"
	expect_true twstat.nocg_root "user $u0" test -n "$(by_row - "$u0")"
	expect_true twstat.json_nocg "cgroup 0, path null, user $u1000" grep -q \
		"\"cgroup\": 0, \"uid\": 1000, .*\"path\": null, .*\"user\": \"$u1000\"" /tmp/cg.json
fi

# --- CLOSE_WAIT idle time: grows, and is ss's lastack ---
idle() { cg_row $leak_id 1000 | cut -d' ' -f10; }
# ss_idle [FIELD]: the largest ss -ti FIELD (lastack: ms since the last
# ACK received, rcv_tstamp; lastrcv: since the last data, lrcvtime) of
# the leak's sockets, in whole seconds
ss_idle() {
	ss -Htin state close-wait sport = :6510 |
		awk -v f="${1:-lastack}:" 'match($0, f "[0-9]+") {
			v = substr($0, RSTART + length(f), RLENGTH - length(f)) + 0
			if (v > m) m = v
		} END { print int(m / 1000) }'
}
t0=$(date +%s)
i0=$(idle)
s0=$(ss_idle)
sleep 3
i1=$(idle)
s1=$(ss_idle)
# after the read: i1 - i0 < (t1 - t0) + 2 however the seconds fall
t1=$(date +%s)
echo "TWGUEST cgroups: idle ${i0}s then ${i1}s over $((t1 - t0))s; ss lastack ${s0}s then ${s1}s"
expect_true idle_grows "from $i0 to $i1 in $((t1 - t0)) s" \
	test "$i1" -ge $((i0 + 2)) -a "$i1" -le $((i0 + t1 - t0 + 1))
expect_true idle=ss_lastack "module ${i1}s, ss ${s1}s" \
	test "$i1" -ge $((s1 - 1)) -a "$i1" -le $((s1 + 1))
# the other timestamp is 3 s older here: the check above tells them apart
r1=$(ss_idle lastrcv)
expect_true lastrcv_differs "ss lastrcv ${r1}s, lastack ${s1}s" test "$r1" -ge $((s1 + 2))

# --- the reader's user namespace: uids as ss shows them there ---
if unshare -U -r true 2> /dev/null; then
	expect_eq userns.uids=ss \
		"$(unshare -U -r awk 'NR > 1 && $1 != "others" { print $2 }' $CG | sort -u | tr '\n' ' ')" \
		"$(unshare -U -r ss -Htanpe | awk '$1 != "TIME-WAIT" {
			u = 0; if (match($0, /uid:[0-9]+/)) u = substr($0, RSTART + 4, RLENGTH - 4)
			print u }' | sort -u | tr '\n' ' ')"
	[ $nocg = 1 ] || expect_eq userns.unmapped \
		"$(unshare -U -r awk -v c=$leak_id 'NR > 1 && $1 == c { print $2 }' $CG)" 65534
else
	skip userns "unshare -U -r fails: no user namespaces (the KUnit kernels have no CONFIG_USER_NS)"
fi

# --- more pairs than top_n: 4 more uids, listening in the srv cgroup ---
extra=
for u in 2001 2002 2003 2004; do
	extra="$extra $(in_cg $base/srv $u $TWGEN listen -a 127.0.0.1 -p $((6540 + u - 2000)) -n 1)"
done
settle
cat $CG > /tmp/cg.all
expect_eq all.table=ss "$(our_rows /tmp/cg.all | tr '\n' ';')" "$(ss_rows | tr '\n' ';')"
pairs=$(our_rows /tmp/cg.all | wc -l)
expect_eq all.pairs "$pairs" $((7 - 1 * nocg))
tunable=/sys/kernel/debug/tw_stats/$(readlink /proc/self/ns/net | tr -dc 0-9)/top_n
echo 2 > "$tunable"
cat $CG > /tmp/cg.top
echo default > "$tunable"
expect_eq top.rows "$(our_rows /tmp/cg.top | wc -l)" 2
expect_eq top.first_rows "$(sed -n 2,3p /tmp/cg.top | cut -d' ' -f1-9)" \
	"$(sed -n 2,3p /tmp/cg.all | cut -d' ' -f1-9)"
# others: the sums of the rows past the first two, idle the largest
expect_eq top.others "$(tail -n 1 /tmp/cg.top)" \
	"$(awk -v n=$((pairs + 1)) 'NR > 3 && NR <= n {
			for (i = 3; i <= 9; i++) s[i] += $i
			if ($4 > 0) { cw = 1; if ($10 > m) m = $10 }
		} END {
			printf "others -"; for (i = 3; i <= 9; i++) printf " %d", s[i]
			print " " (cw ? m : "-")
		}' /tmp/cg.all)"
# (every pair past the first two has one listener)
expect_eq top.others_listen "$(tail -n 1 /tmp/cg.top | cut -d' ' -f7)" $((pairs - 2))

kill_daemons $leak $leakcli $hold $holdcli $srv $extra
rmdir $base/leak $base/hold $base/srv $base 2> /dev/null
