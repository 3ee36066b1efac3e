# The NAT's view (issue 20), against a real NAT: clients -> this
# namespace, a router with an nftables masquerade rule -> a server, and
# conntrack(8) in the router as the oracle.
#  - Loading tw_stats does not load nf_conntrack, reading it does not pin
#    it: tw_nat says inactive, nat_active 0; once it is loaded the view
#    is active, and rmmod nf_conntrack works between readings.
#  - Every row of tw_nat is what `conntrack -L` shows, state by state,
#    with a narrow declared range (to :40000-40007), with the kernel's
#    default range, and with none declared ("-").
#  - With a range of N ports and k flows held in it toward a destination,
#    exactly headroom = N - k more connections through the NAT succeed
#    and the next one fails at the NAT (its SYN dropped; conntrack's
#    insert_failed/drop move).
#  - top_n bounds the rows; 'others' is the sum of the rest.
NATMODS=/lib/nat
NAT=/proc/net/tw_nat
HEADER="proto source destination flows time_wait close_wait established other port_min port_max headroom"
INACTIVE="# inactive: nf_conntrack is not loaded"
SRV=10.20.2.2
RTR=10.20.2.1
LO=40000
HI=40007

nat_load() {
	local m
	for m in $(cat $NATMODS/order); do
		[ -e /sys/module/$m ] || insmod $NATMODS/$m.ko || return 1
	done
}
# unload in reverse load order; false if nf_conntrack stays
nat_unload() {
	local m
	for m in $(awk '{ l[NR] = $0 } END { for (i = NR; i > 0; i--) print l[i] }' $NATMODS/order); do
		[ ! -e /sys/module/$m ] || rmmod $m 2>/dev/null
	done
	test ! -e /sys/module/nf_conntrack
}

# conntrack -L's source-NATed TCP flows in this namespace as tw_nat rows:
# key = translated source (the reply's dst) and original destination;
# with LO HI (not 0 0) the range and headroom = range size - flows whose
# translated port (the reply's dport) is in it.  Sorted, ';'-joined.
ct_rows() {
	conntrack -L -p tcp 2>/dev/null | awk -v lo="$1" -v hi="$2" '
	$1 == "tcp" {
		n = 0
		for (i = 5; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == "src" || kv[1] == "dst" || kv[1] == "sport" || kv[1] == "dport")
				v[++n] = kv[2]
		}
		# v1..v4 the original src dst sport dport, v5..v8 the reply
		if (n != 8 || (v[6] == v[1] && v[8] == v[3]))
			next
		k = "tcp " v[6] " " v[2] ":" v[4]
		flows[k]++
		if ($4 == "TIME_WAIT") tw[k]++
		else if ($4 == "CLOSE_WAIT") cw[k]++
		else if ($4 == "ESTABLISHED") est[k]++
		else oth[k]++
		if (lo > 0 && v[8] + 0 >= lo && v[8] + 0 <= hi) inr[k]++
	}
	END {
		for (k in flows) {
			l = k " " flows[k] " " tw[k] + 0 " " cw[k] + 0 " " est[k] + 0 " " oth[k] + 0
			if (lo > 0) l = l " " lo " " hi " " hi - lo + 1 - inr[k]
			else l = l " - - -"
			print l
		}
	}' | sort | tr '\n' ';'
}
# tw_nat's rows, the same way
our_rows() {
	awk 'NR > 1 && $1 == "tcp"' $NAT | sort | tr '\n' ';'
}
# conntrack -S summed over CPUs: insert_failed drop early_drop
ct_stat() {
	conntrack -S 2>/dev/null | awk '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); s[kv[1]] += kv[2] }
	} END { print s["insert_failed"] + 0, s["drop"] + 0, s["early_drop"] + 0 }'
}
our_stat() {
	echo "$(tw conntrack_insert_failed) $(tw conntrack_drop) $(tw conntrack_early_drop)"
}
# flows toward ADDR PORT translated to a port of LO..HI, by conntrack -L
ct_in_range() {
	conntrack -L -p tcp 2>/dev/null | awk -v a="$1" -v p="$2" -v lo=$LO -v hi=$HI '
	$1 == "tcp" {
		n = 0
		for (i = 5; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == "src" || kv[1] == "dst" || kv[1] == "sport" || kv[1] == "dport")
				v[++n] = kv[2]
		}
		if (n == 8 && v[2] == a && v[4] == p && v[8] + 0 >= lo && v[8] + 0 <= hi) c++
	} END { print c + 0 }'
}
# the census conntrack gives: settle until it stops moving
ct_census() {
	conntrack -L -p tcp 2>/dev/null | awk '{ print $4 }' | sort | uniq -c | tr -d ' \n'
}
# headroom of the row toward DEST (addr:port)
headroom_to() {
	awk -v d="$1" 'NR > 1 && $3 == d { print $11 }' $NAT
}

if [ ! -s $NATMODS/order ] && [ ! -e /sys/module/nf_conntrack ]; then
	skip all "this kernel's conntrack, NAT and nftables modules were not shipped (tests/check-kernel.sh)"
	return 0
fi
if ! command -v nft > /dev/null || ! command -v conntrack > /dev/null; then
	skip all "no nft or conntrack in the guest (tests/mkinitramfs.sh)"
	return 0
fi

# --- never change the host by looking
if [ -e /sys/module/nf_conntrack ]; then
	skip not_loaded "nf_conntrack is built in or already loaded on this kernel"
else
	rmmod tw_stats && insmod /lib/tw_stats.ko cache_ms=0 && pass reload ||
		fail reload "could not reload tw_stats"
	expect_true load_leaves_conntrack_unloaded "loading tw_stats loaded nf_conntrack" \
		test ! -e /sys/module/nf_conntrack
	expect_eq inactive.header "$(head -n 1 $NAT)" "$HEADER"
	expect_eq inactive.reason "$(sed -n 2p $NAT)" "$INACTIVE"
	expect_eq inactive.no_rows "$(wc -l < $NAT)" 2
	expect_eq inactive.nat_active "$(tw nat_active)" 0
	expect_eq inactive.no_nat_flows "$(tw nat_flows)" missing
	expect_eq inactive.no_conntrack_lines "$(tw conntrack_insert_failed)" missing
	expect_true read_leaves_conntrack_unloaded "reading tw_nat loaded nf_conntrack" \
		test ! -e /sys/module/nf_conntrack
	nat_load && pass load_conntrack || fail load_conntrack "insmod of $NATMODS failed"
	expect_eq active.nat_active "$(tw nat_active)" 1
	expect_eq active.empty "$(sed -n 2p $NAT)" "others - - 0 0 0 0 0 - - -"
	expect_eq active.nat_flows "$(tw nat_flows)" 0
	ref0=$(cat /sys/module/nf_conntrack/refcnt)
	cat $NAT /proc/net/tw_stats > /dev/null
	expect_eq read_takes_no_reference "$(cat /sys/module/nf_conntrack/refcnt)" "$ref0"
	expect_true rmmod_conntrack_between_readings "nf_conntrack could not be unloaded" nat_unload
	expect_eq inactive_again "$(sed -n 2p $NAT)" "$INACTIVE"
	expect_eq inactive_again.nat_active "$(tw nat_active)" 0
fi
nat_load || { fail nat_load "insmod of $NATMODS failed"; return 0; }
expect_eq file_mode "$(stat -c %a $NAT)" 640

# --- the network: clients (C) -> this namespace (the router) -> server (S)
C=$(new_netns)
S=$(new_netns)
if ip-full link add rc0 type veth peer name cl0 netns $C &&
	ip-full link add rs0 type veth peer name sv0 netns $S; then
	pass veth
else
	fail veth "no veth pair (CONFIG_VETH, or its module shipped in $NATMODS)"
fi
ip addr add 10.20.1.1/24 dev rc0
ip link set rc0 up
ip addr add $RTR/24 dev rs0
ip link set rs0 up
sysctl -qw net.ipv4.ip_forward=1
# a dropped SYN fails connect() after 3 s instead of 2 minutes
nsenter -t $C -n sh -c 'ip addr add 10.20.1.2/24 dev cl0; ip link set cl0 up
	ip route add default via 10.20.1.1; sysctl -qw net.ipv4.tcp_syn_retries=1'
nsenter -t $S -n sh -c "ip addr add $SRV/24 dev sv0; ip link set sv0 up"
masquerade() {
	nft delete table ip twnat 2>/dev/null
	nft -f - <<EOF
table ip twnat {
	chain post {
		type nat hook postrouting priority 100; policy accept;
		oifname "rs0" ip protocol tcp masquerade $1
	}
}
EOF
}
client() {
	nsenter -t $C -n $TWGEN client -a $SRV "$@"
}
masquerade "to :$LO-$HI" && pass nft_rule || fail nft_rule "nft refused the masquerade rule"
# closing servers on 8000.., holding ones on 9000..
srv_close=$(nsenter -t $S -n $TWGEN server -a $SRV -p 8000 -P 8 -m wait)
srv_hold=$(nsenter -t $S -n $TWGEN server -a $SRV -p 9000 -P 8 -m hold)

# --- a narrow range: rows = conntrack -L
echo "ports $LO-$HI" > $NAT && pass declare_range || fail declare_range "write refused"
client -p 8000 -n 3 -m close > /dev/null
hold1=$(client -p 9000 -n 2 -m hold)
settle ct_census
expect_eq narrow.rows_eq_conntrack "$(our_rows)" "$(ct_rows $LO $HI)"
# (3 closed; fewer left where the kernel's NAT evicts a TIME_WAIT flow
# for a new one: 6.12 and later, see nat.md; conntrack -L says how many)
expect_true narrow.has_time_wait "no TIME_WAIT row toward $SRV:8000" \
	sh -c "awk 'NR > 1 && \$3 == \"$SRV:8000\" && \$5 > 0' $NAT | grep -q ."
expect_eq narrow.others "$(tail -n 1 $NAT)" "others - - 0 0 0 0 0 - - -"
expect_eq narrow.nat_flows "$(tw nat_flows)" "$(conntrack -L -p tcp 2>/dev/null | grep -c '^tcp')"
expect_eq narrow.nat_time_wait "$(tw nat_time_wait)" \
	"$(conntrack -L -p tcp 2>/dev/null | awk '$4 == "TIME_WAIT"' | wc -l)"
expect_eq narrow.nat_untracked_flows "$(tw nat_untracked_flows)" 0

# --- the headroom is what the NAT really has left toward $SRV:9000
h=$(headroom_to $SRV:9000)
held=$(ct_in_range $SRV 9000)
expect_eq headroom.is_range_minus_held "$h" "$((HI - LO + 1 - held))"
expect_eq nat_min_headroom "$(tw nat_min_headroom)" \
	"$(awk 'NR > 1 && $1 == "tcp" { print $11 }' $NAT | sort -n | head -n 1)"
before=$(ct_stat)
if hold2=$(client -p 9000 -n "$h" -m hold 2>/tmp/nat.err); then
	pass headroom.that_many_succeed
else
	fail headroom.that_many_succeed "$h connections through the NAT did not all succeed: $(cat /tmp/nat.err)"
fi
settle ct_census
expect_eq headroom.now_zero "$(headroom_to $SRV:9000)" 0
if client -p 9000 -n 1 -m close > /dev/null 2>/tmp/nat.err; then
	fail headroom.next_fails "connection $((h + 1)) through the NAT succeeded"
else
	expect_true headroom.next_fails "not a timeout at the NAT: $(cat /tmp/nat.err)" \
		grep -q "timed out" /tmp/nat.err
fi
after=$(ct_stat)
# insert_failed + drop moved: the SYN was dropped at the NAT
expect_true headroom.nat_dropped "conntrack -S: before '$before', after '$after'" \
	test "$(echo $after | awk '{ print $1 + $2 }')" -gt "$(echo $before | awk '{ print $1 + $2 }')"
expect_eq conntrack_counters_eq_conntrack_S "$(our_stat)" "$(ct_stat)"
settle ct_census
expect_eq full.rows_eq_conntrack "$(our_rows)" "$(ct_rows $LO $HI)"
# for the record: the file and its oracle
sed 's/^/TWGUEST nat: /' $NAT
conntrack -L -p tcp 2>/dev/null | sed 's/^/TWGUEST nat conntrack: /'
# twstat's every output of this namespace's reading, with a pair at
# headroom 0 (tests/guest/twstat_nat.sh)
. /tests/twstat_nat.sh
twstat_nat_check /proc/$$/ns/net

# --- bad declarations are refused, and change nothing
for bad in "ports 9-3" "ports 0-10" "ports 1-65536" "ports" "banana" "ports 10-"; do
	name=refuses_$(printf '%s' "$bad" | tr -c 'a-z0-9' '_')
	if echo "$bad" > $NAT 2>/dev/null; then fail "$name" "accepted '$bad'"; else pass "$name"; fi
done
expect_eq bad_write_is_logged "$(dmesg | grep -c "tw_nat: 'ports 9-3' is not")" 1
expect_eq range_unchanged "$(headroom_to $SRV:9000)" 0
err=$(setpriv-full --bounding-set -net_admin sh -c "echo ports 1-2 > $NAT" 2>&1)
expect_true write_needs_net_admin "a root without CAP_NET_ADMIN declared a range ($err)" \
	test -n "$err"
expect_eq range_unchanged_by_unprivileged "$(awk 'NR == 2 { print $9 "-" $10 }' $NAT)" "$LO-$HI"

# --- top_n: one row, the rest in 'others'
d=/sys/kernel/debug/tw_stats/$(readlink /proc/self/ns/net | tr -dc 0-9)
echo 1 > $d/top_n
expect_eq top_n.rows "$(awk 'NR > 1 && $1 == "tcp"' $NAT | wc -l)" 1
expect_eq top_n.sums "$(awk 'NR > 1 { for (i = 4; i <= 8; i++) s[i] += $i }
	END { print s[4], s[5], s[6], s[7], s[8] }' $NAT)" \
	"$(ct_rows $LO $HI | tr ';' '\n' | awk 'NF { for (i = 4; i <= 8; i++) s[i] += $i }
	END { print s[4], s[5], s[6], s[7], s[8] }')"
expect_eq top_n.worst_kept "$(awk 'NR == 2 { print $3 }' $NAT)" "$SRV:9000"
echo default > $d/top_n

# --- the kernel's default range (a rule without 'to'), declared
kill_daemons $hold1 $hold2
masquerade ""
echo "ports default" > $NAT
client -p 8001 -n 2 -m close > /dev/null
hold3=$(client -p 9001 -n 1 -m hold)
settle ct_census
expect_eq default.rows_eq_conntrack "$(our_rows)" "$(ct_rows 1024 65535)"
expect_eq default.range "$(awk -v d=$SRV:8001 'NR > 1 && $3 == d { print $9 "-" $10 }' $NAT)" 1024-65535

# --- nothing declared: no range, no headroom
echo "ports unknown" > $NAT
expect_eq unknown.rows_eq_conntrack "$(our_rows)" "$(ct_rows 0 0)"
expect_eq unknown.nat_min_headroom "$(tw nat_min_headroom)" -

# --- tw_stats's nat_ sums are served for cache_ms (tw_stats is
# world-readable: readers looping on it share one walk per interval)
echo 60000 > $d/cache_ms
n1=$(tw nat_flows)
client -p 8002 -n 1 -m close > /dev/null
settle ct_census
expect_eq cache.sums_served_again "$(tw nat_flows)" "$n1"
echo default > $d/cache_ms
expect_eq cache.sums_new_after "$(tw nat_flows)" \
	"$(conntrack -L -p tcp 2>/dev/null | grep -c '^tcp')"

# --- conntrack's table is one for every namespace: a namespace with no
# conntrack entry (here: the clients', no ruleset asks for conntrack
# there) is answered from nf_conntrack_count() without a walk of it, so
# idle namespaces reading in a loop cost the host no walk
NW=/sys/kernel/debug/tw_stats/nat_walk
nw() { awk -v k="$1" '$1 == k { print $2 }' $NW; }
# tw NAME, read in the namespace of PID $1
ns_tw() { nsenter -t "$1" -n sh -c ". /tests/lib.sh; tw $2"; }
expect_eq empty_ns.conntrack_count "$(nsenter -t $C -n conntrack -C 2>/dev/null)" 0
ns_ino=$(readlink /proc/$C/ns/net | tr -dc 0-9)
echo 0 > /sys/kernel/debug/tw_stats/$ns_ino/cache_ms
w0=$(nw walks)
s0=$(nw skipped_empty)
for i in 1 2 3; do
	expect_eq empty_ns.nat_flows_$i "$(ns_tw $C nat_flows)" 0
done
expect_eq empty_ns.nat_active "$(ns_tw $C nat_active)" 1
expect_eq empty_ns.no_walk "$(nw walks)" "$w0"
# 4 readings at least (seq_file may format a large file twice)
expect_true empty_ns.readings_skipped "$(( $(nw skipped_empty) - s0 )) skipped" \
	test "$(( $(nw skipped_empty) - s0 ))" -ge 4
# ours has entries: a reading walks, and says what it read (every entry
# is hashed twice, as its original and its reply tuple)
echo 0 > $d/cache_ms
c1=$(conntrack -C)
tw nat_flows > /dev/null
c2=$(conntrack -C)
expect_true walked_with_entries "no walk" test "$(nw walks)" -gt "$w0"
if [ "$c1" = "$c2" ]; then
	expect_eq walk_read_every_entry "$(nw entries)" "$((2 * c1))"
else
	skip walk_read_every_entry "conntrack's entries changed during the reading ($c1, $c2)"
fi
echo default > $d/cache_ms
