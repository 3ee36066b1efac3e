# Sourced by run.sh: --what-if and the numbers --advise quotes, on a
# fixture whose numbers obey the module's rules, each expectation derived
# here by hand.  The fixture: range 32768-60999 (28232 ports, even), no
# reserved port, 2 bound, so ephemeral_available = 28230; tcp_tw_reuse 0,
# timestamps on; conn_per_s = 28230 / 60 = 470.  Worst first:
#   D 10.0.0.9:443   tw 28000 in_use 28300 headroom 0 (clamped)
#   A 10.0.0.2:5432  tw 27800 in_use 27950 headroom 28230 - 27950 = 280
#   B 10.0.0.3:80    tw 1000  in_use 1030  headroom 28230 - 1030 = 27200
# shareable = available + reusable - headroom (A 27950, B 1030); for D,
# whose headroom is clamped, in_use 28300 bounds it from above.
wi=$(variant whatif wellformed)
setstat "$wi" ephemeral_reserved 0
setstat "$wi" ephemeral_bound 2
setstat "$wi" ephemeral_available 28230
printf '0\n' > "$wi/sysctl/tcp_tw_reuse"
printf '1\n' > "$wi/sysctl/tcp_timestamps"
printf '\n' > "$wi/sysctl/ip_local_reserved_ports"
cat > "$wi/tw_destinations" <<'EOT'
local remote tw other in_use reusable headroom conn_per_s
10.0.0.1 10.0.0.9:443 28000 300 28300 0 0 470
10.0.0.1 10.0.0.2:5432 27800 150 27950 0 280 470
10.0.0.1 10.0.0.3:80 1000 30 1030 0 27200 470
others - 0 0 0 0 - -
EOT
cat > "$wi/tw_cgroups" <<'EOT'
cgroup uid established close_wait syn_sent other listen tw_server ephemeral_in_use close_wait_idle_max_s
4287 0 12 12 0 4 1 0 10 5
4321 1000 0 4 0 0 1 0 0 312
4354 1000 0 2 0 0 1 5 0 3
4400 0 3 0 0 0 0 0 0 -
others - 0 7 0 0 0 0 0 900
EOT

# wrow NAME REMOTE: TW OTHER IN_USE REUSABLE HEADROOM NOW CONN/S KNOWN
wrow() { awk -v r="$2" '$2 == r { $1 = $2 = ""; sub(/^ +/, ""); print }' "$out/$1.out"; }
expect_row() {
	local got

	got=$(wrow "$1" "$2")
	if [ "$got" = "$3" ]; then
		pass "$1.$2"
	else
		fail "$1.$2" "got '$got', expected '$3'"
	fi
}

# tcp_tw_reuse=1: reusable = every timewait socket (at most: the reading
# cannot see timestamps nor ages), rate = 28230 / 1 s.
# A: 28230 - 27950 + 27800 = 28080; B: 28230 - 1030 + 1000 = 28200;
# D: 28230 - 28300 + 28000 = 27930, and shareable was a bound: about.
expect_ok whatif.reuse --from "$wi" --what-if net.ipv4.tcp_tw_reuse=1
expect_row whatif.reuse 10.0.0.2:5432 "27800 150 27950 27800 28080 280 28230 at_most"
expect_row whatif.reuse 10.0.0.3:80 "1000 30 1030 1000 28200 27200 28230 at_most"
expect_row whatif.reuse 10.0.0.9:443 "28000 300 28300 28000 27930 0 28230 about"
check whatif.reuse_worst_first sh -c "awk 'NR > 3 && \$1 == \"10.0.0.1\" { print \$2 }' '$out/whatif.reuse.out' | tr '\n' ' ' | grep -qx '10.0.0.9:443 10.0.0.2:5432 10.0.0.3:80 '"
# 0 where it is 0 already: the reading, unchanged and exact
expect_ok whatif.reuse_off --from "$wi" --what-if tcp_tw_reuse=0
expect_row whatif.reuse_off 10.0.0.2:5432 "27800 150 27950 0 280 280 470 exact"

# 1024 65535: 64512 ports (even), none reserved, the 2 bound ones kept:
# 64510 (at most: ports bound outside the old range are not in the
# reading); rate 64510 / 60 = 1075.  A: 64510 - 27950 = 36560;
# B: 64510 - 1030 = 63480; D: 64510 - 28300 = 36210 (about).
expect_ok whatif.range --from "$wi" --what-if 'net.ipv4.ip_local_port_range=1024 65535'
check whatif.range_available grep -q "per destination: about 64510 (now 28230)" "$out/whatif.range.out"
expect_row whatif.range 10.0.0.2:5432 "27800 150 27950 0 36560 280 1075 at_most"
expect_row whatif.range 10.0.0.3:80 "1000 30 1030 0 63480 27200 1075 at_most"
expect_row whatif.range 10.0.0.9:443 "28000 300 28300 0 36210 0 1075 about"
# the comma and tab forms are the same setting
expect_ok whatif.range_comma --from "$wi" --what-if net.ipv4.ip_local_port_range=1024,65535
check whatif.range_comma_same cmp -s "$out/whatif.range.out" "$out/whatif.range_comma.out"
# an odd range loses its top port: 32768-61000 searches the same 28232
expect_ok whatif.range_odd --from "$wi" --what-if "ip_local_port_range=32768	61000"
expect_row whatif.range_odd 10.0.0.2:5432 "27800 150 27950 0 280 280 470 exact"

# 100 reserved ports inside the range (exact: the range is the same):
# 28232 - 100 - 2 = 28130; A: 28130 - 27950 = 180, rate 28130/60 = 468
expect_ok whatif.reserved --from "$wi" --what-if net.ipv4.ip_local_reserved_ports=32768-32867,70
expect_row whatif.reserved 10.0.0.2:5432 "27800 150 27950 0 180 280 468 exact"

# both at once (repeatable): B: 64510 - 1030 + 1000 = 64480, 64510/s
expect_ok whatif.both --from "$wi" --what-if tcp_tw_reuse=1 --what-if 'ip_local_port_range=1024 65535'
expect_row whatif.both 10.0.0.3:80 "1000 30 1030 1000 64480 27200 64510 at_most"

# net.ipv4.tcp_tw_reuse_delay (6.14 on) makes a reused port busy that
# long, not 1 s: 250 ms -> B 28230 * 1000 / 250 = 112920/s; 0 -> every
# port at once, 28230 (the module's rule); a reading without the file
# (before 6.14) keeps 1 s, as above
printf '250\n' > "$wi/sysctl/tcp_tw_reuse_delay"
expect_ok whatif.reuse_delay --from "$wi" --what-if tcp_tw_reuse=1
expect_row whatif.reuse_delay 10.0.0.3:80 "1000 30 1030 1000 28200 27200 112920 at_most"
expect_ok whatif.reuse_delay_advise --advise --from "$wi"
check whatif.reuse_delay_advise_rate grep_out whatif.reuse_delay_advise 'tcp_tw_reuse=1 \(now 0\): headroom toward 10\.0\.0\.9:443 becomes about 27930 \(now 0\), sustainable 112920 connections/s .*reuse delay \(net\.ipv4\.tcp_tw_reuse_delay 250 ms\)'
expect_ok whatif.reuse_delay_json --from "$wi" --json
check whatif.reuse_delay_json_sysctl grep -q '"tcp_tw_reuse_delay": 250,' "$out/whatif.reuse_delay_json.out"
printf '0\n' > "$wi/sysctl/tcp_tw_reuse_delay"
expect_ok whatif.reuse_delay0 --from "$wi" --what-if tcp_tw_reuse=1
expect_row whatif.reuse_delay0 10.0.0.3:80 "1000 30 1030 1000 28200 27200 28230 at_most"
printf 'x\n' > "$wi/sysctl/tcp_tw_reuse_delay"
expect_err whatif.reuse_delay_bad 1 "tcp_tw_reuse_delay" --from "$wi" --what-if tcp_tw_reuse=1
rm "$wi/sysctl/tcp_tw_reuse_delay"

# any 64-bit number in a reading: no crash, no wrap-around
expect_ok whatif.huge --from "$snaps/huge" --what-if tcp_tw_reuse=1 --what-if ip_local_port_range=1,65535
# (in_use 2^64-1 toward [::1]:65535: no port left, whatever the range)
check whatif.huge_no_wrap awk '$1 == "::1" { n++; if ($7 != 0) exit 1 } END { exit n != 1 }' "$out/whatif.huge.out"

# bad input: one line, exit 64, nothing on stdout
expect_err whatif.unknown_sysctl 64 "'net.ipv4.tcp_fin_timeout' is not one twstat can predict" \
	--from "$wi" --what-if net.ipv4.tcp_fin_timeout=30
expect_err whatif.reuse_3 64 "tcp_tw_reuse takes 0, 1 or 2, not '3'" --from "$wi" --what-if tcp_tw_reuse=3
expect_err whatif.range_backwards 64 "ip_local_port_range takes 'LOW HIGH'" \
	--from "$wi" --what-if 'ip_local_port_range=60000 1024'
expect_err whatif.range_one 64 "ip_local_port_range takes 'LOW HIGH'" --from "$wi" --what-if ip_local_port_range=1024
expect_err whatif.no_equals 64 "expected SYSCTL=VALUE, not 'tcp_tw_reuse'" --from "$wi" --what-if tcp_tw_reuse
expect_err whatif.reserved_bad 64 "ip_local_reserved_ports takes a list" --from "$wi" --what-if ip_local_reserved_ports=9-x
expect_err whatif.with_json 64 "choose one of" --from "$wi" --json --what-if tcp_tw_reuse=1

# --advise quotes the same numbers for the worst destination (D), and
# one more source address gives it its own 28230 ports: 0 + 28230,
# rate 2 x 470
expect_ok whatif.advise --advise --from "$wi"
check whatif.advise_reuse grep_out whatif.advise 'net\.ipv4\.tcp_tw_reuse=1 \(now 0\): headroom toward 10\.0\.0\.9:443 becomes about 27930 \(now 0\), sustainable 28230 connections/s \(now 470\)'
check whatif.advise_range grep_out whatif.advise 'ip_local_port_range 1024 65535 \(now 32768 60999, 28232 ports\): headroom toward 10\.0\.0\.9:443 becomes about 36210 \(now 0\), sustainable 1075 connections/s \(now 470\)'
check whatif.advise_address grep_out whatif.advise 'one more source address .*toward 10\.0\.0\.9:443 the new address has its own 28230 ports, headroom becomes 28230 \(now 0\), sustainable 940 connections/s \(now 470\)'
# tw_cgroups: 12 CLOSE_WAIT (>= 10), and 4 idle 312 s (>= 60 s) speak;
# 2 idle 3 s, none, and the others row do not
check whatif.advise_cgroup_many grep_out whatif.advise '^\[close_wait\] cgroup 4287 \(uid 0\) holds 12 CLOSE_WAIT sockets, oldest idle 5 s: the application does not close'
check whatif.advise_cgroup_idle grep_out whatif.advise '^\[close_wait\] cgroup 4321 \(uid 1000\) holds 4 CLOSE_WAIT sockets, oldest idle 312 s'
check whatif.advise_cgroup_only_those sh -c "[ \$(grep -c '^\[close_wait\] cgroup' '$out/whatif.advise.out') = 2 ]"
# live, the cgroup is named by the directory whose inode is its id
wfake=$out/whatif-fake
wino=$(stat -L -c %i /proc/self/ns/net)
mkdir -p "$wfake/proc/net" "$wfake/proc/sys/net/ipv4" "$wfake/sys/kernel/debug/tw_stats/$wino" \
	"$wfake/sys/fs/cgroup/system.slice/app.service" "$wfake/sys/fs/cgroup/user.slice"
cp "$wi"/tw_* "$wfake/proc/net/"
cp "$wi"/sysctl/* "$wfake/proc/sys/net/ipv4/"
cp "$wi"/debugfs/* "$wfake/sys/kernel/debug/tw_stats/$wino/"
cg=$(stat -c %i "$wfake/sys/fs/cgroup/system.slice/app.service")
sed -i "s/^4287 /$cg /" "$wfake/proc/net/tw_cgroups"
TWSTAT_ROOT=$wfake expect_ok whatif.advise_live --advise --interval 0
check whatif.advise_live_cgroup_path grep_out whatif.advise_live "^\[close_wait\] '/system.slice/app.service' \(cgroup $cg, uid 0\) holds 12 CLOSE_WAIT sockets"
# an id no directory has stays a number
check whatif.advise_live_unknown_id grep_out whatif.advise_live '^\[close_wait\] cgroup 4321 \(uid 1000\) holds 4'
# without tw_cgroups (an older module): no such line
rm "$wi/tw_cgroups"
expect_ok whatif.advise_no_cgroups --advise --from "$wi"
check whatif.advise_no_cgroups_silent sh -c "! grep -q '^\[close_wait\] cgroup' '$out/whatif.advise_no_cgroups.out'"
