#!/bin/bash
# Host tests of twstat: every mode on saved snapshots (well-formed, empty,
# truncated, garbage, huge numbers, missing files, and variants built here
# from them), checked against independent oracles (Python reading the same
# files, promtool); prints "PASS name" or "FAIL name: reason" per test and
# exits non-zero if any failed.
#
# usage: twstat/tests/run.sh   (TWSTAT=path overrides the binary under test;
# TWCHECK= and TWPOKE= the torture helpers, from tests/tools)
set -u
here=$(cd "$(dirname "$0")" && pwd)
twstat_dir=$(dirname "$here")
top=$(dirname "$twstat_dir")
TWSTAT=${TWSTAT:-$twstat_dir/twstat}
snaps=$here/snapshots
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
npass=0
nfail=0

pass() { echo "PASS tools.twstat.$1"; npass=$((npass + 1)); }
fail() { echo "FAIL tools.twstat.$1: $2"; nfail=$((nfail + 1)); }

# tw NAME ARGS...: run twstat; stdout, stderr and status land in $out/NAME.*
tw() {
	local name=$1
	shift
	"$TWSTAT" "$@" > "$out/$name.out" 2> "$out/$name.err"
	echo $? > "$out/$name.rc"
}
rc() { cat "$out/$1.rc"; }

# expect_ok NAME ARGS...: exit 0 and nothing on stderr
expect_ok() {
	local name=$1
	shift
	tw "$name" "$@"
	if [ "$(rc "$name")" != 0 ]; then
		fail "$name" "exit $(rc "$name"): $(head -c 300 "$out/$name.err")"
		return 1
	fi
	if [ -s "$out/$name.err" ]; then
		fail "$name" "stderr: $(head -c 300 "$out/$name.err")"
		return 1
	fi
	pass "$name"
}

# expect_err NAME STATUS REGEX ARGS...: that status, one stderr line
# matching REGEX (the file and line it names), nothing on stdout
expect_err() {
	local name=$1 status=$2 re=$3
	shift 3
	tw "$name" "$@"
	if [ "$(rc "$name")" != "$status" ]; then
		fail "$name" "exit $(rc "$name"), expected $status; stderr: $(head -c 300 "$out/$name.err")"
	elif [ "$(wc -l < "$out/$name.err")" != 1 ]; then
		fail "$name" "expected one line on stderr, got: $(head -c 300 "$out/$name.err")"
	elif ! grep -Eq -- "$re" "$out/$name.err"; then
		fail "$name" "stderr '$(cat "$out/$name.err")' does not match '$re'"
	elif [ -s "$out/$name.out" ]; then
		fail "$name" "printed to stdout as well"
	else
		pass "$name"
	fi
}

# check NAME COMMAND...: the command's success; its output is the reason
check() {
	local name=$1 msg
	shift
	if msg=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "$(echo "$msg" | tail -n 3 | tr '\n' ' ')"
	fi
}

# variant NAME BASE: a copy of snapshot BASE (saved, or an earlier
# variant) to edit; its path on stdout
variant() {
	local base=$snaps/$2

	[ -d "$base" ] || base=$out/$2
	rm -rf "${out:?}/$1"
	cp -r "$base" "$out/$1"
	echo "$out/$1"
}

# setstat DIR NAME VALUE: set (or add) a "name value" line of tw_stats
setstat() {
	if grep -q "^$2 " "$1/tw_stats"; then
		sed -i "s/^$2 .*/$2 $3/" "$1/tw_stats"
	else
		echo "$2 $3" >> "$1/tw_stats"
	fi
}

# later DIR SECONDS: move the snapshot's time SECONDS on
later() {
	local t
	t=$(awk '$1 == "time_ns" { print $2 }' "$1/meta")
	sed -i "s/^time_ns .*/time_ns $((t + $2 * 1000000000))/" "$1/meta"
}

# tags FILE: the sorted set of [tag]s of advise output, space-separated
tags() {
	grep -o '^\[[a-z_]*\]' "$1" | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# expect_advice NAME "TAGS" ARGS...: --advise prints exactly those tags
expect_advice() {
	local name=$1 want=$2 got
	shift 2
	tw "$name" --advise "$@"
	got=$(tags "$out/$name.out")
	if [ "$(rc "$name")" != 0 ]; then
		fail "$name" "exit $(rc "$name"): $(cat "$out/$name.err")"
	elif [ "$got" != "$want" ]; then
		fail "$name" "advice [$got], expected [$want]: $(head -c 400 "$out/$name.out")"
	elif [ -z "$want" ] && [ -s "$out/$name.out" ]; then
		fail "$name" "a healthy snapshot got output: $(head -c 300 "$out/$name.out")"
	else
		pass "$name"
	fi
}

# grep_out NAME REGEX: twstat's stdout of NAME holds REGEX
grep_out() {
	grep -Eq -- "$2" "$out/$1.out" || { echo "no '$2' in output of $1"; return 1; }
}

W=$snaps/wellformed
H=$snaps/healthy

if [ ! -x "$TWSTAT" ]; then
	fail build "no $TWSTAT: run make -C twstat first"
	echo "$npass passed, $nfail failed"
	exit 1
fi

# ---- well-formed snapshot, every mode ----
expect_ok summary.wellformed --from "$W"
# the golden file was read by a person: relative path, as in its first line
(cd "$snaps" && "$TWSTAT" --from wellformed > "$out/golden.out" 2>&1)
check summary.golden diff -u "$here/expected/wellformed.summary" "$out/golden.out"
check summary.state_table_exact sh -c "
	grep -Eq '^  TIME_WAIT +30200\$' '$out/summary.wellformed.out' &&
	grep -Eq '^  FIN_WAIT2 +16 +\\(12 of them timewait\\)\$' '$out/summary.wellformed.out' &&
	grep -Eq '^  CLOSE_WAIT +57\$' '$out/summary.wellformed.out'"
check summary.no_color_off_terminal sh -c "! grep -q \$(printf '\\033') '$out/summary.wellformed.out'"
expect_ok summary.no_header -H --from "$W" &&
	check summary.no_header_drops_headers sh -c "
		! grep -Eq '^  (STATE|PORT|LOCAL|REMOTE|LEFT|NETNS) ' '$out/summary.no_header.out' &&
		grep -Eq '^ +443 +200 ' '$out/summary.no_header.out'"
expect_ok summary.top1 --top 1 --from "$W" &&
	check summary.top1_one_port sh -c "[ \$(grep -Ec '^ +(443|80|33000) +[0-9]+ +[0-9]+ ' '$out/summary.top1.out') = 1 ]"

expect_ok json.wellformed --json --from "$W" &&
	check json.matches_files python3 "$here/check.py" json "$W" "$out/json.wellformed.out"
expect_ok prometheus.wellformed --prometheus --from "$W" &&
	check prometheus.matches_files python3 "$here/check.py" prom "$W" "$out/prometheus.wellformed.out" &&
	check prometheus.conventions python3 "$here/check.py" promfmt "$out/prometheus.wellformed.out"
# the snapshot has tw_netns: only --all-netns writes its families, so the
# two never both carry them (node_exporter refuses a series seen twice)
check prometheus.no_netns_families sh -c "! grep -q '^tw_stats_netns_' '$out/prometheus.wellformed.out' && grep -q '^4026532201 ' '$W/tw_netns'"
expect_ok prometheus.top2 --prometheus --top 2 --from "$W" &&
	check prometheus.top2_capped_and_summed python3 "$here/check.py" topcap "$W" "$out/prometheus.top2.out" 2

# --output replaces the file whole (rename), never writes into it
echo old > "$out/metrics.prom"
ln "$out/metrics.prom" "$out/metrics.old"
expect_ok prometheus.output --prometheus --output "$out/metrics.prom" --from "$W"
check prometheus.output_same_as_stdout cmp "$out/metrics.prom" "$out/prometheus.wellformed.out"
check prometheus.output_atomic_rename sh -c "
	[ \"\$(cat '$out/metrics.old')\" = old ] && ! ls '$out' | grep -q '\\.tmp\\.' && [ ! -s '$out/prometheus.output.out' ]"
expect_err prometheus.output_bad_dir 1 "$out/nodir/x.prom.tmp" --prometheus --output "$out/nodir/x.prom" --from "$W"

# --save writes what was read, byte for byte; --from reads it back
expect_ok save.wellformed --from "$W" --save "$out/saved" --json
check save.same_bytes diff -r "$W" "$out/saved"
expect_ok save.read_back --json --from "$out/saved"
check save.same_json bash -c "diff <(grep -v '\"source\"' '$out/save.read_back.out') <(grep -v '\"source\"' '$out/json.wellformed.out')"

# ---- other saved snapshots ----
expect_err empty.tw_stats 1 'empty/tw_stats: no tw_total line: the file is empty' --from "$snaps/empty"
expect_err truncated.tw_stats 1 'truncated/tw_stats:15: last line has no newline: file truncated' --from "$snaps/truncated"
expect_err garbage.tw_stats 1 'garbage/tw_stats:2: contains a NUL byte' --from "$snaps/garbage"
expect_err garbage.json_too 1 'garbage/tw_stats:2:' --json --from "$snaps/garbage"
expect_err garbage.prometheus_too 1 'garbage/tw_stats:2:' --prometheus --output "$out/never.prom" --from "$snaps/garbage"
check garbage.no_output_file test ! -e "$out/never.prom"
mkdir -p "$out/nofiles"
# status 2 is the module's absence alone (a service may take it as success)
expect_err nofiles.exit1 1 'nofiles: no tw_stats file' --from "$out/nofiles"
expect_err nofiles.prometheus_exit1 1 'nofiles: no tw_stats file' --prometheus --output "$out/nofiles.prom" --from "$out/nofiles"
check nofiles.prometheus_no_file test ! -e "$out/nofiles.prom"

expect_ok huge.json --json --from "$snaps/huge" &&
	check huge.json_exact python3 "$here/check.py" json "$snaps/huge" "$out/huge.json.out"
expect_ok huge.prometheus --prometheus --from "$snaps/huge" &&
	check huge.prometheus_exact python3 "$here/check.py" prom "$snaps/huge" "$out/huge.prometheus.out" &&
	check huge.prometheus_seconds_exact grep -qx 'tw_stats_walk_duration_seconds{netns="unknown"} 18446744073.709551615' "$out/huge.prometheus.out" &&
	check huge.prometheus_no_time_no_timestamp sh -c "! grep -q timestamp '$out/huge.prometheus.out'"
# an age older than the reading's time points before 1970: no series
d=$(variant huge_meta huge)
cp "$W/meta" "$d/meta"
expect_ok huge.prometheus_meta --prometheus --from "$d" &&
	check huge.prometheus_meta_exact python3 "$here/check.py" prom "$d" "$out/huge.prometheus_meta.out" &&
	check huge.prometheus_meta_no_timestamp sh -c "! grep -q '^tw_stats_walk_timestamp_seconds' '$out/huge.prometheus_meta.out'"
expect_ok huge.summary --from "$snaps/huge" &&
	check huge.summary_exact_count grep_out huge.summary '^TIME_WAIT  18446744073709551615 sockets'
expect_ok huge.advise --advise --from "$snaps/huge"
d=$(variant huge_plus1 huge)
setstat "$d" tw_total 18446744073709551616
expect_err huge.overflow_refused 1 'huge_plus1/tw_stats:1: value of tw_total is not an unsigned 64-bit decimal' --from "$d"

expect_ok missing.summary --from "$snaps/missing"
expect_ok missing.json --json --from "$snaps/missing" &&
	check missing.json_nulls python3 "$here/check.py" json "$snaps/missing" "$out/missing.json.out"
expect_ok missing.prometheus --prometheus --from "$snaps/missing" &&
	check missing.prometheus_conventions python3 "$here/check.py" promfmt "$out/missing.prometheus.out"
expect_ok missing.advise --advise --from "$snaps/missing"

# ---- malformed variants: each names its file and line ----
d=$(variant bad_fields wellformed)
sed -i '3s/ 1 1 1$/ 1 1/' "$d/tw_ports"
expect_err malformed.field_count 1 'bad_fields/tw_ports:3: 8 fields, the header has 9' --from "$d"
d=$(variant bad_order wellformed)
sed -i '3s/^80 /20 /' "$d/tw_ports"
expect_err malformed.port_order 1 'bad_order/tw_ports:3: port 20 is out of order' --from "$d"
d=$(variant bad_port wellformed)
sed -i '3s/^80 /70000 /' "$d/tw_ports"
expect_err malformed.port_range 1 "bad_port/tw_ports:3: bad port '70000'" --from "$d"
d=$(variant no_others wellformed)
sed -i '$d' "$d/tw_destinations"
expect_err malformed.no_others_row 1 "no_others/tw_destinations:5: no 'others' row" --from "$d"
d=$(variant row_after_others wellformed)
echo "10.0.0.9 10.0.0.2:1 1 1 1 1 1 1" >> "$d/tw_destinations"
expect_err malformed.row_after_others 1 "row_after_others/tw_destinations:6: a row after the 'others' row" --from "$d"
d=$(variant bad_remote wellformed)
sed -i '2s/10.0.0.2:5432/10.0.0.2/' "$d/tw_destinations"
expect_err malformed.bad_endpoint 1 "bad_remote/tw_destinations:2: bad remote '10.0.0.2'" --from "$d"
d=$(variant bad_header wellformed)
sed -i '1s/^remote/address/' "$d/tw_drops"
expect_err malformed.header 1 "bad_header/tw_drops:1: header should start with 'remote'" --from "$d"
d=$(variant dup wellformed)
echo "tw_ipv4 1" >> "$d/tw_stats"
expect_err malformed.duplicate 1 "dup/tw_stats:[0-9]+: tw_ipv4 appears twice" --from "$d"
d=$(variant negative wellformed)
setstat "$d" walk_ns -5
expect_err malformed.negative 1 "negative/tw_stats:33: value of walk_ns is not an unsigned" --from "$d"
d=$(variant blank wellformed)
sed -i '5s/.*//' "$d/tw_stats"
expect_err malformed.blank_line 1 "blank/tw_stats:5: empty line" --from "$d"
d=$(variant inconsistent wellformed)
setstat "$d" tw_fin_wait2 13
expect_err malformed.inconsistent_sum 1 "inconsistent/tw_stats: inconsistent: 30200 \\+ 13 != tw_total 30212" --from "$d"
d=$(variant not_cumulative wellformed)
setstat "$d" tw_expires_le_10s 2000
expect_err malformed.histogram_not_cumulative 1 "not_cumulative/tw_stats:12: inconsistent: tw_expires_le_10s 2000" --from "$d"
d=$(variant bad_sysctl wellformed)
echo "32768 x" > "$d/sysctl/ip_local_port_range"
expect_err malformed.sysctl 1 "bad_sysctl/sysctl/ip_local_port_range:1: not an unsigned number" --from "$d"
d=$(variant bad_chains wellformed)
printf '0 1\n' >> "$d/debugfs/chain_lengths"
expect_err malformed.debugfs_chains 1 "bad_chains/debugfs/chain_lengths:7: length 0 is out of order" --from "$d"
d=$(variant cr wellformed)
sed -i '2s/$/\r/' "$d/tw_stats"
expect_err malformed.carriage_return 1 "cr/tw_stats:2: value of tw_time_wait is not" --from "$d"

# ---- a newer module: unknown names and columns are carried, not fatal ----
d=$(variant newer wellformed)
echo "future_widgets 7" >> "$d/tw_stats"
echo "future_ms 7" >> "$d/tw_stats"
sed -i '1s/$/ zzz_new/; 2,$s/$/ 5/' "$d/tw_ports"
expect_ok newer.summary --from "$d"
expect_ok newer.json --json --from "$d" &&
	check newer.json_carries_unknown python3 "$here/check.py" json "$d" "$out/newer.json.out"
echo "future_gizmos 3" >> "$d/debugfs/walk_cost"
echo "future_ns 3" >> "$d/debugfs/walk_cost"
expect_ok newer.prometheus --prometheus --from "$d" &&
	check newer.prometheus_unknown_untyped sh -c "grep -qx 'tw_stats_future_widgets{netns=\"4026531840\"} 7' '$out/newer.prometheus.out' && grep -qx '# TYPE tw_stats_future_widgets untyped' '$out/newer.prometheus.out'" &&
	check newer.prometheus_walk_cost_unknown grep -qx 'tw_stats_walk_cost_future_gizmos{netns="4026531840"} 3' "$out/newer.prometheus.out" &&
	check newer.prometheus_skips_unit_names sh -c "! grep -Eq 'future_(ms|ns)' '$out/newer.prometheus.out'" &&
	check newer.prometheus_matches_files python3 "$here/check.py" prom "$d" "$out/newer.prometheus.out"
# what the module prints today beyond the saved snapshot (formats.md), in
# its order: each line its family, type and unit, none a fallback
d=$(variant current wellformed)
sed -i '/^ephemeral_ports /a ephemeral_reserved 2\nephemeral_bound 3\nephemeral_available 28226' "$d/tw_stats"
sed -i '/^destination_min_headroom /a destinations_untracked_sockets 4' "$d/tw_stats"
sed -i '/^walk_ns /a walk_resumes 5\nwalk_resume_lost 1' "$d/tw_stats"
printf 'drop_unattributed 6\ndrops_table_busy 2\n' >> "$d/tw_stats"
printf 'walks 812\nage_ms 1250\nbuckets 65536\nsockets 32110\nrestarts 2\nlong_chains 0\nns 4123456\nresumes 5\nresume_lost 1\nmax_section_sockets 1280\n' \
	> "$d/debugfs/walk_cost"
expect_ok current.prometheus --prometheus --from "$d" &&
	check current.prometheus_matches_files python3 "$here/check.py" prom "$d" "$out/current.prometheus.out" &&
	check current.prometheus_conventions python3 "$here/check.py" promfmt "$out/current.prometheus.out" &&
	check current.prometheus_no_fallback sh -c "! grep -Eq '^# TYPE .* untyped\$' '$out/current.prometheus.out'" &&
	check current.prometheus_values sh -c "
		grep -qx 'tw_stats_walk_cost_timestamp_seconds{netns=\"4026531840\"} 1732550398.750' '$out/current.prometheus.out' &&
		grep -qx 'tw_stats_walk_cost_walks_total{netns=\"4026531840\"} 812' '$out/current.prometheus.out' &&
		grep -qx 'tw_stats_unattributed_drops_total{netns=\"4026531840\"} 6' '$out/current.prometheus.out' &&
		! grep -q 'reason=\"unattributed\"' '$out/current.prometheus.out'"
d=$(variant shuffled wellformed)
sort -r "$W/tw_stats" > "$d/tw_stats"
expect_ok shuffled.order_free --from "$d" &&
	check shuffled.same_summary bash -c "diff <(sed 1d '$out/shuffled.order_free.out') <(sed 1d '$out/summary.wellformed.out')"

# ---- rates: two snapshots 60 s apart ----
d=$(variant later healthy)
later "$d" 60
setstat "$d" tw_total 30812
setstat "$d" tw_time_wait 30800
setstat "$d" tw_ipv4 30600
setstat "$d" tcpext_tw 913545
setstat "$d" drop_not_specified 77
expect_ok watch.from_two --watch --from "$H" --from "$d"
# made: TcpExt TW +1200 in 60 s; net change +600, so 600 ended; drops +60
check watch.two_frames sh -c "[ \$(grep -c '^tw_stats netns' '$out/watch.from_two.out') = 2 ]"
check watch.rates grep_out watch.from_two '^rates      new TIME_WAIT 20.0/s, ended 10.0/s, net change \+10.0/s, drops 1.0/s, overflow 0.0/s$'
expect_ok summary.rates_from_two --from "$H" --from "$d"
check summary.rates grep_out summary.rates_from_two 'new TIME_WAIT 20.0/s'
expect_ok watch.count1 --watch --count 1 --from "$H" --from "$d"
check watch.count_stops sh -c "[ \$(grep -c '^tw_stats netns' '$out/watch.count1.out') = 1 ]"
# a destination filling at 40 ports/s: 16682 ports left is 417 s
d=$(variant filling healthy)
later "$d" 60
sed -i '2s/.*/10.0.0.1 10.0.0.2:5432 11400 150 11550 0 16682 150/' "$d/tw_destinations"
expect_ok watch.exhaustion --watch --from "$H" --from "$d"
check watch.time_left grep_out watch.exhaustion '10\.0\.0\.2:5432 .* 59\.1% +150 +7 min$'

# ---- advise: each piece on the numbers that call for it, else silence ----
expect_advice advise.healthy_one_sample "" --from "$H"
expect_advice advise.healthy_two_samples "" --from "$H" --from "$out/later"
expect_advice advise.headroom "[headroom]" --from "$W"
check advise.headroom_reason grep_out advise.headroom '10\.0\.0\.2:5432: 282 of 28232 ephemeral ports left \(1\.0%\)'
check advise.headroom_reuse grep_out advise.headroom 'tcp_tw_reuse=1 \(now 2: loopback only\)'
expect_advice advise.exhausting "[headroom]" --from "$H" --from "$out/filling"
check advise.exhausting_reason grep_out advise.exhausting 'full in 7 min at \+40\.0 ports/s'
d=$(variant reuse_on wellformed)
echo 1 > "$d/sysctl/tcp_tw_reuse"
expect_advice advise.headroom_reuse_already_on "[headroom]" --from "$d"
check advise.no_reuse_advice_when_on sh -c "! grep -q tcp_tw_reuse= '$out/advise.headroom_reuse_already_on.out'"
echo 0 > "$d/sysctl/tcp_timestamps"
echo 0 > "$d/sysctl/tcp_tw_reuse"
expect_advice advise.headroom_no_timestamps "[headroom]" --from "$d"
check advise.reuse_needs_timestamps grep_out advise.headroom_no_timestamps 'net.ipv4.tcp_timestamps is 0'
d=$(variant overflow later)
setstat "$d" tcpext_tcptimewaitoverflow 25
expect_advice advise.overflow_rising "[overflow]" --from "$H" --from "$d"
check advise.overflow_reason grep_out advise.overflow_rising 'TCPTimeWaitOverflow rose by 25 in 60.0 s'
check advise.overflow_never_lower grep_out advise.overflow_rising 'raise net.ipv4.tcp_max_tw_buckets; never lower it'
expect_advice advise.overflow_flat "" --from "$d" --from "$d"
d=$(variant near_limit healthy)
setstat "$d" tw_max_buckets 31000
expect_advice advise.near_limit "[overflow]" --from "$d"
check advise.near_limit_reason grep_out advise.near_limit '30212 timewait sockets are 97.5% of net.ipv4.tcp_max_tw_buckets 31000'
d=$(variant paws later)
setstat "$d" tcpext_pawsestab 40
setstat "$d" drop_tcp_rfc7323_paws 40
expect_advice advise.paws_rising "[paws]" --from "$H" --from "$d"
check advise.paws_reason grep_out advise.paws_rising 'tcpext_pawsestab \+37, drop_tcp_rfc7323_paws \+37.*most from 192.0.2.10'
d=$(variant closewait later)
setstat "$d" state_close_wait 180
expect_advice advise.close_wait_growing "[close_wait]" --from "$H" --from "$d"
check advise.close_wait_reason grep_out advise.close_wait_growing 'CLOSE_WAIT grew from 57 to 180 in 60.0 s.*no sysctl fixes that.*local port 443: 50'
expect_advice advise.close_wait_shrinking "" --from "$d" --from "$H"
d=$(variant fin healthy)
echo 30 > "$d/sysctl/tcp_fin_timeout"
printf 'tcp_fin_timeout\t30\t/etc/sysctl.d/90-tw.conf:4\n' > "$d/sysctl_conf"
expect_advice advise.fin_timeout "[fin_timeout]" --from "$d"
check advise.fin_timeout_reason grep_out advise.fin_timeout 'tcp_fin_timeout is 30 \(default 60, set in /etc/sysctl.d/90-tw.conf:4\).*fixed at 60 s'
d=$(variant recycle healthy)
printf 'tcp_tw_recycle\t1\t/etc/sysctl.conf:12\n' > "$d/sysctl_conf"
expect_advice advise.tw_recycle "[tw_recycle]" --from "$d"
check advise.tw_recycle_reason grep_out advise.tw_recycle '/etc/sysctl.conf:12 sets net.ipv4.tcp_tw_recycle = 1: it was removed in Linux 4.12'

# ---- colour: only on a terminal, and never with NO_COLOR ----
on_tty() {	# on_tty ENV... -- ARGS...: twstat's output on a pseudo-terminal
	python3 - "$@" <<'EOF'
import os, pty, sys
args = sys.argv[1:]
sep = args.index("--")
env = dict(os.environ)
for kv in args[:sep]:
    k, v = kv.split("=", 1)
    if v:
        env[k] = v
    else:
        env.pop(k, None)
pid, fd = pty.fork()
if pid == 0:
    os.execve(args[sep + 1], args[sep + 1:], env)
out = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
EOF
}
esc=$(printf '\033')
on_tty NO_COLOR= -- "$TWSTAT" --from "$W" > "$out/tty.out"
check color.on_terminal grep -q "$esc\\[1m" "$out/tty.out"
on_tty NO_COLOR=1 -- "$TWSTAT" --from "$W" > "$out/tty_nocolor.out"
check color.no_color_respected sh -c "! grep -q '$esc' '$out/tty_nocolor.out' && grep -q 'TIME_WAIT  30212' '$out/tty_nocolor.out'"
expect_ok color.always --color=always --from "$W"
check color.always_colours grep -q "$esc\\[31m" "$out/color.always.out"
on_tty NO_COLOR= -- "$TWSTAT" --json --from "$W" > "$out/tty_json.out"
check color.never_in_json sh -c "! grep -q '$esc' '$out/tty_json.out'"

# ---- usage, live reads on this host ----
expect_err usage.two_modes 64 'choose one of' --json --prometheus --from "$W"
expect_err usage.bad_top 64 "--top: bad number '0'" --top 0 --from "$W"
expect_err usage.netns_with_from 64 'does not go with --from' --netns 1 --from "$W"
expect_err usage.extra_arg 64 "unexpected argument 'x'" x
tw usage.unknown --bogus
check usage.unknown_exit64 test "$(rc usage.unknown)" = 64
expect_ok usage.help --help
expect_ok usage.version --version
check usage.version_text grep_out usage.version '^twstat [0-9.]+ \(JSON schema_version 1\)$'
expect_err netns.missing 1 '--netns /nonexistent/ns: /nonexistent/ns: No such file' --netns /nonexistent/ns
if [ ! -e /proc/net/tw_stats ]; then
	# this host has no module: exactly the one-line hint, status 2
	expect_err live.module_not_loaded 2 "not loaded.*'modprobe tw_stats' or 'insmod tw_stats.ko'"
	if [ "$(id -u)" = 0 ]; then
		expect_err live.netns_pid_module_not_loaded 2 'modprobe tw_stats' --netns $$ --json
	fi
fi

# ---- the live reader on a fake tree (TWSTAT_ROOT): paths, sysctl.d ----
fake=$out/fake
ino=$(stat -L -c %i /proc/self/ns/net)
dbg=$fake/sys/kernel/debug/tw_stats/$ino
mkdir -p "$fake/proc/net" "$fake/proc/sys/net/ipv4" "$dbg" "$fake/etc/sysctl.d" \
	"$fake/usr/lib/sysctl.d"
cp "$W"/tw_* "$fake/proc/net/"
cp "$W"/sysctl/* "$fake/proc/sys/net/ipv4/"
cp "$W"/debugfs/* "$dbg/"
echo 30 > "$fake/proc/sys/net/ipv4/tcp_fin_timeout"
printf 'net.ipv4.tcp_fin_timeout = 45\n' > "$fake/usr/lib/sysctl.d/10-vendor.conf"
printf '# from a blog\nnet.ipv4.tcp_tw_recycle = 1\n-net/ipv4/tcp_fin_timeout=30\nnet.core.somaxconn = 4096\n' \
	> "$fake/etc/sysctl.d/50-tw.conf"
live() { TWSTAT_ROOT=$fake tw "$@"; }
live live.summary
check live.summary_ok sh -c "[ \$(cat '$out/live.summary.rc') = 0 ] && grep -q '^tw_stats netns $ino from /proc/net,' '$out/live.summary.out'"
live live.save --json --save "$out/livesave"
check live.save_same_bytes sh -c "for f in tw_stats tw_ports tw_destinations tw_drops tw_netns debugfs/chain_lengths debugfs/walk_cost sysctl/tcp_tw_reuse sysctl/ip_local_port_range; do cmp '$W/'\$f '$out/livesave/'\$f || exit 1; done"
check live.save_meta_netns grep -qx "netns $ino" "$out/livesave/meta"
check live.save_sysctl_read grep -qx 30 "$out/livesave/sysctl/tcp_fin_timeout"
printf 'tcp_fin_timeout\t45\t%s:1\ntcp_tw_recycle\t1\t%s:2\ntcp_fin_timeout\t30\t%s:3\n' \
	"$fake/usr/lib/sysctl.d/10-vendor.conf" "$fake/etc/sysctl.d/50-tw.conf" \
	"$fake/etc/sysctl.d/50-tw.conf" > "$out/conf.want"
check live.sysctl_conf_scanned diff -u "$out/conf.want" "$out/livesave/sysctl_conf"
TWSTAT_ROOT=$fake expect_advice live.advise "[fin_timeout] [headroom] [tw_recycle]" --interval 0
check live.advise_fin_timeout_where grep_out live.advise "tcp_fin_timeout is 30 \(default 60, set in $fake/etc/sysctl.d/50-tw.conf:3\)"
check live.advise_recycle_where grep_out live.advise "^\[tw_recycle\] $fake/etc/sysctl.d/50-tw.conf:2 sets net.ipv4.tcp_tw_recycle = 1"
# (a file from a run with the module, for the next test)
TWSTAT_ROOT=$fake "$TWSTAT" --all-netns --prometheus --output "$out/down.prom" 2> /dev/null
ln "$out/down.prom" "$out/down.before"
mv "$fake/proc/net/tw_stats" "$fake/proc/net/tw_stats.off"
TWSTAT_ROOT=$fake expect_err live.module_missing_fake 2 "not loaded .*modprobe tw_stats" --json
# --prometheus --output: the file from a run with the module is replaced
# (renamed over, like every write) by tw_stats_up 0 alone, status 2
printf '# HELP tw_stats_up 1 if twstat read the tw_stats module, 0 if the module is not loaded (then no other tw_stats series).\n# TYPE tw_stats_up gauge\ntw_stats_up{netns="%s"} 0\n' "$ino" > "$out/down.want"
TWSTAT_ROOT=$fake expect_err live.module_missing_prometheus 2 "not loaded .*modprobe tw_stats" --all-netns --prometheus --output "$out/down.prom"
check live.module_missing_up0_file diff -u "$out/down.want" "$out/down.prom"
check live.module_missing_replaced sh -c "grep -q '^tw_stats_up{netns=\"$ino\"} 1\$' '$out/down.before' && grep -q '^tw_stats_timewait_sockets' '$out/down.before' && ! ls '$out' | grep -q '\.tmp\.'"
TWSTAT_ROOT=$fake tw live.module_missing_stdout --prometheus
check live.module_missing_stdout sh -c "[ \$(cat '$out/live.module_missing_stdout.rc') = 2 ] && cmp '$out/down.want' '$out/live.module_missing_stdout.out' && [ \$(wc -l < '$out/live.module_missing_stdout.err') = 1 ]"
if command -v promtool > /dev/null; then
	check live.module_missing_promtool sh -c "promtool check metrics < '$out/down.prom'"
fi
mv "$fake/proc/net/tw_stats.off" "$fake/proc/net/tw_stats"
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
	# an unprivileged reader: debugfs and tw_netns closed, the rest shown
	chmod 755 "$out"
	chmod -R a+rX "$fake"
	chmod 700 "$fake/sys/kernel/debug"
	chmod 600 "$fake/proc/net/tw_netns"
	TWSTAT_ROOT=$fake setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$TWSTAT" --json > "$out/nobody.json" 2> "$out/nobody.err"
	check nonroot.json_ok sh -c "[ ! -s '$out/nobody.err' ] && grep -q '\"tw_total\": 30212' '$out/nobody.json'"
	check nonroot.notes grep -q '"notes": \[".*tw_netns needs root.*", ".*/sys/kernel/debug is not readable (needs root)' "$out/nobody.json"
	check nonroot.debugfs_null python3 -c "
import json, sys
d = json.load(open('$out/nobody.json'))
sys.exit(not (d['debugfs']['chain_lengths'] is None and d['tw_netns'] is None and d['tw_ports']))"
	TWSTAT_ROOT=$fake setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$TWSTAT" > "$out/nobody.summary" 2>&1
	check nonroot.summary_note grep -q '^note: .*/sys/kernel/debug is not readable (needs root): ehash chain lengths and walk cost are not shown$' "$out/nobody.summary"
	# tw_nat is root's (0640, like nf_conntrack): --nat says so, not "older module"
	printf 'proto source destination flows time_wait close_wait established other port_min port_max headroom\nothers - - 0 0 0 0 0 - - -\n' \
		> "$fake/proc/net/tw_nat"
	chmod 600 "$fake/proc/net/tw_nat"
	TWSTAT_ROOT=$fake setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$TWSTAT" --nat > "$out/nobody.nat" 2> "$out/nobody.nat.err"
	echo $? > "$out/nobody.nat.rc"
	check nonroot.nat_denied sh -c "[ \$(cat '$out/nobody.nat.rc') = 1 ] && grep -q 'tw_nat: permission denied: .*run as root' '$out/nobody.nat.err' && [ ! -s '$out/nobody.nat' ]"
	rm -f "$fake/proc/net/tw_nat"
fi

# ---- --all-netns: tw_netns with names, saved and live (fake tree) ----
N=$(variant named wellformed)
printf '4026531840\t\t1\tinit\t/init.scope\n4026532201\tblue\t412\tsleep 1\t/kubepods/pod42/cri-abc\n' > "$N/netns_names"
expect_ok allns.summary --from "$N" --all-netns
check allns.summary_named grep_out allns.summary '^4026532201 +10 +0 +2 +0 +0 +1 +12 +28220 +1 +blue +412 +sleep 1 +/kubepods/pod42/cri-abc$'
check allns.summary_pid grep_out allns.summary '^4026531840 +30200 .* 0 +- +1 +init +/init.scope$'
check allns.summary_others grep_out allns.summary '^ +others +0 +0 +0 +0 +0 +0 +0 +- +0 +- +- +- +-$'
expect_ok allns.nonames --from "$W" --all-netns -H
check allns.nonames_dashes sh -c "[ \$(grep -c ' - *- *- *-\$' '$out/allns.nonames.out') = 3 ]"
expect_ok allns.json --from "$N" --all-netns --json
check allns.json_rows python3 -c "
import json, sys
d = json.load(open('$out/allns.json.out'))
rows = {str(r['netns']): r for r in d['netns']}
want = {}
for l in open('$N/tw_netns').read().splitlines()[1:]:
    f = l.split()
    want[f[0]] = f
cols = open('$N/tw_netns').readline().split()
for k, f in want.items():
    for c, v in zip(cols[1:], f[1:]):
        got = rows[k][c]
        assert (got is None and v == '-') or str(got) == v, (k, c, got, v)
b = rows['4026532201']
assert (b['name'], b['pid'], b['comm'], b['cgroup']) == ('blue', 412, 'sleep 1', '/kubepods/pod42/cri-abc'), b
i = rows['4026531840']
assert (i['name'], i['pid'], i['comm'], i['cgroup']) == (None, 1, 'init', '/init.scope'), i
o = rows['others']
assert (o['name'], o['pid'], o['comm'], o['cgroup']) == (None, None, None, None), o
assert d['read_from_netns'] == 4026531840 and len(d['netns']) == 3"
expect_ok allns.prometheus --from "$N" --all-netns --prometheus
check allns.prometheus_labels grep -qx 'tw_stats_netns_sockets{netns="4026532201",state="time_wait",name="blue",cgroup="/kubepods/pod42/cri-abc"} 10' "$out/allns.prometheus.out"
check allns.prometheus_pid_cgroup grep -qx 'tw_stats_netns_private_ehash{netns="4026531840",cgroup="/init.scope"} 0' "$out/allns.prometheus.out"
check allns.prometheus_other grep -qx 'tw_stats_netns_sockets{netns="other",state="time_wait"} 0' "$out/allns.prometheus.out"
# one file for everything: the reader's own families, then the namespaces'
check allns.prometheus_everything python3 "$here/check.py" promall "$N" "$out/allns.prometheus.out"
check allns.prometheus_own_families_same bash -c "diff <(grep -v '^tw_stats_netns_\|^# [A-Z]* tw_stats_netns_' '$out/allns.prometheus.out') '$out/prometheus.wellformed.out'"
check allns.prometheus_series sh -c "[ \$(grep -c '^tw_stats_netns_' '$out/allns.prometheus.out') = 24 ]"
check allns.prometheus_conventions python3 "$here/check.py" promfmt "$out/allns.prometheus.out"
if command -v promtool > /dev/null; then
	check allns.promtool sh -c "promtool check metrics < '$out/allns.prometheus.out'"
fi
# --top 1: one row named, the rest summed into netns="other" / shown as others
expect_ok allns.top1 --from "$N" --all-netns --prometheus --top 1
check allns.top1_other grep -qx 'tw_stats_netns_sockets{netns="other",state="time_wait"} 10' "$out/allns.top1.out"
check allns.top1_no_blue sh -c "! grep -q blue '$out/allns.top1.out'"
expect_ok allns.top1_summary --from "$N" --all-netns --top 1
check allns.top1_summary_rows sh -c "[ \$(grep -c '^ *[0-9o]' '$out/allns.top1_summary.out') = 2 ] && grep -qx '(1 more namespaces not shown: --top N shows more)' '$out/allns.top1_summary.out'"
# the save/from round trip keeps the names
expect_ok allns.resave --from "$N" --all-netns --save "$out/allns.saved"
check allns.resave_names cmp "$N/netns_names" "$out/allns.saved/netns_names"
M=$(variant allns_badnames named)
printf '4026532201\tblue\tnotapid\t\t\n' > "$M/netns_names"
expect_err allns.bad_names 1 'netns_names:1: bad netns, name or pid' --from "$M" --all-netns
printf '4026532201\tblue\t\t\n' > "$M/netns_names"
expect_err allns.short_names 1 'netns_names:1: expected' --from "$M" --all-netns
printf '4026532201\tblue\t\t\t\n4026532201\tred\t\t\t\n' > "$M/netns_names"
expect_err allns.dup_names 1 'netns_names:2: netns appears twice' --from "$M" --all-netns
printf '4026532201\tblue\t\t\t' > "$M/netns_names"
expect_err allns.cut_names 1 'netns_names:1: last line has no newline' --from "$M" --all-netns
M=$(variant allns_badtable wellformed)
printf 'netns tw\n4026532201 x\nothers 0\n' > "$M/tw_netns"
expect_err allns.bad_table 1 'tw_netns:2: bad tw' --from "$M" --all-netns
printf 'netns tw fin_wait2\n4026532201 3 0\n' > "$M/tw_netns"
expect_err allns.no_others 1 "tw_netns:3: no 'others' row" --from "$M" --all-netns
rm "$M/tw_netns"
expect_err allns.from_no_table 1 'has no tw_netns' --from "$M" --all-netns
expect_err usage.allns_watch 64 '--all-netns goes with' --all-netns --watch --from "$W"
expect_err usage.allns_advise 64 '--all-netns goes with' --all-netns --advise --from "$W"

# live, on a fake /proc and /run/netns: a name by inode, else the lowest PID
mkdir -p "$fake/run/netns" "$fake/proc/1/ns" "$fake/proc/77/ns" "$fake/proc/500/ns" \
	"$fake/proc/600/ns"
touch "$fake/run/netns/blue"
blue=$(stat -c %i "$fake/run/netns/blue")
ln -sfn "net:[$ino]" "$fake/proc/1/ns/net"
ln -sfn "net:[4026539999]" "$fake/proc/500/ns/net"
ln -sfn "net:[4026539999]" "$fake/proc/77/ns/net"
ln -sfn "net:[4026530000]" "$fake/proc/600/ns/net"
echo worker > "$fake/proc/77/comm"
printf '12:pids:/x\n0::/kubepods/podA/cri-77\n' > "$fake/proc/77/cgroup"
echo other > "$fake/proc/500/comm"
printf 'netns tw fin_wait2 established close_wait other listen ephemeral_in_use min_headroom private_ehash\n%s 5 0 0 0 0 0 5 100 0\n4026539999 3 0 1 0 0 0 3 200 1\n%s 1 0 0 0 0 0 1 300 0\n4026538888 1 0 0 0 0 0 0 - 0\nothers 0 0 0 0 0 0 0 - 0\n' \
	"$blue" "$ino" > "$fake/proc/net/tw_netns"
live allns.live --all-netns --save "$out/allns.livesave"
check allns.live_ok sh -c "[ \$(cat '$out/allns.live.rc') = 0 ] && [ ! -s '$out/allns.live.err' ]"
printf '%s\tblue\t\t\t\n4026539999\t\t77\tworker\t/kubepods/podA/cri-77\n%s\t\t1\t\t\n' "$blue" "$ino" \
	> "$out/allns.names.want"
check allns.live_names diff -u "$out/allns.names.want" "$out/allns.livesave/netns_names"
check allns.live_row_blue grep_out allns.live "^ *$blue +5 .* blue +- +- +-\$"
check allns.live_row_pid grep_out allns.live '^4026539999 +3 .* - +77 +worker +/kubepods/podA/cri-77$'
check allns.live_row_unnamed grep_out allns.live '^4026538888 +1 .* - +- +- +-$'
mv "$fake/proc/net/tw_netns" "$fake/proc/net/tw_netns.off"
TWSTAT_ROOT=$fake expect_err allns.older_module 1 'has no /proc/net/tw_netns \(an older module\)' --all-netns
ln -sfn "net:[4026531111]" "$fake/proc/1/ns/net"
TWSTAT_ROOT=$fake expect_err allns.not_initial 1 "runs in network namespace $ino, not the initial one \(4026531111.*nsenter -t 1 -n" --all-netns
mv "$fake/proc/net/tw_netns.off" "$fake/proc/net/tw_netns"
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then
	chmod 755 "$out"
	chmod -R a+rX "$fake"
	chmod 400 "$fake/proc/net/tw_netns"
	TWSTAT_ROOT=$fake setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$TWSTAT" --all-netns > "$out/allns.nonroot.out" 2> "$out/allns.nonroot.err"
	echo $? > "$out/allns.nonroot.rc"
	check allns.nonroot_eacces sh -c "[ \$(cat '$out/allns.nonroot.rc') = 1 ] && [ \$(wc -l < '$out/allns.nonroot.err') = 1 ] && grep -q 'permission denied: it is mode 0400.*run as root' '$out/allns.nonroot.err' && [ ! -s '$out/allns.nonroot.out' ]"
fi

# ---- the torture's helpers: twcheck's loop and twpoke's writer ----
# (their real work is in the guest, tests/guest/torture_lib.sh; here the
# control files and the counts they report)
TWCHECK=${TWCHECK:-$top/tests/tools/twcheck}
TWPOKE=${TWPOKE:-$top/tests/tools/twpoke}
[ -x "$TWCHECK" ] && [ -x "$TWPOKE" ] ||
	fail torture.build "no $TWCHECK or $TWPOKE: run make -C tests/tools first"
tt=$out/torture
mkdir -p "$tt/d"
printf 'snapshot_bytes 5\nwalk_scratch_bytes 7\n' > "$tt/d/memory"
printf 'snapshot_bytes 5\nwalk_scr' > "$tt/memory"
printf '100\n' > "$tt/d/cache_ms"
check torture.twcheck_name_value_files sh -c "
	'$TWCHECK' '$tt/d/memory' '$tt/memory' 2> /dev/null | grep -qx 'twcheck ok=1 bad=1 gone=0 nomem=0 intr=0 other=0'"
# -t: rounds until the stop file appears, patterns expanded each round
check torture.twcheck_loops_until_stop sh -c "
	(sleep 1; touch '$tt/stop') &
	timeout 10 '$TWCHECK' -t '$tt/stop' -p 100 '$tt/d/*' > '$tt/loop.out' &&
	awk '{ split(\$2, kv, \"=\"); exit !(kv[2] >= 4 && \$3 == \"bad=0\") }' '$tt/loop.out'"
check torture.twcheck_options_need_loop sh -c "
	'$TWCHECK' -s x '$tt/d/memory' > /dev/null 2>&1; test \$? = 64"
check torture.twpoke_needs_stop sh -c "
	'$TWPOKE' write '$tt/d/cache_ms' > /dev/null 2>&1; test \$? = 64"
check torture.twpoke_bad_mode sh -c "
	'$TWPOKE' poke -t '$tt/stop' x > /dev/null 2>&1; test \$? = 64"
# every write into a plain file takes; a pattern without a match is no file
rm -f "$tt/stop2"
check torture.twpoke_writes_and_counts sh -c "
	(sleep 1; touch '$tt/stop2') &
	timeout 10 '$TWPOKE' write -t '$tt/stop2' -p 100 '$tt/d/cache_ms' '$tt/none/*' > '$tt/poke.out' &&
	grep -Eq '^twpoke writes_ok=([4-9]|[1-9][0-9]+) writes_refused=0 writes_gone=0\$' '$tt/poke.out'"

# ---- tw_cgroups: owners named (--by-cgroup, summary, JSON, Prometheus) ----
# A fake live tree whose cgroup2 mount (found through its mountinfo) is a
# directory tree made here: the ids of tw_cgroups are the inode numbers
# of those directories, so the fixture is written from stat.
cg=$out/cgfake
cgr=$cg/sys/fs/cgroup
ctr=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
kctr=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
pod=1a2b3c4d_0000_4111_8222_0123456789ab
mkdir -p "$cg/proc/net" "$cg/proc/self" "$cg/etc" "$cgr/system.slice/nginx.service" \
	"$cgr/system.slice/docker-$ctr.scope" \
	"$cgr/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$pod.slice/cri-containerd-$kctr.scope"
cp "$W"/tw_stats "$W"/tw_ports "$cg/proc/net/"
printf '24 1 0:22 / /sys rw - sysfs sysfs rw\n35 24 0:30 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n' \
	> "$cg/proc/self/mountinfo"
printf 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n' > "$cg/etc/passwd"
i_nginx=$(stat -c %i "$cgr/system.slice/nginx.service")
i_docker=$(stat -c %i "$cgr/system.slice/docker-$ctr.scope")
i_kube=$(stat -c %i "$cgr/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$pod.slice/cri-containerd-$kctr.scope")
i_root=$(stat -c %i "$cgr")
cat > "$cg/proc/net/tw_cgroups" <<EOF
cgroup uid established close_wait syn_sent other listen tw_server ephemeral_in_use close_wait_idle_max_s
$i_nginx 1000 3 7 0 1 1 5 2 312
$i_docker 0 12 2 1 0 1 0 10 40
$i_kube 4242 9 0 0 4 2 3 0 -
$i_root 0 4 0 2 0 0 0 4 -
99999999999 0 2 0 0 0 1 0 0 -
0 1000 1 0 0 0 0 0 1 -
others - 5 1 0 2 0 0 3 77
EOF
cgl() { TWSTAT_ROOT=$cg tw "$@"; }
cgl cg.by --by-cgroup --save "$out/cgsave"
# the rows named: path, user (4242 has none: numeric), unit, container (12), pod
cat > "$out/cg.by.want" <<EOF
alice 3 7 312 0 1 1 5 2 nginx.service - - /system.slice/nginx.service
root 12 2 40 1 0 1 0 10 docker-$ctr.scope ${ctr:0:12} - /system.slice/docker-$ctr.scope
4242 9 0 - 0 4 2 3 0 cri-containerd-$kctr.scope ${kctr:0:12} ${pod//_/-} /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$pod.slice/cri-containerd-$kctr.scope
root 4 0 - 2 0 0 0 4 - - - /
root 2 0 - 0 0 1 0 0 - - - 99999999999
alice 1 0 - 0 0 0 0 1 - - - -
- 5 1 77 0 2 0 0 3 - - - others
EOF
check cgroups.by_cgroup_named sh -c "[ \$(cat '$out/cg.by.rc') = 0 ] && [ ! -s '$out/cg.by.err' ] &&
	tail -n +3 '$out/cg.by.out' | tr -s ' ' | diff -u '$out/cg.by.want' -"
check cgroups.by_cgroup_header grep -Eq '^USER +ESTAB +CLOSE_WAIT +IDLE_MAX_S .* CGROUP$' "$out/cg.by.out"
# --top 2: two rows, the rest summed into others (idle: the largest)
cgl cg.top2 --by-cgroup --top 2
check cgroups.top2_others sh -c "tail -n +3 '$out/cg.top2.out' | tr -s ' ' | tail -n 1 |
	grep -qx -- '- 21 1 77 2 6 3 3 8 - - - others' && [ \$(tail -n +3 '$out/cg.top2.out' | wc -l) = 3 ]"
# saved: the names with it; a replay names nothing anew (empty cgroup root)
check cgroups.save_names sh -c "cmp '$cg/proc/net/tw_cgroups' '$out/cgsave/tw_cgroups' &&
	grep -qx \"\$(printf 'cgroup\t$i_nginx\t/system.slice/nginx.service')\" '$out/cgsave/cgroup_names' &&
	grep -qx \"\$(printf 'uid\t1000\talice')\" '$out/cgsave/cgroup_names' && ! grep -q 4242 '$out/cgsave/cgroup_names'"
mkdir -p "$out/nocg"
TWSTAT_CGROUP_ROOT=$out/nocg expect_ok cgroups.replay --by-cgroup --from "$out/cgsave" &&
	check cgroups.replay_same sh -c "tail -n +3 '$out/cgroups.replay.out' | tr -s ' ' | diff -u '$out/cg.by.want' -"
# TWSTAT_CGROUP_ROOT overrides mountinfo: an empty root names no cgroup
TWSTAT_CGROUP_ROOT=$out/nocg cgl cg.override --by-cgroup
check cgroups.override_root sh -c "tail -n +3 '$out/cg.override.out' | grep -q '^alice .* $i_nginx\$' &&
	! grep -q nginx.service '$out/cg.override.out'"
# without the names file: ids only
d=$(variant cg_nonames cgsave)
rm "$d/cgroup_names"
expect_ok cgroups.replay_ids --by-cgroup --from "$d" &&
	check cgroups.replay_ids_only sh -c "tail -n +3 '$out/cgroups.replay_ids.out' | grep -q '^1000 .* $i_nginx\$' &&
		! grep -q 'nginx\|alice' '$out/cgroups.replay_ids.out'"

# summary: the worst few as "Owners"; none without the file
cgl cg.summary
check cgroups.summary_owners sh -c "grep -q '^Owners (tw_cgroups' '$out/cg.summary.out' &&
	grep -Eq '^  alice +3 +7 +312 .* /system.slice/nginx.service\$' '$out/cg.summary.out'"
check cgroups.summary_none_without_file sh -c "! grep -q '^Owners' '$out/summary.wellformed.out'"
expect_err cgroups.by_cgroup_absent 1 'no tw_cgroups in this reading' --by-cgroup --from "$W"
expect_err cgroups.by_cgroup_not_with_json 64 'by-cgroup' --by-cgroup --json --from "$W"

# JSON: every column as the file has it, plus the names
cgl cg.json --json
check cgroups.json python3 -c "
import json, sys
rows = [l.split() for l in open('$cg/proc/net/tw_cgroups')]
cols, rows = rows[0], rows[1:]
got = json.load(open('$out/cg.json.out'))['tw_cgroups']
assert len(got) == len(rows), (len(got), len(rows))
def cell(v):
    return None if v == '-' else (v if v == 'others' else int(v))
for g, r in zip(got, rows):
    for c, v in zip(cols, r):
        assert g[c] == cell(v), (c, g[c], v)
names = {$i_nginx: ('/system.slice/nginx.service', 'nginx.service', None, None, 'alice'),
         $i_docker: ('/system.slice/docker-$ctr.scope', 'docker-$ctr.scope', '$ctr', None, 'root'),
         $i_kube: ('/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$pod.slice/cri-containerd-$kctr.scope',
                   'cri-containerd-$kctr.scope', '$kctr', '${pod//_/-}', None),
         $i_root: ('/', None, None, None, 'root'),
         99999999999: (None, None, None, None, 'root'),
         0: (None, None, None, None, 'alice'),
         'others': (None, None, None, None, None)}
for g in got:
    want = names[g['cgroup']]
    have = (g['path'], g['unit'], g['container'], g['pod'], g['user'])
    assert have == want, (g['cgroup'], have, want)
"
check cgroups.json_null_without_file python3 -c "
import json; assert json.load(open('$out/json.wellformed.out'))['tw_cgroups'] is None"

# Prometheus: the top N rows by name, the rest in cgroup=\"other\"
cgl cg.prom --prometheus --top 3
check cgroups.prometheus python3 -c "
import re
rows = [l.split() for l in open('$cg/proc/net/tw_cgroups')][1:]
cols = 'cgroup uid established close_wait syn_sent other listen tw_server ephemeral_in_use close_wait_idle_max_s'.split()
rows = [dict(zip(cols, r)) for r in rows]
path = {'$i_nginx': '/system.slice/nginx.service', '$i_docker': '/system.slice/docker-$ctr.scope',
        '$i_kube': '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$pod.slice/cri-containerd-$kctr.scope'}
got = {}
for line in open('$out/cg.prom.out'):
    m = re.match(r'(tw_stats_cgroup_\w+)\{(.*)\} (\S+)$', line)
    if m:
        labels = tuple(sorted(re.findall(r'(\w+)=\"([^\"]*)\"', m.group(2))))
        assert (m.group(1), labels) not in got, line
        got[(m.group(1), labels)] = m.group(3)
def want(metric, cg, uid, user, state, v):
    l = [('cgroup', cg), ('uid', uid), ('netns', '$ino')]
    if user: l.append(('user', user))
    if state: l.append(('state', state))
    k = (metric, tuple(sorted(l)))
    assert got.get(k) == str(v), (k, got.get(k), v)
    del got[k]
users = {'1000': 'alice', '0': 'root'}
top, rest = rows[:3], rows[3:]
for r in top:
    cg = path.get(r['cgroup'], r['cgroup'])
    for s in ('established', 'close_wait', 'syn_sent', 'other', 'listen'):
        want('tw_stats_cgroup_sockets', cg, r['uid'], users.get(r['uid']), s, r[s])
    want('tw_stats_cgroup_timewait_server_sockets', cg, r['uid'], users.get(r['uid']), None, r['tw_server'])
    want('tw_stats_cgroup_ephemeral_ports_in_use', cg, r['uid'], users.get(r['uid']), None, r['ephemeral_in_use'])
    if r['close_wait_idle_max_s'] != '-':
        want('tw_stats_cgroup_close_wait_idle_max_seconds', cg, r['uid'], users.get(r['uid']), None, r['close_wait_idle_max_s'])
for s in ('established', 'close_wait', 'syn_sent', 'other', 'listen'):
    want('tw_stats_cgroup_sockets', 'other', 'other', None, s, sum(int(r[s]) for r in rest))
want('tw_stats_cgroup_timewait_server_sockets', 'other', 'other', None, None, sum(int(r['tw_server']) for r in rest))
want('tw_stats_cgroup_ephemeral_ports_in_use', 'other', 'other', None, None, sum(int(r['ephemeral_in_use']) for r in rest))
assert not got, got
" &&
	check cgroups.prometheus_conventions python3 "$here/check.py" promfmt "$out/cg.prom.out"
cgl cg.prom_all --prometheus
check cgroups.prometheus_cgroup0_dash grep -q '^tw_stats_cgroup_sockets{netns="[0-9]*",cgroup="-",uid="1000",user="alice",state="established"} 1$' "$out/cg.prom_all.out"
if command -v promtool > /dev/null; then
	check cgroups.promtool sh -c "promtool check metrics < '$out/cg.prom.out' && promtool check metrics < '$out/cg.prom_all.out'"
fi

# malformed: each named with its file and line, never a crash
d=$(variant cg_bad cgsave)
sed -i '3s/ 0 / x /' "$d/tw_cgroups"
expect_err cgroups.malformed_cell 1 'cg_bad/tw_cgroups:3: bad uid' --from "$d" --by-cgroup
d=$(variant cg_trunc cgsave)
sed -i '$d' "$d/tw_cgroups"
expect_err cgroups.malformed_no_others 1 "cg_trunc/tw_cgroups:8: no 'others' row at the end: file truncated" --from "$d"
d=$(variant cg_hdr cgsave)
sed -i '1s/ uid / user /' "$d/tw_cgroups"
expect_err cgroups.malformed_header 1 "cg_hdr/tw_cgroups:1: no column 'uid'" --json --from "$d"
d=$(variant cg_names_bad cgsave)
printf 'cgroup\t12\tno-slash\n' >> "$d/cgroup_names"
expect_err cgroups.malformed_names 1 'cg_names_bad/cgroup_names:[0-9]+: bad kind, id or name' --from "$d" --prometheus
d=$(variant cg_names_trunc cgsave)
printf 'uid\t7\tbob' >> "$d/cgroup_names"
expect_err cgroups.malformed_names_truncated 1 'cg_names_trunc/cgroup_names:[0-9]+: last line has no newline' --from "$d"

# ---- promtool: exposition lint and the alerting rules ----
# ---- --what-if, and what --advise says each fix buys ----
. "$here/whatif.sh"
# ---- the NAT view: --nat, summary, JSON, Prometheus, advice, bad input ----
. "$here/nat.sh"

lib=$top/tests/lib.sh
if ! command -v promtool > /dev/null && [ "$(id -u)" = 0 ] && [ -f "$lib" ]; then
	(. "$lib" && tw_need_pkgs prometheus) > "$out/apt.log" 2>&1 ||
		fail promtool.install "apt-get install prometheus failed: $(tail -n 2 "$out/apt.log")"
fi
if command -v promtool > /dev/null; then
	for s in wellformed missing huge newer current; do
		f=$out/prometheus.$s.out
		[ -f "$f" ] || f=$out/$s.prometheus.out
		check "promtool.check_metrics_$s" sh -c "promtool check metrics < '$f'"
	done
	rules=$top/contrib/prometheus
	check promtool.check_rules promtool check rules "$rules/tw_stats.rules.yml"
	check promtool.test_rules sh -c "cd '$rules' && promtool test rules tw_stats.rules.test.yml"
else
	echo "twstat tests: promtool not found (Debian package prometheus): its checks were not run" >&2
fi

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
